"""Sources that prose names without linking ("told the Times of Israel").

News analysis cites most of its sources by name only.  Generic named-entity
recognition is a poor fit: it tags people and places that are not sources and
misses outlets.  What works is the attribution grammar of journalism —
"according to X", "X said", "told X", "leaked via X", a trailing "Sources:"
line — plus a test of whether the name looks like an outlet or an
organisation rather than a person: a person quoted is not a source, the
outlet or body that published the words is.

Every pattern runs inside one sentence, so the work is linear in the size of
the text, and a sentence is the unit of context and of de-duplication.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from archive.extract.types import ExtractedCitation

__all__ = ["KnownSource", "find_named_references", "lookup_source", "normalise_name"]


@dataclass(frozen=True, slots=True)
class KnownSource:
    """One entry of ``archive/data/sources.toml``."""

    name: str
    url: str
    kind: str
    plain_word: bool = False


def normalise_name(name: str) -> str:
    """Fold the spellings one source goes by ("The U.N.'s" → "un")."""
    s = name.replace("’", "'").replace("-", " ").replace(".", "").lower()
    s = re.sub(r"'s?$", "", " ".join(s.split()))
    return s[4:] if s.startswith("the ") else s


def _data(name: str) -> str:
    # Read as a package resource so that an installed wheel finds it too.
    return resources.files("archive.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _known_sources() -> dict[str, KnownSource]:
    index: dict[str, KnownSource] = {}
    for entry in tomllib.loads(_data("sources.toml")).get("source", []):
        kind, plain = str(entry.get("kind", "org")), bool(entry.get("plain_word", False))
        src = KnownSource(str(entry["name"]), str(entry["url"]), kind, plain)
        for alias in [src.name, *entry.get("aliases", [])]:
            index.setdefault(normalise_name(str(alias)), src)
    return index


def lookup_source(name: str) -> KnownSource | None:
    """The mapped source for a name as written, or None when it is not known."""
    return _known_sources().get(normalise_name(name))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The vocabulary and the trigger patterns live beside the source mapping as
# data: they are tuned by reading misses, not by changing code.
_ATTRIBUTION = tomllib.loads(_data("attribution.toml"))
_VOCAB = {
    key: frozenset(value) if isinstance(value, list) else _words(str(value))
    for key, value in _ATTRIBUTION.items()
    if key != "triggers"
}


def _alt(key: str) -> str:
    # Longest first, so that "reports" is tried before "report".
    return "|".join(map(re.escape, sorted(_VOCAB[key], reverse=True)))


_CONNECTORS = _words("of for to and & de du des del da la le al el van von der den y on the")
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_YEAR = r"(?:1[89]|20)\d\d"

_UP = "A-ZÀ-ÖØ-Þ"
_TOK = rf"[{_UP}][\w&'’.\-]*"
_DATE_WORDS = frozenset(f"{_MONTH}|{_DAY}".split("|"))
_CONN = r"(?:of|for|to|and|&|de|du|des|del|da|la|le|al|el|van|von|der|den|y|on)"
_NAME = rf"{_TOK}(?:(?:\s+{_CONN}(?:\s+the)?)?\s+{_TOK}|\s+\d{{1,3}}(?![\d.,]\d)){{0,7}}"
_MOD = rf"(?:{_alt('modifiers')}|{_YEAR}(?:s|-\d\d)?)"
_OUTLET_NOUN = rf"(?:(?:news|radio|wire|think)[\s-]+)?(?:{_alt('outlet_nouns')})\b"
_DESC = rf"(?P<desc>(?:[\w-]+\s+){{0,2}}?{_OUTLET_NOUN}\s+)?"
_SUFFIX = rf"(?P<suffix>\s+{_OUTLET_NOUN})?"
_REF = rf"(?P<art>(?:[Tt]he|[Aa]n?)\s+)?(?:{_MOD}\s+){{0,2}}{_DESC}(?P<name>{_NAME}){_SUFFIX}"
_DOC = rf"(?:press\s+releases?|{_alt('documents')})"
# Words followed by the source: extractor, what the name must be, pattern.
_TRIGGERS = [row.split(" ", 2) for row in str(_ATTRIBUTION["triggers"]).strip().splitlines()]
_RIGHT_RE = re.compile(
    r"(?:(?<![\w'’-])|(?=[,”\"]))(?:"
    + "|".join(
        f"(?P<t{i}>(?i:{rx.replace('<DOC>', _DOC)}))" for i, (_, _, rx) in enumerate(_TRIGGERS)
    )
    + r")\s+"
    + _REF
)
_ADV = (
    r"(?:has|have|had|also|first|previously|later|recently|then|once|itself|separately"
    rf"|subsequently|initially|earlier|exclusively|on\s+(?:{_DAY})|in\s+{_YEAR}"
    r"|last\s+(?:week|month|year|night))"
)
_VERB = (
    r"(?P<verb>(?P<strong>first\s+reported|broke\s+the\s+(?:story|news))|put\s+the"
    rf"|{_alt('verbs')})\b"
)
# Words that can start or carry an attribution: the patterns are only tried
# near one of them, which keeps the scan cheap on text that has none.
_LEFT_HEADS = _VOCAB["verbs"] | {"first", "broke", "put"}
_RIGHT_HEADS = _VOCAB["documents"] | _VOCAB["trigger_words"]
_ARTICLES = frozenset({"a", "an", "the", "its", "their"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_APPOSITIVE = r"(?:\s*,\s+(?:which|who|whose|citing|a|an|the|one\s+of)\b[^,]{1,80},)?"
_LEFT_RE = re.compile(
    rf"(?<![\w'’.-])(?=[{_UP}]|[Tt]he\s)(?P<list>(?:{_NAME}\s*,\s*(?:the\s+)?){{1,3}})?(?P<art>[Tt]he\s+)?{_DESC}(?P<name>{_NAME})"
    rf"(?:\s+(?:[a-z][\w-]*\s+){{0,2}}?{_DOC})?{_APPOSITIVE}(?:\s+{_ADV}){{0,3}}\s+{_VERB}"
)
_DOCREF_RE = re.compile(
    rf"(?<![\w'’-])(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir)\s+(?:{_MOD}\s+){{0,2}}(?P<name>{_NAME})\s+{_DOC}\b"
)
_SOURCE_LINE = re.compile(
    r"(?:^\W{0,3}|[—–]\s*|\s--?\s*)(?i:sources?|data(?:\s+sources?)?|(?:with\s+|additional\s+)?"
    r"reporting\s+(?:by|from)|based\s+on\s+reporting\s+(?:by|from)|compiled\s+from)"
    r"\s*:?\s+(?P<rest>\S.*)$",
    re.S,
)
_LINE_ITEM = re.compile(
    rf"(?:[Tt]he\s+)?(?P<name>{_NAME})(?:\s+(?:data|reports?|reporting|staff|figures|archives?"
    r"|website|statistics|and\s+agencies|agencies))?\W*"
)


def _phrases(key: str) -> str:
    """Plain phrases from the vocabulary as one pattern: any spacing, whole words."""
    return "|".join(
        re.escape(p).replace(r"\ ", r"\s+") + (r"\b" if p[-1].isalnum() else "")
        for p in sorted(_VOCAB[key], reverse=True)
    )


# Page furniture: a block that starts like this names the publisher or an advertiser.
_SKIP_BLOCK = re.compile(rf"\W{{0,3}}(?i:{_phrases('furniture_starts')})")
_SKIP_ANY = re.compile(rf"(?i:{_phrases('furniture_phrases')})")
_SKIP_KEYS = frozenset(p.split()[0] for p in _VOCAB["furniture_phrases"])
_BYLINE = re.compile(
    rf"\W{{0,3}}(?:(?i:posted|written|published|reported)\s+)?[Bb]y\s+(?:the\s+)?"
    rf"[{_UP}][\w.'’-]*(?:\s+[{_UP}][\w.'’-]*){{0,3}}\s*(?:[,|*_·•–—-]|on\b|$)"
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"“‘(\[]?[0-9" + _UP + "])")
_ABBREV = _words("mr mrs ms dr prof st jr sr gen col lt sen rep gov no vs etc inc ltd corp co")
_JOINS_NOT = re.compile(r"[.!?:\"”]$")
_LIST_ITEM = re.compile(r"\s*(?:[#>*|+-]|\d+[.)])\s")
_CLAUSE_SEP = re.compile(r"[;—–(){}\[\]]|\s-\s")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTH})\s+{_YEAR}|(?:{_MONTH})\s+\d{{1,2}},?\s+{_YEAR}"
    rf"|(?:{_MONTH})\s+{_YEAR}|\d{{4}}-\d\d-\d\d|{_YEAR})\b"
)
_AND = re.compile(r"\s+(?:and|&)\s+(?:(?P<the>the|The)\s+)?")
_ACCEPT = {"outlet": {"outlet"}, "source": {"outlet", "org"}, "strong": {"outlet", "org", "weak"}}
_MAX_SENTENCE = 2000
Hit = tuple[str, str, int, int]  # extractor, name, start, end (within the sentence)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph-like runs of lines: wrapped lines join, short lines stand alone.

    Navigation, bylines and sponsor lines are short lines of their own; keeping
    them apart stops them from bleeding into the sentence that follows.
    """
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    start: int | None = None
    for i, (a, b) in enumerate(spans):
        line = text[a:b].strip()
        if not line:
            continue
        start = a if start is None else start
        nxt = text[spans[i + 1][0] : spans[i + 1][1]] if i + 1 < len(spans) else ""
        joins = len(line) >= 40 and not _JOINS_NOT.search(line) and nxt.strip()
        if not joins or _LIST_ITEM.match(nxt):
            yield start, b
            start = None


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    block, cut = text[start:end], 0
    for m in _BOUNDARY.finditer(block):
        word = re.search(r"(\S{1,12})$", block[max(0, m.start() - 12) : m.start()])
        if block[m.start()] == "." and word:
            w = word.group(1).lower().strip("(\"'“‘")
            if w in _ABBREV or re.fullmatch(r"[a-z]|(?:[a-z]\.)+[a-z]", w):
                continue  # "Mr. Smith", "U.S. officials", "J. Doe"
        yield from _chunks(start + cut, start + m.start() + len(m.group().rstrip()))
        cut = m.end()
    yield from _chunks(start + cut, end)


