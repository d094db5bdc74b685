"""The attribution patterns: a source after its trigger, before its verb, in a line.

``right_hits``: "according to X", "told X", "a report by X", "the X's
annual report"; ``left_hits``: "X said in a statement", "Deputy Minister
Y told reporters"; ``line_hits``: "Sources: X, Y".  Each is anchored at the
trigger or verb words found in the sentence rather than scanned, so a
sentence costs a bounded number of attempts per word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from archive.extract.named.grammar import (
    ADV,
    AUTHORS,
    DATE_WORDS,
    DESC,
    DOC,
    DOC_LOWER,
    DOCUMENTS,
    LEFT_HEADS,
    MOD,
    NAME,
    OUTLET_NOUN,
    REF,
    RIGHT_HEADS,
    SPEECH,
    TITLE,
    TRIGGERS,
    UP,
    VERB,
    VOCAB,
    WHEN,
    alt,
    is_strong,
    is_verb,
)
from archive.extract.named.mention import Mention
from archive.extract.named.names import ACCEPT, classify, parts, split_title

Words = list[tuple[str, int]]


@functools.cache
def _right_re(picks: tuple[int, ...]) -> re.Pattern[str]:
    """The triggers ``picks`` as one pattern, followed by the source."""
    return re.compile(
        r"(?:(?<![\w'’-])|(?=[,”\"]))(?:"
        + "|".join(
            # Document nouns in lower case only: "the Review of Economic Studies" is a name.
            f"(?P<t{i}>(?i:{TRIGGERS[i][2].replace('<DOC>', DOC_LOWER)}))"
            for i in picks
        )
        + r")\s+"
        + REF
    )


@functools.cache
def _triggers_for(word: str) -> tuple[int, ...]:
    """The triggers a head word can belong to: those that spell its stem, and
    those built on a document noun when it is one.  Trying only these, not all
    of them at every head, was most of the saving in the pass's cost."""
    stem = word[:4]
    return tuple(
        i
        for i, (_, _, rx) in enumerate(TRIGGERS)
        if stem in rx.lower() or ("<DOC>" in rx and word in DOCUMENTS)
    )


