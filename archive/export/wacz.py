"""A document's archived sources as one WACZ package.

A WACZ is what a reader takes away: ReplayWeb.page and pywb open it without
citevault, and ``datapackage.json`` lists a SHA-256 for every file in it
(``datapackage-digest.json`` the SHA-256 of that list, signed when the
deployment signs exports), so a copy can be checked years later.  The
package holds a new WARC file with exactly the records the document's
captures need, copied byte for byte from the stored files by ranged reads
(each record is its own gzip member), so the records keep the digests and
ids they were written with.  citevault's job metadata records go in only
when asked for: they are needed to choose the records, not to replay them.

What the readers accept decides the form.  The index is CDXJ named
``indexes/index.cdx``: pywb's ``wb-manager add --unpack-wacz`` takes only
``*.cdx`` and ``*.cdx.gz`` (``pywb/manager/manager.py``), ReplayWeb.page only
``*.cdx``, ``*.cdxj`` and ``*.idx`` (wabac.js ``src/wacz/multiwacz.ts``), and
WACZ 1.2.0 shows this name.  The package says ``wacz_version`` 1.1.1 with
the ``data-package`` profile, and names its main page both ways (1.1.1's
``mainPageUrl``/``mainPageDate`` and 1.2.0's ``home``): WACZ 1.2.0's
``"profile": "wacz"`` makes ReplayWeb.page 2.5 refuse the package ("Unknown
package profile", wabac.js ``src/wacz/waczimporter.ts``) and py-wacz 0.6's
validator knows no version but 1.1.1.

Every part is streamed through files in a scratch folder next to the
destination, because a document can cite thousands of sources: at most one
record piece is in memory at a time.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cdxj_indexer.main import CDXJIndexer
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive import __version__
from archive.db.models import Capture
from archive.errors import NotFoundError
from archive.export.scan import RawRecord, WarcLayout, concurrent_to_of
from archive.export.select import Page, Selection, select_records
from archive.export.signing import Signer
from archive.storage import ObjectStore
from archive.storage.base import sha256_file

MEDIA_TYPE = "application/wacz"
WACZ_VERSION = "1.1.1"
SOFTWARE = f"citevault {__version__}"
WARC_NAME = "data.warc.gz"
INDEX_PATH = "indexes/index.cdx"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9._:-]+)", re.I)


@dataclass(frozen=True, slots=True)
class WaczResult:
    path: Path
    size: int
    sha256: str
    pages: int
    records: int
    withheld: int  # captures left out because only private documents cite them
    without_metadata: int  # pages exported without requisites: no job metadata found


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _html_title(record: bytes) -> str | None:
    """The archived page's own <title>, if its record shows one."""
    try:
        rec = next(iter(ArchiveIterator(io.BytesIO(record))), None)
        if rec is not None and rec.http_headers is not None:
            ctype = rec.http_headers.get_header("Content-Type") or ""
            match = _TITLE.search(rec.content_stream().read(256 * 1024))
            if match:
                charset = _CHARSET.search(ctype)
                codec = charset.group(1) if charset else "utf-8"
                try:
                    text = match.group(1).decode(codec, "replace")
                except LookupError:
                    text = match.group(1).decode("utf-8", "replace")
                title = " ".join(html.unescape(text).split())
                return title or None
    except Exception:  # noqa: S110 - a title is a nicety; a record it cannot parse is not an error
        pass
    return None


def _citation_title(page: Page) -> str | None:
    for citation in page.citations:
        if citation.title or citation.anchor_text:
            return citation.title or citation.anchor_text
    return None


def _is_html(capture: Capture) -> bool:
    return (capture.media_type or "").startswith(_HTML_TYPES)


def _warcinfo(out: IO[bytes], sel: Selection, created: str) -> None:
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    info = {
        "software": SOFTWARE,
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": f"The archived sources cited by document {sel.document.id}; "
        "every other record is copied unchanged from citevault's WARC files",
        "isPartOf": sel.document.id,
        "created": created,
    }
    writer.write_record(writer.create_warcinfo_record(WARC_NAME, info))


def _write_warc(
    store: ObjectStore,
    session: Session,
    sel: Selection,
    path: Path,
    created: str,
    job_metadata: bool,
) -> tuple[int, dict[int, str | None]]:
    """Copy every selected record; return the record count and the HTML pages' titles."""
    want_title = {p.capture.revisit_of_id or p.capture.id for p in sel.pages if _is_html(p.capture)}
    titles: dict[int, str | None] = {}
    # in each file's order, so every request stays just before its response
    units: dict[int, list[tuple[int, Capture | RawRecord]]] = {i: [] for i in sel.files}
    for c in sel.captures.values():
        units[c.warc_file_id or 0].append((c.warc_offset or 0, c))
    for m in sel.metadata if job_metadata else []:
        units[m.warc.id].append((m.record.offset, m.record))
    count = 0
    with path.open("wb") as out:
        _warcinfo(out, sel, created)
        count += 1
        for file_id, warc in sel.files.items():
            layout = WarcLayout.load(session, warc)
            head = layout.head(store)
            if head and head[0].rec_type == "warcinfo":
                out.write(head[0].data)
                count += 1
            for _, unit in sorted(units[file_id], key=lambda u: u[0]):
                if isinstance(unit, RawRecord):
                    out.write(unit.data)
                    count += 1
                    continue
                gap = layout.gap_before(store, unit)
                request = gap[-1] if gap and gap[-1].rec_type == "request" else None
                chunks = layout.capture_chunks(store, unit)
                first = next(chunks, b"")
                if request is not None and request.record_id in concurrent_to_of(first):
                    out.write(request.data)
                    count += 1
                for chunk in itertools.chain([first], chunks):
                    out.write(chunk)
                    if unit.id in want_title and len(chunk) == (unit.warc_length or 0):
                        titles[unit.id] = _html_title(chunk)
                count += 1
    return count, titles


