"""Citations in a PDF: link annotations, and URLs/DOIs in the page text.

Two sources, because each misses what the other has: many PDFs (scans with a
text layer, exports from word processors) print URLs without making them
clickable, and many make text clickable whose printed form is not a URL
("see the report").  A link annotation and a printed URL on the same page
that point to the same place are one citation.

Typesetting breaks long URLs across lines without a hyphen.  A URL that ends
a line is joined with the first word of the next line when one of them cannot
be the end of a URL (a trailing ``/`` or ``-``) or the next word looks like
the rest of a path (``/``, ``=``, ``_``, a file extension); a capitalised
word after a complete-looking URL is taken to start a new sentence.

A damaged PDF is read page by page: pages that fail are named in
``warnings``, and only a file with no readable page at all is an error.
``Extraction.text`` joins the pages with form feeds, so any span maps back to
its page.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from urllib.parse import urlsplit

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.generic import StreamObject

from archive.errors import InputError
from archive.extract.types import ExtractedCitation, Extraction
from archive.extract.urlforms import (
    citation_for_url,
    doi_url,
    normalize_url,
    resolve_link,
    trim_url,
)
from archive.extract.urls import ContextIndex, find_in_text

__all__ = ["extract_pdf"]

_NEXT_TOKEN = re.compile(r"[ \t]*\r?\n[ \t]*([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+)")
_INCOMPLETE_END = tuple("/-_.=&?%#~")
_PATH_LIKE = re.compile(r"[/=&?%_#]|\.[A-Za-z0-9]{2,}")
_SENTENCE_WORD = re.compile(r"^[A-Z][a-z]*$")
_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,4096}?/Type\s*/Catalog\b", re.S)
_DAMAGED_HINT = "the file may be truncated or damaged; try re-exporting or re-downloading it"


def _why(exc: BaseException) -> str:
    """What went wrong, in words: pypdf wraps a too-deep object in a bare "Error reading"."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, RecursionError):
            return "its objects nest too deeply to read"
        cause = cause.__cause__ or cause.__context__
    return str(exc)


def _continuation(text: str, end: int, cited: str) -> tuple[str, int] | None:
    """The text that continues a URL/DOI broken at ``end``, and where it ends."""
    m = _NEXT_TOKEN.match(text, end)
    if not m:
        return None
    token = trim_url(m.group(1))
    if not token:
        return None
    if cited.endswith(_INCOMPLETE_END):
        if _SENTENCE_WORD.match(token) and not cited.endswith(("/-", "-")):
            return None
    elif not _PATH_LIKE.search(token):
        return None
    return token, m.start(1) + len(token)


def _join_broken(text: str, found: list[ExtractedCitation]) -> list[ExtractedCitation]:
    """Rebuild URLs and DOIs that the page layout broke across lines.

    ``found`` is in text order; a match inside the continuation of a rebuilt
    URL (its second line can look like a URL of its own) is dropped.
    """
    reach = 0
    result: list[ExtractedCitation] = []
    for cit in found:
        assert cit.span is not None
        start, end = cit.span
        if start < reach:
            continue
        if cit.kind == "arxiv":
            result.append(cit)
            continue
        # A trailing full stop was trimmed as punctuation; it may belong to the URL.
        gap_end = end + 1 if text.startswith(".", end) else end
        cited = text[start:gap_end]
        value = cited
        pos = gap_end
        while (nxt := _continuation(text, pos, value)) is not None:
            value, pos = value + nxt[0], nxt[1]
        if pos == gap_end:
            result.append(cit)
            continue
        value = trim_url(value)
        if cit.extractor.endswith(".doi"):
            prefix = text[start:end]
            doi = value[len(prefix) - len(cit.doi or "") :]
            new = ExtractedCitation(
                kind="doi", extractor=cit.extractor, doi=doi, capture_url=doi_url(doi)
            )
        else:
            fetchable = value if "://" in value else "http://" + value
            new = citation_for_url(value, extractor=cit.extractor, capture_url=fetchable)
        new.span = (start, pos)
        reach = pos
        result.append(new)
    return result