def _chunks(start: int, end: int) -> Iterator[tuple[int, int]]:
    # A run-on "sentence" (a table, a list without stops) is cut so that the
    # cost of every pattern stays bounded by a constant per character.
    while end - start > _MAX_SENTENCE:
        yield start, start + _MAX_SENTENCE
        start += _MAX_SENTENCE
    if end > start:
        yield start, end


def _clean(raw: str, offset: int) -> tuple[str, int, int, bool]:
    """Drop discourse words and "the" in front and a possessive at the end of a name.

    The last value tells whether a "the" was dropped ("As The Atlantic noted").
    """
    tokens = [(m.group(), m.start()) for m in re.finditer(r"\S+", raw)]
    for i, (token, _) in enumerate(tokens):
        if token.strip(".,") in _DATE_WORDS:  # "Reuters on Tuesday"
            tokens = tokens[:i]
            break
        if re.search(r"['’]s?$", token) and not lookup_source(raw):  # "the BBC's Today show"
            tokens = tokens[: i + 1]
            break
    the = False
    while tokens and (tokens[0][0].strip(".,") in _VOCAB["lead"] or tokens[0][0] in ("The", "the")):
        the = the or tokens.pop(0)[0] in ("The", "the")
    while tokens and tokens[-1][0].lower() in _CONNECTORS:
        tokens.pop()
    if not tokens:
        return "", offset, offset, the
    last, at = tokens[-1]
    last = re.sub(r"(?:['’]s?|[\"”])$", "", last)
    last = last[:-1] if last.endswith(".") and last.count(".") == 1 else last
    tokens[-1] = (last, at)
    return " ".join(t for t, _ in tokens), offset + tokens[0][1], offset + at + len(last), the


