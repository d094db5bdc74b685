"""document change notices

PostgreSQL only: triggers that ``NOTIFY citevault_documents`` with the id of
every document whose citations JSON a committed change may alter, so API
processes can evict what they cached for it (``archive.api.cache``).  Statement
triggers with transition tables, so a crawl worker's bulk commit of links costs
one notice per document, not a trigger call per row.  Captures are immutable;
should one change anyway, or a table be truncated, ``*`` tells listeners to
drop everything.

SQLite has no listeners (the API caches nothing there), so nothing is created.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 22:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "citevault_documents"
# table -> SQL giving the affected document ids from transition table "changed"
SOURCES = {
    "documents": "SELECT DISTINCT id FROM changed",
    "document_versions": "SELECT DISTINCT document_id FROM changed",
    "citations": "SELECT DISTINCT document_id FROM changed",
    "citation_captures": (
        "SELECT DISTINCT coalesce(c.document_id, '*') FROM changed"
        " LEFT JOIN citations c ON c.id = changed.citation_id"
    ),
}
EVENTS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgres():
        return
    for table, source in SOURCES.items():
        op.execute(
            f"""
            CREATE FUNCTION citevault_notice_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{CHANNEL}', doc) FROM ({source}) AS affected(doc);
                RETURN NULL;
            END $$
            """
        )
        for event, side in EVENTS.items():
            if table == "documents" and event == "INSERT":
                continue  # a new document has nothing cached yet
            op.execute(
                f"CREATE TRIGGER citevault_notice_{event.lower()} AFTER {event} ON {table}"
                f" REFERENCING {side} TABLE AS changed FOR EACH STATEMENT"
                f" EXECUTE FUNCTION citevault_notice_{table}()"
            )
    op.execute(
        f"""
        CREATE FUNCTION citevault_notice_all() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '*');
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER citevault_notice_all AFTER UPDATE OR DELETE OR TRUNCATE ON captures"
        " FOR EACH STATEMENT EXECUTE FUNCTION citevault_notice_all()"
    )
    for table in SOURCES:
        op.execute(
            f"CREATE TRIGGER citevault_notice_all AFTER TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION citevault_notice_all()"
        )


def downgrade() -> None:
    if not _is_postgres():
        return
    for table in ("captures", *SOURCES):
        op.execute(f"DROP TRIGGER citevault_notice_all ON {table}")
    op.execute("DROP FUNCTION citevault_notice_all()")
    for table in SOURCES:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS citevault_notice_{event.lower()} ON {table}")
        op.execute(f"DROP FUNCTION citevault_notice_{table}()")
