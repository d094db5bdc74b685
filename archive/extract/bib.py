"""BibTeX / BibLaTeX reader built on bibtexparser 2.

bibtexparser 2 splits a file into blocks and keeps going past broken
entries, which is exactly the "keep what is readable, say what was not"
behaviour citevault wants.  It leaves LaTeX in the values, though, and its
LaTeX decoder treats ``%`` as a comment and would cut URLs and DOIs short, so
URL-like fields are read from the raw value and only prose fields go through
the decoder.
"""

from __future__ import annotations

import re
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.middlewares.middleware import Middleware
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, Field

from archive.errors import InputError
from archive.extract.csl import ACCESSED_RE, build_citation, clean_arxiv, clean_doi, person_name
from archive.extract.decode import decode_bytes
from archive.extract.types import ExtractedCitation, Extraction

__all__ = ["extract_bibtex"]

_ID_FIELDS = ("isbn", "issn", "pmid", "pmcid", "oclc", "lccn", "hdl", "eprint", "primaryclass")
_CONTAINER_FIELDS = (
    *("journal", "journaltitle", "booktitle", "series", "publisher"),
    *("institution", "organization", "school"),
)
_PROSE_FIELDS = frozenset({"title", "howpublished", "note", *_CONTAINER_FIELDS})
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}

_LATEX_URL_RE = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_BARE_URL_RE = re.compile(r"(?:https?|ftp)://[^\s{}\\]+(?:\\[_%#&~$][^\s{}\\]*)*")
_LATEX_ESCAPE_RE = re.compile(r"\\([_%#&~$])")
_UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
# Values without these need no LaTeX decoding beyond losing their braces;
# the decoder is slow enough, run on every value of every entry, for this to matter.
_LATEX_RE = re.compile(r"[\\$~^`]|--|''")
_ENTRY_HEAD_RE = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s]*)")

# bibtexparser's default stack, kept as one list so that entries recovered
# from duplicate-key errors go through the same steps.
_PARSE_STACK: list[Middleware] = [ResolveStringReferencesMiddleware(), RemoveEnclosingMiddleware()]
_NAME_STACK = [
    LatexDecodingMiddleware(keep_braced_groups=True),
    SeparateCoAuthors(),
    SplitNameParts(),
]
_DECODER = LatexDecodingMiddleware()


def _verbatim_url(raw: str | None) -> str | None:
    """The URL in ``\\url{...}``/``\\href{...}{...}`` or a bare one, LaTeX escapes undone."""
    if not raw:
        return None
    wrapped = _LATEX_URL_RE.search(raw)
    if wrapped is not None:
        candidate = wrapped.group(1)
    else:
        bare = _BARE_URL_RE.search(raw)
        if bare is None:
            return None
        candidate = bare.group(0)
    candidate = candidate.replace("{\\textasciitilde}", "~").replace("\\textasciitilde{}", "~")
    return _LATEX_ESCAPE_RE.sub(r"\1", candidate).strip().rstrip(".,;") or None


def _plain(raw: str | None) -> str | None:
    """A verbatim field without braces or LaTeX escapes (ISBNs, dates, eprint ids)."""
    if raw is None:
        return None
    text = _LATEX_ESCAPE_RE.sub(r"\1", raw.replace("{", "").replace("}", ""))
    return " ".join(text.split()) or None


def _field_values(entry: Entry) -> dict[str, Any]:
    """Lower-cased field keys; a repeated field keeps its first value, as BibTeX does."""
    values: dict[str, Any] = {}
    for field in entry.fields:
        values.setdefault(field.key.lower(), field.value)
    return values