_DOC_IN = re.compile(rf"(?i:\b(?:{MOD}\s+){{0,2}}{DOC})\b")
_ARTICLES = frozenset({"a", "an", "the", "its", "their", "his", "her", "our"})
_APPOSITIVE = (
    r"(?P<appos>\s*,\s+(?:(?:which|who|whose|citing|a|an|the|its|one\s+of)\b(?:[^,]|,(?=\d)){1,80}"
    r"|(?!like\b|such\b|including\b|and\b|or\b)[a-z][\w'’-]*(?:\s+[\w'’-]+){1,6}"
    r"|[A-Z][\w'’-]*(?:\s+[a-z][\w'’-]*){1,3}"
    # "Caroline Douglass, Executive Director for Flood Risk at the Agency, said"
    rf"|[^,]{{0,60}}\b(?i:{'|'.join(sorted(VOCAB['roles']))})\b[^,]{{0,100}}),)?"
)
_LEFT = (
    rf"(?<![\w'’.-])(?=[{UP}]|[Tt]he\s)(?P<list>(?:{NAME}\s*,\s*(?:the\s+)?){{1,3}})?"
    # A description ("the Israeli daily Haaretz") only after "the": tried at
    # every capitalised word it cost more than the rest of the pattern.
    rf"(?:(?P<art>[Tt]he\s+){DESC})?(?P<name>{NAME})(?:\s+\([A-Z][A-Za-z]{{1,7}}\))?"
    rf"(?:\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{alt(VOCAB['staff_nouns'])}))?"
    rf"(?:\s+(?:from|of|at|with)\s+the\s+[a-z]+(?:\s+[a-z]+)?(?=\s+(?:said|told|says)))?"
    rf"<DOC>{_APPOSITIVE}(?:\s*,(?:\s+(?:which|who))?)?(?:\s+{ADV}){{0,3}}\s+{VERB}"
)
# With and without a document noun after the name ("the Fed's staff report
# found"): the first reading can swallow the verb ("has published guidance").
# The document noun is any lower-case word here, checked against DOCUMENTS in
# code: an alternation of hundreds of nouns tried after every name was most of
# the cost of the pass.
_LEFT_RE = re.compile(
    _LEFT.replace("<DOC>", r"(?:\s+(?:[a-z][\w-]*\s+){0,2}?(?P<doc>[a-z][\w-]*))?")
)
_LEFT_PLAIN = re.compile(_LEFT.replace("<DOC>", ""))
# And without the list in front, when a list reading ate a lone name before an
# appositive ("Caroline Douglass, Executive Director for …, said").
_LEFT_SOLO = re.compile(
    _LEFT.replace("<DOC>", "").replace(
        rf"(?P<list>(?:{NAME}\s*,\s*(?:the\s+)?){{1,3}})?", "(?P<list>)"
    )
)
_LEFT_DOCS = re.compile(_LEFT.replace("<DOC>", rf"(?:\s+(?:[a-z][\w-]*\s+){{0,2}}?(?P<doc>{DOC}))"))
_DOCREF_RE = re.compile(
    rf"(?<![\w'’-])(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir)\s+(?:{MOD}\s+){{0,2}}(?P<name>{NAME})"
    rf"(?:['’]s\s+(?P<owned>(?:{MOD}\s+){{0,2}}(?:[\w:-]+\s+){{0,4}}?)(?P<title>(?i:{DOC}))"
    rf"|\s+(?P<doc>{DOC}))\b"
)
# A name before a document noun and its producer is the work's title, not a
# source: "the Global Mangrove Watch dataset maintained by Aberystwyth University".
_PRODUCED = re.compile(
    r"(?:\s+(?:platform|project|programme|program|database|initiative|tool|index))?"
    r"\s*,?\s+(?:(?:that|which)\s+(?:is|was)\s+)?(?:(?:now|still|also|currently|jointly)\s+)?"
    r"(?:run|maintained|compiled|kept|published"
    r"|produced|collected|prepared|released|issued|led|funded|by)\b"
)
_ADJECTIVE = re.compile(rf"\s+(?:[a-z-]+\s+)?(?:{alt(VOCAB['org_nouns_lower'])}|government)\b")
_LEFT_REACH = 240  # characters before a verb where its source may start
_BACK_HEADS = VOCAB["back_heads"]
_PASSIVE = re.compile(rf"{WHEN}\s+by\s+(?:the\s|[{UP}])")  # not "said by telephone"
# A lone capitalised word opening a sentence is a name only before these verbs
# ("Sandoz said"); before others it is a common noun ("Research showed").
_COLLEAGUES = re.compile(r"\s+(?:and\s+(?:colleagues|co-?authors|others)|et\s+al\b)")
_IN_BY = re.compile(rf"\bin\s+(?:the\s+)?(?P<c>{NAME})\s+by$")
_BY_AUTHORS = re.compile(rf"(?P<name>{AUTHORS})")
_AFTER_VERB = re.compile(
    rf"(?:\s+(?:[a-z]+\s+){{0,3}}?)?\s*(?:in|on|via)\s+(?:(?P<art>an?|its|their|his|her|the)\s+)?"
    rf"(?P<work>(?:{MOD}\s+){{0,2}}(?:[\w-]+\s+){{0,2}}?{DOC}|{TITLE})"
    rf"|\s+(?:an?|its|their|his|her|the)\s+(?P<object>(?:{MOD}\s+){{0,2}}(?:[\w-]+\s+){{0,2}}?{DOC})\b"
)
_IN_CONTAINER = re.compile(rf"\s+in\s+(?:the\s+)?(?P<c>{NAME})")
_ROLE_BEFORE = re.compile(
    r"(?P<role>(?:(?:[A-Z][\w-]*|[a-z][\w'’-]*)\s+){0,2}(?:"
    + "|".join(sorted(VOCAB["roles"], reverse=True))
    + r"))\s*,?\s*$",
    re.I,
)
_SOURCE_LINE = re.compile(
    r"(?:^\W{0,3}|[—–]\s*|\s--?\s*)(?i:sources?|data(?:\s+sources?)?|(?:with\s+|additional\s+)?"
    r"reporting\s+(?:by|from)|based\s+on\s+reporting\s+(?:by|from)|compiled\s+from)"
    r"\s*:?\s+(?P<rest>\S.*)$",
    re.S,
)
# The words ``_SOURCE_LINE`` cannot match without, each a whole word of the sentence.
_LINE_WORDS = frozenset({"source", "sources", "data", "reporting", "compiled"})
_LINE_ITEM = re.compile(
    rf"(?:[Tt]he\s+)?(?P<name>{NAME})(?:\s+(?:data|reports?|reporting|staff|figures|archives?"
    r"|website|statistics|and\s+agencies|agencies))?\W*"
)


