"""The attribution grammar, loaded from ``archive/data/attribution.toml``.

The vocabulary lives in data so that misses are fixed by adding words; this
module only turns it into word sets and compiled regular expressions once, at
import.  Reporting verbs and document nouns are listed by their base form and
inflected here (say → says, said, saying; report → reports), so the data
stays short and every tense is covered.
"""

from __future__ import annotations

import functools
import re
import tomllib

from archive.extract.named.sources import data_text

_DATA = tomllib.loads(data_text("attribution.toml"))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VOCAB: dict[str, frozenset[str]] = {
    key: frozenset(value) if isinstance(value, list) else _words(str(value))
    for key, value in _DATA.items()
    if key not in ("triggers", "irregular_verbs")
}


# A final consonant after one vowel doubles before -ed and -ing when its syllable is
# stressed: always in a word of one syllable (map → mapped, quip → quipped: the "u" of
# "qu" is no vowel), in a longer word only if listed under stressed_final_verbs
# (admit → admitted, but open → opened, visit → visited).  A final "l" of an unstressed
# syllable doubles in British spelling and not in American: travel takes both.
_SINGLE_FINAL = re.compile(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]$")
_VOWELS = re.compile(r"[aeiouy]+")
_STRESSED_FINAL = VOCAB["stressed_final_verbs"]


def _doubling(base: str) -> tuple[bool, bool]:
    """Whether ``base`` doubles its final consonant before -ed and -ing, and whether it
    may also keep it single."""
    shape = base.replace("qu", "qw")
    if not _SINGLE_FINAL.search(shape):
        return False, True
    if len(_VOWELS.findall(shape)) == 1 or base in _STRESSED_FINAL:
        return True, False
    return base.endswith("l"), True


def _regular(base: str) -> set[str]:
    forms = {base}
    doubles, single = _doubling(base)
    if doubles:
        doubled = base + base[-1]
        forms |= {base + "s", doubled + "ed", doubled + "ing"}
        if not single:
            return forms
    if re.search(r"(?:s|sh|ch|x|z)$", base):
        forms.add(base + "es")
    elif re.search(r"[^aeiou]y$", base):
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    if base.endswith("e"):
        forms |= {base + "d", base[:-1] + "ing" if not base.endswith("ee") else base + "ing"}
    elif re.search(r"[^aeiou]y$", base):
        forms |= {base[:-1] + "ied", base + "ing"}
    else:
        forms |= {base + "ed", base + "ing"}
    return forms


def _inflect(bases: frozenset[str], irregular: str) -> frozenset[str]:
    """Every form of ``bases``; ``irregular`` may list more verbs than ``bases`` holds,
    and only the forms of the verbs in ``bases`` are taken from it."""
    special = {line.split()[0]: line.split() for line in irregular.strip().splitlines()}
    forms: set[str] = set()
    for base in bases:
        if base in special:
            forms |= set(special[base])
            forms |= {f for f in _regular(base) if not f.endswith("ed")}
        else:
            forms |= _regular(base)
    return frozenset(forms)


VERBS = _inflect(VOCAB["verbs"], str(_DATA["irregular_verbs"]))
SPEECH = _inflect(VOCAB["speech_verbs"], str(_DATA["irregular_verbs"]))
_DOC_BASES = VOCAB["documents"] | VOCAB["work_nouns"]
DOCUMENTS = (
    _DOC_BASES
    | frozenset(d + ("es" if d.endswith(("s", "x", "ch")) else "s") for d in _DOC_BASES)
    | frozenset(d[:-1] + "ies" for d in _DOC_BASES if re.search(r"[^aeiou]y$", d))
)


def _unit(ch: str, capital: bool) -> str:
    if capital and "a" <= ch <= "z":
        return f"[{ch}{ch.upper()}]"
    return r"[\s-]" if ch == "-" else re.escape(ch)


def _trie(words: list[str], capital: bool) -> str:
    """An alternation of ``words`` as a trie, tried in reverse sorted order.

    Depth-first with the larger character first and a word's own end last is
    the order of ``sorted(words, reverse=True)``, so the regex engine tries the
    same words in the same order as the flat alternation and matches alike;
    but it tests a few dozen first letters instead of hundreds of words at
    each place, which was a large part of the cost of the named pass.
    ``capital`` lets each word's first letter, and a letter after a non-word
    character, also be upper case ("Data from the Census Bureau").
    """
    return _branches(words, 0, capital)