def _classify(name: str, *, the: bool, desc: bool, at_start: bool) -> str:
    """outlet, org, weak (a bare unknown word) or reject (people, places, titles)."""
    known = lookup_source(name)
    if known is not None:
        if known.plain_word and at_start and not the:
            return "reject"  # "Science shows that …"
        return "outlet" if known.kind in ("news", "journal") else "org"
    if not name or normalise_name(name).replace(" ", "_") in _VOCAB["not_sources"]:
        return "reject"
    tokens = name.split()
    lowered = {t.lower().strip(".'’") for t in tokens}
    if desc or lowered & _VOCAB["outlet_words"]:
        return "outlet"
    if lowered & _VOCAB["org_words"]:
        return "org"
    if tokens[0].strip(".") in _VOCAB["titles"]:
        return "reject"
    words = [t for t in tokens if t.lower() not in _CONNECTORS]
    if len(words) == 1:
        word = words[0]
        if re.fullmatch(r"[A-Z][A-Z0-9&/.-]{1,7}s?", word) and sum(map(str.isupper, word)) > 1:
            stop = word.endswith("s") or word.replace(".", "") in _VOCAB["stop_acronyms"]
            return "reject" if stop else "org"  # "URLs", "NGOs" are plurals, not names
        return "org" if the else ("reject" if at_start else "weak")
    if the or (len(words) < len(tokens) and "and" not in lowered):
        return "org"
    person = all(re.fullmatch(r"[A-Z](?:[a-z]+(?:[-'’][A-Z]?[a-z]+)*|\.)", w) for w in words)
    return "reject" if person and len(words) <= 4 else "weak"


