"""``citevault show / get / export``: one capture, its bytes, a document's whole archive.

The command line is the operator's tool, so private documents and captures
are visible here (the API hides them from callers without a key).  Binary
output never goes to a terminal: a WARC record or a WACZ would only garble
it, and archived payloads can carry escape sequences that a terminal obeys.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO, cast
from urllib.parse import urlsplit

import typer
from rich.console import Console

from archive.cli import transfer
from archive.cli.state import state
from archive.db.models import Capture, WarcFile
from archive.errors import InputError, NotFoundError
from archive.export import robust_links_html, write_wacz
from archive.export.backup import document_manifest
from archive.export.bundle import sum_line
from archive.export.signing import signer_for
from archive.lookup import access, records
from archive.lookup import citations as lookup
from archive.lookup.detail import capture_detail
from archive.lookup.render import to_bibtex, to_csv

err = Console(stderr=True, soft_wrap=True, highlight=False)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_COPY = 1024 * 1024


class ExportFormat(StrEnum):
    wacz = "wacz"
    json = "json"
    csv = "csv"
    bibtex = "bibtex"
    html = "html"
    manifest = "manifest"


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (default: standard output)."),
]


def _binary_stdout() -> BinaryIO:
    stream = sys.stdout
    if stream.isatty():
        raise InputError(
            "refusing to write binary data to a terminal",
            hint="give -o FILE, or pipe the output into a file or another program",
        )
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        raise InputError("standard output cannot take binary data here", hint="give -o FILE")
    return cast(BinaryIO, buffer)


def _destination(output: Path) -> Path:
    if output.is_dir():
        raise InputError(f"{output} is a folder", hint="give a file name with -o")
    if not output.parent.is_dir():
        raise InputError(f"the folder {output.parent} does not exist", hint="create it first")
    return output


def _umask() -> int:
    # The only portable way to read the umask is to set it; a CLI has one thread here.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def _atomic(output: Path) -> Iterator[BinaryIO]:
    """A file that appears under ``output`` only once it is completely written.

    It gets the mode any program's new file gets (0666 less the umask), not the
    0600 of a temporary file: an export is meant to be shared.
    """
    dest = _destination(output)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            yield fh
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)


def _emit_bytes(data: bytes, output: Path | None) -> None:
    if output is None or str(output) == "-":
        out = _binary_stdout()
        out.write(data)
        out.flush()
        return
    with _atomic(output) as fh:
        fh.write(data)


def _emit_text(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        typer.echo(text, nl=False)
        return
    with _atomic(output) as fh:
        fh.write(text.encode("utf-8"))


def show(
    ctx: typer.Context,
    capture_id: Annotated[int, typer.Argument(help="Capture id.")],
) -> None:
    """A capture's metadata as JSON (the same as GET /api/captures/ID)."""
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        cap = access.visible_capture(session, capture_id, privileged=True)
        data = capture_detail(session, cap)
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def get(
    ctx: typer.Context,
    capture_id: Annotated[int, typer.Argument(help="Capture id.")],
    warc: Annotated[
        bool, typer.Option("--warc", help="The exact WARC record (one gzip member).")
    ] = False,
    payload: Annotated[
        bool, typer.Option("--payload", help="The archived HTTP body, decoded.")
    ] = False,
    output: OutputOption = None,
) -> None:
    """A capture's bytes: its WARC record exactly as stored, or its archived payload."""
    if warc == payload:
        raise InputError("choose exactly one of --warc and --payload")
    if output is not None and str(output) != "-":
        _destination(output)
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        cap = access.visible_capture(session, capture_id, privileged=True)
        source = cap
        if payload and cap.revisit_of_id is not None:
            original = session.get(Capture, cap.revisit_of_id)
            if original is None:
                raise NotFoundError(f"capture {cap.id} revisits a capture that is not recorded")
            source = original
        file_row = session.get(WarcFile, source.warc_file_id) if source.warc_file_id else None
        if warc:
            data = records.record_bytes(rt, source, file_row)
        else:
            data = records.payload(rt, source, file_row).body
    _emit_bytes(data, output)
    if output is not None and str(output) != "-":
        what = "WARC record" if warc else "payload"
        err.print(f"wrote the {what} of capture {cap.id} to {output} ({len(data)} bytes)")


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            f"--base-url {value!r} is not an http(s) URL",
            hint="e.g. --base-url https://archive.example.org",
        )
    return value.rstrip("/")


