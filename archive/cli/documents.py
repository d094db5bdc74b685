"""``citevault add / citations / documents / resolve``: documents and what they cite."""

from __future__ import annotations

import functools
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from archive.cli.state import state
from archive.errors import InputError
from archive.extract import FORMATS
from archive.ingest.resolve import resolve_citation
from archive.ingest.service import add_document
from archive.ingest.source import read_source
from archive.ingest.suggest import MAX_LIMIT
from archive.ingest.suggest import suggest as suggest_urls
from archive.lookup import citations as lookup
from archive.lookup import versions
from archive.lookup.documents import list_documents
from archive.lookup.render import to_bibtex, to_csv

console = Console()
err = Console(stderr=True)


class SuggestFormat(StrEnum):
    table = "table"
    json = "json"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    bibtex = "bibtex"


def add(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A file path, an http(s) URL, or - for stdin.")],
    doc_id: Annotated[
        str | None,
        typer.Option("--id", help="Document id (default: derived from the file name or URL)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help=f"Override format detection: {', '.join(FORMATS)}."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Document title.")] = None,
    no_queue: Annotated[
        bool, typer.Option("--no-queue", help="Record citations without queueing captures.")
    ] = False,
) -> None:
    """Add a document: store it, extract every source it cites, queue their capture.

    Adding the same bytes under the same id again changes nothing; different
    bytes under the same id become a new version.
    """
    rt = state(ctx).runtime()
    src = read_source(source, rt.settings)
    result = add_document(rt, src, doc_id=doc_id, fmt=fmt, title=title, queue_captures=not no_queue)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)
    if not result.created:
        console.print(
            f"unchanged: document [bold]{result.document_id}[/] version {result.version} "
            "already has exactly these bytes"
        )
        return
    table = Table(title=f"{result.document_id} v{result.version} ({result.format})")
    table.add_column("kind")
    table.add_column("found", justify="right")
    for kind in ("url", "doi", "arxiv", "named"):
        if result.counts.get(kind):
            table.add_row(kind, str(result.counts[kind]))
    table.add_row("[bold]total[/]", f"[bold]{sum(result.counts.values())}[/]")
    console.print(table)
    console.print(
        f"document id: [bold]{result.document_id}[/]  version: {result.version}  "
        f"captures queued: {result.jobs_queued}"
    )


def citations(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id.")],
    version: Annotated[
        int | None, typer.Option("--version", help="Version number (default: latest).", min=1)
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Show the citations added and removed since the version before "
            "(or since --against), instead of the list.",
        ),
    ] = False,
    against: Annotated[
        int | None,
        typer.Option("--against", help="The version --diff compares with.", min=1),
    ] = None,
) -> None:
    """What a document cites, with each citation's resolution state and captures."""
    rt = state(ctx).runtime()
    if diff or against is not None:
        if output not in (OutputFormat.table, OutputFormat.json):
            raise InputError(
                f"--diff prints a table or JSON, not {output.value}", hint="use --format json"
            )
        with rt.sessions()() as session:
            changes = versions.document_diff(session, doc_id, version, against)
        if output is OutputFormat.json:
            typer.echo(json.dumps(changes, indent=2, ensure_ascii=False))
        else:
            _diff_table(changes)
        return
    with rt.sessions()() as session:
        data = lookup.to_json(lookup.load(session, doc_id, version))
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif output is OutputFormat.csv:
        typer.echo(to_csv(data), nl=False)
    elif output is OutputFormat.bibtex:
        typer.echo(to_bibtex(data), nl=False)
    else:
        _citation_table(data)


def _citation_table(data: dict[str, object]) -> None:
    doc = data["document"]
    assert isinstance(doc, dict)
    table = Table(title=f"{doc['id']} v{doc['version']}: {doc['title'] or ''}", expand=True)
    table.add_column("id", justify="right")
    table.add_column("kind")
    table.add_column("cited", overflow="fold", ratio=3)
    table.add_column("state")
    table.add_column("source", overflow="fold", ratio=2)
    table.add_column("captures", justify="right")
    cites = data["citations"]
    assert isinstance(cites, list)
    for c in cites:
        named = c["named"] or {}
        what = c["url"] or c["resolution"]["url"] or named.get("source_name") or ""
        if c["kind"] == "named" and c["context"]:
            what = f"{named.get('source_name')} — “{c['context'][:120]}”"
        table.add_row(
            str(c["id"]),
            c["kind"],
            what,
            c["resolution"]["state"],
            _outcome(c),
            str(len(c["captures"])),
        )
    console.print(table)


