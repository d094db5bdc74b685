"""What a captured name is: an outlet, an organisation, a person, or nothing.

Generic named-entity recognition tags people and places that are not
sources and misses outlets; here the test is made on the name and the
attribution around it.  Known sources decide first; then the words of the
name ("Institute", "Gazette"), then its shape (a run of two to four
capitalised words is a person's name, a short upper-case word an acronym).
"""

from __future__ import annotations

import functools
import re

from archive.extract.named.branches import chapter_of, plain, regional_service
from archive.extract.named.grammar import CONNECTORS, DATE_WORDS, DOCUMENTS, VOCAB
from archive.extract.named.possessives import (
    ACRONYM,
    TRAILING,
    body_owner,
    collective,
    known_after,
    own_body,
)
from archive.extract.named.sources import lookup_source, normalise_name

# A capitalised word of any alphabet: "Dvořák", "O'Neill", "Jean-Luc", "J."
_PERSON_WORD = re.compile(
    r"(?:(?:al|el|ad|ar|as|ash|at|az|ibn|bin|abu|d|l)[-'’])?(?=[^\W\d_])[^\W\d_a-zß-ÿ](?:[^\W\d_A-Z]+(?:[-'’][^\W\d_]?[^\W\d_A-Z]+)*|\.)"
)
_PERSON_LIST = re.compile(r"(?:[^,]+,\s+)*[^,]+,?\s+(?:and|&)\s+[^,]+$|.+\set\sal\.?$")

# A single capitalised word that is a document noun or a section heading is no
# body's name; a newspaper's short name ("the Post", "the Record") is kept.
_COMMON_NOUNS = (VOCAB["section_words"] | DOCUMENTS) - VOCAB["outlet_words"]
_NOT_PERSON = DOCUMENTS | VOCAB["outlet_words"] | VOCAB["org_words"]
# What a pattern accepts, by what it needs the name to be.
ACCEPT = {
    "outlet": {"outlet"},
    "source": {"outlet", "org"},
    "strong": {"outlet", "org", "weak", "person"},
    "line": {"outlet", "org", "weak"},  # "Reporting by Jane Doe" names the reporter
    "speaker": {"outlet", "org", "person"},
    "author": {"outlet", "org", "person", "weak"},
}
SOURCE_TYPE = {"outlet": "outlet", "org": "organisation", "weak": "organisation"}


_TOKEN = re.compile(r"\S+")
_POSSESSIVE_ENDS = ("'", "’", "'s", "’s")


