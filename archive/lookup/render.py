"""Citations as CSV and BibTeX, for spreadsheets and reference managers."""

from __future__ import annotations

import csv
import io
from typing import Any

CSV_COLUMNS = [
    "id",
    "ordinal",
    "kind",
    "url",
    "url_normalized",
    "doi",
    "arxiv_id",
    "title",
    "anchor_text",
    "authors",
    "date",
    "container",
    "source_name",
    "date_hint",
    "candidate_url",
    "resolution",
    "resolved_url",
    "captures",
    "last_captured_at",
    "extractor",
    "context",
]


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in data["citations"]:
        named = c["named"] or {}
        caps = c["captures"]
        writer.writerow(
            {
                "id": c["id"],
                "ordinal": c["ordinal"],
                "kind": c["kind"],
                "url": c["url"] or "",
                "url_normalized": c["url_normalized"] or "",
                "doi": c["doi"] or "",
                "arxiv_id": c["arxiv_id"] or "",
                "title": c["title"] or "",
                "anchor_text": c["anchor_text"] or "",
                "authors": "; ".join(c["authors"]),
                "date": c["date"] or "",
                "container": c["container"] or "",
                "source_name": named.get("source_name") or "",
                "date_hint": named.get("date_hint") or "",
                "candidate_url": named.get("candidate_url") or "",
                "resolution": c["resolution"]["state"],
                "resolved_url": c["resolution"]["url"] or "",
                "captures": len(caps),
                "last_captured_at": caps[0]["captured_at"] if caps else "",
                "extractor": c["extractor"],
                "context": c["context"] or "",
            }
        )
    return out.getvalue()


def _bib_escape(value: str) -> str:
    out = []
    for ch in value:
        if ch in "{}" or ch in "&%$#_":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def to_bibtex(data: dict[str, Any], *, archive_base: str | None = None) -> str:
    """One ``@misc`` entry per citation.

    With ``archive_base`` (where this archive is served), an archived source
    also gets ``note = {Archived at \\url{…}}``, so the reference itself leads
    to the copy a reader can still open when the live page is gone.
    """
    doc_id = data["document"]["id"]
    entries = []
    for c in data["citations"]:
        fields: list[tuple[str, str]] = []
        named = c["named"] or {}
        title = c["title"] or c["anchor_text"] or named.get("source_name")
        if title:
            fields.append(("title", _bib_escape(title)))
        if c["authors"]:
            fields.append(("author", " and ".join(_bib_escape(a) for a in c["authors"])))
        if c["container"]:
            fields.append(("howpublished", _bib_escape(c["container"])))
        if c["date"]:
            fields.append(("date", _bib_escape(c["date"])))
        url = c["resolution"]["url"] or c["url"]
        if url:
            fields.append(("url", url))
        if c["doi"]:
            fields.append(("doi", c["doi"]))
        if c["arxiv_id"]:
            fields.extend([("eprint", c["arxiv_id"]), ("archiveprefix", "arXiv")])
        caps = [cap for cap in c["captures"] if cap["http_status"] is not None]
        if caps:
            fields.append(("urldate", caps[0]["captured_at"][:10]))
        elif c["access_date"]:
            fields.append(("urldate", _bib_escape(c["access_date"])))
        if c["kind"] == "named" and not url:
            fields.append(("note", _bib_escape(f"Named source, no URL: {c['context'] or ''}")))
        elif archive_base and caps and c.get("archive_url"):
            archived = archive_base.rstrip("/") + c["archive_url"]
            fields.append(("note", f"Archived at \\url{{{archived}}}"))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        entries.append(f"@misc{{{doc_id}-{c['ordinal']},\n{body}\n}}")
    return "\n\n".join(entries) + ("\n" if entries else "")