_APPOS_OUTLET = re.compile(rf"\b{OUTLET_NOUN}")
_APPOS_ORG = re.compile(rf"^\W*which\b|\b(?:{alt(VOCAB['org_desc_nouns'])})\b")


def _appositive_kind(appositive: str) -> str | None:
    """What an appositive says a name is: "Course Report, a website that …" is an outlet;
    "Europêche, which represents fishing companies," an organisation."""
    if _APPOS_OUTLET.search(appositive):
        return "outlet"
    return "org" if _APPOS_ORG.search(appositive) else None


def _desc(m: re.Match[str]) -> str:
    """What the words before or after the name say it is: an outlet, an org, nothing."""
    if m.group("orgdesc"):
        return "org"
    return "outlet" if m.group("desc") or m.groupdict().get("suffix") else ""


def _container(sentence: str, end: int) -> str | None:
    m = _IN_CONTAINER.match(sentence, end)
    if m and classify(m.group("c"), the=True, desc=False, at_start=False) == "outlet":
        return m.group("c")
    return None


def role_before(sentence: str, start: int) -> str | None:
    """The role words just before a person's name ("the historian", "its president,")."""
    window = sentence[max(0, start - 60) : start]
    if not VOCAB["roles"] & set(re.findall(r"[a-z]+", window.lower())):
        return None
    m = _ROLE_BEFORE.search(window)
    if not m:
        return None
    role = m.group("role").strip(" ,")
    return re.sub(r"^(?:the|a|an|its|their|his|her|our)\s+", "", role, flags=re.I)


def _mention(
    sentence: str, extractor: str, name: str, b: int, e: int, kind: str, work: str | None
) -> Mention:
    role = None
    if kind == "person":
        title, person = split_title(name)
        if title:
            b += len(name) - len(person)
            name, role = person, title
        role = role or role_before(sentence, b)
    return Mention(extractor, name, b, e, kind, work, _container(sentence, e), role)


def right_hits(sentence: str, words: Words) -> Iterator[Mention]:
    # Anchored at the few word starts just before each trigger word rather than
    # scanned: dense attribution text would otherwise cost a full scan per word.
    done = doc_done = 0
    for k, (word, at) in enumerate(words):
        if word not in RIGHT_HEADS:
            continue
        if at < done:
            continue
        # Most triggers start with their head word; a few start up to four
        # words before it ("in an interview with", "as explained").
        back = 4 if word in _BACK_HEADS else 0
        starts = [w_at for _, w_at in words[max(0, k - back) : k + 1]]
        # A comma or quote just before the head word can open a trigger too; only
        # the last character before the spaces matters, so the prefix is not copied.
        last = at - 1
        while last >= 0 and sentence[last].isspace():
            last -= 1
        starts += [last] if last >= 0 and sentence[last] in (",", "”", '"') else []
        picks = _triggers_for(word)
        pattern = _right_re(picks) if picks else None
        for m in (pattern.match(sentence, c) for c in sorted(starts) if c >= done and pattern):
            if not m:
                continue
            done = m.end()
            i = next(i for i in picks if m.group(f"t{i}"))
            extractor, need, _ = TRIGGERS[i]
            doc = _DOC_IN.search(m.group(f"t{i}"))
            work = doc.group().strip() if doc else None
            the = (m.group("art") or "").strip().lower() == "the"
            desc = _desc(m)
            accept = ACCEPT["author" if work and need != "outlet" else need]
            if work and m.group(f"t{i}").rstrip().endswith(" in"):
                accept = ACCEPT["outlet"]  # "a paper in Nature"; not "the record in England"
            if _PRODUCED.match(sentence, m.end()):
                break  # "data from the MIX Market platform, now maintained by X": a work
            if _ADJECTIVE.match(sentence, m.end("name")) and " " not in m.group("name"):
                break  # "the German culture ministry": a nationality, not a name
            raw, raw_at = m.group("name"), m.start("name")
            if _for_outlet(raw) if work else False:
                raw = raw[: raw.index(" for ")]  # "Ifop for the Journal du Dimanche": two sources
            listed = _BY_AUTHORS.match(sentence, raw_at) if work else None
            if listed and len(listed.group()) > len(raw) and "," in listed.group():
                raw = listed.group()  # "a paper by Cox, Arnold and Villamayor Tomás"
            for name, b, e, the_part in parts(raw, raw_at, the):
                kind = classify(name, the=the_part, desc=desc, at_start=False)
                if kind == "weak" and work and need != "outlet":
                    by = m.group(f"t{i}").rstrip().endswith(" by")
                    people = _COLLEAGUES.match(sentence, e) or raw != m.group("name")
                    # "data from Kenya" names a place, "a report by Oxfam" a producer
                    kind = "person" if people else ("org" if by else "reject")
                if kind in accept:
                    mention = _mention(sentence, f"named.{extractor}", name, b, e, kind, work)
                    inside = _IN_BY.search(m.group(f"t{i}"))
                    mention.container = mention.container or (inside.group("c") if inside else None)
                    yield mention
                    if work:
                        yield from _commissioner(sentence, e, work)
            break
        if word not in DOCUMENTS:
            continue
        articles = [a for w, a in words[max(0, k - 14) : k] if w in _ARTICLES and a >= doc_done]
        articles = articles[-2:]  # the nearest: "a leaked 2019 UN report", "the X's report"
        for m in filter(None, (_DOCREF_RE.match(sentence, a) for a in articles)):
            doc_done = m.end()
            if m.group("doc") and _PRODUCED.match(sentence, m.end()):
                break
            work = " ".join(
                ((m.group("owned") or "") + (m.group("doc") or m.group("title"))).split()
            )
            for name, b, e, _ in parts(m.group("name"), m.start("name"), False):
                kind = classify(name, the=False, desc=False, at_start=False)
                if kind in ACCEPT["source"]:
                    yield _mention(sentence, "named.document", name, b, e, kind, work)
            break


