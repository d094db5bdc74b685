"""capture job change notices

PostgreSQL only: a citations body says why each pending citation waits
(queued, leased, retrying after an error), read from its capture job, so a
job queued, leased, failed or finished changes the body of its document.
The same statement triggers as 0003 name that document on
``citevault_documents``; one lease or commit of many jobs costs one notice
per document.

SQLite has no listeners (the API caches nothing there), so nothing is created.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 20:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "citevault_documents"
EVENTS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgres():
        return
    op.execute(
        f"""
        CREATE FUNCTION citevault_notice_capture_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', doc) FROM (
                SELECT DISTINCT document_id FROM changed WHERE document_id IS NOT NULL
            ) AS affected(doc);
            RETURN NULL;
        END $$
        """
    )
    for event, side in EVENTS.items():
        op.execute(
            f"CREATE TRIGGER citevault_notice_{event.lower()} AFTER {event} ON capture_jobs"
            f" REFERENCING {side} TABLE AS changed FOR EACH STATEMENT"
            " EXECUTE FUNCTION citevault_notice_capture_jobs()"
        )
    op.execute(
        "CREATE TRIGGER citevault_notice_all AFTER TRUNCATE ON capture_jobs"
        " FOR EACH STATEMENT EXECUTE FUNCTION citevault_notice_all()"
    )


def downgrade() -> None:
    if not _is_postgres():
        return
    op.execute("DROP TRIGGER citevault_notice_all ON capture_jobs")
    for event in EVENTS:
        op.execute(f"DROP TRIGGER citevault_notice_{event.lower()} ON capture_jobs")
    op.execute("DROP FUNCTION citevault_notice_capture_jobs()")
