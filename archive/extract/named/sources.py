"""The known sources of ``archive/data/sources.toml`` and how names are folded."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class KnownSource:
    """One entry of ``archive/data/sources.toml``."""

    name: str
    url: str
    kind: str
    plain_word: bool = False


_POSSESSIVE = re.compile(r"'s?$")


@lru_cache(maxsize=16384)  # the same few names recur through a document and across documents
def normalise_name(name: str) -> str:
    """Fold the spellings one source goes by ("The U.N.'s" → "un")."""
    s = name.replace("’", "'").replace("-", " ").replace(".", "").lower()
    s = _POSSESSIVE.sub("", " ".join(s.split()))
    return s[4:] if s.startswith("the ") else s


def data_text(name: str) -> str:
    """A file of ``archive/data``, read as a package resource so a wheel finds it too."""
    return resources.files("archive.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _known_sources() -> dict[str, KnownSource]:
    index: dict[str, KnownSource] = {}
    for entry in tomllib.loads(data_text("sources.toml")).get("source", []):
        kind, plain = str(entry.get("kind", "org")), bool(entry.get("plain_word", False))
        src = KnownSource(str(entry["name"]), str(entry["url"]), kind, plain)
        for alias in [src.name, *entry.get("aliases", [])]:
            index.setdefault(normalise_name(str(alias)), src)
    return index


_OF_PARENT = re.compile(r"(?P<part>.+?) of (?:the )?(?P<parent>.+)")


def lookup_source(name: str) -> KnownSource | None:
    """The mapped source for a name as written, or None when it is not known.

    A known part of a known parent, written with "of" ("the Economic Research
    Service of the USDA", "the Joint Research Centre of the European Commission"),
    is the part: the parent only says whose it is.
    """
    known = _known_sources()
    folded = normalise_name(name)
    found = known.get(folded)
    if found is None and " of " in folded:
        m = _OF_PARENT.fullmatch(folded)
        if m is not None and m.group("parent") in known:
            return known.get(m.group("part"))
    return found