_FOR_SPLIT = re.compile(r"(?P<a>.+?)\s+for\s+(?:the\s+)?(?P<b>.+)$")
_FOR = re.compile(rf"\s+for\s+(?:the\s+)?(?P<name>{NAME})")


def _for_outlet(raw: str) -> bool:
    """ "A for the B" names two sources when B is an outlet and A is no body "for" B."""
    split = _FOR_SPLIT.match(raw)
    if split is None or set(split.group("a").lower().split()) & VOCAB["org_words"]:
        return False
    return classify(split.group("b"), the=True, desc="", at_start=False) == "outlet"


def _commissioner(sentence: str, end: int, work: str) -> Iterator[Mention]:
    """ "A poll by Ifop for the Journal du Dimanche": the outlet that commissioned it."""
    m = _FOR.match(sentence, end)
    if m and classify(m.group("name"), the=True, desc="", at_start=False) == "outlet":
        name, b = m.group("name"), m.start("name")
        yield Mention("named.report-by", name, b, b + len(name), "outlet", work)


def _work_after(sentence: str, at: int) -> str | None:
    m = _AFTER_VERB.match(sentence, at)
    if m is None:
        return None
    work = " ".join((m.group("work") or m.group("object")).split())
    return None if work.split()[0] in DATE_WORDS or re.fullmatch(r"\d+", work) else work


def left_hits(sentence: str, words: Words) -> Iterator[Mention]:
    lead = len(sentence) - len(sentence.lstrip(" \t\n\"'“‘*_#>-"))
    for lo, hi in _windows(_left_heads(sentence, words), LEFT_HEADS, _LEFT_REACH, 40):
        pos = lo
        while (found := _left_search(sentence, pos, hi)) is not None:
            # Resume after the name, not after the verb: a misread verb ("Marcus
            # mentions the startup X, which says") must not swallow the next name.
            pos = max(found.end("name"), found.start() + 1)
            m = _verified(sentence, found, hi)
            if m is None:
                continue
            if _PASSIVE.match(sentence, m.end("verb")):
                continue  # "the dataset maintained by X": X is the source, not the name
            first = sentence[max(0, m.start("verb") - 8) : m.start("verb")].rstrip()
            strong = is_strong(m.group("verb")) or first.endswith("first")
            speech = m.group("verb").split()[0] in SPEECH
            accept = (
                ACCEPT["speaker"]
                | ({"weak"} if strong else set())
                | ({"single"} if speech else set())
            )
            items = [(m.group("name"), m.start("name"), bool(m.group("art")))]
            if m.group("list"):
                for it in re.finditer(rf"(?:(?P<the>the)\s+)?(?P<n>{NAME})", m.group("list")):
                    at = m.start("list") + it.start("n")
                    items.append((it.group("n"), at, bool(it.group("the"))))
                if all(classify(n, the=t, desc=False, at_start=False) in ("person", "weak",
                       "single") for n, _, t in items):  # fmt: skip
                    start = m.start("list")
                    items = [(sentence[start : m.end("name")], start, False)]
            work = _work_after(sentence, m.end("verb"))
            for raw, offset, the_raw in items:
                for name, b, e, the in parts(raw, offset, the_raw):
                    at_start = b == offset and offset - len(m.group("art") or "") <= lead
                    desc = _desc(m)
                    kind = classify(name, the=the, desc=desc, at_start=at_start)
                    if kind in ("single", "weak"):
                        kind = _appositive_kind(m.group("appos") or "") or kind
                    if "," in name and " and " in name:
                        kind = "person"
                    if kind in accept:
                        pos = max(pos, m.end("verb"))  # its appositive holds no other source
                        yield _mention(sentence, "named.speech-verb", name, b, e, kind, work)