def _branches(words: list[str], depth: int, capital: bool) -> str:
    ends = any(len(w) == depth for w in words)
    rest = sorted({w[depth] for w in words if len(w) > depth}, reverse=True)
    alts = []
    for ch in rest:
        group = [w for w in words if len(w) > depth and w[depth] == ch]
        first = capital and (depth == 0 or not re.match(r"\w", group[0][depth - 1]))
        alts.append(_unit(ch, first) + _branches(group, depth + 1, capital))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def alt(words: frozenset[str], *, capital: bool = False) -> str:
    """Words as one alternation, longest first, so "reports" is tried before "report"."""
    return _trie(sorted(words), capital)


def phrases(key: str) -> str:
    """Plain phrases from the vocabulary as one pattern: any spacing, whole words.

    Built as a trie of the phrases' units (a character, a run of spaces, the
    closing word boundary): at any place, the phrases that can match there
    share their beginning, so trying the longer continuation before the end,
    as the trie does, picks what the flat alternation with the longest phrase
    first picked.  The flat one tried every phrase at every position of the
    sentence; the trie tries a few first letters.
    """
    return _phrase_branches(
        [
            [r"\s+" if ch == " " else re.escape(ch) for ch in p]
            + [_END + (r"\b" if p[-1].isalnum() else "")]
            for p in sorted(VOCAB[key])
        ]
    )


_END = "\0"  # marks a phrase's closing unit; never a unit of the phrase itself


def _phrase_branches(seqs: list[list[str]]) -> str:
    groups: dict[str, list[list[str]]] = {}
    for seq in seqs:
        groups.setdefault(seq[0], []).append(seq[1:])
    # the continuations first, a phrase's end last: the longer phrase wins
    units = sorted(groups, key=lambda u: u.startswith(_END))
    alts = [
        u.removeprefix(_END) if u.startswith(_END) else u + _phrase_branches(groups[u])
        for u in units
    ]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def phrases_by_key(phrases_: frozenset[str]) -> dict[str, re.Pattern[str]]:
    """The phrases grouped by their longest word, each group one pattern.

    A sentence is searched only with the groups whose word it contains: a
    substring test per group is far cheaper than one alternation tried at
    every position of every sentence.
    """
    groups: dict[str, list[str]] = {}
    for phrase in phrases_:
        key = max(re.findall(r"[^\W_]+|\S", phrase.lower()), key=len)
        groups.setdefault(key, []).append(phrase)
    return {
        key: re.compile(
            "(?i:"
            + "|".join(
                re.escape(p).replace(r"\ ", r"\s+") + (r"\b" if p[-1].isalnum() else "")
                for p in sorted(group, key=len, reverse=True)
            )
            + ")"
        )
        for key, group in groups.items()
    }


