"""Whose a possessive says a name is: the possessive inside a name ("Farmers'
Union"), a body that owns what follows ("Harlow Industries' annual review"), or a
place before a body or outlet of its own ("Qatar's Al Jazeera", "Brazil's Itaú BBA").

``names.clean`` cuts a captured name at its possessive; these tests decide which
side of it is the source, and were kept apart from it because each grew its own
word lists.
"""

from __future__ import annotations

import re

from archive.extract.named.branches import chapter_of, plain
from archive.extract.named.grammar import DOCUMENTS, VOCAB
from archive.extract.named.sources import lookup_source

# An apostrophe, a closing quote or a trailing punctuation mark after a name's last word.
TRAILING = re.compile(r"(?:['’]s?|[\"”,:;])$")
ACRONYM = re.compile(r"[A-Z]{2,6}")
_PEOPLE_POSSESSIVES = frozenset(
    {"women's", "men's", "children's", "people's", "women’s", "men’s", "children’s", "people’s"}
)


def collective(token: str, after: list[tuple[str, int]]) -> bool:
    """A plural possessive inside a name ("Farmers' Union", "Women's Aid", "People's
    Bank of China"): the people a body is of, not an owner.  A body's own possessive is
    singular ("the BBC's", "the Bank of England's")."""
    if not after or not after[0][0][:1].isupper():
        return False
    plural = token.endswith(("s'", "s’")) and token[:1].isupper() and len(token) > 4
    return plural or token.lower() in _PEOPLE_POSSESSIVES


def body_owner(tokens: list[tuple[str, int]], i: int) -> bool:
    """A body's head noun in the plural before the possessive at ``i`` owns what
    follows ("Al Wasl Logistics' Riyadh listing", "Harlow Industries' annual review");
    after "of" or "for" it is the field a name ends on ("the Office for National
    Statistics' survey" is read whole, as the plural possessive of a name)."""
    word = plain(tokens[i][0].rstrip("'’").lower())
    return word in VOCAB["org_words"] and not any(t in ("of", "for") for t, _ in tokens[:i])


def known_after(tokens: list[tuple[str, int]], i: int) -> bool:
    """A known outlet after a place's possessive ("Qatar's Al Jazeera"): the outlet is
    the name, the place only says where it is.  Not a title that is an ordinary word
    too ("Today's Outlook")."""
    rest = " ".join(t for t, _ in tokens[i + 1 :])
    known = lookup_source(TRAILING.sub("", rest)) if rest else None
    return known is not None and known.kind in ("news", "journal") and not known.plain_word


def own_body(tokens: list[tuple[str, int]], i: int) -> bool:
    """Whether the name after the possessive at ``i`` is a body of its own rather
    than the owner's undertaking ("the BTO's Wetland Bird Survey") or its
    publication ("Kaufman Hall's National Hospital Flash Report").

    A body of its own is known ("the UN's World Food Programme"), a known body's
    unit ("Brazil's Itaú BBA"), or has a body's word or an acronym in its name
    ("Germany's Ifo Institute", "Chile's Banco Santander-Chile", "India's HDFC
    Securities"): the owner then only says where it is or whose it is.
    """
    rest = [t for t, _ in tokens[i + 1 :]]
    name = " ".join(rest)
    if lookup_source(name) or chapter_of(name):
        return True
    last = TRAILING.sub("", rest[-1].rstrip(".,;:")).lower()
    if last in VOCAB["owned_work_heads"] or last in DOCUMENTS:
        return False
    words = {plain(t.lower().strip(".,'’")) for t in rest}
    return bool(words & VOCAB["org_words"]) or any(
        ACRONYM.fullmatch(t) is not None and t not in VOCAB["stop_acronyms"] for t in rest
    )