def clean(raw: str, offset: int) -> tuple[str, int, int, bool]:
    """Drop discourse words and "the" in front and a possessive at the end of a name.

    The last value tells whether a "the" was dropped ("As The Atlantic noted").
    A possessive keeps the owner ("the BBC's Today show" → BBC) unless an
    organisation's own name follows ("the OSCE's Office for Democratic
    Institutions" → the office).
    """
    if "\n\n" in raw.strip():
        # A blank line ends a paragraph, a heading or a byline ("… Economics Editor",
        # then "When the Central Bank …"): no name runs across it.
        return "", offset, offset, False
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(raw)]
    # "to the" inside a run of names joins two: "a memo from Peter Flanigan to the
    # President", "a cable from Moscow to the State Department".  A body's own name
    # puts a verb after "to" ("Committee to Protect Journalists"), not an article.
    # The owner of a work after them is the second ("point the Committee to the
    # NCSC's own guidance").
    glued = (
        next((i for i, (t, _) in enumerate(tokens[1:-1], 1) if t == "to"), 0)
        if " to " in raw
        else 0
    )
    if glued and tokens[glued + 1][0] in ("the", "The"):
        owned = any(t.endswith(_POSSESSIVE_ENDS) for t, _ in tokens[glued + 2 :])
        tokens = tokens[glued + 2 :] if owned else tokens[:glued]
    for i, (token, _) in enumerate(tokens):
        if token.strip(".,") in DATE_WORDS:  # "Reuters on Tuesday"
            tokens = tokens[:i]
            break
        if not token.endswith(_POSSESSIVE_ENDS):
            continue
        if collective(token, tokens[i + 1 : i + 2]) and not body_owner(tokens, i):
            continue  # "the Valdren Farmers' Union", "Women's Aid": one name
        if not lookup_source(raw):
            if known_after(tokens, i):
                tokens = tokens[i + 1 :]  # "Japan's Nikkei", "Hong Kong's South China Morning Post"
                break
            if len(tokens) > i + 2 and own_body(tokens, i):
                tokens = tokens[i + 1 :]
                break
            tokens = tokens[: i + 1]
            break
    the = False
    while tokens and (
        # "Today's Outlook" opens with "Today" as much as "Today, the …" does
        TRAILING.sub("", tokens[0][0]).strip(".,") in VOCAB["lead"]
        or tokens[0][0] in ("The", "the")
        # "State-run Xinhua", "Saudi-owned Al Arabiya": who owns or backs it, not its name
        or (len(tokens) > 1 and _OWNED_BY.fullmatch(tokens[0][0]) is not None)
    ):
        first = tokens[0][0]
        if first not in ("The", "the") and lookup_source(" ".join(t for t, _ in tokens)):
            break  # a known name that opens with such a word: "New Scientist"
        the = tokens.pop(0)[0] in ("The", "the") or the  # pop first: "the New …" must end
    while tokens and tokens[-1][0].lower() in CONNECTORS:
        tokens.pop()
    while tokens and tokens[0][0] in CONNECTORS:
        tokens.pop(0)  # "According to Women's Aid": "to" is left after "According"
    if not tokens:
        return "", offset, offset, the
    last, at = tokens[-1]
    last = TRAILING.sub("", last)
    last = last[:-1] if last.endswith(".") and last.count(".") == 1 and last != "al." else last
    tokens[-1] = (last, at)
    return " ".join(t for t, _ in tokens), offset + tokens[0][1], offset + at + len(last), the


_OWNED_BY = re.compile(
    r"[\w’'.]+-(?:run|owned|backed|based|funded|controlled|affiliated|linked|aligned|leaning)"
    r"|(?i:pro|anti)-[\w-]+"
)


def post_word(token: str) -> bool:
    """A word that names a post ("Chancellor", "spokeswoman"), not one that only
    qualifies it ("State", "Health", "Vice"), which titles of works use too."""
    word = token.strip(".,")
    return word.lower() in VOCAB["roles"] or (
        word in VOCAB["titles"] and word not in VOCAB["title_qualifiers"]
    )


def role_word(token: str) -> bool:
    word = token.strip(".,")
    return word in VOCAB["titles"] or word.lower() in VOCAB["roles"]


def _title_word(token: str, first: bool) -> bool:
    # A role noun opening the name is a title too: "Analyst Tran Quoc Bao".
    word = token.strip(".")
    return word in VOCAB["titles"] or (first and word.istitle() and word.lower() in VOCAB["roles"])


def split_title(name: str) -> tuple[str | None, str]:
    """A title and the person: "(German) Deputy Transport Minister Ivan Petrov"."""
    tokens = name.split()
    last = max((i for i, t in enumerate(tokens[:-1]) if _title_word(t, i == 0)), default=-1)
    person = tokens[last + 1 :]
    if last >= 0 and tokens[last].strip(".") in VOCAB["title_qualifiers"]:
        return None, name
    if len(person) > 2 and person[0] in ("of", "for") and len(person) <= 6:
        # "Secretary of Agriculture Clarence Palmby": the post's department, then the
        # person, read as the last two words.
        last, person = len(tokens) - 3, tokens[-2:]
    if last < 0 or not 1 <= len(person) <= 3 or not all(_PERSON_WORD.fullmatch(t) for t in person):
        return None, name
    return " ".join(tokens[: last + 1]), " ".join(person)


_AFFILIATION = re.compile(r"(?P<person>.+?)\s+(?:of|at|from)\s+(?:the\s+)?(?P<body>[A-Z].*)")


