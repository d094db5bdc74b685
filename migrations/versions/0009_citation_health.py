"""citation health: check jobs, check results, each citation's state

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "check_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_key", sa.String(length=128), nullable=False),
        sa.Column("citation_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        _when("lease_expires_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("not_before", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["citation_id"],
            ["citations.id"],
            name=op.f("fk_check_jobs_citation_id_citations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_check_jobs_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_check_jobs_schedule_id_schedules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_jobs")),
        sa.UniqueConstraint("job_key", name=op.f("uq_check_jobs_job_key")),
    )
    with op.batch_alter_table("check_jobs") as batch:
        batch.create_index(batch.f("ix_check_jobs_state_not_before"), ["state", "not_before"])
        batch.create_index(batch.f("ix_check_jobs_citation_id"), ["citation_id"])
    op.create_table(
        "check_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citation_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        _when("checked_at", nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("redirect_chain", sa.JSON(), nullable=True),
        sa.Column("payload_digest", sa.String(length=128), nullable=True),
        sa.Column("simhash", sa.String(length=16), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=True),
        sa.Column("baseline_capture_id", sa.Integer(), nullable=True),
        sa.Column("cosine", sa.Float(), nullable=True),
        sa.Column("word_change", sa.Float(), nullable=True),
        sa.Column("simhash_distance", sa.Integer(), nullable=True),
        sa.Column("drift_label", sa.String(length=16), nullable=True),
        sa.Column("soft_404", sa.Boolean(), nullable=True),
        sa.Column("quotes", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["citation_id"],
            ["citations.id"],
            name=op.f("fk_check_results_citation_id_citations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["check_jobs.id"],
            name=op.f("fk_check_results_job_id_check_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["baseline_capture_id"],
            ["captures.id"],
            name=op.f("fk_check_results_baseline_capture_id_captures"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_results")),
    )
    with op.batch_alter_table("check_results") as batch:
        batch.create_index(
            batch.f("ix_check_results_citation_id_checked_at"), ["citation_id", "checked_at"]
        )
    op.create_table(
        "citation_health",
        sa.Column("citation_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        _when("since", nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        _when("first_failure_at"),
        _when("last_counted_failure_at"),
        sa.Column("drift_label", sa.String(length=16), nullable=True),
        sa.Column("drift_score", sa.Float(), nullable=True),
        _when("last_checked_at"),
        sa.Column("last_result_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["citation_id"],
            ["citations.id"],
            name=op.f("fk_citation_health_citation_id_citations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_result_id"],
            ["check_results.id"],
            name=op.f("fk_citation_health_last_result_id_check_results"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("citation_id", name=op.f("pk_citation_health")),
    )


def downgrade() -> None:
    op.drop_table("citation_health")
    op.drop_table("check_results")
    with op.batch_alter_table("check_jobs") as batch:
        batch.drop_index(batch.f("ix_check_jobs_citation_id"))
        batch.drop_index(batch.f("ix_check_jobs_state_not_before"))
    op.drop_table("check_jobs")
