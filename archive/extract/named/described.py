"""What the words around a captured name say it is, and the mention it makes.

"Course Report, a website that …" is an outlet, "Europêche, which represents
fishing companies," an organisation; "the historian X" is a person with a
role; "a paper in Nature" has a container.  Both the trigger patterns
(``patterns.py``) and the source-before-verb pattern (``left.py``) read them.
"""

from __future__ import annotations

import re

from archive.extract.named.grammar import NAME, OUTLET_NOUN, VOCAB, alt
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, split_title

_IN_CONTAINER = re.compile(rf"\s+in\s+(?:the\s+)?(?P<c>{NAME})")
_ROLE_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<role>(?:(?!(?:by|to|from|of|with|at|in|on|for|and|the|a|an)\b)"
    r"(?:[A-Z][\w-]*|[a-z][\w'’-]*)\s+){0,2}(?:"
    + "|".join(sorted(VOCAB["roles"], reverse=True))
    + r"))\s*,?\s*$",
    re.I,
)


_APPOS_OUTLET = re.compile(rf"\b{OUTLET_NOUN}")
_APPOS_ORG = re.compile(rf"^\W*which\b|\b(?:{alt(VOCAB['org_desc_nouns'])})\b")
# "IndustriAll Europe, the federation of industrial unions,": the head noun of an
# appositive that opens with an article, before its first preposition, names a body.
_APPOS_HEAD = re.compile(
    r"^\W*(?:a|an|the|its|their)\s+(?P<head>(?:(?!(?:of|at|in|for|from|with|that|which|who)\b)"
    r"[\w'’-]+\s*){1,4})"
)


def org_head(appositive: str) -> bool:
    """Whether the appositive's head noun is a body's ("the federation of …", "a trade
    body"), not a person's ("a council member")."""
    head = _APPOS_HEAD.match(appositive)
    if head is None:
        return False
    last = head.group("head").lower().split()[-1]
    return last in VOCAB["org_words"] or last in VOCAB["org_desc_nouns"]


def appositive_kind(appositive: str) -> str | None:
    """What an appositive says a name is: "Course Report, a website that …" is an outlet;
    "Europêche, which represents fishing companies," an organisation."""
    if _APPOS_OUTLET.search(appositive):
        return "outlet"
    return "org" if _APPOS_ORG.search(appositive) or org_head(appositive) else None


def described_as(m: re.Match[str]) -> str:
    """What the words before or after the name say it is: an outlet, an org, nothing."""
    if m.group("orgdesc"):
        return "org"
    return "outlet" if m.group("desc") or m.groupdict().get("suffix") else ""


def _container(sentence: str, end: int) -> str | None:
    m = _IN_CONTAINER.match(sentence, end)
    if m and classify(m.group("c"), the=True, desc=False, at_start=False) == "outlet":
        return m.group("c")
    return None


_LOWER_WORDS = re.compile(r"[a-z]+")


def role_before(sentence: str, start: int) -> str | None:
    """The role words just before a person's name ("the historian", "its president,")."""
    window = sentence[max(0, start - 60) : start]
    if not VOCAB["roles"] & set(_LOWER_WORDS.findall(window.lower())):
        return None
    m = _ROLE_BEFORE.search(window)
    if not m:
        return None
    role = m.group("role").strip(" ,")
    return re.sub(r"^(?:the|a|an|its|their|his|her|our)\s+", "", role, flags=re.I)


def make_mention(
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
