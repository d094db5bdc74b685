"""schedules on cron expressions, and their claimed ticks

The first ``schedules`` table (policy + interval) was never written by any
code, so its rows, if a database has any, have no meaning to carry over:
they are deleted and the table takes the cron shape.  ``schedule_ticks``
holds one row per claimed tick; its unique (schedule_id, tick_at) key is
what lets several schedulers share one database.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM schedules")
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedules_next_run_at"))
        for column in ("policy", "interval_seconds", "last_tick", "next_run_at", "last_run_at"):
            batch_op.drop_column(column)
        batch_op.drop_column("note")
        batch_op.add_column(sa.Column("cron", sa.String(length=200), nullable=False))
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False)
        )
        batch_op.add_column(sa.Column("action", sa.String(length=32), nullable=False))
        batch_op.add_column(
            sa.Column("missed", sa.String(length=16), server_default="run-once", nullable=False)
        )
        batch_op.add_column(sa.Column("active_since", sa.DateTime(timezone=True), nullable=False))
        batch_op.add_column(sa.Column("webhook_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("webhook_secret", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False))
        batch_op.create_index(batch_op.f("ix_schedules_document_id"), ["document_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_schedules_document_id_documents"),
            "documents",
            ["document_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.create_table(
        "schedule_ticks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("tick_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("jobs", sa.Integer(), server_default="0", nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_schedule_ticks_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_ticks")),
        sa.UniqueConstraint(
            "schedule_id", "tick_at", name=op.f("uq_schedule_ticks_schedule_id_tick_at")
        ),
    )
    op.create_index(
        op.f("ix_schedule_ticks_finished_at_lease_expires_at"),
        "schedule_ticks",
        ["finished_at", "lease_expires_at"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_schedule_ticks_finished_at_lease_expires_at"), table_name="schedule_ticks"
    )
    op.drop_table("schedule_ticks")
    op.execute("DELETE FROM schedules")
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_schedules_document_id_documents"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_schedules_document_id"))
        for column in (
            "cron",
            "timezone",
            "action",
            "missed",
            "active_since",
            "webhook_url",
            "webhook_secret",
            "updated_at",
        ):
            batch_op.drop_column(column)
        batch_op.add_column(sa.Column("policy", sa.String(length=32), nullable=False))
        batch_op.add_column(sa.Column("interval_seconds", sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column("last_tick", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False))
        batch_op.add_column(sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_schedules_next_run_at"), ["next_run_at"])