def _export_wacz(ctx: typer.Context, doc_id: str, output: Path | None, job_metadata: bool) -> None:
    rt = state(ctx).runtime()
    to_stdout = output is None or str(output) == "-"
    sink = _binary_stdout() if to_stdout else None
    signer = signer_for(rt.settings)
    with rt.sessions()() as session:
        if sink is None:
            assert output is not None
            result = write_wacz(
                session,
                rt.store(),
                doc_id,
                _destination(output),
                privileged=True,
                job_metadata=job_metadata,
                signer=signer,
            )
        else:
            work = Path(tempfile.mkdtemp(prefix="citevault-export-"))
            try:
                result = write_wacz(
                    session,
                    rt.store(),
                    doc_id,
                    work / "export.wacz",
                    privileged=True,
                    job_metadata=job_metadata,
                    signer=signer,
                )
                with result.path.open("rb") as fh:
                    shutil.copyfileobj(fh, sink, _COPY)
                sink.flush()
            finally:
                shutil.rmtree(work, ignore_errors=True)
    where = "standard output" if sink is not None else str(output)
    err.print(
        f"wrote {where}: {result.pages} pages, {result.records} WARC records, "
        f"{result.size} bytes, sha256 {result.sha256}"
    )
    if result.without_metadata:
        err.print(
            f"[yellow]note:[/] {result.without_metadata} pages have no job metadata record; "
            "they are exported without their requisites"
        )


def export(
    ctx: typer.Context,
    doc_id: Annotated[str | None, typer.Argument(help="Document id.", show_default=False)] = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="wacz: every capture as a WACZ package; json, csv, bibtex: the citations; "
            "html: the citations as Robust Links; manifest: the SHA-256 of the document's "
            "versions and WARC files, in sha256sum form.",
        ),
    ] = ExportFormat.wacz,
    all_to: Annotated[
        str | None,
        typer.Option(
            "--all",
            metavar="DIR|s3://BUCKET/PREFIX",
            help="Export the whole archive (every row, object and document, each as WACZ "
            "and citations JSON) into this new folder or empty store prefix, for "
            "`citevault import`.",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    version: Annotated[
        int | None,
        typer.Option("--version", min=1, help="Version for json/csv/bibtex/html (default latest)."),
    ] = None,
    base_url: Annotated[
        str,
        typer.Option("--base-url", help="Where this archive is served, for archive links."),
    ] = DEFAULT_BASE_URL,
    job_metadata: Annotated[
        bool,
        typer.Option(
            "--include-job-metadata",
            help="wacz: also put citevault's job metadata records (which citation each "
            "capture was made for, its redirect chain and requisites) into the WARC file. "
            "Replay needs none of them, so they are left out by default.",
        ),
    ] = False,
) -> None:
    """Export a document: its whole archive as WACZ, or its citations with archive links.

    With --all, export every document and everything an import needs to
    restore the installation elsewhere.
    """
    base = _base_url(base_url)
    if all_to is not None:
        if doc_id is not None or output is not None or version is not None:
            raise InputError(
                "--all exports every document into its own folder",
                hint="drop the document id, -o and --version",
            )
        transfer.export_all(ctx, all_to)
        return
    if doc_id is None:
        raise InputError(
            "give a document id, or --all DIR", hint="`citevault documents` lists them"
        )
    if fmt is ExportFormat.manifest:
        if version is not None or job_metadata:
            raise InputError("the manifest covers every version; it takes no other option")
        rt = state(ctx).runtime()
        with rt.sessions()() as session:
            lines = document_manifest(session, doc_id)
        _emit_text("".join(sum_line(sha, name) for sha, name in lines), output)
        return
    if fmt is ExportFormat.wacz:
        if version is not None:
            raise InputError(
                "--version does not apply to --format wacz",
                hint="a WACZ holds the captures of every version",
            )
        _export_wacz(ctx, doc_id, output, job_metadata)
        return
    if job_metadata:
        raise InputError(
            "--include-job-metadata applies to --format wacz only",
            hint="the citations formats carry no WARC records",
        )
    if output is not None and str(output) != "-":
        _destination(output)
    rt = state(ctx).runtime()
    with rt.sessions()() as session:
        data = lookup.to_json(lookup.load(session, doc_id, version))
    if fmt is ExportFormat.json:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif fmt is ExportFormat.csv:
        text = to_csv(data)
    elif fmt is ExportFormat.bibtex:
        text = to_bibtex(data, archive_base=base)
    else:
        text = robust_links_html(data, base)
    _emit_text(text, output)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("get")(get)
    app.command("export")(export)
    app.command("import")(transfer.import_export)
