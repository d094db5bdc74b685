"""The main text of a page and the measures that compare two of them.

Drift is measured on main text with the boilerplate removed (navigation,
footers, sidebars change on every page of a site and would make everything
"changed"): AlNoamany, Weigle and Nelson (IJDL 2016) found lexical measures
on cleaned text separate on-topic from off-topic mementos best, and cosine of
term vectors with word-count change was their most accurate pair.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from trafilatura import extract
from trafilatura.settings import DEFAULT_CONFIG, Extractor

from archive.extract.decode import decode_bytes
from archive.extract.htmltree import parse_html

_WORD = re.compile(r"\w+", re.UNICODE)
# Removed before trafilatura sees the tree: it would drop them too, after copying them.
_NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Terms whose SimHash input is kept: about 10 MB, and most words of most pages.
_TERM_HASHES = 1 << 16
# What ``extract`` would build from its keywords on every call (a fifth of its
# time on a small page, most of it reading the configuration): built once, and
# trafilatura never changes an Extractor it is given.  fast: no second opinion
# from readability/jusText, which would double the time on every check for a
# text whose words, not layout, are compared.
_EXTRACTOR = Extractor(
    config=DEFAULT_CONFIG,
    output_format="txt",
    fast=True,
    comments=False,
    tables=True,
)
_first = itemgetter(0)
_second = itemgetter(1)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What drift scoring keeps of a page's main text."""

    text: str
    terms: Counter[str]
    words: int
    simhash: int


def is_textual(media_type: str | None) -> bool:
    if not media_type:
        return True  # unlabelled answers are sniffed as HTML or text by decode_bytes
    return media_type.startswith("text/") or media_type in _HTML_TYPES


def main_text(body: bytes, media_type: str | None, declared_charset: str | None = None) -> str:
    """The page's main text: trafilatura's article body, else all visible text."""
    html = media_type is None or media_type in _HTML_TYPES
    decoded = decode_bytes(body, declared=declared_charset, html=html).text
    if not html or not decoded.strip():
        return decoded
    try:
        tree, _ = parse_html(decoded)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    text = extract(tree, options=_EXTRACTOR)
    if text and text.strip():
        return str(text)
    body_el = tree.find("body")
    return " ".join((body_el if body_el is not None else tree).itertext())


def tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


_masks: tuple[int, ...] = ()
_mask_lanes = 0


def _lane_masks(lanes: int) -> tuple[int, ...]:
    """For each bit, an integer with that bit set in each of ``lanes`` 64-bit lanes."""
    global _masks, _mask_lanes
    if lanes > _mask_lanes:
        size = max(lanes, 2 * _mask_lanes, 1024)
        # replaced whole, never edited: a thread reading the old tuple keeps a valid one
        _masks = tuple(
            int.from_bytes((1 << bit).to_bytes(8, "little") * size, "little") for bit in range(64)
        )
        _mask_lanes = size
    return _masks


@functools.lru_cache(maxsize=_TERM_HASHES)
def _term_hash(term: str) -> bytes:
    return hashlib.blake2b(term.encode(), digest_size=8).digest()


def _simhash(terms: Counter[str]) -> int:
    """Charikar's 64-bit SimHash over the term counts (Manku et al., WWW 2007).

    Bit-sliced: the hashes of the terms seen equally often are laid end to end
    in one integer, and one AND and popcount per bit counts how many have that
    bit set; a 50 KB page takes about a millisecond instead of a loop of
    sixty-four steps per term.  The terms are grouped by count with a sort and
    their hashes come from a cache: a page's words are mostly words other pages
    have too, and the loops stay in C.
    """
    groups = [
        (count, b"".join(map(_term_hash, map(_first, group))))
        for count, group in groupby(sorted(terms.items(), key=_second), key=_second)
    ]
    masks = _lane_masks(max((len(packed) for _, packed in groups), default=0) // 8)
    ones = [0] * 64
    total = 0
    for count, digests in groups:
        packed = int.from_bytes(digests, "little")
        for bit, mask in enumerate(masks):
            # a longer mask is fine: the AND is as long as the shorter operand
            ones[bit] += count * (packed & mask).bit_count()
        total += count * (len(digests) // 8)
    # a bit is set where the terms hashing a 1 there outweigh those hashing a 0
    return sum(1 << bit for bit in range(64) if 2 * ones[bit] > total)


def fingerprint(text: str) -> Fingerprint:
    words = tokens(text)
    terms = Counter(words)
    return Fingerprint(text, terms, len(words), _simhash(terms))


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 1.0 if not a and not b else 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(count * large.get(term, 0) for term, count in small.items())
    norm = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return dot / norm


def word_change(before: int, after: int) -> float:
    """Relative change of the word count: -1.0 when every word is gone."""
    if before == 0:
        return 0.0 if after == 0 else 1.0
    return (after - before) / before


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def contains_words(haystack: str, needle: str) -> bool:
    """Whether the words of ``needle`` appear in order in ``haystack`` (case, spacing
    and punctuation aside): a quote survives re-wrapping and curly quotes."""
    want = tokens(needle)
    if not want:
        return False
    return " ".join(want) in " ".join(tokens(haystack))