def _authors(raw_author: Any, library: Library) -> list[str]:
    """Split and decode an author list.

    Names are LaTeX-decoded with their braces kept and only then split, so a
    corporate author such as ``{World Health Organization}`` stays one name.
    """
    if not isinstance(raw_author, str):
        return []
    escaped = _UNESCAPED_PERCENT_RE.sub(r"\\%", raw_author)
    block: Any = Entry("misc", "names", [Field("author", escaped)])
    for middleware in _NAME_STACK if _LATEX_RE.search(escaped) else _NAME_STACK[1:]:
        block = middleware.transform_block(getattr(block, "ignore_error_block", block), library)
    block = getattr(block, "ignore_error_block", block)
    names: list[str] = []
    for parts in block.fields[0].value if isinstance(block, Entry) else []:
        if isinstance(parts, str):
            name: str | None = parts
        else:
            name = person_name(
                " ".join(parts.first),
                " ".join(parts.von),
                " ".join(parts.last),
                suffix=" ".join(parts.jr),
            )
        if name and name.lower() != "others":
            names.append(" ".join(name.replace("{", "").replace("}", "").split()))
    return names


def _date(fields: dict[str, Any]) -> str | None:
    """``date`` (BibLaTeX) or ``year`` + ``month`` (+ ``day``) as one ISO-ish string."""
    if isinstance(fields.get("date"), str):
        return str(fields["date"])
    year = _plain(fields.get("year")) if isinstance(fields.get("year"), str) else None
    if not year:
        return None
    month_text = (_plain(fields.get("month")) or "").lower()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3])
    if not year.isdigit() or not month or not 1 <= month <= 12:
        return year
    day_text = _plain(fields.get("day")) or ""
    day = f"-{int(day_text):02d}" if day_text.isdigit() else ""
    return f"{year}-{month:02d}{day}"


def _entry_citation(
    entry: Entry,
    raw: dict[str, Any],
    decoded: dict[str, Any],
    parent: dict[str, Any] | None,
    span: tuple[int, int] | None,
    library: Library,
    base_url: str | None,
) -> ExtractedCitation:
    def prose(key: str, inherit: bool = False) -> str | None:
        value = decoded.get(key)
        if value is None and inherit and parent is not None:
            # A @proceedings parent's own title is its children's booktitle.
            value = parent.get("title" if key == "booktitle" else key)
        return " ".join(value.split()) or None if isinstance(value, str) else None

    url = _verbatim_url(raw.get("url")) or _verbatim_url(raw.get("howpublished"))
    url = url or _verbatim_url(raw.get("note"))
    doi = clean_doi(_plain(raw.get("doi")))
    prefix = (_plain(raw.get("archiveprefix")) or _plain(raw.get("eprinttype")) or "").lower()
    eprint = _plain(raw.get("eprint"))
    arxiv_id = clean_arxiv(eprint) if prefix in ("", "arxiv") else None
    arxiv_id = arxiv_id or clean_arxiv(prose("journal"))

    identifiers: dict[str, Any] = {"key": entry.key, "entry_type": entry.entry_type.lower()}
    if doi:
        identifiers["doi"] = doi
    for key in _ID_FIELDS:
        value = _plain(raw.get(key))
        if value:
            identifiers[key] = value
    if prefix:
        identifiers["archiveprefix"] = prefix

    howpublished = prose("howpublished")
    container = next((prose(k, True) for k in _CONTAINER_FIELDS if prose(k, True)), None)
    if container is None and howpublished and _verbatim_url(raw.get("howpublished")) is None:
        container = howpublished
    accessed = _plain(raw.get("urldate"))
    if accessed is None and isinstance(decoded.get("note"), str):
        found = ACCESSED_RE.search(decoded["note"])
        accessed = found.group(1).strip() if found else None
    return build_citation(
        "bibtex.entry",
        url=url,
        doi=doi,
        arxiv_id=arxiv_id,
        base_url=base_url,
        title=prose("title"),
        authors=_authors(raw.get("author"), library),
        date=_date(decoded) or (_date(parent) if parent else None),
        container=container,
        access_date=accessed,
        identifiers=identifiers,
        span=span,
    )


def _describe_failure(block: Any) -> str:
    raw = block.raw or ""
    head = _ENTRY_HEAD_RE.search(raw)
    name = f"@{head.group(1)}{{{head.group(2)}" if head else "entry"
    line = (block.start_line or 0) + 1
    reason = getattr(block.error, "abort_reason", None) or str(block.error) or "syntax error"
    return f"line {line}: {name} could not be read ({' '.join(reason.split())})"