def _parts(raw: str, offset: int, the: bool) -> Iterator[tuple[str, int, int, bool]]:
    """A name, or the names joined by "and" when the whole is not one known name."""
    name, start, end, had_the = _clean(raw, offset)
    if not name or lookup_source(name) or not _AND.search(raw):
        yield name, start, end, the or had_the
        return
    cut = 0
    for sep in _AND.finditer(raw):
        name, start, end, had_the = _clean(raw[cut : sep.start()], offset + cut)
        yield name, start, end, the or had_the
        cut, the = sep.end(), bool(sep.group("the"))
    name, start, end, had_the = _clean(raw[cut:], offset + cut)
    yield name, start, end, the or had_the


def _windows(
    words: list[tuple[str, int]], heads: frozenset[str], before: int, after: int
) -> Iterator[tuple[int, int]]:
    """Merged stretches of the sentence around the head words that occur in it."""
    lo = hi = -1
    for word, at in words:
        if word in heads:
            if at - before > hi >= 0:
                yield lo, hi
                lo = -1
            lo, hi = (max(0, at - before) if lo < 0 else lo), at + after
    if lo >= 0:
        yield lo, hi


def _right_hits(sentence: str, words: list[tuple[str, int]]) -> Iterator[Hit]:
    # Anchored at the few word starts just before each trigger word rather than
    # scanned: dense attribution text would otherwise cost a full scan per word.
    done = doc_done = 0
    for k, (word, at) in enumerate(words):
        if word not in _RIGHT_HEADS:
            continue
        before = sentence[:at].rstrip()
        starts = [w_at for _, w_at in words[max(0, k - 4) : k + 1]]
        starts += [len(before) - 1] if before[-1:] in (",", "”", '"') else []
        for m in (_RIGHT_RE.match(sentence, c) for c in sorted(starts) if c >= done):
            if not m:
                continue
            done = m.end()
            extractor, need, _ = next(t for i, t in enumerate(_TRIGGERS) if m.group(f"t{i}"))
            the = (m.group("art") or "").strip().lower() == "the"
            desc = bool(m.group("desc") or m.group("suffix"))
            for name, b, e, the_part in _parts(m.group("name"), m.start("name"), the):
                if _classify(name, the=the_part, desc=desc, at_start=False) in _ACCEPT[need]:
                    yield f"named.{extractor}", name, b, e
            break
        if word not in _VOCAB["documents"]:
            continue
        articles = [a for w, a in words[max(0, k - 12) : k] if w in _ARTICLES and a >= doc_done]
        for m in filter(None, (_DOCREF_RE.match(sentence, a) for a in articles)):
            doc_done = m.end()
            for name, b, e, _ in _parts(m.group("name"), m.start("name"), False):
                if _classify(name, the=False, desc=False, at_start=False) in _ACCEPT["source"]:
                    yield "named.document", name, b, e
            break


