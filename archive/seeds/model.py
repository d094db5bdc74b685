"""The seed file: a TOML list of seeds, each naming one source of documents.

```toml
[[seed]]
name = "example-news"              # unique in the file; entries are kept per name
feed = "https://news.example/rss"  # or urls = [...], sitemap = "...", folder = "..."
include = ["https://news.example/2026/*"]
exclude = ["*/live/*"]
lookback_days = 7
private = false
id_template = "news-{slug}"
schedule = "0 6 * * *"
```

A misspelt key is an error naming the key, the line and the seed it is in:
a seed file is run unattended, and an option silently ignored (an
``exclude`` typed ``exlude``) would archive what it was meant to leave out.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from archive.errors import InputError
from archive.ingest.ids import derive_id, validate_id

SOURCE_KEYS = ("urls", "feed", "sitemap", "folder")
# {slug}: the id citevault add derives from the URL; {host}: its host name;
# {hash}: 12 hex digits of the URL's SHA-256; {seed}: the seed's name.
ID_FIELDS = ("slug", "host", "hash", "seed")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
_CRON_FIELD = re.compile(r"[0-9A-Za-z*/,?#LW-]+")
_HINT = "see the 'Seed lists' section of the README; seeds/example.toml is an example"


class UrlItem(BaseModel):
    """A document URL of a ``urls`` list, with the id it must be stored under."""

    model_config = ConfigDict(extra="forbid")

    url: str
    id: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        return validate_id(value) if value is not None else None


class Seed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    urls: list[str | UrlItem] | None = None
    feed: str | None = None
    sitemap: str | None = None
    folder: str | None = None
    # Folder sources: which files, and whether subfolders count.
    pattern: str = "*"
    recursive: bool = False
    # Shell-style patterns (fnmatch) over the entry's URL (a folder's: its path).
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    # Entries dated (published, updated, lastmod, file time) longer ago are left alone.
    lookback_days: float | None = Field(default=None, gt=0)
    private: bool = False
    id_template: str | None = None
    # A cron string (five fields) for the scheduler's ingest-seeds action; a
    # seed run itself does not read it.
    schedule: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.fullmatch(value):
            raise ValueError("use letters, digits and . _ - (at most 200, starting with one)")
        return value

    @field_validator("id_template")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            value.format(**dict.fromkeys(ID_FIELDS, "x"))
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"{value!r} is not a usable template ({exc}); it may use "
                + ", ".join("{" + f + "}" for f in ID_FIELDS)
            ) from None
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        fields = value.split()
        if len(fields) != 5 or not all(_CRON_FIELD.fullmatch(f) for f in fields):
            raise ValueError(f"{value!r} is not a cron string of five fields ('0 6 * * *')")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> Seed:
        given = [key for key in SOURCE_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a seed names exactly one source ({', '.join(SOURCE_KEYS)}); "
                f"this one names {', '.join(given) if given else 'none'}"
            )
        return self

    @property
    def source(self) -> str:
        """What the seed reads, in words, for reports."""
        if self.urls is not None:
            return f"{len(self.urls)} listed URLs"
        return str(self.feed or self.sitemap or self.folder)

    def wanted(self, url: str) -> bool:
        if self.include and not any(fnmatch.fnmatchcase(url, p) for p in self.include):
            return False
        return not any(fnmatch.fnmatchcase(url, p) for p in self.exclude)

    def document_id(self, url: str) -> str:
        """The id an entry's document gets: stable for a URL, whatever its bytes."""
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        slug = derive_id(url, hashlib.sha256(url.encode()).hexdigest())
        parts = urlsplit(url) if "://" in url else None
        if parts is not None and (parts.query or parts.fragment):
            # derive_id reads host and path only; ?id=1 and ?id=2 are two documents.
            slug = f"{slug}-{digest[:8]}"
        if self.id_template is None:
            return validate_id(slug)
        host = (parts.hostname or "") if parts is not None else ""
        return validate_id(
            self.id_template.format(slug=slug, host=host, hash=digest, seed=self.name)
        )


class SeedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: list[Seed] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SeedFile:
        seen: set[str] = set()
        for s in self.seed:
            if s.name in seen:
                raise ValueError(f"two seeds are named {s.name!r}; names must be unique")
            seen.add(s.name)
        return self


def _line_of(text: str, loc: tuple[int | str, ...]) -> tuple[int | None, str]:
    """Where ``loc`` (pydantic's path to the error) is in the TOML text: (line, table).

    tomllib keeps no positions, so the text is read again: the n-th ``[[seed]]``
    header, then the first line in that table that sets the key.
    """
    lines = text.splitlines()
    if len(loc) < 2 or loc[0] != "seed" or not isinstance(loc[1], int):
        key = str(loc[0]) if loc else ""
        for number, line in enumerate(lines, 1):
            if re.match(rf"\s*\[*\s*{re.escape(key)}\s*[=\]]", line):
                return number, "top level"
        return None, "top level"
    index = loc[1]
    headers = [n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\[\s*seed\s*\]\]", line)]
    table = f"[[seed]] #{index + 1}"
    if index >= len(headers):
        return None, table
    start = headers[index]
    end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
    key = next((str(p) for p in loc[2:] if isinstance(p, str) and p not in ("str", "UrlItem")), "")
    if key:
        for number in range(start + 1, end):
            if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", lines[number - 1]):
                return number, table
        for number in range(start + 1, end):  # a key inside an inline table
            if re.search(rf"[{{,]\s*{re.escape(key)}\s*=", lines[number - 1]):
                return number, table
    return start, table


def parse_seed_file(text: str, where: str) -> SeedFile:
    """The seeds of ``text`` (read from ``where``), or an InputError saying what is wrong."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where} is not valid TOML: {exc}", hint=_HINT) from None
    try:
        return SeedFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        errors = exc.errors()
        # A URL item that is a table fails the string branch of the union too: say it once.
        tables = {
            tuple(e["loc"])[: list(e["loc"]).index("UrlItem")]
            for e in errors
            if "UrlItem" in e["loc"]
        }
        for err in errors:
            loc = tuple(err["loc"])
            if "str" in loc and loc[: loc.index("str")] in tables:
                continue
            line, table = _line_of(text, loc)
            name = ""
            if table != "top level" and isinstance(loc[1], int):
                seeds = data.get("seed")
                if isinstance(seeds, list) and loc[1] < len(seeds):
                    entry = seeds[loc[1]]
                    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                        name = f" (name {entry['name']!r})"
            at = f"line {line}, " if line else ""
            key = next(
                (str(p) for p in reversed(loc) if isinstance(p, str) and p not in ("str",)), ""
            )
            if err["type"] == "extra_forbidden":
                what = f"unknown key {key!r}"
            elif err["type"] == "missing":
                what = f"missing key {key!r}"
            else:
                what = f"{key!r}: {err['msg']}" if key and key != "seed" else err["msg"]
            problems.append(f"{at}{table}{name}: {what}")
        raise InputError(f"{where}: " + "; ".join(problems), hint=_HINT) from None


def load_seed_file(path: Path) -> SeedFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such seed file: {path}", hint=_HINT) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read seed file {path}: {exc}", hint=_HINT) from None
    return parse_seed_file(text, str(path))