def _recover(block: Any, library: Library, warnings: list[str]) -> Entry | None:
    """Entries rejected only for a repeated key or field are still good data: keep them."""
    kept = block.ignore_error_block
    if not isinstance(kept, Entry):
        return None
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        warnings.append(f"line {line}: entry key {kept.key!r} is used twice; both entries kept")
    else:
        warnings.append(f"line {line}: entry {kept.key!r} repeats a field; the first one is used")
    alone = Library([*library.strings, kept])
    for middleware in _PARSE_STACK:
        alone = middleware.transform(alone)
    return alone.entries[0] if alone.entries else kept


def _decode_fields(entry: Entry, library: Library) -> bool:
    """LaTeX-decode the prose values of an entry in place; False if the decoder gave up."""
    latex: list[Field] = []
    for field in entry.fields:
        if not isinstance(field.value, str) or field.key.lower() not in _PROSE_FIELDS:
            continue
        if _LATEX_RE.search(field.value):
            field.value = _UNESCAPED_PERCENT_RE.sub(r"\\%", field.value)
            latex.append(field)
        else:
            field.value = field.value.replace("{", "").replace("}", "")
    if not latex:
        return True
    # The decoder rewrites the Field objects it is given, which are the entry's own.
    decoded = _DECODER.transform_block(Entry(entry.entry_type, entry.key, latex), library)
    return isinstance(decoded, Entry)


def _span(text: str, line_starts: list[int], entry: Entry) -> tuple[int, int] | None:
    if entry.start_line is None or not entry.raw or entry.start_line >= len(line_starts):
        return None
    start = text.find(entry.raw, line_starts[entry.start_line])
    return (start, start + len(entry.raw)) if start >= 0 else None


def extract_bibtex(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Read a .bib file: one citation per entry, broken entries reported and skipped.

    A file in which no entry at all can be read is an ``InputError``: there
    is nothing to store, and the user most likely handed in the wrong file.
    """
    result = Extraction(format="bibtex", media_type="application/x-bibtex")
    decoded_text = decode_bytes(data)
    result.warnings.extend(decoded_text.warnings)
    text = decoded_text.text
    library = parse_string(text, parse_stack=_PARSE_STACK)
    entries: list[Entry] = list(library.entries)
    failures: list[str] = []
    for block in sorted(library.failed_blocks, key=lambda b: b.start_line or 0):
        if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
            recovered = _recover(block, library, result.warnings)
            if recovered is not None:
                entries.append(recovered)
                continue
        failures.append(_describe_failure(block))
        result.warnings.append(failures[-1] + "; skipped")
    if not entries:
        if failures:
            raise InputError(
                "no BibTeX entry could be read: " + "; ".join(failures[:3]),
                hint="Fix the syntax at the lines named (unbalanced braces, missing commas).",
            )
        raise InputError(
            "no BibTeX entries found",
            hint="A BibTeX file holds entries such as @article{key, title = {...}}.",
        )
    entries.sort(key=lambda e: e.start_line or 0)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    read: list[tuple[Entry, dict[str, Any], dict[str, Any]]] = []
    for entry in entries:
        raw = _field_values(entry)
        if not _decode_fields(entry, library):
            result.warnings.append(
                f"line {(entry.start_line or 0) + 1}: LaTeX in entry {entry.key!r} "
                "could not be fully decoded; kept as written"
            )
        read.append((entry, raw, _field_values(entry)))
    by_key: dict[str, dict[str, Any]] = {}
    for entry, _, decoded in read:
        by_key.setdefault(entry.key, decoded)
    for entry, raw, decoded in read:
        crossref = raw.get("crossref")
        parent = by_key.get(crossref) if isinstance(crossref, str) else None
        span = _span(text, line_starts, entry)
        citation = _entry_citation(entry, raw, decoded, parent, span, library, base_url)
        result.citations.append(citation)
    return result
