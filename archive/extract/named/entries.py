"""Reference entries in the Vancouver form of medicine and the sciences.

"Marsh H, Okoro B, Lindqvist S. Title. Journal. 2025;12:1-9." — surnames with
their initials run together and no stops between them, the title, then the
journal and the year.  The entry cites one work: the authors as written are
its name, the journal is where it appeared (its container), never a source of
its own.  Press releases print the entry under "Notes to editors", papers and
show notes in a numbered list ("[3] …", "3. …"), so the form is recognised by
the line's opening alone, wherever the line stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import UP, YEAR
from archive.extract.named.mention import Mention

# A surname: particles in front ("van der Berg"), two capitalised words ("Garcia
# Marquez"), an apostrophe or a hyphen ("O'Neill", "Lindqvist-Ek").  The second word
# needs a lower-case letter, or it would be read as the initials.
_SURNAME = (
    r"(?:(?:van|von|de|der|den|da|di|du|del|dos|la|le|ten|ter)\s+){0,2}"
    rf"[{UP}][\w'’-]+(?:\s+[{UP}][\w'’-]*[a-zß-ÿ][\w'’-]*)?"
)
# Its initials: up to three capitals without stops ("H", "BA", "JRR").
_AUTHOR = rf"{_SURNAME}\s+[{UP}]{{1,3}}"
_AUTHORS = (
    rf"(?P<authors>{_AUTHOR}(?=[,.]|\s+et\s+al\b)(?:,\s*{_AUTHOR}(?=[,.]|\s+et\s+al\b)){{0,24}}"
    r"(?:,?\s+et\s+al\b)?)"
)
# The opening alone: a number in brackets or with a stop, the authors, their stop.
_START = re.compile(
    rf"\W{{0,3}}(?:\[\d{{1,3}}\]\s*|\d{{1,3}}[.)]\s+)?{_AUTHORS}\.\s+[\"“*_]*[{UP}0-9]"
)
# A journal's name: capitalised words and the small words between them ("Social
# Psychiatry and Psychiatric Epidemiology", "Lancet Planet Health", "BMJ"), never a
# clause ("Officials said in 2025").
_JOURNAL = (
    rf"[{UP}][\w&'’-]*(?:\s+(?:of|and|in|for|the|on|&|de|des|la|und|für"
    rf"|[{UP}][\w&'’-]*)){{0,14}}"
)
# The whole entry: the title up to its stop, the journal, then the year (after a stop,
# or in brackets) — "Lancet. 2024;…", "BMJ 2023;…", "Social Psychiatry (2025).".
_ENTRY = re.compile(
    rf"\W{{0,3}}(?:\[\d{{1,3}}\]\s*|\d{{1,3}}[.)]\s+)?{_AUTHORS}\.\s+[\"“*_]*"
    r"(?P<title>[^\n]{3,300}?)[\"”*_]*(?P<stop>[.?!])[\"”*_]*\s+[*_]*"
    rf"(?P<journal>{_JOURNAL})[*_]*\s*(?:\[Internet\]\s*)?[.,]?\s*"
    rf"\(?(?P<year>{YEAR})\b"
)


def entry_line(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` opens with a Vancouver entry's authors.

    The segmenter keeps such a line whole: the stops after the initials and the
    title are not ends of sentences, and the journal belongs with its work.
    """
    return _START.match(text, start, end) is not None and _ENTRY.match(text, start, end) is not None


def vancouver_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """One Vancouver entry: its authors as a work, its title and its journal."""
    head = sentence.lstrip(' -*_["“#>')[:1]
    if not (head.isupper() or head.isdigit()):
        return  # a cheap test before the pattern: an entry opens with a name or a number
    m = _ENTRY.match(sentence)
    if m is None:
        return
    authors = m.group("authors")
    title = " ".join(m.group("title").split()).strip(' *_"“”')
    title += m.group("stop") if m.group("stop") in "?!" else ""  # "Why do towns lose banks?"
    journal = " ".join(m.group("journal").split()).strip(" *_")
    yield Mention(
        "named.reference-entry",
        authors,
        m.start("authors"),
        m.end("authors"),
        "work",
        title,
        container=journal,
    )
