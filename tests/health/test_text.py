"""The fingerprint of a page's text: SimHash and main text mean what they meant.

Stored SimHash values are compared with later ones, and drift thresholds were
set on trafilatura's article text: a faster way of computing either must give
the very same values.  The reference here is the textbook definition.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter

from lxml import etree  # type: ignore[import-untyped, unused-ignore]
from trafilatura import extract

from archive.extract.htmltree import parse_html
from archive.health.text import _simhash, fingerprint, main_text
from tests.health import site


def _reference_simhash(terms: Counter[str]) -> int:
    """Charikar: each term adds its count to the bits its hash has set, and takes it
    from those it has clear; the sign of each sum is the bit."""
    sums = [0] * 64
    for term, count in terms.items():
        value = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")
        for bit in range(64):
            sums[bit] += count if value >> bit & 1 else -count
    return sum(1 << bit for bit in range(64) if sums[bit] > 0)


def test_simhash_is_charikars_on_any_counts() -> None:
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(5000)] + ["é", "straße", "日本語", "the"]
    for _ in range(300):
        words = rng.choice([0, 1, 2, 7, 60, 900])
        spread = rng.choice([3, 40, len(vocabulary)])
        terms = Counter(rng.choice(vocabulary[:spread]) for _ in range(words))
        want = _reference_simhash(terms)
        assert _simhash(terms) == want
        assert _simhash(terms) == want  # the second time, every term hash is cached


def _article_tree_text(html: str) -> str:
    """The text the check compares: trafilatura's article body, asked the way the
    thresholds were set (fast, no comments, tables kept), scripts removed first."""
    tree, _ = parse_html(html)
    etree.strip_elements(tree, "script", "style", with_tail=False)
    return str(extract(tree, fast=True, include_comments=False, include_tables=True))


def test_main_text_is_trafilaturas_article_body() -> None:
    pages = [
        site.article("Stable"),
        site.MINOR_BEFORE,
        site.MINOR_AFTER,
        site.NOT_FOUND_PAGE,
        site.PARKED_PAGE,
        site.article("Long", "<table><tr><td>a cell of the table</td></tr></table>", 40),
    ]
    for html in pages:
        got = main_text(html.encode(), "text/html")
        assert got == _article_tree_text(html)
        assert fingerprint(got).words > 5
    # boilerplate is not text: navigation and footers stay out
    stable = main_text(site.article("Stable").encode(), "text/html")
    assert "Copyright the test site" not in stable and "About" not in stable