def _write_index(warc: Path, index: Path) -> None:
    # Metadata records carry the job URL as their target: left out of the
    # index, so that a replay of that URL can never land on one (older files
    # wrote them as JSON, which an engine would serve as the page).
    CDXJIndexer(
        output=str(index),
        inputs=[str(warc)],
        sort=True,
        post_append=True,
        records="response,revisit,resource",
    ).process_all()


def _page_lines(sel: Selection, titles: dict[int, str | None]) -> Iterable[dict[str, Any]]:
    yield {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    for page in sel.pages:
        cap = page.capture
        title = titles.get(cap.revisit_of_id or cap.id) or _citation_title(page)
        line: dict[str, Any] = {
            "id": f"capture-{cap.id}",
            "url": cap.url,
            "ts": rfc3339(cap.captured_at),
        }
        if title:
            line["title"] = title
        line["status"] = cap.http_status
        line["capture_id"] = cap.id
        line["citation_ids"] = [c.id for c in page.citations]
        yield line


def _main_page(sel: Selection) -> Capture:
    for page in sel.pages:
        if page.capture.http_status is not None and 200 <= page.capture.http_status < 300:
            return page.capture
    return sel.pages[0].capture


def _resource(path: Path, name: str) -> dict[str, Any]:
    digest, size = sha256_file(path)
    return {
        "name": name.rsplit("/", 1)[-1],
        "path": name,
        "hash": f"sha256:{digest}",
        "bytes": size,
    }


def _datapackage(
    sel: Selection, parts: list[tuple[Path, str, int]], created: str, records: int
) -> bytes:
    doc = sel.document
    main = _main_page(sel)
    package: dict[str, Any] = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": f"Sources cited by {doc.title or doc.id}",
        "description": f"Every archived source that document `{doc.id}` cites, in all its "
        "versions, with the images, stylesheets and scripts each page needed, as captured "
        "by citevault.",
        "created": created,
        "software": SOFTWARE,
        "mainPageUrl": main.url,
        "mainPageDate": rfc3339(main.captured_at),
        "home": {"url": main.url, "ts": rfc3339(main.captured_at)},
        "resources": [_resource(path, name) for path, name, _ in parts],
        "citevault": {
            "document": doc.id,
            "pages": len(sel.pages),
            "records": records,
            "withheld_private_captures": sel.withheld,
            "pages_without_requisites": sel.without_metadata,
        },
    }
    return json.dumps(package, indent=2, ensure_ascii=False).encode()


def _write_zip(
    dest: Path,
    parts: list[tuple[Path, str, int]],
    package: bytes,
    created: str,
    signer: Signer | None,
) -> None:
    digest: dict[str, Any] = {
        "path": "datapackage.json",
        "hash": "sha256:" + hashlib.sha256(package).hexdigest(),
    }
    if signer is not None:
        digest["signedData"] = signer.sign(digest["hash"], created)
    with zipfile.ZipFile(dest, "w", allowZip64=True) as zf:
        for path, name, method in parts:
            zf.write(path, name, compress_type=method)
        zf.writestr("datapackage.json", package, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(
            "datapackage-digest.json",
            json.dumps(digest, indent=2).encode(),
            compress_type=zipfile.ZIP_DEFLATED,
        )


def write_wacz(
    session: Session,
    store: ObjectStore,
    doc_id: str,
    dest: Path,
    *,
    privileged: bool,
    job_metadata: bool = False,
    signer: Signer | None = None,
) -> WaczResult:
    """Write the WACZ of every capture of ``doc_id`` to ``dest`` (replaced atomically).

    ``job_metadata`` also copies the document's job metadata records into
    the WARC file (as they were written: older ones are JSON).  ``signer``
    signs ``datapackage-digest.json`` (see ``archive/export/signing.py``).

    Raises NotFoundError for an unknown document, a private one without
    ``privileged``, and a document with no capture yet: an empty package
    would replay nothing, and saying so is more useful than a valid zero.
    """
    sel = select_records(session, store, doc_id, privileged=privileged)
    if not sel.pages:
        raise NotFoundError(
            f"document {doc_id!r} has no captures yet",
            hint=f"`citevault archive {doc_id}` captures what it cites",
        )
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    work = Path(tempfile.mkdtemp(prefix=".wacz-", dir=dest.parent))
    try:
        warc, index, pages = work / WARC_NAME, work / "index.cdx", work / "pages.jsonl"
        records, titles = _write_warc(store, session, sel, warc, created, job_metadata)
        _write_index(warc, index)
        with pages.open("w", encoding="utf-8") as fh:
            for line in _page_lines(sel, titles):
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        parts = [
            (warc, f"archive/{WARC_NAME}", zipfile.ZIP_STORED),
            (index, INDEX_PATH, zipfile.ZIP_DEFLATED),
            (pages, "pages/pages.jsonl", zipfile.ZIP_DEFLATED),
        ]
        partial = work / "package.wacz"
        _write_zip(partial, parts, _datapackage(sel, parts, created, records), created, signer)
        digest, size = sha256_file(partial)
        partial.replace(dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return WaczResult(
        dest, size, digest, len(sel.pages), records, sel.withheld, sel.without_metadata
    )
