"""captures.private_only, kept by triggers

Whether a capture is cited, and only by private documents: then it is not a
memento, a CDX line or a download for a caller without an API key.  Reads
used to work that out per capture row (three index probes through
citation_captures, citations and documents), which was half of what
PostgreSQL spent on an anonymous TimeGate or WARC request.  The flag makes it
a column of the row being read anyway.

Triggers keep it right whatever writes: links inserted, deleted or changed
(including the cascade when a citation or document is deleted) and a
document's ``is_private`` flipped.  They only write rows whose flag changes,
so linking a public document's citations to new captures writes nothing.
PostgreSQL gets statement triggers with transition tables (one UPDATE per
bulk insert of links); SQLite row triggers.

On PostgreSQL the document change notices (revision 0003) fired on any UPDATE
of captures, to drop every cached citations body; the flag does not appear in
any such body, so that trigger now names the other columns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column of captures at revision 0003: what the notice trigger watches.
CAPTURE_COLUMNS = (
    "id, url, url_normalized, surt, captured_at, http_status, media_type, payload_digest, "
    "payload_length, warc_file_id, warc_offset, warc_length, warc_record_id, revisit_of_id, "
    "redirect_to, truncated, error, ip_address, robots_policy, is_requisite, job_id, created_at"
)
CITED_BY = (
    "FROM citation_captures cc JOIN citations ci ON ci.id = cc.citation_id"
    " JOIN documents d ON d.id = ci.document_id WHERE cc.capture_id = captures.id"
)
# The flag as it should be, for the row of captures being updated.
PG_SHOULD_BE = f"coalesce((SELECT bool_and(d.is_private) {CITED_BY}), false)"
SQLITE_SHOULD_BE = f"coalesce((SELECT min(d.is_private) {CITED_BY}), 0)"


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.add_column(
        "captures",
        sa.Column("private_only", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    if _is_postgres():
        _postgres_up()
    else:
        _sqlite_up()


def _postgres_up() -> None:
    op.execute(f"UPDATE captures SET private_only = true WHERE {PG_SHOULD_BE}")
    op.execute(
        f"""
        CREATE FUNCTION citevault_private_only(ids integer[]) RETURNS void LANGUAGE sql AS $$
            UPDATE captures SET private_only = NOT private_only
            WHERE id = ANY(ids) AND private_only <> {PG_SHOULD_BE}
        $$
        """
    )
    # table -> (function body's capture ids, transition tables)
    sources = {
        "links_insert": ("SELECT capture_id FROM after", "NEW TABLE AS after"),
        "links_delete": ("SELECT capture_id FROM before", "OLD TABLE AS before"),
        "links_update": (
            "SELECT capture_id FROM before UNION SELECT capture_id FROM after",
            "OLD TABLE AS before NEW TABLE AS after",
        ),
        "documents_update": (
            "SELECT cc.capture_id FROM after a JOIN before b ON b.id = a.id"
            " JOIN citations ci ON ci.document_id = a.id"
            " JOIN citation_captures cc ON cc.citation_id = ci.id"
            " WHERE a.is_private IS DISTINCT FROM b.is_private",
            "OLD TABLE AS before NEW TABLE AS after",
        ),
    }
    for name, (ids, tables) in sources.items():
        table, event = name.split("_")
        op.execute(
            f"""
            CREATE FUNCTION citevault_private_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM citevault_private_only(ARRAY(SELECT DISTINCT capture_id FROM ({ids})
                                                     AS affected(capture_id)));
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            f"CREATE TRIGGER citevault_private_{event}"
            f" AFTER {event.upper()} ON {_table(table)} REFERENCING {tables}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION citevault_private_{name}()"
        )
    op.execute("DROP TRIGGER citevault_notice_all ON captures")
    op.execute(
        f"CREATE TRIGGER citevault_notice_all AFTER UPDATE OF {CAPTURE_COLUMNS}"
        " OR DELETE OR TRUNCATE ON captures FOR EACH STATEMENT"
        " EXECUTE FUNCTION citevault_notice_all()"
    )


def _table(short: str) -> str:
    return "citation_captures" if short == "links" else short


def _sqlite_up() -> None:
    op.execute(f"UPDATE captures SET private_only = 1 WHERE {SQLITE_SHOULD_BE} = 1")
    flip = "UPDATE captures SET private_only = NOT private_only WHERE {ids}"
    flip += f" AND private_only <> {SQLITE_SHOULD_BE};"
    triggers = {
        "links_insert": ("AFTER INSERT ON citation_captures", ["id = NEW.capture_id"]),
        "links_delete": ("AFTER DELETE ON citation_captures", ["id = OLD.capture_id"]),
        "links_update": (
            "AFTER UPDATE ON citation_captures",
            ["id = OLD.capture_id", "id = NEW.capture_id"],
        ),
        "documents_update": (
            "AFTER UPDATE OF is_private ON documents WHEN OLD.is_private IS NOT NEW.is_private",
            [
                "id IN (SELECT cc.capture_id FROM citation_captures cc"
                " JOIN citations ci ON ci.id = cc.citation_id WHERE ci.document_id = NEW.id)"
            ],
        ),
    }
    for name, (when, targets) in triggers.items():
        body = " ".join(flip.format(ids=ids) for ids in targets)
        op.execute(f"CREATE TRIGGER citevault_private_{name} {when} BEGIN {body} END")


def downgrade() -> None:
    names = ("links_insert", "links_delete", "links_update", "documents_update")
    if _is_postgres():
        op.execute("DROP TRIGGER citevault_notice_all ON captures")
        op.execute(
            "CREATE TRIGGER citevault_notice_all AFTER UPDATE OR DELETE OR TRUNCATE ON captures"
            " FOR EACH STATEMENT EXECUTE FUNCTION citevault_notice_all()"
        )
        for name in names:
            table, event = name.split("_")
            op.execute(f"DROP TRIGGER citevault_private_{event} ON {_table(table)}")
            op.execute(f"DROP FUNCTION citevault_private_{name}()")
        op.execute("DROP FUNCTION citevault_private_only(integer[])")
    else:
        for name in names:
            op.execute(f"DROP TRIGGER citevault_private_{name}")
    # Not batch mode: SQLite would copy the table, and with foreign keys on,
    # dropping the original fails for the links that point at it.  SQLite drops
    # a plain column itself since 3.35.
    op.drop_column("captures", "private_only")
