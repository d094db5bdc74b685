"""Regular expressions that match in time linear in the text, for expressions strangers send.

CDX filters come from anonymous callers.  Python's ``re`` backtracks, so
``(.+)+X`` against a 31-character URL runs for seconds and holds the event
loop (and with it every other request of the process) all that time.  RE2
(PyPI ``google-re2``) compiles an expression to automata and never
backtracks: matching costs at most text length times expression size.  The
price is the constructs that only backtracking can run -- backreferences,
lookaround, possessive quantifiers, atomic groups, conditionals -- which RE2
refuses when compiling; ``compile_linear`` names them in its error.

Other differences from ``re`` a caller may meet: ``\\w``, ``\\d``, ``\\s``
and ``\\b`` are ASCII-only (``\\pL``, ``\\p{Greek}`` and ``[[:alpha:]]`` are
there for other scripts); ``\\Z`` is spelled ``\\z``; counted repetition
stops at 1000.

google-re2 ships no type information: this module is the only one that
imports it, and gives the rest of citevault a typed surface.
"""

from __future__ import annotations

import re
from typing import Any

import re2

from archive.errors import InputError

__all__ = ["LinearPattern", "compile_linear"]

SYNTAX_HINT = "RE2 syntax: https://github.com/google/re2/wiki/Syntax"

# RE2's message names the operator it stopped at; the user knows these by name.
_UNSUPPORTED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"invalid escape sequence: (\\[1-9])"), "backreference '{0}' is not supported"),
    (re.compile(r"invalid perl operator: \(\?P$"), "named backreference '(?P=' is not supported"),
    (re.compile(r"invalid perl operator: (\(\?<?[=!])"), "lookaround '{0}' is not supported"),
    (re.compile(r"invalid perl operator: (\(\?>)"), "atomic group '{0}' is not supported"),
    (re.compile(r"invalid perl operator: (\(\?\()"), "conditional '{0}' is not supported"),
    (re.compile(r"invalid perl operator: (\(\?#)"), "comment '{0}' is not supported"),
    (
        re.compile(r"invalid perl operator: (\(\?\w+)"),
        "flag '{0})' is not supported (RE2 has i, m, s, U)",
    ),
    (
        re.compile(r"bad repetition operator: (\S*\+)$"),
        "possessive quantifier '{0}' is not supported",
    ),
    (
        re.compile(r"invalid escape sequence: (\\Z)"),
        "'{0}' is not supported: RE2 spells end of text \\z",
    ),
    (
        re.compile(r"invalid repetition size: (\S+)"),
        "repetition '{0}' is too large (at most 1000, nesting multiplies)",
    ),
    (re.compile(r"pattern too large"), "the expression is too large for a linear-time match"),
]


def _options() -> Any:
    options = re2.Options()
    # A refused expression is the caller's mistake, answered with a 400; RE2
    # would also print it on the server's standard error.
    options.log_errors = False
    # Callers only ask whether something matched: without submatches RE2 can
    # answer from its DFA alone.
    options.never_capture = True
    return options


_OPTIONS = _options()


def _reason(message: str) -> str:
    for pattern, reason in _UNSUPPORTED:
        found = pattern.search(message)
        if found:
            return reason.format(*found.groups())
    return f"not a regular expression: {message}"


class LinearPattern:
    """A compiled expression; each method answers whether it matches ``text``."""

    __slots__ = ("_regexp", "pattern")

    def __init__(self, pattern: str, regexp: Any) -> None:
        self.pattern = pattern
        self._regexp = regexp

    def search(self, text: str) -> bool:
        """Somewhere in ``text``."""
        return self._regexp.search(text) is not None

    def match(self, text: str) -> bool:
        """From the start of ``text``."""
        return self._regexp.match(text) is not None

    def fullmatch(self, text: str) -> bool:
        """All of ``text``."""
        return self._regexp.fullmatch(text) is not None


def compile_linear(pattern: str) -> LinearPattern:
    """``pattern`` compiled by RE2, or an ``InputError`` naming what RE2 cannot run."""
    try:
        regexp = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raw = exc.args[0] if exc.args else ""
        message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise InputError(_reason(message), hint=SYNTAX_HINT) from exc
    except UnicodeEncodeError as exc:
        raise InputError("the expression is not valid Unicode", hint=SYNTAX_HINT) from exc
    return LinearPattern(pattern, regexp)
