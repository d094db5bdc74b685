"""Score citation extraction against the hand-made gold documents.

``tests/data/documents`` holds seven sets: ``train`` (documents the rules were
tuned on), ``seen`` (an earlier held-out half: its misses were read, then it was
opened for tuning, so it no longer measures the rules honestly and is kept as a
regression floor), ``dev`` and ``dev2`` (the fifth and sixth rounds, written
apart from the rules, each scored once as it came and then opened for tuning,
so that the rules learn from prose their authors did not write), ``dev3`` (the
seventh round, scored once on the rules that tuned on ``dev2`` and held out
until a round opens it), and two held-out sets written apart from the rules and
never tuned on, the honest figures: ``test`` (third round) and ``fresh``
(fourth round, written before the round of rules that followed it).  Each document
``NAME.EXT`` has a ``NAME.gold.json``::

    {"format": "text", "style": "wire",
     "citations": [{"kind": "url", "value": ...},
                   {"kind": "named", "value": "Reuters", "type": "outlet",
                    "core": true, "work": null}],
     "furniture": ["names that appear only as page furniture"]}

Linked citations (URLs, DOIs, arXiv ids) are pooled: one cited target may be
spelled as any of them.  Named references are matched one to one: a found
reference takes the gold entry with the same name (exactly, then one name
inside the other, then through the known-source aliases); anonymous and
self references match a gold entry of the same type that shares a word with
them or their sentence.  A gold entry with
``"core": false`` is borderline: finding it is neither required nor an
error.  Listing a furniture name is an error of its own.

Run ``python -m tests.score`` for every set's figures and the misses of the sets
open to tuning (train, seen, dev);
the held-out sets' misses are listed only with ``--test-misses``, so that
nobody tuning the rules reads them by accident.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from archive.extract.named import lookup_source, normalise_name

DOCS = Path(__file__).parent / "data" / "documents"
HALVES = ("train", "seen", "dev", "dev2", "dev3", "test", "fresh")
# The sets whose misses are never printed unless asked for: written apart from the
# rules, they measure them only while nobody tuning has read them.
HELD_OUT = ("test", "fresh", "dev3")
# The targets for every set: named core recall, named precision, furniture
# names listed, linked precision and recall.
THRESHOLDS = {"named_recall": 0.90, "named_precision": 0.85, "furniture": 0, "linked": 0.95}
# The sets that are below THRESHOLDS are held at floors just under where they
# stand, so that a change that loses ground on prose the rules never saw
# fails; ``python -m tests.score`` still reports the gap to the targets.
# Raise a floor whenever its figures rise; never lower one.  (Once, the floors
# of seen, dev, dev2, test and fresh went down 0.01 together, when the scorer stopped
# crediting an unnamed source or the author's own work to any gold entry of its
# type, whatever its words: the figures fell because they had been too kind.)
# ``seen`` is the second held-out half (24 documents).  Its misses were read
# for a report, and it was then opened for tuning by category (its floors
# before that round: recall 0.72, precision 0.88, 4 furniture names, linked
# 0.93); it now meets the targets and is held just under where it stands.
# ``test`` is the third held-out half (30 documents, ``h3-*``), written without
# the rules; its floors are its first score, taken once after it was committed,
# raised with its aggregate figures after each round of tuning on other sets.
# ``fresh`` is the fourth held-out set (20 documents, ``h4a-*`` and ``h4b-*``),
# written without the rules; its floors were its first score, taken on the rules
# as they stood before the round that followed it (named 0.849 P / 0.711 R),
# raised with its aggregate figures after each later round.
# ``dev`` is the fifth round (40 documents, ``h5a-*`` to ``h5d-*``), written
# without the rules; its first score (named 0.825 P / 0.751 R, 12 furniture
# names, linked 0.758 P) was taken before it was opened for tuning, and its
# floors were raised to where the round that tuned on it left it.
# ``dev2`` is the sixth round (40 documents, ``h6a-*`` to ``h6d-*``), written
# without the rules after the round that tuned on ``dev``; its floors are its
# first score on those rules (named 0.863 P / 0.787 R, 9 furniture names,
# linked 0.917 P; 0.853 / 0.787 once unnamed and own-work references had to
# share a word with the gold entry they match).
# ``dev3`` is the seventh round (40 documents, ``h7a-*`` to ``h7d-*``), written
# without the rules before the round that opened ``dev2``; its floors are its
# first score on the rules as they stood (named 0.860 P / 0.760 R — 326 of 429,
# so the floor is 0.75 —, 6 furniture names, linked 0.907 P; 0.861 / 0.762 once
# an own-work reference went to the gold entry sharing most words with it).
# The round that opened ``dev2`` raised every floor to where it left each set
# (dev2 0.943 P / 0.907 R once tuned on; held out: dev3 0.868 / 0.769, test
# 0.830 / 0.781, fresh 0.882 / 0.789).
FLOORS = {
    "dev3": {"named_recall": 0.76, "named_precision": 0.86, "furniture": 5, "linked": 0.90},
    "dev2": {"named_recall": 0.90, "named_precision": 0.94, "furniture": 0, "linked": 0.99},
    "dev": {"named_recall": 0.94, "named_precision": 0.95, "furniture": 0, "linked": 0.99},
    "seen": {"named_recall": 0.93, "named_precision": 0.98, "furniture": 0, "linked": 0.99},
    "test": {"named_recall": 0.78, "named_precision": 0.83, "furniture": 1, "linked": 0.99},
    "fresh": {"named_recall": 0.78, "named_precision": 0.88, "furniture": 2, "linked": 0.93},
}
DEFAULT_PORTS = {"http": 80, "https": 443}
DOI_HOST = re.compile(r"^https?://(?:dx\.)?doi\.org/(?P<doi>10\..+)$", re.I)
ARXIV_URL = re.compile(
    r"^https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(?P<id>[^?#]+?)(?:\.pdf)?$", re.I
)
UNTYPED = ("anonymous", "self")


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
    furniture: int = 0

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Score:
    """One half's figures: overall, per style and per source type, and the misses."""

    linked: Tally = field(default_factory=Tally)
    named: Tally = field(default_factory=Tally)
    by_style: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    documents: int = 0

    def _add(self, style: str, kind: str | None, what: str) -> None:
        for table, key in ((self.by_style, style), (self.by_type, kind or "?")):
            tally = table.setdefault(key, Tally())
            setattr(tally, what, getattr(tally, what) + 1)
        setattr(self.named, what, getattr(self.named, what) + 1)