def affiliated(raw: str) -> tuple[str, str] | None:
    """A person and where they work, read as one name: "Professor Nadia Osei of King's
    College London", "Tom Aske of the Renters' Legal Project".  The person is the source."""
    m = _AFFILIATION.fullmatch(raw)
    if m is None:
        return None
    person = m.group("person")
    titled = split_title(person)[0] is not None
    if not titled and (not person_like(person) or any(role_word(t) for t in person.split())):
        return None  # "Assistant Secretary of Agriculture …": a post, not a person
    return person, m.group("body")


def person_like(name: str) -> bool:
    """Two to four capitalised words ("Maria Keane"), or a list of such names."""
    if _PERSON_LIST.match(name) and ("," in name or " and " in name or " et al" in name):
        return True
    words = [t for t in name.split() if t not in CONNECTORS]
    if {w.lower() for w in words} & _NOT_PERSON:
        return False  # "National Food Strategy", "Annual Review": a title, not a person
    return 2 <= len(words) <= 4 and all(_PERSON_WORD.fullmatch(w) for w in words)


# Japanese and Korean honorifics written after the name.
_HONORIFIC_SUFFIX = re.compile(r"[a-z]-(?:san|sama|sensei|ssi|nim)$")


def _branch(name: str) -> str | None:
    """``chapter_of``, but a role before a person is no branch: "Economist Ryota Kubo" is
    an economist, not The Economist's."""
    first = name.split()[0] if name.split() else ""
    if first.lower() in VOCAB["roles"] and split_title(name)[0] == first:
        return None
    return chapter_of(name)


