"""Score citation extraction against the hand-made gold set.

Each document in ``tests/data/documents`` has a ``NAME.gold.json`` listing
what a careful reader marks as cited.  Scores are micro-averaged over the
whole set, per kind: URLs, DOIs and arXiv ids are pooled as "linked" (one
cited target can be spelled as any of them), named references are scored on
their own because they are found by a different, fuzzier method.

Both sides are compared as sets of distinct targets per document: citing the
same page twice is one cited target, and an extractor that reports a DOI and
its doi.org URL separately has found one target, not two.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import pytest

from archive.extract.named import lookup_source, normalise_name

DOCS = Path(__file__).parent / "data" / "documents"
THRESHOLDS = {"linked": (0.85, 0.85), "named": (0.75, 0.75)}
DEFAULT_PORTS = {"http": 80, "https": 443}
DOI_HOST = re.compile(r"^https?://(?:dx\.)?doi\.org/(?P<doi>10\..+)$", re.I)
ARXIV_URL = re.compile(
    r"^https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(?P<id>[^?#]+?)(?:\.pdf)?$", re.I
)


def normalise_url(url: str) -> str:
    """Lowercase scheme and host, drop fragment and default port, trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


def linked_key(kind: str, value: str) -> tuple[str, str]:
    """One cited target, however it is spelled (a doi.org URL is a DOI)."""
    value = value.strip()
    if kind == "url":
        doi = DOI_HOST.match(value)
        if doi:
            return linked_key("doi", unquote(doi.group("doi")))
        arxiv = ARXIV_URL.match(value)
        if arxiv:
            return linked_key("arxiv", arxiv.group("id"))
        return ("url", normalise_url(value))
    if kind == "doi":
        value = re.sub(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", "", value, flags=re.I)
        return ("doi", unquote(value).lower())
    if kind == "arxiv":
        return ("arxiv", re.sub(r"^arxiv:", "", value, flags=re.I).lower())
    raise ValueError(f"not a linked kind: {kind}")


def extracted_linked(citations: Iterable[Any]) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for c in citations:
        if c.kind not in ("url", "doi", "arxiv"):
            continue
        if c.url:
            keys.add(linked_key("url", c.url))
        if c.doi:
            keys.add(linked_key("doi", c.doi))
        if c.arxiv_id:
            keys.add(linked_key("arxiv", c.arxiv_id))
    return keys


def _tokens(name: str) -> list[str]:
    return re.findall(r"[\w&]+", normalise_name(name))


def same_source(a: str, b: str) -> bool:
    """Same name ignoring case and a leading "the", one inside the other, or aliases."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    n = len(short)
    if any(long_[i : i + n] == short for i in range(len(long_) - n + 1)):
        return True
    known_a, known_b = lookup_source(a), lookup_source(b)
    return known_a is not None and known_a == known_b


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_linked(
    doc: str, gold: set[tuple[str, str]], found: set[tuple[str, str]], t: Tally
) -> None:
    t.tp += len(gold & found)
    for kind, value in sorted(found - gold):
        t.fp += 1
        t.notes.append(f"{doc}: extra {kind} {value}")
    for kind, value in sorted(gold - found):
        t.fn += 1
        t.notes.append(f"{doc}: missed {kind} {value}")


def score_named(doc: str, gold: list[str], found: list[str], t: Tally) -> None:
    matched = [False] * len(gold)
    distinct: list[str] = []
    for name in found:
        if normalise_name(name) not in {normalise_name(d) for d in distinct}:
            distinct.append(name)
    for name in distinct:
        free = [i for i, g in enumerate(gold) if not matched[i] and same_source(name, g)]
        if free:
            matched[free[0]] = True
            t.tp += 1
        elif any(same_source(name, g) for g in gold):
            t.duplicates += 1  # a second spelling of a source already found
        else:
            t.fp += 1
            t.notes.append(f"{doc}: extra named {name!r}")
    for i, g in enumerate(gold):
        if not matched[i]:
            t.fn += 1
            t.notes.append(f"{doc}: missed named {g!r}")


def pdf_from_text(text: str) -> bytes:
    """A small text PDF with a link annotation on every line that holds a URL."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    lines = text.splitlines()
    per_page = 50
    for page_no, first in enumerate(range(0, len(lines), per_page)):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        ops = ["BT", "/F1 9 Tf", "13 TL", "40 750 Td"]
        links: list[tuple[int, str]] = []
        for row, line in enumerate(lines[first : first + per_page]):
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
            links += [(row, m.group().rstrip(".,")) for m in re.finditer(r"https?://\S+", line)]
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        for row, url in links:
            y = 750 - 13 * row
            writer.add_annotation(page_no, Link(rect=(40, y - 3, 572, y + 10), url=url))
    out = __import__("io").BytesIO()
    writer.write(out)
    return out.getvalue()


def gold_documents() -> list[tuple[str, Path, dict[str, Any]]]:
    cases = []
    for gold_path in sorted(DOCS.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        docs = [
            p
            for p in DOCS.iterdir()
            if p.name.startswith(name + ".") and not p.name.endswith(".gold.json")
        ]
        assert len(docs) == 1, f"{gold_path.name}: expected one document, found {docs}"
        cases.append((name, docs[0], json.loads(gold_path.read_text(encoding="utf-8"))))
    return cases


def document_bytes(path: Path, fmt: str) -> tuple[bytes, str]:
    if fmt == "pdf" and path.name.endswith(".pdf.txt"):
        return pdf_from_text(path.read_text(encoding="utf-8")), path.name.removesuffix(".txt")
    return path.read_bytes(), path.name


@pytest.fixture(scope="module")
def scores() -> dict[str, Tally]:
    try:
        from archive.extract import extract
    except ImportError as exc:  # pragma: no cover - only while the package is incomplete
        pytest.fail(f"archive.extract.extract is not importable: {exc}")
    tallies = {"linked": Tally(), "named": Tally()}
    for name, path, gold in gold_documents():
        data, filename = document_bytes(path, gold["format"])
        result = extract(data, filename=filename)
        assert result.format == gold["format"], f"{name}: detected {result.format}"
        cites = gold["citations"]
        gold_linked = {linked_key(c["kind"], c["value"]) for c in cites if c["kind"] != "named"}
        gold_named = [c["value"] for c in cites if c["kind"] == "named"]
        found_named = [c.source_name or "" for c in result.citations if c.kind == "named"]
        score_linked(name, gold_linked, extracted_linked(result.citations), tallies["linked"])
        score_named(name, gold_named, found_named, tallies["named"])
    print()
    print(f"{'kind':<8} {'tp':>4} {'fp':>4} {'fn':>4} {'dup':>4} {'precision':>10} {'recall':>8}")
    for kind, t in tallies.items():
        print(
            f"{kind:<8} {t.tp:>4} {t.fp:>4} {t.fn:>4} {t.duplicates:>4}"
            f" {t.precision():>10.3f} {t.recall():>8.3f}"
        )
    for kind, t in tallies.items():
        for note in t.notes:
            print(f"  [{kind}] {note}")
    return tallies


def test_gold_set_is_complete() -> None:
    cases = gold_documents()
    formats = {gold["format"] for _, _, gold in cases}
    assert len(cases) >= 12
    assert formats >= {"html", "text", "markdown", "pdf", "wikitext", "bibtex", "ris", "csl-json"}
    for name, _, gold in cases:
        for c in gold["citations"]:
            assert c["kind"] in ("url", "doi", "arxiv", "named"), name
            assert isinstance(c["value"], str) and c["value"], name


@pytest.mark.parametrize("kind", ["linked", "named"])
def test_gold_set_scores(scores: dict[str, Tally], kind: str) -> None:
    tally = scores[kind]
    min_precision, min_recall = THRESHOLDS[kind]
    detail = "\n".join(tally.notes)
    assert tally.precision() >= min_precision, f"{kind} precision {tally.precision():.3f}\n{detail}"
    assert tally.recall() >= min_recall, f"{kind} recall {tally.recall():.3f}\n{detail}"
