"""RIS reader built on rispy.

rispy reads well-formed files but is silent about damage: a record without
its ``ER`` line, or lines before the first ``TY``, simply vanish.  The file is
therefore cut into records here first, by the same line rule rispy uses, so
that every loss can be named with its line number; each record is then parsed
by rispy on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import rispy

from archive.errors import InputError
from archive.extract.csl import build_citation, clean_arxiv, clean_doi, person_name
from archive.extract.decode import decode_bytes
from archive.extract.types import ExtractedCitation, Extraction

__all__ = ["extract_ris"]

# "TY - JOUR" and "TY -JOUR" are common hand-edited or exporter variants of
# the canonical "TY  - JOUR"; known tags are respaced before rispy sees them.
_LOOSE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])[ \t]{0,3}-(?:[ \t]+(.*)|[ \t]*)$")
_KNOWN_TAGS = frozenset(rispy.TAG_KEY_MAPPING)
_LINE_RULE = rispy.RisParser()
_CONTAINERS = ("journal_name", "secondary_title", "alternate_title3", "alternate_title1")
_IDENTIFIERS = {"id": "id", "issn": "sn", "accession_number": "an", "name_of_database": "db"}


@dataclass(slots=True)
class _Record:
    first_line: int
    start: int
    end: int = 0
    lines: list[str] = field(default_factory=list)


def _tag_line(line: str) -> tuple[str | None, str]:
    """rispy's own line rule, after respacing a known tag written loosely."""
    loose = _LOOSE_TAG_RE.match(line)
    if loose is not None and loose.group(1) in _KNOWN_TAGS:
        line = f"{loose.group(1)}  - {loose.group(2) or ''}"
    tag, _content = _LINE_RULE.parse_line(line)
    return (str(tag) if tag else None), line


def _records(text: str, warnings: list[str]) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    stray: list[int] = []
    offset = 0

    def close(end: int, line_number: int, reason: str | None) -> None:
        assert current is not None
        current.end = end
        if reason:
            warnings.append(
                f"line {line_number}: the record that starts on line {current.first_line} "
                f"has no 'ER  - ' line ({reason}); read up to here"
            )
        records.append(current)

    def flush_stray() -> None:
        if stray:
            where = f"line {stray[0]}" + (f"-{stray[-1]}" if len(stray) > 1 else "")
            warnings.append(f"{where}: text outside any RIS record (before 'TY  - '); ignored")
            stray.clear()

    number = 0
    for number, raw_line in enumerate(text.splitlines(keepends=True), start=1):
        line = raw_line.rstrip("\r\n").lstrip("\ufeff")
        tag, line = _tag_line(line)
        if tag == "TY":
            if current is not None:
                close(offset, number, "another record begins")
            flush_stray()
            current = _Record(first_line=number, start=offset)
        if current is None:
            if line.strip():
                stray.append(number)
        else:
            current.lines.append(line)
            if tag == "ER":
                close(offset + len(raw_line), number, None)
                current = None
        offset += len(raw_line)
    if current is not None:
        close(offset, number, "end of file")
    flush_stray()
    return records


def _first(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _name(written: str) -> str:
    """RIS writes "Last, First[, Suffix]"; citevault keeps names in reading order."""
    parts = [p.strip() for p in written.split(",")]
    if len(parts) < 2 or not parts[1]:
        return written.strip()
    return person_name(parts[1], parts[0], suffix=", ".join(parts[2:]) or None) or written


def _date(record: dict[str, Any]) -> str | None:
    """``DA`` when it carries a year (it is the full date), else ``PY``/``Y1``."""
    full = _first(record, "date")
    if full and re.match(r"\d{4}", full):
        return full
    return _first(record, "year", "publication_year") or full


def _citation(
    record: dict[str, Any], span: tuple[int, int], base_url: str | None
) -> ExtractedCitation:
    urls = [u for u in record.get("urls", []) if isinstance(u, str) and u.strip()]
    identifiers: dict[str, Any] = {"type": record.get("type_of_reference")}
    for key, name in _IDENTIFIERS.items():
        value = _first(record, key)
        if value:
            identifiers[name] = value
    if len(urls) > 1:
        identifiers["urls"] = urls
    doi = clean_doi(_first(record, "doi"))
    if doi:
        identifiers["doi"] = doi
    authors = [
        _name(a)
        for key in ("authors", "first_authors")
        for a in record.get(key, [])
        if isinstance(a, str) and a.strip()
    ]
    return build_citation(
        "ris.record",
        url=urls[0] if urls else None,
        doi=doi,
        arxiv_id=clean_arxiv(_first(record, "note", "notes")),
        base_url=base_url,
        title=_first(record, "title", "primary_title", "short_title"),
        authors=authors,
        date=_date(record),
        container=_first(record, *_CONTAINERS, "publisher"),
        access_date=_first(record, "access_date"),
        identifiers=identifiers,
        span=span,
    )


def extract_ris(data: bytes, *, base_url: str | None = None) -> Extraction:
    """Read an RIS export (EndNote, Zotero, Mendeley, publisher sites).

    Damaged records are read as far as they go and reported; a file without
    a single ``TY`` line is an ``InputError``, most likely not RIS at all.
    """
    result = Extraction(format="ris", media_type="application/x-research-info-systems")
    decoded = decode_bytes(data)
    result.warnings.extend(decoded.warnings)
    for record in _records(decoded.text, result.warnings):
        parsed = rispy.loads("\n".join([*record.lines, "ER  - "]))
        fields = parsed[0] if parsed else {}
        if not any(k in fields for k in ("title", "primary_title", "urls", "doi", "authors")):
            result.warnings.append(
                f"line {record.first_line}: RIS record has no title, author, URL or DOI; skipped"
            )
            continue
        result.citations.append(_citation(fields, (record.start, record.end), base_url))
    if not result.citations:
        problems = "; ".join(result.warnings[:3])
        raise InputError(
            f"no readable RIS record: {problems}" if problems else "no RIS records found",
            hint="An RIS file holds records that start with 'TY  - ' and end with 'ER  - '.",
        )
    return result
