"""A body that opens a sentence and its document later in it: "The Authority for
Public Services Regulation sets the tariff, and its 2025 annual report shows that …",
"The Ministry of Internal Affairs keeps a register of such towns, and its latest
survey found …".

Writers introduce a body by what it does and then cite its document with "its" (or
"their") in the same sentence; the document's verb is the attribution and the body
the sentence's subject is its producer.  Only the subject that opens the sentence is
read, and only a name that is a body: "its" after a person or a place ("Tanaka
visited the plant, and its annual report shows") points at something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.extract.named.grammar import DOC, DOCUMENTS, MOD, NAME, is_verb
from archive.extract.named.mention import Mention
from archive.extract.named.names import classify, clean

_ITS = re.compile(
    # a transcript's speaker label may stand first: "AL-BUSAIDI: The Authority …"
    rf"\W{{0,3}}(?:[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)?:\s+)?(?P<name>(?:[Tt]he\s+)?{NAME})"
    r"\s+(?!said\b|says\b)[a-z][a-z'’-]*\b[^.;:!?]{0,160}?(?:,\s*|\s+)(?:and|but|while)\s+"
    rf"(?:its|their)\s+(?P<doc>(?:{MOD}\s+){{0,2}}(?:[\w-]+\s+){{0,2}}?{DOC})\s+"
    r"(?P<verb>[a-z]+)\b"
)
_OWNERS = frozenset({"its", "their"})


def its_hits(sentence: str, words: frozenset[str]) -> Iterator[Mention]:
    """``words``: the sentence's words in lower case, for the cheap tests first."""
    if _OWNERS.isdisjoint(words) or DOCUMENTS.isdisjoint(words):
        return
    m = _ITS.match(sentence)
    if m is None or not is_verb(m.group("verb")):
        return
    name, b, e, the = clean(m.group("name"), m.start("name"))
    if name and classify(name, the=the, desc=False, at_start=not the) == "org":
        yield Mention("named.document", name, b, e, "org", " ".join(m.group("doc").split()))
