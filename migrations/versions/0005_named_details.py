"""citations: what a named reference is and where the document names it

A named reference records the kind of source (outlet, organisation, person,
work, anonymous, self), the speaker and the role they spoke in, the work of
the source it cites, the words attributed to it, and every mention of the
same source and work in the document (one citation per source and work, so
a memo named three times is one citation with three mentions).  The work's
container ("in the Review of Economic Studies") goes in the existing
``container`` column.  All columns are nullable: citations stored before this
revision simply lack the details.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("source_type", sa.String(length=16)),
    ("speaker", sa.Text()),
    ("speaker_role", sa.Text()),
    ("work_title", sa.Text()),
    ("claim", sa.Text()),
    ("claim_start", sa.Integer()),
    ("claim_end", sa.Integer()),
    ("mentions", sa.JSON()),
)


# Plain ALTER TABLE, not batch mode: recreating the citations table on SQLite
# would drop the triggers of revisions 0003 and 0004 that watch it.


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("citations", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for name, _ in reversed(_COLUMNS):
        op.drop_column("citations", name)
