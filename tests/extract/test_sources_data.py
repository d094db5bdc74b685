"""archive/data/sources.toml: the known sources, as data and as the loader reads them."""

from __future__ import annotations

import tomllib
from collections import Counter
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import pytest

from archive.extract.named import lookup_source, normalise_name

KINDS = {"news", "journal", "org", "gov"}
KEYS = {"name", "aliases", "url", "kind", "plain_word"}


def _raw() -> str:
    return resources.files("archive.data").joinpath("sources.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = tomllib.loads(_raw())["source"]
    return data


def test_at_least_600_entries_of_every_kind(entries: list[dict[str, Any]]) -> None:
    assert len(entries) >= 600
    kinds = Counter(e["kind"] for e in entries)
    assert set(kinds) == KINDS, kinds
    assert all(count >= 25 for count in kinds.values()), kinds


def test_one_entry_a_line(entries: list[dict[str, Any]]) -> None:
    lines = [ln.strip() for ln in _raw().splitlines() if ln.strip().startswith("{name")]
    assert len(lines) == len(entries)
    assert all(ln.endswith("},") for ln in lines)


def test_schema_is_what_the_loader_reads(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert set(e) <= KEYS and {"name", "url", "kind", "aliases"} <= set(e), e
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"] != "", e
        assert isinstance(e["aliases"], list), e
        assert all(isinstance(a, str) and a.strip() == a != "" for a in e["aliases"]), e
        assert isinstance(e.get("plain_word", False), bool), e
        assert e["kind"] in KINDS, e


def test_every_url_is_an_https_home_page(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        url = urlsplit(e["url"])
        assert url.scheme == "https", e
        assert url.hostname and "." in url.hostname and url.hostname == url.netloc, e
        assert not url.query and not url.fragment and " " not in e["url"], e


def test_names_unique_and_no_alias_claimed_twice(entries: list[dict[str, Any]]) -> None:
    names = Counter(e["name"] for e in entries)
    assert [n for n, c in names.items() if c > 1] == []
    # Compared as the loader folds them ("The U.N.'s" and "UN" are one key).
    owner: dict[str, str] = {}
    clashes = []
    for e in entries:
        for alias in [e["name"], *e["aliases"]]:
            key = normalise_name(alias)
            assert key, alias
            if owner.setdefault(key, e["name"]) != e["name"]:
                clashes.append((alias, owner[key], e["name"]))
    assert clashes == []


def test_loader_maps_every_name_and_alias_to_its_entry(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        for alias in [e["name"], *e["aliases"]]:
            found = lookup_source(alias)
            assert found is not None, alias
            assert (found.name, found.url, found.kind) == (e["name"], e["url"], e["kind"])
            assert found.plain_word is e.get("plain_word", False)


@pytest.mark.parametrize(
    ("written", "host"),
    [
        ("Le Monde", "www.lemonde.fr"),
        ("Der Spiegel", "www.spiegel.de"),
        ("El País", "elpais.com"),
        ("Folha", "www.folha.uol.com.br"),
        ("the Asahi Shimbun", "www.asahi.com"),
        ("Al Jazeera", "www.aljazeera.com"),
        ("Caixin", "www.caixinglobal.com"),
        ("Destatis", "www.destatis.de"),
        ("INSEE", "www.insee.fr"),
        ("StatCan", "www.statcan.gc.ca"),
        ("the Bundesbank", "www.bundesbank.de"),
        ("BoJ", "www.boj.or.jp"),
        ("RBI", "www.rbi.org.in"),
        ("the IAEA", "www.iaea.org"),
        ("NEJM", "www.nejm.org"),
        ("PNAS", "www.pnas.org"),
        ("PLoS One", "journals.plos.org"),
        ("arXiv", "arxiv.org"),
        ("the Carnegie Endowment", "carnegieendowment.org"),
        ("OWID", "ourworldindata.org"),
        ("Refinitiv", "www.lseg.com"),
        ("Kpler", "www.kpler.com"),
        ("Doctors Without Borders", "www.msf.org"),
        ("SCOTUS", "www.supremecourt.gov"),
        ("Bundestag", "www.bundestag.de"),
    ],
)
def test_names_as_written_find_their_home_page(written: str, host: str) -> None:
    found = lookup_source(written)
    assert found is not None and urlsplit(found.url).hostname == host
