"""Names that a known source's name opens: its regional service or edition ("BBC
Scotland", "NRK Buskerud"), its national branch ("Oxfam Australia"); and the folding
of a name's words to the vocabulary's spelling ("Ministério" → "ministerio").

The known sources decide these before the words of a name do: "Itaú BBA" and
"MapBiomas Fogo" are bodies because "Itaú" and "MapBiomas" are known.
"""

from __future__ import annotations

import unicodedata

from archive.extract.named.grammar import VOCAB
from archive.extract.named.sources import lookup_source


def plain(word: str) -> str:
    """Without accents, so that "Rádio" is a radio and "Ministério" a ministry."""
    # The Turkish dotless "ı" has no decomposition: "Bankası" is "bankasi", not "banks".
    word = word.replace("ı", "i")
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() or word


def folded_words(name: str) -> set[str]:
    """The words of a name in lower case without accents or dots around them, as the
    vocabulary lists them ("Ministério" → "ministerio", "S.A." → "s.a")."""
    return {plain(t.lower().strip(".,'’")) for t in name.split()}


_NUMBERED = frozenset({"Radio", "TV", "Channel", "One"})


def regional_service(tokens: list[str]) -> bool:
    """A known outlet's name, then a region's or a service's: a broadcaster's regional
    service or a paper's edition is that outlet ("NRK Buskerud", "BBC Radio 4", "Le
    Progrès Lyon Métropole").  Words of a body after it ("BBC Trust") were tested
    before; a plain word ("Time Warner") and a bare figure ("Fortune 500") are no
    outlet's prefix."""
    for n in range(len(tokens) - 1, 0, -1):
        known = lookup_source(" ".join(tokens[:n]))
        if known is not None:
            break
    else:
        return False
    if known.kind != "news" or known.plain_word:
        return False
    tail = tokens[n:]
    return all(
        t[:1].isupper() or (t.isdigit() and i > 0 and tail[i - 1] in _NUMBERED)
        for i, t in enumerate(tail)
    )


def chapter_of(name: str) -> str | None:
    """A known body's national or regional branch ("Conservation International
    Philippines", "Oxfam Australia", "Amnesty International Kenya"): the known name
    and one or two capitalised words after it.  A name that is also a plain word
    ("Nature") is left out: "Nature Climate Change" is a journal of its own."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 6 or not all(t[:1].isupper() for t in tokens[-2:]):
        return None
    if {plain(t.lower().strip(".'’")) for t in tokens[-2:]} & VOCAB["org_words"]:
        return None  # "BBC Trust", "Oxfam Foundation": a body of its own, not a branch
    for cut in (len(tokens) - 1, len(tokens) - 2):
        known = lookup_source(" ".join(tokens[:cut])) if cut >= 1 else None
        if known is not None and not known.plain_word:
            return "outlet" if known.kind in ("news", "journal") else "org"
    return None
