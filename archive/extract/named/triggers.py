"""Which triggers can match at a place: an exact index instead of trying them all.

A head word ("report", "said", "according") picks the triggers that can
contain it; most of those still fail at a given start because they cannot
begin with its first character ("a report by" is tried at "a", "report" and
the comma before).  Each trigger's possible first characters are read off its
own regular expression, so the index can only drop attempts that would have
failed: the pass finds exactly what it found by trying every pick.
"""

from __future__ import annotations

import functools

# The regular-expression parser is private and has no type stubs; the
# deprecated public aliases (sre_parse) warn on import.
import re._constants as sre  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from typing import Any

from archive.extract.named.grammar import DOC_LOWER, DOCUMENTS, TRIGGERS

_ANY = None  # the first character is not restricted (or not worked out)
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_MAX_RANGE = 400  # a wider class ("\w" spelled out) restricts too little to be worth a set


def trigger_source(i: int) -> str:
    """Trigger ``i`` as written in its pattern: document nouns in lower case only."""
    return TRIGGERS[i][2].replace("<DOC>", DOC_LOWER)


def _first(seq: Any) -> tuple[set[str] | None, bool]:
    """The characters a match of ``seq`` can begin with (either case; None for any),
    and whether it can match the empty string (then what follows it can begin too)."""
    out: set[str] = set()
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            out |= {chr(av).lower(), chr(av).upper()}
            return out, False
        if op is sre.IN:
            chars = _class(av)
            return (None if chars is None else out | chars), False
        if op is sre.SUBPATTERN:
            inner, empty = _first(av[-1])
        elif op is sre.BRANCH:
            inner, empty = set(), False
            for branch in av[1]:
                chars, can_be_empty = _first(branch)
                inner = None if inner is None or chars is None else inner | chars
                empty = empty or can_be_empty
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            inner, empty = _first(av[2])
            empty = empty or av[0] == 0
        else:
            return _ANY, False  # any character, a category, a group reference: unrestricted
        if inner is None:
            return _ANY, False
        out |= inner
        if not empty:
            return out, False
    return out, True


def _class(items: Any) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars |= {chr(av).lower(), chr(av).upper()}
        elif op is sre.RANGE and av[1] - av[0] <= _MAX_RANGE:
            for code in range(av[0], av[1] + 1):
                chars |= {chr(code).lower(), chr(code).upper()}
        else:
            return _ANY  # a negated class, a category (\w, \s) or a wide range
    return chars


@functools.cache
def first_chars(i: int) -> frozenset[str] | None:
    """The characters trigger ``i`` can begin with, in either case; None for any."""
    found, empty = _first(sre_parse.parse(trigger_source(i)))
    return None if found is None or empty else frozenset(found)


@functools.cache
def triggers_for(word: str) -> tuple[int, ...]:
    """The triggers a head word can belong to: those that spell its stem, and
    those built on a document noun when it is one.  Trying only these, not all
    of them at every head, was most of the saving in the pass's cost."""
    stem = word[:4]
    return tuple(
        i
        for i, (_, _, rx) in enumerate(TRIGGERS)
        if stem in rx.lower() or ("<DOC>" in rx and word in DOCUMENTS)
    )


@functools.cache
def triggers_at(word: str, first: str) -> tuple[int, ...]:
    """Of ``triggers_for(word)``, those that can begin with the character ``first``.

    Case-insensitive matching pairs a few non-ASCII letters with ASCII ones
    (the Kelvin sign with "k"): any other character keeps every pick.
    """
    if not first.isascii():
        return triggers_for(word)
    return tuple(
        i for i in triggers_for(word) if (chars := first_chars(i)) is None or first in chars
    )