def _with_trailer(data: bytes) -> bytes | None:
    """A truncated PDF with a made-up trailer pointing at its catalog, if it has one.

    The trailer is written last, so a download cut short loses it and pypdf
    gives up; with a trailer whose ``startxref`` is wrong, pypdf rebuilds the
    cross-reference table by scanning the objects that did arrive.
    """
    m = _CATALOG.search(data)
    if m is None:
        return None
    root = m.group(1) + b" " + m.group(2) + b" R"
    return data + b"\nendstream\nendobj\ntrailer\n<< /Root " + root + b" >>\nstartxref\n0\n%%EOF\n"


def _open(data: bytes) -> tuple[PdfReader, list[str]]:
    if b"%PDF-" not in data[:1024]:
        raise InputError("the document is not a PDF (no %PDF- header)", hint=_DAMAGED_HINT)
    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # pypdf raises many types on damaged files
        patched = _with_trailer(data)
        try:
            if patched is None:
                raise exc
            reader = PdfReader(io.BytesIO(patched), strict=False)
            warnings.append(
                f"the PDF is truncated or damaged ({exc}); only the parts that could be "
                "found were read"
            )
        except Exception:
            raise InputError(f"the PDF could not be read: {_why(exc)}", hint=_DAMAGED_HINT) from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:
            raise InputError(
                f"the PDF is encrypted in a way that cannot be opened: {exc}",
                hint="save an unencrypted copy and submit that",
            ) from exc
        if opened == PasswordType.NOT_DECRYPTED:
            raise InputError(
                "the PDF is encrypted with a password",
                hint="remove the password (for example: qpdf --decrypt --password=... in.pdf "
                "out.pdf) and submit the decrypted file",
            )
    return reader, warnings


def _annotation_uris(page: PageObject) -> tuple[list[str], int]:
    """URIs of the page's link annotations, and how many annotations are missing."""
    uris: list[str] = []
    missing = 0
    annots = page.get("/Annots")
    if annots is None:
        return uris, missing
    for ref in annots.get_object() or ():
        annot = ref.get_object()
        if not isinstance(annot, dict):
            missing += 1
            continue
        action = annot.get("/A")
        if action is None:
            continue
        action = action.get_object()
        if action.get("/S") == "/URI" and action.get("/URI") is not None:
            uri = action["/URI"]
            uris.append(uri.decode("latin-1") if isinstance(uri, bytes) else str(uri))
    return uris, missing


def _page_numbers(reader: PdfReader, found: int) -> tuple[list[int], list[int]]:
    """Real numbers of the pages pypdf found, and of those missing from the file.

    pypdf silently leaves out pages whose objects a truncated file lost, so
    without this the pages after a gap would be misnumbered.
    """
    present: list[int] = []
    missing: list[int] = []

    def walk(node: object, depth: int) -> None:
        for kid in node.get("/Kids", ()) if isinstance(node, dict) else ():
            obj = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(obj, dict) and obj.get("/Type") == "/Pages" and depth < 32:
                walk(obj, depth + 1)
                continue
            # What pypdf counts as a page; anything else stands where a page was lost.
            is_page = isinstance(obj, dict) and not isinstance(obj, StreamObject)
            is_page = is_page and obj.get("/Type", "/Page" if "/Kids" not in obj else "") == "/Page"
            (present if is_page else missing).append(len(present) + len(missing) + 1)

    try:
        walk(reader.root_object["/Pages"].get_object(), 0)
    except Exception:
        return list(range(1, found + 1)), []
    if len(present) != found:
        return list(range(1, found + 1)), []
    return present, missing


