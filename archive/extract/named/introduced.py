"""People introduced by what frames their name rather than by a reporting verb after
it: a guest a show "talks to" ("talks to fisheries economist Dr. Aino Kallio"), someone
"called" or "named" by their trade ("a journalist called Brian Okinda"), and a relative
clause that reports them ("Dr. Aya Kouassi who explained us everything").

Each pattern runs only when the sentence holds its anchor words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import NAME, VOCAB, alt
from archive.extract.named.mention import Mention
from archive.extract.named.resume import person
from archive.extract.named.unnamed import PEOPLE, SPEAKING

# The words that give a person's post or trade ("economist", "farmer").
POSTS = VOCAB["roles"] | PEOPLE
# "a journalist called Brian Okinda", "an economist named Ana Ruiz".
_CALLED = re.compile(
    rf"\b(?:an?|one|the)\s+(?:[a-z][\w-]*\s+){{0,2}}?(?P<post>[a-z]+)\s+(?:called|named)\s+"
    rf"(?P<name>{NAME})"
)
# "talks to fisheries economist Dr. Aino Kallio", "speaks with the historian X": a guest.
_TALKS = re.compile(
    r"\b(?:talks?|talked|talking|speaks?|spoke|speaking|sits?\s+down|sat\s+down)\s+(?:to|with)"
    rf"\s+(?:the\s+)?(?P<post>(?:[a-z][\w-]*\s+){{0,2}}?(?:{alt(VOCAB['roles'])}))\s+"
    rf"[*_]{{0,2}}(?P<name>{NAME})"
)
# "Dr. Aya Kouassi who explained us everything": a relative clause without a comma.
_WHO_SAID = re.compile(
    rf"(?P<name>{NAME})\s*,?\s+who\s+(?:(?:also|later|then|kindly|patiently|very|has|had)\s+)*"
    r"(?P<verb>[a-z]+)\b"
)
CALLED_KEYS = frozenset({"called", "named"})
TALK_KEYS = frozenset({"talk", "talks", "talked", "talking", "speak", "speaks", "spoke"})
TALK_KEYS |= {"speaking", "sit", "sits", "sat"}


def who_said_hits(sentence: str) -> Iterator[Mention]:
    for m in _WHO_SAID.finditer(sentence):
        if m.group("verb") in SPEAKING:
            found = person(m.group("name"), m.start("name"))
            if found is not None:
                name, b, e, title = found
                yield Mention("named.speech-verb", name, b, e, "person", role=title)


def called_hits(sentence: str) -> Iterator[Mention]:
    for m in _CALLED.finditer(sentence):
        if m.group("post") not in POSTS:
            continue  # "a street called X": a post calls a person by name
        found = person(m.group("name"), m.start("name"))
        if found is not None:
            name, b, e, _ = found
            yield Mention("named.speech-verb", name, b, e, "person", role=m.group("post"))


def talks_hits(sentence: str) -> Iterator[Mention]:
    for m in _TALKS.finditer(sentence):
        found = person(m.group("name"), m.start("name"))
        if found is not None:
            name, b, e, _ = found
            role = " ".join(m.group("post").split())
            yield Mention("named.speech-verb", name, b, e, "person", role=role)
