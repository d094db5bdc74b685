"""Where the before-the-verb pattern is worth trying: windows around the reporting
verbs that a capital letter or a comma precedes, and the last start in each window
that a reporting verb can still follow.

Reading the sentence's word offsets once and bounding each window keeps the pattern's
attempts per verb bounded, so the pass stays linear in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from archive.extract.named.grammar import LEFT_HEADS

Words = list[tuple[str, int]]

_JOINERS = "'’-"
# "X, in its winter forecast, had trimmed": the one reading verified without a reporting verb.
_COMMA_IN = re.compile(r",\s+in\s")


def verb_places(sentence: str, words: Words, heads: list[int]) -> list[int]:
    """Where a word that ``is_verb`` can accept starts, in order.

    The verb of a match is a word's start up to an apostrophe or a hyphen in
    it ("says'" reads as "says"), so those prefixes count too.  The phrases'
    head words (``LEFT_HEADS``) lie inside any verb phrase ``is_verb`` accepts.
    """
    places = [words[k][1] for k in heads]
    if "'" not in sentence and "’" not in sentence and "-" not in sentence:
        return places  # no word holds a joiner: one test of the sentence, not one a word
    extra = [
        at
        for word, at in words
        if ("'" in word or "’" in word or "-" in word)
        and word not in LEFT_HEADS
        and any(word[:i] in LEFT_HEADS for i, ch in enumerate(word) if ch in _JOINERS)
    ]
    return sorted(places + extra) if extra else places


def last_start(sentence: str, places: list[int], lo: int, hi: int) -> int:
    """Where the last start worth trying lies in a window: a verified reading
    needs a reporting verb after its name, so a match that starts after the
    window's last verb is read and thrown away.  Such matches were a third of
    the left pattern's attempts.  A document in an appositive verifies any verb.
    """
    if _COMMA_IN.search(sentence, lo, hi):
        return hi
    k = bisect_left(places, hi)
    return places[k - 1] if k else lo


def left_heads(sentence: str, words: Words, heads: list[int]) -> Words:
    """The verbs that a name can precede: a capital letter or a comma shortly before.

    Most reporting verbs in prose follow a pronoun or a common noun ("the
    figures would be revised"); skipping those spares the pattern its
    window.
    """
    out = []
    for k in heads:
        word, at = words[k]
        near = words[max(0, k - 6) : k]
        if "," in sentence[near[-3][1] if len(near) >= 3 else 0 : at]:
            out.append((word, at))
            continue
        for _, a in near:
            if sentence[a].isupper():
                out.append((word, at))
                break
    return out


def windows(
    words: Words, heads: frozenset[str], before: int, after: int
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