# The small words inside names of bodies in the languages news writing quotes them in:
# "Istituto Superiore di Sanità", "Institut für Weltwirtschaft", "Centraal Bureau voor
# de Statistiek", "Banco do Brasil", "Statens institutt for folkehelse och …", the
# Tagalog "Samahan ng mga Guro"; and the words of lineage inside Arabic and Malay
# people's names ("Khalid bin Salman Al-Harthy", "Siti binti Abdullah").
_FOREIGN_CONN = (
    "di della delle degli dello für voor och og för do dos das et ng mga bin binti bint ibn"
)
CONNECTORS = _words(
    "of for to and & de du des del da la le al el van von der den y on the " + _FOREIGN_CONN
)
MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
# Short months as datelines and credit lines write them: "Oct. 14", "Sept 3".
MONTH_SHORT = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
# A date in figures: "9/30/2025", "30.09.2025", "2025-09-30".
NUMERIC_DATE = r"(?:\d{1,2}[/.]\d{1,2}[/.](?:\d\d)?\d\d|\d{4}-\d\d-\d\d)"
DAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DATE_WORDS = frozenset(f"{MONTH}|{DAY}".split("|"))
YEAR = r"(?:1[6-9]|20)\d\d"
# Capitals beyond Latin-1: Turkish, Polish, Czech, Romanian and Vietnamese names
# ("Burcu Şahin of İş Yatırım", "Łukasz Nowak", "Đặng Văn Minh") start with them.  The
# Latin Extended blocks alternate capital and small letters, so they are taken whole:
# listing the capitals one by one made every pattern slower to compile (0.2 s at import),
# and a word of English prose never opens with a small letter of those blocks.
UP = "A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ"
# An en dash joins the parts of one name: "University of Nebraska–Lincoln".
TOK = rf"[{UP}][\w&'’.\-]*(?:–[{UP}][\w&'’.\-]*)?"
_CONN = (
    r"(?:of|for|to|and|&|de|du|des|del|da|la|le|al|el|van|von|der|den|y|on|"
    + "|".join(_FOREIGN_CONN.split())
    + ")"
)
# A name: capitalised words, joined by a few lower-case connectors or numbers.
# A lower-case particle joined to the next word: "Majed al-Ansari", "Valéry d'Estaing".
_PART = r"(?:al|el|ad|ar|as|ash|at|az|ibn|bin|abu|d|l)[-'’]"
# An article may follow the connector: "Department of the Interior", "Banco de la
# República", "Centraal Bureau voor de Statistiek", "… et de la Démographie".
NAME = (
    rf"{TOK}(?:\s+(?:{_CONN}(?:\s+(?:the|de|la|le|les|der|den|die|het|mga)){{0,2}}\s+|{_PART})?{TOK}"
    rf"|\s+\d{{1,3}}(?!\d|[.,]\d)){{0,7}}"
)
# A title: capitalised words with the small words of titles between them.
TITLE = (
    rf"[{UP}][\w'’-]*(?:(?:\s+(?:of|the|and|for|in|on|a|an|to|with|without|from|at))*"
    rf"\s+[{UP}0-9][\w'’:-]*){{0,9}}"
)
# People listed as authors: "Cox, Arnold and Villamayor Tomás", "Klein et al.".
# Surname particles in lower case: "Thompson and van Woesik", "de la Cruz".
_PARTICLES = r"(?:(?:van|von|de|der|den|du|da|di|del|dos|das|la|le|ter|ten)\s+){0,2}"
PERSON = rf"{_PARTICLES}[{UP}][\w'’-]+(?:\s+{_PARTICLES}[{UP}][\w'’-]+){{0,2}}"
AUTHORS = (
    rf"{PERSON}(?:\s+et\s+al\.?|\s+and\s+(?:colleagues|co-?authors|others)"
    rf"|(?:\s*,\s*{PERSON}){{0,4}},?\s+(?:and|&)\s+{PERSON})?"
)
MOD = rf"(?:{alt(VOCAB['modifiers'])}|{YEAR}(?:s|-\d\d)?)"
OUTLET_NOUN = rf"(?:(?:news|radio|wire|think|travel)[\s-]+)?(?:{alt(VOCAB['outlet_nouns'])})\b"
DESC = (
    rf"(?P<desc>(?:[\w'’-]+\s+){{0,2}}?(?:{OUTLET_NOUN}"
    rf"|(?P<orgdesc>(?:{alt(VOCAB['org_desc_nouns'])})\b))\s+)?"
)
SUFFIX = rf"(?P<suffix>\s+{OUTLET_NOUN})?"
# A role before a person: "remarks by spokesperson Tammy Bruce", "according to analyst X".
# "the maritime historian Dr. X": up to two lower-case words may qualify the role.
_ROLE = rf"(?:(?:[a-z][\w-]*\s+){{0,2}}?(?:{alt(VOCAB['roles'])})\s+)?"
REF = rf"(?P<art>(?:[Tt]he|[Aa]n?)\s+)?(?:{MOD}\s+){{0,2}}{DESC}{_ROLE}(?P<name>{NAME}){SUFFIX}"
DOC = rf"(?:press\s+releases?|{alt(DOCUMENTS)})"
# The same, case-sensitive but for the first letter: "Data from the Census
# Bureau", never the middle of a name ("the Review of Economic Studies").
DOC_LOWER = rf"(?-i:(?:[pP]ress\s+[rR]eleases?|{alt(DOCUMENTS, capital=True)}))"
ADV = (
    # "X has the story", "Eurostat have the data": "has" is the verb there, not an auxiliary
    r"(?:(?:has|have|had)(?!\s+the\s+(?:story|news|data|figures|numbers)\b)|also|first|previously|later|recently|then|once|itself|separately"
    rf"|subsequently|initially|earlier|exclusively|on\s+(?:{DAY})|in\s+{YEAR}|\({YEAR}\)"
    r"|last\s+(?:week|month|year|night)|was|were|is|are|will|would|could|may|might"
    r"|already|publicly|again|repeatedly|bluntly|famously|once|now|even|still|openly|finally"
    r"|quietly|actually|been|being|so\s+far|for\s+(?:its|their)\s+part|in\s+turn)"
)
# Any word in the verb's place: whether it is a reporting verb is a set lookup
# (``is_verb``), far cheaper than an alternation of hundreds of forms.
VERB = (
    r"(?P<verb>[a-z][a-z'’-]*(?:\s+(?:(?:(?:much|very|largely|roughly|essentially)\s+)?"
    r"(?:the|a|this|that)\s+(?:same\s+|similar\s+)?(?:point|case|conclusion)|it|out"
    r"|the\s+(?:story|news|data|figures|numbers)|reporters|on\s+to\s+say|at|into))?)\b"
)
_STRONG = frozenset({"first reported", "broke the story", "broke the news"})


