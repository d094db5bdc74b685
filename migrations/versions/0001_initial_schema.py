"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 19:00:29.295168
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("is_private", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("policy", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.String(length=200), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("last_tick", sa.Integer(), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("name", name=op.f("uq_schedules_name")),
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedules_next_run_at"), ["next_run_at"], unique=False)

    op.create_table(
        "warc_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_key", sa.String(length=1024), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warc_files")),
        sa.UniqueConstraint("store_key", name=op.f("uq_warc_files_store_key")),
    )
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=True),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("store_key", sa.Text(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_versions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_versions")),
        sa.UniqueConstraint(
            "document_id", "sha256", name=op.f("uq_document_versions_document_id_sha256")
        ),
        sa.UniqueConstraint(
            "document_id", "version", name=op.f("uq_document_versions_document_id_version")
        ),
    )
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_versions_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("extractor", sa.String(length=64), nullable=False),
        sa.Column("url_as_cited", sa.Text(), nullable=True),
        sa.Column("url_normalized", sa.Text(), nullable=True),
        sa.Column("doi", sa.String(length=300), nullable=True),
        sa.Column("arxiv_id", sa.String(length=64), nullable=True),
        sa.Column("identifiers", sa.JSON(), nullable=True),
        sa.Column("anchor_text", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=True),
        sa.Column("date", sa.String(length=64), nullable=True),
        sa.Column("container", sa.Text(), nullable=True),
        sa.Column("access_date", sa.String(length=64), nullable=True),
        sa.Column("archive_url", sa.Text(), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.Text(), nullable=True),
        sa.Column("date_hint", sa.String(length=64), nullable=True),
        sa.Column("candidate_url", sa.Text(), nullable=True),
        sa.Column("resolution", sa.String(length=16), nullable=False),
        sa.Column("resolved_url", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_citations_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["document_versions.id"],
            name=op.f("fk_citations_version_id_document_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citations")),
        sa.UniqueConstraint("version_id", "ordinal", name=op.f("uq_citations_version_id_ordinal")),
    )
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citations_document_id_version_id"),
            ["document_id", "version_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_citations_url_normalized"), ["url_normalized"], unique=False
        )

    op.create_table(
        "capture_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_key", sa.String(length=128), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_normalized", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(length=200), nullable=True),
        sa.Column("citation_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("force", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citation_id"],
            ["citations.id"],
            name=op.f("fk_capture_jobs_citation_id_citations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_capture_jobs_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_capture_jobs_schedule_id_schedules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_jobs")),
        sa.UniqueConstraint("job_key", name=op.f("uq_capture_jobs_job_key")),
    )
    with op.batch_alter_table("capture_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capture_jobs_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_capture_jobs_lease_expires_at"), ["lease_expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_capture_jobs_state_not_before"), ["state", "not_before"], unique=False
        )

    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_normalized", sa.Text(), nullable=False),
        sa.Column("surt", sa.Text(), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("media_type", sa.String(length=255), nullable=True),
        sa.Column("payload_digest", sa.String(length=128), nullable=True),
        sa.Column("payload_length", sa.BigInteger(), nullable=True),
        sa.Column("warc_file_id", sa.Integer(), nullable=True),
        sa.Column("warc_offset", sa.BigInteger(), nullable=True),
        sa.Column("warc_length", sa.BigInteger(), nullable=True),
        sa.Column("warc_record_id", sa.String(length=128), nullable=True),
        sa.Column("revisit_of_id", sa.Integer(), nullable=True),
        sa.Column("redirect_to", sa.Text(), nullable=True),
        sa.Column("truncated", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("robots_policy", sa.String(length=32), nullable=True),
        sa.Column("is_requisite", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["capture_jobs.id"],
            name=op.f("fk_captures_job_id_capture_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revisit_of_id"], ["captures.id"], name=op.f("fk_captures_revisit_of_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["warc_file_id"], ["warc_files.id"], name=op.f("fk_captures_warc_file_id_warc_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
        sa.UniqueConstraint("warc_record_id", name=op.f("uq_captures_warc_record_id")),
    )
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_captures_payload_digest"), ["payload_digest"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_captures_surt_captured_at"), ["surt", "captured_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_captures_url_normalized_captured_at"),
            ["url_normalized", "captured_at"],
            unique=False,
        )

    op.create_table(
        "citation_captures",
        sa.Column("citation_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_citation_captures_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["citation_id"],
            ["citations.id"],
            name=op.f("fk_citation_captures_citation_id_citations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("citation_id", "capture_id", name=op.f("pk_citation_captures")),
    )
    with op.batch_alter_table("citation_captures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citation_captures_capture_id"), ["capture_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("citation_captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citation_captures_capture_id"))

    op.drop_table("citation_captures")
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_captures_url_normalized_captured_at"))
        batch_op.drop_index(batch_op.f("ix_captures_surt_captured_at"))
        batch_op.drop_index(batch_op.f("ix_captures_payload_digest"))

    op.drop_table("captures")
    with op.batch_alter_table("capture_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capture_jobs_state_not_before"))
        batch_op.drop_index(batch_op.f("ix_capture_jobs_lease_expires_at"))
        batch_op.drop_index(batch_op.f("ix_capture_jobs_document_id"))

    op.drop_table("capture_jobs")
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citations_url_normalized"))
        batch_op.drop_index(batch_op.f("ix_citations_document_id_version_id"))

    op.drop_table("citations")
    with op.batch_alter_table("document_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_versions_document_id"))

    op.drop_table("document_versions")
    op.drop_table("warc_files")
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedules_next_run_at"))

    op.drop_table("schedules")
    op.drop_table("documents")