def _read_pages(reader: PdfReader) -> tuple[list[str], list[list[str]], list[str]]:
    """Text and link URIs of every page, by real page number (empty where unreadable)."""
    try:
        count = len(reader.pages)
    except Exception as exc:
        raise InputError(
            f"the PDF page tree could not be read: {_why(exc)}", hint=_DAMAGED_HINT
        ) from exc
    numbers, missing_pages = _page_numbers(reader, count)
    total = max([0, *numbers, *missing_pages])
    texts: list[str] = [""] * total
    links: list[list[str]] = [[] for _ in range(total)]
    warnings = [f"page {n} is missing from the file and was skipped" for n in missing_pages]
    readable = 0
    for index, number in enumerate(numbers):
        try:
            page = reader.pages[index]
            texts[number - 1] = (page.extract_text() or "").replace("\f", "\n")
            readable += 1
        except Exception as exc:
            why = _why(exc)
            warnings.append(f"page {number} was skipped: its content could not be read ({why})")
            continue
        try:
            links[number - 1], missing = _annotation_uris(page)
            if missing:
                warnings.append(f"page {number}: {missing} link annotation(s) are missing")
        except Exception as exc:
            warnings.append(f"page {number}: link annotations could not be read ({_why(exc)})")
    if not readable:
        raise InputError(
            "no page of the PDF could be read" if count else "the PDF has no pages",
            hint=_DAMAGED_HINT,
        )
    return texts, links, warnings


def _merge_annotations(
    text: str, found: list[ExtractedCitation], uris: list[str], page: int, base: str | None
) -> None:
    """Add a page's link annotations; a printed URL with the same target merges into one."""
    annots: dict[str, ExtractedCitation] = {}
    for uri in uris:
        absolute, _relative = resolve_link(uri, base)
        if absolute is not None:
            annot = citation_for_url(absolute, extractor="pdf.link-annotation", page=page)
            annots.setdefault(normalize_url(annot.capture_url or absolute), annot)
    hosts = {urlsplit(key).hostname for key in annots}
    for cit in list(found):
        target = cit.capture_url
        if not target or urlsplit(target).hostname not in hosts:
            continue
        match = annots.get(normalize_url(target))
        span = cit.span
        if match is None and span is not None and "\n" in text[span[0] : span[1]]:
            # "…/manage-information/" + "and" on the next line: the annotation on
            # the first line says where the printed URL ended, the join was wrong.
            first = text[span[0] : text.index("\n", span[0])].rstrip()
            match = annots.get(normalize_url(first if "://" in first else "http://" + first))
            span = (span[0], span[0] + len(first))
        if match is not None and match.span is None and span is not None:
            match.span, match.context = span, cit.context
            match.anchor_text = text[span[0] : span[1]]
            found.remove(cit)
    found.extend(annots.values())


def extract_pdf(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Citations of a PDF document; ``base_url`` resolves relative link annotations."""
    reader, warnings = _open(data)
    texts, page_links, page_warnings = _read_pages(reader)
    warnings += page_warnings
    text = "\f".join(texts)
    starts = [0]
    for page_text in texts[:-1]:
        starts.append(starts[-1] + len(page_text) + 1)
    contexts = ContextIndex(text)
    # One pass over the whole text: a form feed never joins a broken URL, so
    # nothing crosses a page boundary.
    printed = _join_broken(text, find_in_text(text, extractor_prefix="pdf", contexts=contexts))
    on_page: dict[int, list[ExtractedCitation]] = {}
    for cit in printed:
        assert cit.span is not None
        cit.page = bisect_right(starts, cit.span[0])
        if cit.context is None:
            cit.context = contexts.context(*cit.span)
        on_page.setdefault(cit.page, []).append(cit)
    for number, uris in enumerate(page_links, start=1):
        if uris:
            _merge_annotations(text, on_page.setdefault(number, []), uris, number, base_url)

    citations: list[ExtractedCitation] = []
    for number in sorted(on_page):
        found = on_page[number]
        found.sort(key=lambda c: c.span[0] if c.span else len(text))
        citations.extend(found)

    title = None
    try:
        meta = reader.metadata
        if meta is not None and meta.title and str(meta.title).strip():
            title = " ".join(str(meta.title).split())
    except Exception:  # damaged metadata does not matter for citations
        title = None
    return Extraction(
        format="pdf",
        citations=citations,
        title=title,
        media_type="application/pdf",
        text=text,
        warnings=warnings,
    )
