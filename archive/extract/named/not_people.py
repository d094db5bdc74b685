"""Names that look like a person's and are a place, a group or the writer with someone.

Two or three capitalised words, or two names joined by "and", are what a person's
name looks like, and so are "Mexico City", "Alabama and Arkansas" and "South
Africans".  No list of places tells them apart; the words around the name do, the
way a reader tells them apart:

- a place is where something happens: "mills in Alabama and Arkansas have added
  capacity", "trains across Jutland and Funen", "an alert for coastal Fujian and
  Zhejiang" (one-word names or a name of a place: "a stake in Anglo American" may
  name a body, and "officials in Alabama" cite the officials);
- a place's name ends in a noun of places ("Mexico City", "Chakwal District",
  "Ishigaki Island"): a person's never does, and such a name that says or publishes
  something is its administration ("data from Cook County");
- a group is counted or is a nationality in the plural: "most South Africans",
  "many Kenyans think";
- "Ruth Alvarez and I published" names the writer's co-author: the source is the
  other person, not the pair.

Each test reads a few words before or after the name, so it costs nothing per
sentence that has no person in it.
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import DOCUMENTS, VERBS, VOCAB

# Prepositions of place: a name right after one is where something is or comes from.
_WHERE = VOCAB["place_prepositions"]
# "from" is left out: it introduces a source more often than a place ("a letter from
# Ana Ruiz", "the numbers from FBref and Opta", "data from Cook County").
# "Mediators from Qatar and Turkey presented", "officials in Alabama and Arkansas said":
# people placed by the name are the source the name stands in for.
_PLACED_PEOPLE = VOCAB["common_subjects"] | VOCAB["staff_nouns"]
_BODY_NOUNS = VOCAB["org_words"] | VOCAB["outlet_words"] | VOCAB["org_desc_nouns"]
_PLACE_ADJECTIVE = re.compile(
    r"(?:(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?$"
    rf"|(?:{'|'.join(sorted(VOCAB['place_adjectives']))})$"
)
_PLACE_HEADS = VOCAB["place_heads"] | VOCAB["place_name_heads"]
_COUNTING = VOCAB["group_quantifiers"]
_DEMONYMS = VOCAB["demonyms"]
_WORD_BEFORE = re.compile(r"(?P<word>[A-Za-z-]+)\W{0,2}$")
_THE = frozenset({"the", "The"})
# One word, or one-word names joined by "and": "Rotterdam", "Alabama and Arkansas".
# "Fujian and Zhejiang, China": the country may follow.
_ONE_WORDS = re.compile(r"\S+(?:\s+(?:and|&)\s+\S+)*(?:,\s+\S+)?")
_WITH_ME = re.compile(r"\s+and\s+(?:I|me|myself)$")


def _words_before(sentence: str, start: int) -> list[str]:
    """Up to three words before ``start``, nearest first, skipping "the"."""
    out: list[str] = []
    end = start
    while len(out) < 3:
        m = _WORD_BEFORE.search(sentence, max(0, end - 30), end)
        if m is None:
            break
        if m.group("word") not in _THE:
            out.append(m.group("word"))
        end = m.start()
    return out


def _located(sentence: str, start: int, name: str) -> bool:
    """A place preposition before the name, past one adjective of place ("for coastal")."""
    before = _words_before(sentence, start)
    if not before:
        return False
    word = before[0].lower()
    if _PLACE_ADJECTIVE.match(word):
        return True
    if word not in _WHERE or (" and " in name.rpartition(",")[2] and "," in name):
        return False  # a list of names is of people: "In a 2025 article in X, A and B argued"
    if not (_ONE_WORDS.fullmatch(name) or _place_named(name)):
        return False  # "a stake in Anglo American": a body's name of two words may follow
    if len(before) < 2:
        return True
    # "a 2019 paper in Nature Human Behaviour", "wrote in Marine Policy": a work's container
    ahead = before[1].lower()
    return not (_placed_people(ahead) or ahead in DOCUMENTS or ahead in VERBS)


# Plural nouns of people and of bodies: "traders", "economists", "banks", "companies".
_PEOPLE_ENDINGS = ("ers", "ors", "ists", "ians", "ants", "ents", "ives")


def _placed_people(word: str) -> bool:
    """ "Mediators from Qatar and Turkey", "airlines in Japan and Korea": a group the
    places locate, which is the source; "mills in Alabama" is no group of speakers."""
    word = word.lower()
    if word in _PLACED_PEOPLE or word.endswith(_PEOPLE_ENDINGS):
        return True
    single = word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word.endswith("s") and single in _BODY_NOUNS


def _place_named(name: str) -> bool:
    tokens = name.split()
    return len(tokens) > 1 and tokens[-1].lower().strip(".,") in _PLACE_HEADS


def _group(sentence: str, start: int, name: str) -> bool:
    """ "South Africans", "most Kenyans": a nationality in the plural, or a name counted."""
    last = name.split()[-1]
    folded = "_".join(name.lower().split())
    if last.endswith("s") and (folded[:-1] in _DEMONYMS or last.lower()[:-1] in _DEMONYMS):
        return True
    before = _words_before(sentence, start)
    return bool(before) and before[0].lower() in _COUNTING


def person_or_not(sentence: str, start: int, end: int, name: str) -> str:
    """What a name typed "person" is: "person", "org" (a place's administration,
    "Mexico City said") or "reject" (a place where something happens, a group).

    ``start`` is the name's offset in ``sentence``.  A possessive after it changes
    nothing: "in Ana Ruiz's words" is no place (a name of two words), "for coastal Fujian
    and Zhejiang, China's agency said" is.
    """
    if _group(sentence, start, name):
        return "reject"
    if _located(sentence, start, name):
        return "reject"
    if _place_named(name):
        return "org"
    return "person"


# "In Wellington, …", "Across Jutland and Funen, …": a place that opens the sentence.
_OPENING_PLACE = re.compile(r"[\s\"'“‘*_#>(-]*(?P<p>[A-Za-z]+)\s")


def opening_place(sentence: str, start: int) -> bool:
    """Whether a name read from ``start`` opens the sentence with a place preposition
    ("In Wellington, Jacinda Ardern said"): an adverbial of place, not a source."""
    m = _OPENING_PLACE.match(sentence)
    return m is not None and m.start("p") == start and m.group("p").lower() in _WHERE


def without_writer(name: str, start: int, end: int) -> tuple[str, int]:
    """ "Ruth Alvarez and I": the co-author, whom the writer cites with their own work;
    the name and its end, unchanged when the writer is not in it."""
    m = _WITH_ME.search(name)
    if m is None:
        return name, end
    return name[: m.start()], start + m.start()
