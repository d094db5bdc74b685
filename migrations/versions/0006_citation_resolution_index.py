"""citations(kind, resolution): the named references people resolved

Resolution suggestions (``citevault resolve ID --suggest``) start from every
named reference that someone attached a URL to.  Without this index that is a
scan of the whole citations table, most of which are URL citations.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citations_kind_resolution"), ["kind", "resolution"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citations_kind_resolution"))