def _left_hits(sentence: str, words: list[tuple[str, int]]) -> Iterator[Hit]:
    lead = len(sentence) - len(sentence.lstrip(" \t\n\"'“‘*_#>-"))
    for lo, hi in _windows(words, _LEFT_HEADS, 320, 40):
        for m in _LEFT_RE.finditer(sentence, lo, hi):
            first = sentence[max(0, m.start("verb") - 8) : m.start("verb")].rstrip()
            need = "strong" if m.group("strong") or first.endswith("first") else "source"
            items = [(m.group("name"), m.start("name"), bool(m.group("art")))]
            if m.group("list") and _AND.search(m.group("name")):
                for it in re.finditer(rf"(?:(?P<the>the)\s+)?(?P<n>{_NAME})", m.group("list")):
                    at = m.start("list") + it.start("n")
                    items.append((it.group("n"), at, bool(it.group("the"))))
            for raw, offset, the_raw in items:
                for name, b, e, the in _parts(raw, offset, the_raw):
                    at_start = b == offset and offset - len(m.group("art") or "") <= lead
                    cls = _classify(name, the=the, desc=bool(m.group("desc")), at_start=at_start)
                    if cls in _ACCEPT[need]:
                        yield "named.speech-verb", name, b, e


def _line_hits(sentence: str) -> Iterator[Hit]:
    line = _SOURCE_LINE.search(sentence)
    if not line:
        return
    for piece in re.finditer(r"[^,;/]+", line.group("rest")):
        text = re.sub(r"\s+in\s+[A-Z].*$|[\s.]+$", "", piece.group(), flags=re.S)
        item = _LINE_ITEM.fullmatch(text.lstrip())
        if not item:
            continue
        offset = line.start("rest") + piece.start() + len(text) - len(text.lstrip())
        the = item.start("name") > 0
        for name, b, e, the_part in _parts(item.group("name"), offset + item.start("name"), the):
            if _classify(name, the=the_part, desc=False, at_start=False) in _ACCEPT["strong"]:
                yield "named.source-line", name, b, e


def _date_hint(text: str, start: int, end: int, name_start: int, name_end: int) -> str | None:
    """The date nearest to the name within its clause ("leaked via X in 2009")."""
    for sep in _CLAUSE_SEP.finditer(text, start, end):
        if sep.end() <= name_start:
            start = sep.end()
        elif sep.start() >= name_end:
            end = sep.start()
            break
    best: tuple[int, str] | None = None
    for m in _DATE.finditer(text, start, end):
        if m.start() < name_end and m.end() > name_start:
            continue
        distance = m.start() - name_end if m.start() >= name_end else name_start - m.end()
        if best is None or distance < best[0]:
            best = (distance, m.group())
    return best[1] if best else None


def find_named_references(text: str) -> list[ExtractedCitation]:
    """Named, unlinked sources in ``text``, in document order.

    Lines that are page furniture — bylines, sponsor and subscription lines,
    share and follow buttons, copyright lines — are skipped whole: the names in
    them are the publisher's own or an advertiser's, never a cited source.
    """
    found: list[ExtractedCitation] = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        if _SKIP_BLOCK.match(block) or (len(block) <= 120 and _BYLINE.match(block)):
            continue
        for s_start, s_end in _sentences(text, b_start, b_end):
            sentence = text[s_start:s_end]
            lowered = sentence.lower()
            if any(k in lowered for k in _SKIP_KEYS) and _SKIP_ANY.search(sentence):
                continue
            words = [(w.group().lower(), w.start()) for w in _WORD.finditer(sentence)]
            seen: set[str] = set()
            spans: list[tuple[int, int]] = []
            hits = [*_right_hits(sentence, words), *_left_hits(sentence, words)]
            hits += _line_hits(sentence)
            for extractor, name, b, e in sorted(hits, key=lambda h: (h[2], -h[3])):
                known = lookup_source(name)
                key = known.name if known else normalise_name(name)
                n_start, n_end = s_start + b, s_start + e
                if key in seen or any(x <= n_start and n_end <= y for x, y in spans):
                    continue
                seen.add(key)
                spans.append((n_start, n_end))
                found.append(
                    ExtractedCitation(
                        kind="named",
                        extractor=extractor,
                        source_name=name,
                        context=" ".join(sentence.split()),
                        span=(n_start, n_end),
                        date_hint=_date_hint(text, s_start, s_end, n_start, n_end),
                        candidate_url=known.url if known else None,
                    )
                )
    return found