# Base forms that are mostly nouns after a name ("the Electrification of Heat
# project", "the Kestrel survey"): only their inflected forms are verbs.
_NOUNISH = (VOCAB["verbs"] & DOCUMENTS) | VOCAB["nounish_verbs"]


# Every "make the (same|similar) point/case" in any tense, besides the listed phrases.
_MADE_POINT = re.compile(
    r"(?:make|makes|made|making)\s+(?:the|a|this|that)\s+(?:same\s+|similar\s+)?(?:point|case)"
)
_HEDGE = re.compile(r"\s(?:much|very|largely|roughly|essentially)(?=\s)")


# The words in a verb's place are few and repeat: a cached answer costs a lookup.
@functools.lru_cache(maxsize=8192)
def is_verb(words: str) -> bool:
    """A reporting verb or verb phrase, as matched by ``VERB``; "made much the same
    case" is "made the same case"."""
    phrase = _HEDGE.sub("", " ".join(words.split()))
    if _MADE_POINT.fullmatch(phrase):
        return True
    first = phrase.split()[0]
    return phrase in VOCAB["verb_phrases"] or (first in VERBS and first not in _NOUNISH)


def is_strong(words: str) -> bool:
    return " ".join(words.split()) in _STRONG


# Words that can start or carry an attribution: the patterns are only tried
# near one of them, which keeps the scan cheap on text that has none.
# A phrase opening with a light verb ("has the story", "making the same point") is
# looked for at its last word: windows at every "has" and "make" cost more than the rest.
_LIGHT = frozenset({"has", "have", "had", "make", "makes", "making"})
LEFT_HEADS = VERBS | {
    p.split()[-1] if p.split()[0] in _LIGHT else p.split()[0] for p in VOCAB["verb_phrases"]
}
RIGHT_HEADS = DOCUMENTS | VOCAB["trigger_words"]
# "published last year by", "compiled in 2019 by": a time between verb and producer.
WHEN = (
    r"(?:\s+(?:(?:last|this|earlier\s+this|next)\s+(?:year|month|week|spring|summer|autumn"
    r"|fall|winter)|in\s+(?:1[89]|20)\d\d(?:\s+and\s+(?:1[89]|20)\d\d)?|today|yesterday"
    r"|recently|earlier|jointly|in\s+detail|at\s+length|in\s+full|widely|first|exclusively"
    rf"|originally|in\s+(?:early\s+|late\s+|mid-)?(?:{MONTH})(?:\s+(?:1[89]|20)\d\d)?"
    rf"|on\s+(?:{DAY})))?"
)
TRIGGERS = [
    row.replace("<WHEN>", WHEN).split(" ", 2) for row in str(_DATA["triggers"]).strip().splitlines()
]
DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{MONTH})\s+{YEAR}|(?:{MONTH})\s+\d{{1,2}},?\s+{YEAR}"
    rf"|(?:{MONTH})\s+{YEAR}|\d{{4}}-\d\d-\d\d|{YEAR})\b"
)
