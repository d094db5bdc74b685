"""verify runs

``citevault verify`` records each fixity run (its sample, the cursor it got
to, its counts) and what it found, so an interrupted run goes on where it
stopped and a scheduled run is found again by its key.  Two new tables;
nothing else changes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verify_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_key", sa.String(length=200), nullable=True),
        sa.Column("sample", sa.Float(), nullable=False),
        sa.Column("seed", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("objects_checked", sa.Integer(), nullable=False),
        sa.Column("bytes_checked", sa.BigInteger(), nullable=False),
        sa.Column("records_checked", sa.Integer(), nullable=False),
        sa.Column("keys_listed", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verify_runs")),
        sa.UniqueConstraint("run_key", name=op.f("uq_verify_runs_run_key")),
    )
    op.create_table(
        "verify_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("problem", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.Column("store_key", sa.String(length=1024), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["verify_runs.id"],
            name=op.f("fk_verify_findings_run_id_verify_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verify_findings")),
    )
    op.create_index(op.f("ix_verify_findings_run_id"), "verify_findings", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_verify_findings_run_id"), table_name="verify_findings")
    op.drop_table("verify_findings")
    op.drop_table("verify_runs")