# Where ``_LEFT_RE`` can start: its own search runs the whole pattern's
# lookbehind at every character, which cost more than the attempts themselves.
_LEFT_START = re.compile(rf"[{UP}]|the\s")


def _left_search(sentence: str, pos: int, hi: int) -> re.Match[str] | None:
    """``_LEFT_RE.search(sentence, pos, hi)``, tried only where it can start."""
    for start in _LEFT_START.finditer(sentence, pos, hi):
        m = _LEFT_RE.match(sentence, start.start(), hi)
        if m is not None:
            return m
    return None


def line_hits(sentence: str, wordset: frozenset[str]) -> Iterator[Mention]:
    if not _LINE_WORDS & wordset:
        return  # the pattern scans every position: most sentences have none of its words
    line = _SOURCE_LINE.search(sentence)
    if not line:
        return
    for piece in re.finditer(r"[^,;/]+", line.group("rest")):
        text = re.sub(r"\s+in\s+[A-Z].*$|[\s.]+$", "", piece.group(), flags=re.S)
        item = _LINE_ITEM.fullmatch(text.lstrip())
        if not item:
            continue
        offset = line.start("rest") + piece.start() + len(text) - len(text.lstrip())
        the = item.start("name") > 0
        for name, b, e, the_part in parts(item.group("name"), offset + item.start("name"), the):
            kind = classify(name, the=the_part, desc=False, at_start=False)
            if kind in ACCEPT["line"]:
                yield Mention("named.source-line", name, b, e, kind)


def _verified(sentence: str, m: re.Match[str], hi: int) -> re.Match[str] | None:
    """The reading of a left match whose verb is a reporting verb, if any.

    The fast pattern takes any lower-case word after the name for a document
    noun ("the Reuters report found"); when that word is not one, or the verb
    is not one, the name is read again without it, with the full list of
    document nouns, and without a list of names in front.
    """
    doc = m.group("doc")
    candidates: list[re.Match[str] | None] = [] if doc and doc not in DOCUMENTS else [m]
    if doc:
        after = sentence[m.end("name") : m.end("name") + 40].lower().split()[:3]
        if DOCUMENTS.intersection(w.strip(",.;:") for w in after):
            candidates.append(_LEFT_DOCS.match(sentence, m.start(), hi))
        candidates.append(_LEFT_PLAIN.match(sentence, m.start(), hi))
    if m.group("list"):
        candidates.append(_LEFT_SOLO.match(sentence, m.start(), hi))
    return next((c for c in candidates if c and is_verb(c.group("verb"))), None)


def _left_heads(sentence: str, words: Words) -> Words:
    """The verbs that a name can precede: a capital letter or a comma shortly before.

    Most reporting verbs in prose follow a pronoun or a common noun ("the
    figures would be revised"); skipping those spares the pattern its
    window.
    """
    out = []
    for k, (word, at) in enumerate(words):
        if word not in LEFT_HEADS:
            continue
        near = words[max(0, k - 6) : k]
        if (
            any(sentence[a].isupper() for _, a in near)
            or "," in sentence[near[-3][1] if len(near) >= 3 else 0 : at]
        ):
            out.append((word, at))
    return out


def _windows(
    words: Words, heads: frozenset[str], before: int, after: int
) -> Iterator[tuple[int, int]]:
    """Merged stretches of the sentence around the head words that occur in it."""
    lo = hi = -1
    for word, at in words:
        if word in heads:
            if at - before > hi >= 0:
                yield lo, hi
                lo = -1
            lo, hi = (max(0, at - before) if lo < 0 else lo), at + after
    if lo >= 0:
        yield lo, hi