@functools.lru_cache(maxsize=16384)  # a pure verdict on a name that recurs in a document
def classify(name: str, *, the: bool, desc: bool | str, at_start: bool) -> str:
    """outlet, org, person, weak (a bare unknown word) or reject (places, titles)."""
    known = lookup_source(name)
    if known is not None:
        if known.plain_word and at_start and not the:
            return "reject"  # "Science shows that …"
        return "outlet" if known.kind in ("news", "journal") else "org"
    chapter = _branch(name)
    if chapter is not None:
        return chapter
    folded = normalise_name(name).replace(" ", "_")
    if not name or folded in VOCAB["not_sources"] or folded in VOCAB["demonyms"]:
        return "reject"  # places, platforms; "Indian", "Egyptian": a nationality
    tokens = name.split()
    if len(tokens) <= 3 and _HONORIFIC_SUFFIX.search(tokens[-1]):
        return "person"  # "Sato-san", "Tanaka-sensei", "Kim-ssi": an honorific marks a person
    if len(tokens) == 1 and _COMPOUND.fullmatch(name):
        return "reject"  # "the Pittsburgh-based company", "the Kremlin-backed group": it says where
    if len(tokens) == 1 and name.lower().strip(".:") in _COMMON_NOUNS:
        return "reject"  # "The Survey found", a "Population" heading read into its paragraph
    if len(tokens) == 1 and at_start and not the and name.lower() in VOCAB["common_subjects"]:
        return "reject"  # "Government announces …", "Police said"
    lowered = {plain(t.lower().strip(".'’")) for t in tokens}
    if desc == "org":
        return "org"  # "the trade body Recharge"
    if not_a_body(tokens, lowered, the=the):
        return "reject"
    field = {plain(t.lower().strip(".'’")) for t in tokens[1:]}
    if not the and post_word(tokens[0].split("-")[-1]) and field <= _BODY_WORDS:
        return "reject"  # "Vice-President Research", "Director Policy": a post and its field
    title = split_title(name)[0]
    if title is not None and post_word(title.split()[-1]):
        return "person"  # "Mining Minister Aurelio Fuentes": the post's words name no body
    head = plain(tokens[-1].lower().strip(".'’"))
    body_head = head in VOCAB["org_words"] and head not in VOCAB["outlet_words"]
    if not desc and len(tokens) > 1 and body_head and "and" not in lowered:
        # "Energy Policy Institute": a body's head noun, whatever qualifies it; a title
        # joining two fields is a journal's ("Ecology and Society")
        return "org"
    cut = next((i for i, t in enumerate(tokens) if t in _HEAD_END), 0)
    if not desc and cut and plain(tokens[cut - 1].lower()) in _BODY_HEADS:
        # "Department of Foreign Affairs", "Institute of Economic Affairs": the head
        # before "of" is a body's, whatever field follows (an outlet's "Journal of …"
        # and "Review of …" have an outlet's head)
        return "org"
    if not desc and len(tokens) > 1 and "club" in (head, plain(tokens[0].lower())):
        # "Club Atlético Ribera", "the Sierra Club": a club at either end of its name;
        # inside a title it qualifies ("the European Club Finance Landscape")
        return "org"
    if desc or lowered & VOCAB["outlet_words"]:
        return "outlet"
    if lowered & VOCAB["org_words"]:
        if len(tokens) == 1 and at_start and not the:
            return "reject"  # "Project records were obtained …": the noun alone names nothing
        return "org"
    if _foreign_title(tokens):
        return "outlet"  # "La Voz del Sur", "Le Petit Quotidien", "Il Giornale di Vicenza"
    if title:
        return "person"
    if all(role_word(t) or t in CONNECTORS for t in tokens):
        return "reject"  # "the Prime Minister", "Chief Executive" alone: a role, not a name
    if 1 < len(tokens) <= 4 and regional_service(tokens):
        return "outlet"  # "NRK Buskerud", "BBC Scotland", "CNN Philippines"
    if len(tokens) > 1 and any(
        ACRONYM.fullmatch(t) and t not in VOCAB["stop_acronyms"] for t in tokens
    ):
        return "org"  # "BNP Paribas", "UNICEF Somalia"
    # Capitalised particles are part of a name ("Van Oord", "Al Jazeera").
    words = [t for t in tokens if t not in CONNECTORS]
    if len(words) == 1:
        word = words[0]
        if word.replace(".", "") in VOCAB["stop_acronyms"]:
            return "reject"  # "a PhD thesis", "the CPI": a thing's acronym
        if _SHORT_CAPS.fullmatch(word) and sum(map(str.isupper, word)) > 1:
            stop = word.endswith("s") or word.replace(".", "") in VOCAB["stop_acronyms"]
            return "reject" if stop else "org"  # "URLs", "NGOs" are plurals, not names
        if _CAMEL.fullmatch(word):
            return "org"  # "MarineTraffic", "WorldFish", "DFRobot"
        if at_start and not the:
            common = word.lower() in VOCAB["common_subjects"] or word.endswith("s")
            if common or _ADJECTIVE.fullmatch(word):
                return "reject"  # "Officials said", "Administrative data tell"
            return "single"  # "Sandoz said"
        return "org" if the else "weak"
    if the or (len(words) < len(tokens) and not lowered & {"and", "et"}):
        return "org"
    return "person" if person_like(name) else "weak"


# The articles that open a periodical's name in the languages news quotes them in.  A
# body's name in those languages opens with its head noun ("Ministerio de …", "Banco …"),
# a person's surname with an article has two words ("Le Pen", "De Wever", "La Russa"),
# so three or more words after such an article, none a body's, name a publication.
FOREIGN_ARTICLES = frozenset({"El", "La", "Le", "Il", "Lo", "O", "Die", "Der", "Das", "Het"})


def _foreign_title(tokens: list[str]) -> bool:
    return (
        len(tokens) >= 3
        and tokens[0] in FOREIGN_ARTICLES
        and tokens[1][:1].isupper()
        and tokens[-1][:1].isupper()
    )


_HEAD_END = frozenset({"of", "for", "to", "on"})
# Heads of the names of states: with no word of a body in the name, a country.
_STATE_HEADS = frozenset({"republic", "kingdom", "principality", "sultanate", "emirates"})
_BODY_WORDS = VOCAB["org_words"] | VOCAB["outlet_words"]
_BODY_HEADS = VOCAB["org_words"] - VOCAB["outlet_words"]
_OUTLET_WORDS = VOCAB["outlet_words"]
_TITLE_LAST = VOCAB["title_last_words"]
# "B-176943", "HR-4521", "A/78/150": a document or file number, not a name.
_DOCUMENT_ID = re.compile(r"[A-Z]{0,4}[-/]?\d{3,}(?:[-/.][\w]+)*")


