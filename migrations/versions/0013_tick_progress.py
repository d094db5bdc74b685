"""tick progress

A tick's jobs are written in chunks after its claim, each chunk its own
transaction; ``planned_through`` is the last citation id whose jobs are
written, so whoever holds the tick's lease resumes after it.  One new
nullable column; ticks already finished keep NULL.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_ticks") as batch:
        batch.add_column(sa.Column("planned_through", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule_ticks") as batch:
        batch.drop_column("planned_through")