_STOP_WORDS = (
    "the a an and or of in on at to for by with from as this that our my we"
    " i you they he she it its their his her was were is are be been has have had said says"
)
_STOP = frozenset(_STOP_WORDS.split())


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def _find_gold(found: Any, gold: list[dict[str, Any]], taken: list[bool]) -> int | None:
    name = found.source_name or ""
    if getattr(found, "source_type", None) in UNTYPED:
        # An unnamed source or the author's own work is told by its words ("two people
        # familiar with the talks", "as I wrote here in May"): one of the same type that
        # shares a content word with the reference found or the sentence it stands in
        # ("our earlier episode (Ep. 30)"), not any one of that type.
        # Of several, the one sharing most words with the reference itself, then with
        # its sentence: "back in episode 22" is episode 22, not the episode 41 the
        # show notes link above it.
        own = _content_words(name)
        words = own | _content_words(getattr(found, "context", None) or "")
        shared = {
            i: (len(own & gw), len(words & gw))
            for i, g in enumerate(gold)
            if g.get("type") == found.source_type
            and words & (gw := _content_words(f"{g['value']} {g.get('work') or ''}"))
        }
        free = [i for i in shared if not taken[i]] or list(shared)
        return max(free, key=lambda i: (*shared[i], -i)) if free else None
    order = [
        [i for i, g in enumerate(gold) if normalise_name(g["value"]) == normalise_name(name)],
        [i for i, g in enumerate(gold) if same_source(name, g["value"])],
    ]
    for candidates in order:
        free = [i for i in candidates if not taken[i]]
        if free:
            return free[0]
    for candidates in order:
        if candidates:
            return candidates[0]
    return None


def score_named(
    doc: str,
    style: str,
    gold: list[dict[str, Any]],
    furniture: list[str],
    found: list[Any],
    s: Score,
) -> None:
    taken = [False] * len(gold)
    for cit in found:
        name, kind = cit.source_name or "", getattr(cit, "source_type", None)
        i = _find_gold(cit, gold, taken)
        if i is not None and not taken[i]:
            taken[i] = True
            if gold[i].get("core", True):
                s._add(style, gold[i].get("type"), "tp")
        elif i is not None:
            s._add(style, kind, "duplicates")
            s.notes.append(f"{doc}: second citation of {gold[i]['value']!r} ({name!r})")
        elif any(same_source(name, f) for f in furniture):
            s._add(style, kind, "fp")
            s._add(style, kind, "furniture")
            s.notes.append(f"{doc}: FURNITURE listed {name!r} [{kind}]")
        else:
            s._add(style, kind, "fp")
            s.notes.append(f"{doc}: extra named {name!r} [{kind}]")
    for i, g in enumerate(gold):
        if not taken[i] and g.get("core", True):
            s._add(style, g.get("type"), "fn")
            s.notes.append(f"{doc}: missed named {g['value']!r} [{g.get('type')}]")