def not_a_body(tokens: list[str], lowered: set[str], *, the: bool) -> bool:
    """Names that look like a body's and are not one: a post, a place, two names glued.

    The head of a name is its last word before "of"/"for" ("Cabinet Member for
    Culture" → Member).  A head that is a role, bare ("Jane Hunter, Chief Executive
    of X, said", "Cabinet Member for Culture and Communities"), is a title in
    apposition to a person, not a source; with "the" it is the one holder of an
    office who speaks ("the Energy Secretary told MPs") and is left to the rest of
    the test, and so is a post followed by its holder's name ("Secretary of
    Agriculture Clarence Palmby").  A place noun as the head ("Cape of Good Hope",
    "Port of Valdren", "the Red Sea") with no word of a body or an outlet anywhere
    names a place (a place noun last only after "the"), and a law's or an
    agreement's head ("the Inflation Reduction Act", "the Paris Agreement") a
    document.
    """
    if len(tokens) == 1:
        return _DOCUMENT_ID.fullmatch(tokens[0]) is not None
    cut = next((i for i, t in enumerate(tokens) if t in _HEAD_END), len(tokens))
    head = tokens[cut - 1].strip(".,").lower() if cut else ""
    held = person_like(" ".join(tokens[-2:])) and not role_word(tokens[-1])
    if not the and head in VOCAB["roles"] and head not in VOCAB["org_words"] and not held:
        return True
    if (
        len(tokens) >= 3
        and tokens[-1] in _TITLE_LAST
        and not lowered & _OUTLET_WORDS
        and not _maker_first(tokens[0])
    ):
        return True  # "National Hospital Flash Report": a work's title, not its producer
    if lowered & _BODY_WORDS:
        return False
    first, last = tokens[0].lower(), tokens[-1].lower()
    if head in _STATE_HEADS or last in _STATE_HEADS:
        return True  # "the Democratic Republic of the Congo", "the Czech Republic": a country
    if head in VOCAB["instrument_heads"] or last in VOCAB["instrument_heads"]:
        return True  # "the Inflation Reduction Act", "the Convention on Biological Diversity"
    # A place noun last names a place only after "the" ("the Red Sea", "the Mekong
    # River"): without it the same shape is as often a person ("Ruth Lake", "Joan Rivers").
    place_last = the and last in VOCAB["place_heads"]
    return place_last or (first in VOCAB["place_heads"] and tokens[1] == "of")


def _maker_first(token: str) -> bool:
    """ "IEA World Energy Outlook": a known body first names the work's maker (a
    newspaper's one-word name, "National", is only a title's word)."""
    known = lookup_source(token)
    return known is not None and known.kind not in ("news", "journal")


# A word that can only be an adjective opening a sentence: a compound with a lower-case
# second part ("Small-scale", "Long-term") or an adjective's ending ("Administrative",
# "Regional", "Historical", "Previous", "Comparable").  Brands and surnames with these
# endings are rare enough; known sources are looked up before this.
_ADJECTIVE = re.compile(r"[A-Z][a-z]+-[a-z][\w-]*|[A-Z][a-z]+(?:ative|ional|ical|ous|able|ible)")
# A capitalised word and a lower-case one joined by a hyphen is an adjective of where or
# whose a body is ("Pittsburgh-based", "Dubai-listed", "State-owned", "Kremlin-backed"),
# never a body's whole name: names keep their capitals across a hyphen ("Coca-Cola").
_COMPOUND = re.compile(r"[A-Z][\w'’.]*-[a-z][a-z-]*")
_SHORT_CAPS = re.compile(r"[A-Z][A-Z0-9&/.-]{1,7}s?")
# "MarineTraffic", "DFRobot", "JPMorgan": capitals inside a word make a brand, not a
# person or a place ("URLs", "NGOs" are plurals of acronyms).
_CAMEL = re.compile(r"[A-Z][a-z]+[A-Z]\w*|[A-Z]{2,}[a-z]{2,}\w*")
