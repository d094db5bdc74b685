"""Page furniture: lines whose names are the publisher's, a credit or an advert.

Bylines, author bios, production and music credits, sponsor reads, donation
and subscription prompts, related boxes, share lines and timestamps name
people and companies that are not cited.  They are recognised in the text
itself, whatever the format the text came from, so plain text and Markdown
lose them as HTML does.
"""

from __future__ import annotations

import re

from archive.extract.named.credits import credit_sentence
from archive.extract.named.grammar import NAME, UP, VOCAB, phrases, phrases_by_key
from archive.extract.named.ownnames import BYLINE, TAGLINE, OwnNames, own_names

__all__ = [
    "OwnNames",
    "furniture_block",
    "furniture_section",
    "furniture_sentence",
    "heading",
    "own_names",
    "source_section",
]

_SKIP_BLOCK = re.compile(rf"\W{{0,3}}(?i:{phrases('furniture_starts')})")


_SKIP_ANY = phrases_by_key(VOCAB["furniture_phrases"])
_ABOUT = re.compile(rf"\W{{0,3}}About\s+(?:the\s+|us\b)?(?:{NAME})?\s*[:\n]")
_BIO = re.compile(
    rf"\W{{0,3}}[{UP}][\w'’-]+(?:\s+[{UP}][\w.'’-]+){{1,3}}\s+(?:is|was)\s+(?:a|an|the|The)\s+"
    r"(?:[\w'’-]+\s+){0,4}?(?:columnist|writer|journalist|correspondent|editor|author|reporter"
    r"|contributor|producer|host|fellow|professor|lecturer|student|freelance|teacher|lawyer"
    r"|doctor|economist|activist|consultant|researcher|founder|director|executive|diplomat"
    r"|councillor|politician|minister|officer|engineer|scientist|historian|novelist|poet)\b"
    rf"|\W{{0,3}}[{UP}][\w'’-]+(?:\s+[{UP}][\w.'’-]+){{1,3}}\s+(?:(?:writes|covers|reports)"
    r"\s+(?:about|on)\b|(?:writes|edits|hosts|presents)\s+the\s+(?:[\w'’-]+\s+){0,3}"
    r"(?:newsletter|column|blog|podcast|show)\b"
    # "Jo Park covers housing for the Valley Herald", "… has reported on health
    # for the Coast Times since 2019": a beat, then the outlet the author writes for
    r"|(?:covers|has\s+covered|reports\s+on|has\s+reported\s+on|writes\s+(?:about|on)"
    r"|has\s+written\s+(?:about|on))\s+(?:[\w'’-]+\s+){1,5}?(?:for|at)\s+(?:the\s+)?"
    rf"[{UP}]"
    # "Rashid Al-Suwaidi writes Sand & Salt, a blog about weekends": what the author makes
    r"|(?:writes|edits|runs|hosts|co-hosts|presents|produces|publishes|curates)\s+"
    rf"[{UP}][^,.;\n]{{0,60}},\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,4}}?"
    r"(?:newsletter|column|blog|podcast|show|zine|substack|website|channel|series)\b)"
)
_TIMESTAMP = re.compile(r"\W{0,3}\(?\d{1,2}:\d\d(?::\d\d)?\)?\s")
# Markdown marks, and the arrows and bullets show notes put before a heading ("▶ Sources").
_HEADING_MARKS = " \t#*_:>-=|▶►▸▹•·→»"


def heading(block: str) -> str | None:
    """The words of a short line that may head a section, lower-cased."""
    if len(block) > 60:
        return None
    words = block.strip(_HEADING_MARKS).lower()
    return words if words and not words.endswith((".", ",", ";")) else None


def furniture_section(block: str) -> bool:
    """A heading after which short lines are furniture ("Credits", "Related")."""
    words = heading(block)
    return words is not None and words in VOCAB["furniture_sections"]


def source_section(block: str) -> bool:
    """A heading after which each line is one source ("Sources", "References")."""
    words = heading(block)
    return words is not None and words in VOCAB["source_sections"]


# "From Wikipedia, the free encyclopedia": the wiki's own masthead.
_WIKI_HEAD = re.compile(rf"\W{{0,3}}From\s+(?:the\s+)?{NAME},\s+the\s+free\b")


def furniture_block(block: str) -> bool:
    """A whole block that names no cited source: byline, bio, credits, contact box."""
    if _SKIP_BLOCK.match(block) or _ABOUT.match(block) or _WIKI_HEAD.match(block):
        return True
    if len(block) <= 80 and _TIMESTAMP.match(block):
        return True  # "0:00 Intro"; a timestamped paragraph of show notes is content
    if len(block) <= 120 and BYLINE.match(block):
        return True
    if len(block) <= 160 and TAGLINE.match(block):
        return True
    return len(block) <= 600 and bool(_BIO.match(block))


_WORDS = re.compile(r"[^\W\d_]+")
_WORD_KEYS = frozenset(k for k in _SKIP_ANY if k.isalpha())
_SIGN_KEYS = tuple(k for k in _SKIP_ANY if not k.isalpha())


def furniture_sentence(sentence: str, words: frozenset[str] | None = None) -> bool:
    """A sentence that credits, advertises, prompts or describes the author, or names
    who funded, translated or advised on the document (``credits.py``).

    ``words``: the sentence's lower-case words, when the caller has them.
    """
    if words is None:
        words = frozenset(_WORDS.findall(sentence.lower()))
    keys = [k for k in _WORD_KEYS & words] + [k for k in _SIGN_KEYS if k in sentence]
    if any(_SKIP_ANY[k].search(sentence) for k in keys):
        return True
    return credit_sentence(sentence, words)