def _diff_table(changes: dict[str, Any]) -> None:
    since = f"v{changes['against']}" if changes["against"] else "nothing (first version)"
    console.print(
        f"{changes['document']} v{changes['version']} against {since}: "
        f"{len(changes['added'])} added, {len(changes['removed'])} removed, "
        f"{changes['unchanged']} unchanged",
        highlight=False,
    )
    for sign, key in (("+", "added"), ("-", "removed")):
        for c in changes[key]:
            what = c["url"] or c["doi"] or c["arxiv_id"] or c["source_name"] or ""
            console.print(f"{sign} {c['kind']:<6} {what}", highlight=False, soft_wrap=True)


def _outcome(c: dict[str, Any]) -> str:
    """What the source answered, or why the citation still waits: the JSON's sentences."""
    pending, source = c["pending"], c["source"]
    if pending is not None:
        return f"pending · {pending['reason']}"
    if source is None:
        return ""
    if source["http_status"] is not None:
        return f"{source['status']} · HTTP {source['http_status']}"
    return f"{source['status']} · {source['error']}" if source["error"] else source["status"]


def documents(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many to list.", min=1)] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many.", min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List documents, newest first, with their citation counts."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        rows: list[dict[str, Any]] = [
            {
                "id": doc.id,
                "title": ver.title or doc.title,
                "versions": doc.latest_version,
                "format": ver.format,
                "citations": n,
                "updated_at": doc.updated_at.isoformat().replace("+00:00", "Z"),
            }
            for doc, ver, n in list_documents(session, limit=limit, offset=offset)[1]
        ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table()
    for col in ("id", "title", "versions", "format", "citations", "updated"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["id"],
            r["title"] or "",
            str(r["versions"]),
            r["format"],
            str(r["citations"]),
            r["updated_at"],
        )
    console.print(table)
    if not rows:
        console.print("no documents yet: add one with `citevault add FILE`")


def resolve(
    ctx: typer.Context,
    citation_id: Annotated[int, typer.Argument(help="Citation id (from `citevault citations`).")],
    url: Annotated[
        str | None, typer.Argument(help="The URL of the named source (omit with --suggest).")
    ] = None,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help="List candidate URLs instead: earlier resolutions of the same source "
            "in other documents, and the known source's home page.",
        ),
    ] = False,
    output: Annotated[
        SuggestFormat, typer.Option("--format", "-f", help="Output format of --suggest.")
    ] = SuggestFormat.table,
    limit: Annotated[
        int, typer.Option(help="How many suggestions at most.", min=1, max=MAX_LIMIT)
    ] = 10,
) -> None:
    """Attach a URL to a named reference (it is then captured), or --suggest candidates."""
    if suggest == (url is not None):
        raise InputError(
            "give the URL to attach or --suggest, not both"
            if suggest
            else "give the URL to attach, or --suggest to list candidate URLs",
            hint=f"`citevault resolve {citation_id} --suggest` lists candidate URLs",
        )
    rt = state(ctx).runtime()
    if url is None:
        # The local operator sees private documents too, as `citevault citations` does.
        with rt.sessions()() as session:
            data = suggest_urls(session, citation_id, privileged=True, limit=limit).to_json()
        if output is SuggestFormat.json:
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            _suggestion_table(data)
        return
    citation, queued = resolve_citation(rt, citation_id, url)
    console.print(
        f"citation {citation.id} ({citation.source_name}) now points to {url}"
        + ("; capture queued" if queued else "")
    )


def _suggestion_table(data: dict[str, Any]) -> None:
    """One suggestion a line — rank, score, origin, URL — and its reason under it.

    Lines are not wrapped (``soft_wrap``): a URL folded into a table cell
    cannot be copied whole.
    """
    cited = data["citation"]
    items = data["suggestions"]
    if not items:
        console.print(
            f"no suggestions for citation {cited['id']} ({cited['source_name']}): nobody has "
            "resolved this source in another document and it is not a known source; "
            f"attach its URL with `citevault resolve {cited['id']} URL`",
            highlight=False,
        )
        return
    say = functools.partial(console.print, soft_wrap=True, highlight=False, markup=False)
    say(f"suggestions for citation {cited['id']} ({cited['source_name']}), best first:")
    width = max(len(s["origin"]) for s in items)
    for s in items:
        say(f"{s['rank']:>3}  {s['score']:.2f}  {s['origin']:<{width}}  {s['url']}")
        say(f"{'':>11}{s['reason']}")
    say(f"attach one with `citevault resolve {cited['id']} URL`")
