"""The words that head page furniture: headings and line labels before links.

A short heading ("Related", "Listen on", "Blogs I read") or a label that
opens a line ("More on this: …", "Hosted by …") says that the links after it
are buttons, menus and lists of other pages, not what the text relies on.
These words are kept apart from the layout rules of ``furniture.py``: they
are a vocabulary that grows with the habits of the pages, while where a
heading's reach ends is a question of layout.
"""

from __future__ import annotations

import re

from archive.extract.linktargets import WORD
from archive.extract.named.furniture import heading
from archive.extract.types import ExtractedCitation

__all__ = [
    "LABEL_WORDS",
    "furniture_heading",
    "furniture_words",
    "label_ends",
    "labelled",
    "lead_label",
]

# Headings (and line labels before a colon or dash) after which links are furniture.
_SECTIONS = frozenset(
    " ".join(WORD.findall(phrase.lower()))
    for phrase in """
    related|related posts|related stories|related articles|related reading|related coverage
    related content|related episodes|more on this|more on this story|more on this topic
    more from|more from us|more like this|read next|read more|up next|what to read next
    you might also like|you may also like|also on this blog|also on this site
    elsewhere on the site|most read|most popular|recommended|popular posts|recent posts
    previous episodes|more episodes|from the archive|from our archive|in this series
    blogroll|blogs i read|blogs i follow|sites i read|friends of the blog|friends
    other blogs|other blogs i like|listen on|listen|listen and subscribe
    listen & subscribe|subscribe|subscribe and listen|where to listen|find us on
    follow us|follow|follow the show|support the show|support us|support|become a patron
    press images|press kit|media kit|images for press|media assets
    tags|tagged|categories|filed under|share|share this|navigation|menu
    previous post|next post|older post|newer post|older posts|newer posts|previously
    external links|external link|weblinks
    """.replace("\n", "|").split("|")
) - {""}
# Labels that go on with the site's or show's name ("More from the Courier").
_SECTION_STARTS = (
    "more from ",
    "more on ",
    "related ",
    "listen on ",
    "listen to ",
    "listen and ",
    "listen now ",
    "available on ",
    "watch on ",
    "subscribe ",
    "follow us ",
    "follow the ",
    "read more ",
    "elsewhere on ",
    "find us on ",
    "also on ",
    "also in this ",
    "press images ",
    "media kit ",
    "blogs i ",
    "sites i ",
    "friends of ",
    "support the ",
)
# The words before a byline's or a credit's link ("Hosted by [Mara Quist]").
_BY_LABELS = frozenset(
    """by|posted by|written by|words by|hosted by|presented by|produced by|edited by
    reported by|story by|text by|photos by|photo by|interview by|with|host|hosts|author
    authors|written and produced by|hosted and produced by""".replace("\n", "|").split("|")
)
_LEAD_WORDS = 6  # "Listen and subscribe on", "Follow the show on": a label, not a sentence
_LABEL = re.compile(r"\W{0,3}([A-Za-z][A-Za-z &'’]{1,40}?)\s*(?::|—|–|-\s)")
LABEL_WORDS = 4  # "← Previous post:", "Listen on:" — a link line's own words at most


def furniture_heading(text: str) -> bool:
    """A heading after which links are furniture ("Related", "Listen on", "Blogs I read")."""
    return furniture_words(section_words(text))


def furniture_words(words: str | None) -> bool:
    """ "related", "more from the courier", "listen on": the words of a furniture label."""
    return words is not None and (words in _SECTIONS or words.startswith(_SECTION_STARTS))


def section_words(line: str) -> str | None:
    """The words of a line that may head a section, lower-cased, or None."""
    words = heading(line)
    if words is None:
        return None
    return " ".join(WORD.findall(words))


def labelled(line: str) -> bool:
    """A line that opens with a furniture label: "Related: …", "Listen on — …"."""
    m = _LABEL.match(line)
    return m is not None and furniture_words(" ".join(WORD.findall(m.group(1).lower())))


def lead_label(line: str, at: int, first: ExtractedCitation) -> bool:
    """The words before a line's first link are a furniture or byline label without a
    colon ("Listen and subscribe on …", "Hosted by …", "Follow us on …")."""
    assert first.span is not None
    lead = line[: first.span[0] - at]
    if len(lead) > 60:
        return False
    words = " ".join(WORD.findall(lead.lower()))
    if not words or len(words.split()) > _LEAD_WORDS:
        return False
    return words in _BY_LABELS or furniture_words(words)


# A sentence's start inside a line: after a full stop, a question or an exclamation mark,
# and the emphasis that may close the sentence before ("… employer.* Also on …").
_SENTENCE_START = re.compile(r"[.!?][*_)\]]*\s+")


def label_ends(line: str) -> list[int]:
    """Where each furniture label that opens a sentence inside ``line`` ends: "… not
    those of her employer. Also on this blog: [A] · [B]" (the line's own first label is
    ``labelled``'s)."""
    ends = []
    for start in _SENTENCE_START.finditer(line):
        m = _LABEL.match(line, start.end())
        if m is not None and furniture_words(" ".join(WORD.findall(m.group(1).lower()))):
            ends.append(m.end())
    return ends
