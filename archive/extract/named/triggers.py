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
import re

# The regular-expression parser is private and has no type stubs; the
# deprecated public aliases (sre_parse) warn on import.
import re._constants as sre  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from typing import Any

from archive.extract.named.grammar import DOC_LOWER, DOCUMENTS, TRIGGERS

_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_MAX_RANGE = 400  # a wider class restricts too little to be worth spelling out
_ASCII = [chr(code) for code in range(128)]
# Two characters tell "a report by" (tried at "a") from the document triggers
# ("<DOC> by"), which one character cannot: every letter opens some document noun.
K = 2


def trigger_source(i: int) -> str:
    """Trigger ``i`` as written in its pattern: document nouns in lower case only."""
    return TRIGGERS[i][2].replace("<DOC>", DOC_LOWER)


@functools.cache
def _folds(ch: str) -> frozenset[str]:
    """The ASCII characters ``ch`` matches when case is ignored, in lower case.

    Asked of the regular-expression engine itself, whose case folding differs
    from ``str.lower`` for a few letters (the Kelvin sign matches "k").
    """
    return frozenset(x.lower() for x in _ASCII if re.fullmatch("(?i)" + re.escape(ch), x))


def _class(items: Any) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars |= _folds(chr(av))
        elif op is sre.RANGE and av[1] - av[0] <= _MAX_RANGE:
            for code in range(av[0], av[1] + 1):
                chars |= _folds(chr(code))
        else:
            return None  # a negated class, a category (\w, \s) or a wide range
    return frozenset(chars)


def _add(open_: set[str], chars: frozenset[str], closed: set[str]) -> set[str]:
    grown = {p + c for p in open_ for c in chars}
    closed |= {p for p in grown if len(p) >= K}
    return {p for p in grown if len(p) < K}


def _extend(open_: set[str], seq: Any, closed: set[str]) -> set[str]:
    """The beginnings in ``open_`` followed by a match of ``seq``.

    A beginning that reaches ``K`` characters, or after which the pattern
    could match anything, moves to ``closed`` (there it means: this, then
    anything); the others stay open for what follows ``seq``.
    """
    for op, av in seq:
        if not open_:
            break
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            open_ = _add(open_, _folds(chr(av)), closed)
        elif op is sre.IN and (chars := _class(av)) is not None:
            open_ = _add(open_, chars, closed)
        elif op is sre.SUBPATTERN:
            open_ = _extend(open_, av[-1], closed)
        elif op is sre.BRANCH:
            open_ = set().union(*(_extend(set(open_), branch, closed) for branch in av[1]))
        elif op in _REPEATS:
            least, most, body = av
            done: set[str] = set()
            for n in range(K + 1):
                if n >= least:
                    done |= open_
                if n >= most or not open_:
                    break
                open_ = _extend(set(open_), body, closed)
            else:
                closed |= open_  # a body that can match nothing may go on: anything follows
            open_ = done
        else:
            closed |= open_  # any character, a category, a group reference: anything follows
            open_ = set()
    return open_


@functools.cache
def beginnings(i: int) -> frozenset[str] | None:
    """How a match of trigger ``i`` can begin: its first ``K`` characters in lower
    case (a shorter one: those, then anything); None when anything can begin it."""
    closed: set[str] = set()
    closed |= _extend({""}, sre_parse.parse(trigger_source(i)), closed)
    return None if "" in closed else frozenset(closed)


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


@functools.lru_cache(maxsize=65536)  # head words times the few pairs of letters before them
def triggers_at(word: str, start: str) -> tuple[int, ...]:
    """Of ``triggers_for(word)``, those whose match can begin with ``start``
    (the ``K`` characters at the place tried, fewer at a sentence's end).

    Characters outside ASCII keep every pick: case-insensitive matching pairs
    a few of them with ASCII letters, which the beginnings do not list.
    """
    if not start.isascii():
        return triggers_for(word)
    start = start.lower()
    return tuple(
        i
        for i in triggers_for(word)
        if (begins := beginnings(i)) is None
        or any(start.startswith(b) for b in begins if len(b) <= len(start))
    )