def score_linked(
    doc: str, gold: set[tuple[str, str]], found: set[tuple[str, str]], s: Score
) -> None:
    s.linked.tp += len(gold & found)
    for kind, value in sorted(found - gold):
        s.linked.fp += 1
        s.notes.append(f"{doc}: extra {kind} {value}")
    for kind, value in sorted(gold - found):
        s.linked.fn += 1
        s.notes.append(f"{doc}: missed {kind} {value}")


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
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gold_documents(half: str) -> list[tuple[str, Path, dict[str, Any]]]:
    folder = DOCS / half
    cases = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        docs = [
            p
            for p in folder.iterdir()
            if p.name.startswith(name + ".") and not p.name.endswith(".gold.json")
        ]
        assert len(docs) == 1, f"{gold_path.name}: expected one document, found {docs}"
        cases.append((name, docs[0], json.loads(gold_path.read_text(encoding="utf-8"))))
    return cases


def document_bytes(path: Path, fmt: str) -> tuple[bytes, str]:
    if fmt == "pdf" and path.name.endswith(".pdf.txt"):
        return pdf_from_text(path.read_text(encoding="utf-8")), path.name.removesuffix(".txt")
    return path.read_bytes(), path.name


def score_half(half: str) -> Score:
    from archive.extract import extract

    s = Score()
    for name, path, gold in gold_documents(half):
        s.documents += 1
        data, filename = document_bytes(path, gold["format"])
        result = extract(data, filename=filename)
        if result.format != gold["format"]:
            s.notes.append(f"{name}: detected {result.format}, gold says {gold['format']}")
        cites = gold["citations"]
        gold_linked = {linked_key(c["kind"], c["value"]) for c in cites if c["kind"] != "named"}
        gold_named = [c for c in cites if c["kind"] == "named"]
        found_named = [c for c in result.citations if c.kind == "named"]
        score_linked(name, gold_linked, extracted_linked(result.citations), s)
        style = str(gold.get("style", "?"))
        score_named(name, style, gold_named, list(gold.get("furniture", [])), found_named, s)
    return s


def failures(s: Score, limits: dict[str, float] = THRESHOLDS) -> list[str]:
    """What keeps a half below ``limits``; empty when it passes."""
    out = []
    if s.named.recall() < limits["named_recall"]:
        out.append(f"named core recall {s.named.recall():.3f} < {limits['named_recall']}")
    if s.named.precision() < limits["named_precision"]:
        out.append(f"named precision {s.named.precision():.3f} < {limits['named_precision']}")
    if s.named.furniture > limits["furniture"]:
        out.append(
            f"{s.named.furniture} furniture name(s) listed as sources > {limits['furniture']:g}"
        )
    for what in ("precision", "recall"):
        value = getattr(s.linked, what)()
        if value < limits["linked"]:
            out.append(f"linked {what} {value:.3f} < {limits['linked']}")
    return out


def table(half: str, s: Score) -> str:
    head = f"{'':<22}{'tp':>5}{'fp':>5}{'fn':>5}{'dup':>5}{'furn':>5}{'prec':>8}{'recall':>8}"
    rows = [f"== {half} half: {s.documents} documents ==", head]

    def row(label: str, t: Tally) -> None:
        rows.append(
            f"{label:<22}{t.tp:>5}{t.fp:>5}{t.fn:>5}{t.duplicates:>5}{t.furniture:>5}"
            f"{t.precision():>8.3f}{t.recall():>8.3f}"
        )

    row("linked", s.linked)
    row("named", s.named)
    for key, t in sorted(s.by_style.items()):
        row(f"  style {key}", t)
    for key, t in sorted(s.by_type.items()):
        row(f"  type {key}", t)
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.score",
        description="Every set's figures; the misses of the sets open to tuning.",
    )
    parser.add_argument(
        "--test-misses",
        action="store_true",
        help="also list the held-out sets' misses (for the closing report, never while tuning)",
    )
    parser.add_argument(
        "--tuning",
        action="store_true",
        help="only the sets open to tuning: the held-out sets are not scored at all, so that "
        "no choice made while tuning leans on their figures",
    )
    args = parser.parse_args(argv)
    failed = False
    for half in HALVES:
        if args.tuning and half in HELD_OUT:
            continue
        if not (DOCS / half).is_dir():
            print(f"== {half} half: no folder {DOCS / half} ==\n")
            continue
        s = score_half(half)
        print(table(half, s))
        if half not in HELD_OUT or args.test_misses:
            for note in s.notes:
                print(f"  {note}")
        else:
            print(f"  {len(s.notes)} misses not shown: a held-out set is never tuned on")
        problems = failures(s)
        failed = failed or bool(problems)
        print("  below threshold: " + ("; ".join(problems) if problems else "none"))
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
