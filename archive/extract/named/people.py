"""People as sources: named with their post and employer, by the post alone, or again
by a pronoun.

A person who speaks for a body is one source that names both ("Ilona Varga, chief
economist at Brenner Capital, said"; "said Ilona Varga of Brenner Capital";
"Brenner Capital's head of research, Ilona Varga, told clients"): the mention spans
the person and the employer, so the employer is not cited a second time, and the post
is kept as the speaker's role.  Writers also quote a post without a name ("the
governor said", "NHS England's chief information officer told the committee"), which
is resolved to the person the text gave that post before, or kept in the text's words;
they quote someone again as "he said", and write in orders other languages use ("Said
to the journalists the minister Karim Benali", "For Karim Benali, delegate of the CGT,
“…”").

Every pattern is tried at a reporting verb (or "according to", a pronoun) found by a
word lookup, in a bounded window before or after it.  A person named again by the
surname alone, quoted through an outlet or by "so", and the view a pronoun points back
to are read in ``again``; a guest a show talks to and someone "called" by their trade in
``introduced``; a speaker after the verb and the post an appositive gives in ``speaker``;
names that look like a person's and are a place or a group in ``not_people``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.again import (
    BARE,
    PRONOUN_KEYS,
    QUOTED_KEYS,
    SO_KEYS,
    VIEW_NOUNS,
    WORDS_KEYS,
    bare_speaker,
    bare_worth,
    owned_hits,
    pronoun_work_hits,
    quoted_hits,
    so_hits,
    view_hits,
    words_of_hits,
)
from archive.extract.named.grammar import DAY, LEFT_HEADS, NAME, RIGHT_HEADS, UP, VOCAB, alt
from archive.extract.named.introduced import (
    CALLED_KEYS,
    POSTS,
    TALK_KEYS,
    called_hits,
    talks_hits,
    who_said_hits,
)
from archive.extract.named.left import SAID_LITTLE
from archive.extract.named.mention import Mention
from archive.extract.named.resume import (
    HIS_HER,
    OWN_WORKS,
    person,
    post_holder,
    resumed,
    short_person,
    their_work,
)
from archive.extract.named.speaker import (
    after_verb,
    appositive_post,
    for_view,
    shared,
    speaker,
    verb_at,
)
from archive.extract.named.unnamed import SPEAKING, speaking, word_places

Words = frozenset[str]

_ROLE_HEADS = VOCAB["role_heads"]
_ADVERBS = r"(?:(?:has|have|had|also|then|later|once|again|herself|himself|[a-z]+ly)\s+)*"
# "X, chief economist at Y, said": the name, its appositive, the verb.
_BEFORE = re.compile(
    # "Ana Ruiz, 54, a retired teacher, said", "Mr. Sato Kenji (72), fisherman, says": an age
    # may come first
    rf"(?P<name>{NAME})(?:\s*,\s+\d{{1,3}}|\s*\(\d{{1,3}}\))?\s*,\s+(?P<appos>(?:(?:a|an|the|its|their|his|her)\s+)?"
    # "Kofi Mensah, spokesman, Ghana Cocoa Board, said": the post, then the employer
    rf"[^,;:“”\"()]{{2,100}}?(?:,\s+[{UP}][^,;:“”\"()]{{1,60}}?)?)\s*,\s+{_ADVERBS}$"
)
# "Brenner Capital's head of research, Ilona Varga, told": the body, the post, the person.
_OWNED = re.compile(
    rf"(?P<owner>{NAME})['’]s\s+(?P<post>(?:[\w-]+\s+){{0,4}}?[\w-]+)\s*,\s+(?P<name>{NAME})"
    rf"\s*,\s+{_ADVERBS}$"
)
# "The mayor of Tarnby, Ana Ruiz, said": the post, then the person.
_ANY_POST = alt(VOCAB["roles"] | _ROLE_HEADS)
_POST_FIRST = re.compile(
    rf"(?<![\w'’-])(?P<post>[Tt]he\s+(?:[a-z][\w-]*\s+){{0,3}}?(?:{_ANY_POST})"
    r"(?:\s+(?:of|at|for|in)\s+(?:the\s+)?[^,;:“”\"()]{1,60}?)?)"
    rf"\s*,\s+(?P<name>{NAME})\s*,\s+{_ADVERBS}$"
)
# "The researcher Ines Duarte from the University of Porto explained": the person, then
# where they work, with no commas.
_FROM_BODY = re.compile(
    rf"(?<![\w'’-])(?P<name>{NAME})\s+(?:from|of|at|with)\s+(?:the\s+)?(?P<body>{NAME})"
    rf"\s+{_ADVERBS}$"
)
# "Ana Ruiz (Tarnby Tenants Union) says": the employer in brackets.
_BRACKETED = re.compile(
    rf"(?P<name>{NAME})\s*[(\[](?P<body>[{UP}a-z][^()\[\]]{{1,80}})[)\]]\s+{_ADVERBS}$"
)
# "NHS England's chief information officer told", "the city's chief planner said", "The
# governor said": a post without a name.
_POST_ONLY = re.compile(
    rf"(?<![\w'’-])(?P<np>(?:(?P<owner>{NAME})['’]s\s+|(?P<the>[Tt]he)\s+(?:[a-z]+['’]s\s+)?)"
    rf"(?:[a-z][\w-]*\s+){{0,3}}?(?P<head>{alt(_ROLE_HEADS)})"
    # "the head of the central bank"
    r"(?:\s+(?:of|at|for)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?)"
    rf"\s+{_ADVERBS}$"
)
# "He told me", "she added": someone quoted again.
# "In an interview with Mada Masr last week he said": a time word may stand before it.
_PRONOUN = re.compile(
    r"(?:^|(?<=[,;:”\"—–])\s*|\b(?:and|but|week|month|year|night|morning|evening|afternoon"
    rf"|weekend|today|yesterday|{DAY})\s+)(?P<pro>[Hh]e|[Ss]he)\s+$"
)
# The verbs of quoting: "he writes the newsletter every Monday" is no quotation.
_QUOTING = speaking("quoting_verbs")
# Finite forms only: a base form or a participle after a name is rare ("say experts"),
# and the base forms ("state", "note", "report") are mostly nouns in prose.
_VERB_KEYS = frozenset(w for w in SPEAKING if w.endswith(("s", "d"))) | {
    "wrote",
    "thought",
    "according",
}
_LINK_WORDS = re.compile(r"\s(?:from|of|at|with)\s")
_FOR_START = re.compile(r"[\s\"'“‘*_#>-]*For\s")
_PRONOUNS = frozenset({"he", "she", "He", "She"})
# The endings of the word before a verb that a pattern ending there needs: a comma
# ("X, an economist, said"), a bracket ("X (Y) says"), a possessive's post.
_ENDINGS = frozenset(",)]")
_OPENING_TOKENS = frozenset({"and", "but", "so", "as", "like", "And", "But", "So", "As", "Like"})
_OPENERS = frozenset(',:;“”"’—–(')
_AUXILIARIES = frozenset({"has", "have", "had", "also", "then", "later", "once", "again"})


def _word_before(near: str) -> str:
    """The word before the verb, past its adverbs ("has", "also", "repeatedly")."""
    for word in reversed(near.split()[-4:]):
        if word in _AUXILIARIES or (word.endswith("ly") and word.islower()):
            continue
        return word
    return ""


# "Gregory Aldana, an economist at the Cato Institute, made a similar argument in a blog
# post", "Ana Ruiz put forward the same argument": a claim made rather than said.
_ARGUED = re.compile(
    r"\b(?:made|makes|offered|offers|advanced|advances|put\s+forward|puts\s+forward|echoed"
    r"|echoes|pressed|presses|repeated|repeats)\s+(?:(?:a|an|the|this|that|his|her|their|its"
    r"|same|similar|related|different|broader|stronger|strong|simple|blunt|blunter|further"
    r"|familiar|opposite|counter|an?\s+)\s*){0,3}(?:argument|arguments)\b"
)
_ARGUMENT = frozenset({"argument", "arguments"})


# What the driver looks for before it tries any pattern on a sentence: a guest
# introduced by "talks to" has no reporting verb ("spoke" and "speaking" are already
# looked for), nor does a verb of quoting that no other pattern knows.
PEOPLE_KEYS = (
    frozenset({"talk", "talks", "talked", "talking", "speak", "speaks"})
    | QUOTED_KEYS
    | _ARGUMENT
    | SO_KEYS
    | WORDS_KEYS
    | (
        _VERB_KEYS - LEFT_HEADS - RIGHT_HEADS  # "lamented", "quipped"
    )
)


def people_hits(text: str, at: int, sentence: str, words: Words) -> Iterator[Mention]:
    if verbs := _VERB_KEYS & words:
        # a dotted capital I alone lowers to two characters: keep the sentence's offsets
        lowered = sentence.replace("İ", "I").lower()
        for v in word_places(lowered, verbs):
            if SAID_LITTLE.match(lowered, v + len(verb_at(lowered, v))):
                continue  # "has said little in public"
            near = sentence[max(0, v - 40) : v]
            # The word before the verb, past its adverbs, tells which pattern can end
            # there; most verbs follow a lower-case subject ("the bank said"): none.
            token = _word_before(near)
            if not token or token[-1] in _OPENERS or token in _OPENING_TOKENS:
                yield from after_verb(text, at, sentence, lowered, v)
            if token in ("and", "but") and verb_at(lowered, v) in _QUOTING:
                yield from shared(text, at, sentence, v)
            if (
                token[:1].isupper()
                or token[-1:] in _ENDINGS
                or token in _PRONOUNS
                or token.lower() in _ROLE_HEADS
                or (" of " in near and not _ROLE_HEADS.isdisjoint(words))
            ):
                yield from _before_verb(text, at, sentence, v, words, near, token)
    if not _ARGUMENT.isdisjoint(words):
        for a in _ARGUED.finditer(sentence):
            near = sentence[max(0, a.start() - 40) : a.start()]
            token = _word_before(near)
            if token[:1].isupper() or token[-1:] in _ENDINGS:
                yield from _before_verb(text, at, sentence, a.start(), words, near, token)
    if "quoted" in words:
        yield from _quoted_saying(text, at, sentence)
    if "as" in words and not QUOTED_KEYS.isdisjoint(words):
        yield from quoted_hits(text, at, sentence)
    if "who" in words and not SPEAKING.isdisjoint(words):  # "who explain us", any form
        yield from who_said_hits(sentence)
    if "for" in words and _FOR_START.match(sentence):
        yield from for_view(sentence)
    if not CALLED_KEYS.isdisjoint(words) and not POSTS.isdisjoint(words):
        yield from called_hits(sentence)
    if not TALK_KEYS.isdisjoint(words):
        yield from talks_hits(sentence)
    if not HIS_HER.isdisjoint(words) and not OWN_WORKS.isdisjoint(words):
        yield from their_work(text, at, sentence)
    if ("'s " in sentence or "’s " in sentence) and not OWN_WORKS.isdisjoint(words):
        yield from owned_hits(text, at, sentence)
    if not PRONOUN_KEYS.isdisjoint(words) and not OWN_WORKS.isdisjoint(words):
        yield from pronoun_work_hits(text, at, sentence)
    if not SO_KEYS.isdisjoint(words) and ("," in sentence or "”" in sentence):
        yield from so_hits(text, at, sentence)
    if not WORDS_KEYS.isdisjoint(words) and "of" in words:
        yield from words_of_hits(text, at, sentence)
    if not HIS_HER.isdisjoint(words) and not VIEW_NOUNS.isdisjoint(words):
        yield from view_hits(text, at, sentence)


def _before_verb(
    text: str, at: int, sentence: str, v: int, words: Words, near: str, token: str
) -> Iterator[Mention]:
    window = max(0, v - 200)
    comma = token.endswith(",")
    m = _BEFORE.search(sentence, window, v) if comma else None
    if m is not None and (post := appositive_post(m.group("appos"), text, at, m)) is not None:
        raw, start = m.group("name"), m.start("name")
        found = short_person(text, at, raw, start)
        if found is not None:
            name, b, e, title = found
            role = f"{title}, {post}" if title else post
            yield Mention("named.speech-verb", name, b, max(e, m.end("appos")), "person", role=role)
            return
    o = (
        _OWNED.search(sentence, window, v)
        if comma and ("'" in sentence or "’" in sentence)
        else None
    )
    if o is not None and POSTS & set(o.group("post").lower().split()):
        found = person(o.group("name"), o.start("name"))
        if found is not None:
            name, _, e, _ = found
            role = f"{o.group('post')}, {o.group('owner')}"
            yield Mention("named.speech-verb", name, o.start(), e, "person", role=role)
            return
    f = _POST_FIRST.search(sentence, window, v) if comma else None
    if f is not None and (found := person(f.group("name"), f.start("name"))) is not None:
        name, _, e, _ = found
        role = re.sub(r"^[Tt]he\s+", "", " ".join(f.group("post").split()))
        yield Mention("named.speech-verb", name, f.start(), e, "person", role=role)
        return
    k = _BRACKETED.search(sentence, window, v) if token.endswith((")", "]")) else None
    if k is not None and (found := person(k.group("name"), k.start("name"))) is not None:
        name, b, _, title = found
        role = k.group("body").strip()
        yield Mention("named.speech-verb", name, b, k.end("body"), "person", role=role)
        return
    body = token[:1].isupper() and _LINK_WORDS.search(sentence, max(0, v - 120), v) is not None
    w = _FROM_BODY.search(sentence, max(0, v - 120), v) if body else None
    if w is not None and (found := person(w.group("name"), w.start("name"))) is not None:
        name, _, _, title = found
        role = f"{title}, {w.group('body')}" if title else w.group("body")
        # from the title on: "Dr. Jan de Vries of Utrecht University" is one name to a body's
        # pattern, which must not outlast the person's
        yield Mention("named.speech-verb", name, w.start(), w.end("body"), "person", role=role)
        return
    pronoun = token in _PRONOUNS
    p = _PRONOUN.search(sentence, max(0, v - 20), v) if pronoun else None
    if p is not None and sentence[v:].split(maxsplit=1)[0].strip(",.;:") in _QUOTING:
        yield from resumed(text, at, p.start("pro"), p.end("pro"))
        return
    worth = token[:1].isupper() and bare_worth(near, token)
    if worth and (bare := BARE.search(sentence, max(0, v - 80), v)) is not None:
        yield from bare_speaker(text, at, bare)
        return
    by_post = token.lower() in _ROLE_HEADS or (" of " in near and not _ROLE_HEADS.isdisjoint(words))
    r = _POST_ONLY.search(sentence, max(0, v - 100), v) if by_post else None
    if r is not None and not r.group("np").lower().startswith(("the spokes", "the report")):
        yield post_holder(text, at, r)


# "A segment on Wisconsin Public Radio quoted the consultant, Priya Raman of Raman
# Zoological Planning, saying …", "The paper quoted Ana Ruiz as saying …": the person quoted
# is a source (the outlet that quoted them is read by the outlet patterns).
_QUOTED_SAYING = re.compile(
    r"\bquot(?:ed|es|ing)\s+(?:(?P<pre>(?:the|a|an|its|their|one)\s+(?:[a-z][\w'’-]*\s+){0,3}?"
    rf"[a-z][\w'’-]*),?\s+)?(?P<name>{NAME})(?P<appos>\s*,\s+[^,;:“”\"]{{1,80}}?)?\s*,?\s+"
    r"(?:as\s+)?(?:saying|telling|warning|arguing|adding|explaining|describing)\b"
)


def _quoted_saying(text: str, at: int, sentence: str) -> Iterator[Mention]:
    for q in _QUOTED_SAYING.finditer(sentence):
        pre = q.group("pre")
        if pre and not POSTS & set(pre.lower().split()):
            continue  # "quoted the French Ana Ruiz": only a post may stand before the name
        found = speaker(sentence, q.group("name"), q.start("name"), q.end("name"), pre, text, at)
        if found is not None:
            mention, end = found
            mention.end = max(mention.end, end)
            yield mention
