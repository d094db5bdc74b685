"""A person named after the reporting verb ('"…," said Ilona Varga of Brenner Capital'),
and the appositive that gives a named person's post.

Inverted orders are read only after a quote, a comma, "as"/"like" or the start of
the sentence; the same reading of a name and its post serves a second verb of the
sentence's subject ("Ana Ruiz backs the plan and adds that …") and the French or
Spanish "For X, …" view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import NAME
from archive.extract.named.introduced import POSTS
from archive.extract.named.mention import Mention
from archive.extract.named.names import affiliated, clean
from archive.extract.named.resume import short_person
from archive.extract.named.unnamed import SPEAKING

# A speaker after the verb is the subject of an inverted clause only after a quote, a
# comma or at the start of the sentence ('"…," said X'); "the bank said Smith would
# resign" reports what Smith would do.  "told X" names whom it was told to.
_INVERTING = frozenset(
    w for w in SPEAKING if not w.startswith(("tell", "told")) and w.endswith(("s", "d"))
) | {"wrote", "thought", "according"}
# "…, like said Brenner in the session", "Like said to us Mr. Sanou:": non-native prose
# inverts after "like" as it does after "as" (German "wie", French "comme").
_OPENING = re.compile(r"(?:^|[,:;“”\"’—–(]|\b(?:and|but|so|as|like)\s*)\W*$", re.I)
_AFTER = re.compile(
    r"(?i:according\s+to|[a-z]+)"
    # "said to the journalists the minister X" (a non-native order); "told by X"
    r"(?:\s+(?:to|by)\s+(?:the\s+)?(?:journalists|reporters|press|media|us|me|them))?"
    # "said the mayor, Tomasz Górecki:": a comma may close the post
    r"\s+(?:(?P<art>the|an?)\s+(?P<pre>(?:[a-z][\w'’-]*\s+){0,2}?[a-z][\w'’-]*,?\s+))?"
    rf"(?P<name>{NAME})"
)
_AUX_BEFORE = re.compile(r"\b(?:has|have|had)\s+$")
_TOLD_TO = re.compile(r"told\s+to\s+(?:the\s+)?(?:journalists|reporters|press|media|us|me)\b")
_STANDFIRST = frozenset({"argues", "writes", "contends", "asks", "suggests", "wonders"})
_LAST = re.compile(r"\W*$")
_QUOTES = frozenset('“”"')
_APPOS = re.compile(
    r"\s*,\s+(?P<appos>(?:(?:a|an|the|its|their|his|her)\s+)?[^,;:.“”\"()]{2,90}?)"
    r"(?=\s*(?:[,;:.“”\"()]|$))"
)
# "who leads Y", "who heads the unit at Y": a clause that gives the post.
_WHO = re.compile(
    r"who\s+(?:(?:has|had|also)\s+)?(?:leads|led|heads|headed|runs|ran|chairs|chaired|directs|directed|founded"
    r"|co-founded|manages|managed|works|worked|teaches|taught|represents|advises|oversees"
    r"|covers|tracks|studies|researches|is|was|has\s+been"
    # a trade or a life given as a clause: "who operates an inn", "who lost her job"
    r"|operates|operated|owns|owned|farms|farmed|fishes|fished|grows|grew|sells|sold|lives"
    r"|lived|drives|drove|rents|trains|trained|coaches|coached|serves|served|joined"
    r"|survived|lost|witnessed|organises|organised|organizes|organized|helped|raised|built"
    r"|opened|cares|cared|volunteers|volunteered)\b"
)

# "Prof. Lena Hartwig from the University of Regensburg holds a sale possible, but warns:
# …", "Ana Ruiz backs the plan and adds that …": a second verb of the sentence's subject,
# the person who opens it.
_SHARED = re.compile(
    rf"\W*(?:[Tt]he\s+(?:[a-z][\w-]*\s+){{0,3}})?(?P<name>{NAME})"
    r"\s+(?:(?:from|of|at)\s+(?:the\s+)?[^,;:“”\"()]{1,60}?\s+)?[a-z][^;:“”\"()]{2,160}?"
    r",?\s+(?:and|but)\s+(?:(?:also|then|still|immediately)\s+)?$"
)
# "For Karim Benali, delegate of the CGT, “the 4.2% include …”": a French or Spanish
# order ("Pour X, …", "Para X, …") that gives a person's view.
_FOR = re.compile(rf"^\W*For\s+(?P<name>{NAME})\s*,\s+[^“”\"]{{0,200}}?[,:]\s*[“\"]")
_OPENERS = frozenset(',:;“”"’—–(')
_OPENING_WORDS = (" and", " but", " so", " as", " like", "And", "But", "So", "As", "Like")
_WORD = re.compile(r"[a-z'’-]+")


def appositive_post(
    appos: str, page: str = "", at: int = 0, m: re.Match[str] | None = None
) -> str | None:
    """The post an appositive gives ("chief economist at Brenner Capital", "who leads the
    board", "farmer in Lleida"), without its article; None when it gives none.

    After a person named again by surname ("Abiola-Martins, a trumpeter who had played
    with …, said") any description of them is one, whatever the trade.
    """
    text = re.sub(r"^(?:a|an|the|its|their|his|her)\s+", "", appos.strip())
    if _WHO.match(text):
        return text
    if text.startswith(("who", "which", "adding", "saying", "citing")):
        return None
    lowered = {w.strip("'’") for w in re.findall(r"[a-z][\w'’-]*", text.lower())}
    if lowered & POSTS:
        return text
    described = m is not None and appos[:2] in ("a ", "an") and text[:1].islower()
    alone = m is not None and " " not in m.group("name")
    if described and alone and m and short_person(page, at, m.group("name"), m.start("name")):
        return text
    return None


def speaker(
    sentence: str, raw: str, offset: int, end: int, pre: str | None, text: str = "", at: int = 0
) -> tuple[Mention, int] | None:
    """A person named at ``offset`` with the employer or post that follows the name."""
    role = None
    body = affiliated(raw)
    if body is not None:  # "Ilona Varga of Brenner Capital"
        role = clean(body[1], 0)[0]
        raw = body[0]
    found = short_person(text, at, raw, offset)
    if found is None:
        return None
    name, b, e, title = found
    appos = _APPOS.match(sentence, end)
    post = appositive_post(appos.group("appos")) if appos else None
    if post is not None and appos is not None:
        role, end = (f"{role}, {post}" if role else post), appos.end("appos")
    role = role or title or (" ".join(pre.replace(",", " ").split()) if pre else None)
    mention = Mention("named.speech-verb", name, b, e, "person", role=role)
    return mention, end


def verb_at(lowered: str, v: int) -> str:
    word = _WORD.match(lowered, v)
    return word.group() if word else ""


def after_verb(text: str, at: int, sentence: str, lowered: str, v: int) -> Iterator[Mention]:
    # "…, has declared Kofi Mensah": non-native prose inverts the perfect too
    perfect = sentence.endswith(("has ", "had ", "have "), 0, v)
    aux = _AUX_BEFORE.search(sentence, max(0, v - 16), v) if perfect else None
    u = aux.start() if aux is not None else v
    before = sentence[max(0, u - 12) : u].rstrip()
    if before and before[-1] not in _OPENERS and not before.endswith(_OPENING_WORDS):
        return  # most verbs follow their subject: nothing to invert
    word = _WORD.match(lowered, v)
    verb = word.group() if word else ""
    # "As told to us Kofi Mensah": after "told to us" the name is the teller
    to_us = verb == "told" and _TOLD_TO.match(sentence, v) is not None
    if (verb not in _INVERTING and not to_us) or not _OPENING.search(sentence, max(0, u - 12), u):
        return
    m = _AFTER.match(sentence, v)
    if m is None:
        return
    if verb in _STANDFIRST and _LAST.match(sentence, m.end("name")) and not _QUOTES & set(sentence):
        return  # "…, argues Sabine Krüger": an opinion piece's standfirst names its author
    pre = m.group("pre")
    if pre and not POSTS & set(pre.lower().replace(",", " ").split()):
        return  # "said the French Karim": only a post may stand between
    name, start = m.group("name"), m.start("name")
    found = speaker(sentence, name, start, m.end("name"), pre, text, at)
    if found is not None:
        mention, end = found
        mention.end = max(mention.end, end)  # the employer is the person's, not a source
        yield mention


def shared(text: str, at: int, sentence: str, v: int) -> Iterator[Mention]:
    m = _SHARED.match(sentence, 0, v)
    if m is not None:
        raw, start = m.group("name"), m.start("name")
        found = speaker(sentence, raw, start, m.end("name"), None, text, at)
        if found is not None:
            yield found[0]


def for_view(sentence: str) -> Iterator[Mention]:
    m = _FOR.match(sentence)
    if m is not None:
        found = speaker(sentence, m.group("name"), m.start("name"), m.end("name"), None)
        if found is not None:
            mention, end = found
            mention.end = max(mention.end, end)
            yield mention
