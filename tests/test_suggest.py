"""``citevault resolve ID --suggest``: one document's resolution offered for another's reference.

Documents go in through ``citevault add`` (the real extraction), resolutions
through ``citevault resolve ID URL``, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from archive.db import migrate
from archive.ingest.suggest import HOME_PAGE_SCORE, Mention, similarity
from tests.helpers import Result, clean_env, run_cli

RAFAH_A = (
    "Officials told the Times of Israel that the Rafah crossing would reopen "
    "for aid convoys in 2024.\n"
)
RAFAH_B = "The Rafah crossings will reopen for aid convoys, ToI reported in 2024.\n"
BUDGET_C = "The finance ministry cut the defence budget, according to the Times of Israel.\n"
URL_A = "https://www.timesofisrael.com/rafah-crossing-to-reopen/"
URL_C = "https://www.timesofisrael.com/defence-budget-cut/"
HOME = "https://www.timesofisrael.com/"
EARLIER = "earlier-resolution"


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    migrate.upgrade(database_url)
    return clean_env(
        CITEVAULT_DATA_DIR=str(tmp_path / "data"),
        CITEVAULT_DATABASE_URL=database_url,
        COLUMNS="60",  # narrower than the lines: URLs must still print whole
    )


def _cli(env: dict[str, str], *args: str, stdin: bytes | None = None) -> Result:
    return run_cli(*args, env=env, input=stdin)


def _citations(env: dict[str, str], doc_id: str) -> list[dict[str, Any]]:
    result = _cli(env, "citations", doc_id, "--format", "json")
    assert result.returncode == 0, result.stderr
    cites: list[dict[str, Any]] = json.loads(result.stdout)["citations"]
    return cites


def _add(env: dict[str, str], doc_id: str, text: str) -> int:
    """The id of the one named reference that ``text`` holds."""
    added = _cli(env, "add", "-", "--id", doc_id, "--format", "text", stdin=text.encode())
    assert added.returncode == 0, added.stderr
    (named,) = [c for c in _citations(env, doc_id) if c["kind"] == "named"]
    return int(named["id"])


def _resolve(env: dict[str, str], cid: int, url: str) -> None:
    result = _cli(env, "resolve", str(cid), url)
    assert result.returncode == 0, result.stderr


def _suggest(env: dict[str, str], cid: int) -> dict[str, Any]:
    result = _cli(env, "resolve", str(cid), "--suggest", "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_an_earlier_resolution_is_offered_first_for_a_similar_reference(
    env: dict[str, str],
) -> None:
    a, c, b = _add(env, "a", RAFAH_A), _add(env, "c", BUDGET_C), _add(env, "b", RAFAH_B)
    _resolve(env, a, URL_A)
    _resolve(env, c, URL_C)

    data = _suggest(env, b)
    assert data["citation"] == {
        "id": b,
        "document_id": "b",
        "source_name": "ToI",
        "known_source": "The Times of Israel",
        "date_hint": "2024",
        "resolution": {"state": "candidate", "url": None},
    }
    got = data["suggestions"]
    # the same story first, then the home page, then an unrelated story of the same outlet
    assert [s["url"] for s in got] == [URL_A, HOME, URL_C]
    assert [s["rank"] for s in got] == [1, 2, 3]
    assert [s["origin"] for s in got] == [EARLIER, "known-source", EARLIER]
    assert got[0]["score"] > HOME_PAGE_SCORE == got[1]["score"] > got[2]["score"]
    assert got[0]["evidence"]["citation_id"] == a
    assert got[0]["evidence"]["document_id"] == "a"
    assert got[0]["evidence"]["signals"]["date"] == "same"
    assert "rafah" in got[0]["reason"] and "document a" in got[0]["reason"]
    assert got[1]["evidence"] == {"known_source": "The Times of Israel", "kind": "news"}

    table = _cli(env, "resolve", str(b), "--suggest")
    assert table.returncode == 0, table.stderr
    rows = [
        ln.split()
        for ln in table.stdout.splitlines()
        if ln.split()[-1:] in ([URL_A], [HOME], [URL_C])
    ]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert [r[-1] for r in rows] == [URL_A, HOME, URL_C]

    # a document's own resolution is never suggested back to it
    own = [s["url"] for s in _suggest(env, a)["suggestions"]]
    assert URL_A not in own and own == [HOME, URL_C]


def test_an_unknown_source_is_matched_by_its_folded_name(env: dict[str, str]) -> None:
    x = _add(env, "x", "The harbour dredging stalled in 2023, the Aldine Courier reported.\n")
    y = _add(env, "y", "Dredging of the harbour stalled in 2023, according to the Aldine Courier.")
    z = _add(env, "z", "The mayor resigned, the Port Aldine Herald reported.\n")
    _resolve(env, x, "https://aldinecourier.example/dredging")
    _resolve(env, z, "https://herald.example/mayor")
    got = _suggest(env, y)["suggestions"]
    assert [s["url"] for s in got] == ["https://aldinecourier.example/dredging"]
    assert got[0]["score"] > HOME_PAGE_SCORE


def test_a_resolution_to_the_home_page_is_one_suggestion(env: dict[str, str]) -> None:
    a, b = _add(env, "a", RAFAH_A), _add(env, "b", BUDGET_C)
    _resolve(env, a, HOME)
    (only,) = _suggest(env, b)["suggestions"]
    assert (only["url"], only["origin"], only["score"]) == (HOME, EARLIER, HOME_PAGE_SCORE)
    assert "home page of The Times of Israel" in only["reason"]


def test_bad_requests_are_refused_and_change_nothing(env: dict[str, str]) -> None:
    b = _add(env, "b", RAFAH_B + "Data: https://example.org/convoys.csv\n")
    before = _citations(env, "b")
    url_cid = next(c["id"] for c in before if c["kind"] == "url")

    missing = _cli(env, "resolve", "99999", "--suggest")
    assert missing.returncode == 3 and "no citation with id 99999" in missing.stderr
    not_named = _cli(env, "resolve", str(url_cid), "--suggest")
    assert not_named.returncode == 2
    assert "only named references" in " ".join(not_named.stderr.split())
    neither = _cli(env, "resolve", str(b))
    assert neither.returncode == 2 and "--suggest" in neither.stderr
    both = _cli(env, "resolve", str(b), HOME, "--suggest")
    assert both.returncode == 2 and "not both" in both.stderr
    assert _citations(env, "b") == before

    # with nothing resolved anywhere, the known home page is the one suggestion
    only = _suggest(env, b)["suggestions"]
    assert [(s["url"], s["origin"]) for s in only] == [(HOME, "known-source")]


def _mention(context: str, date: str | None = None) -> Mention:
    return Mention("Times of Israel", context, None, date)


def test_similarity_ignores_the_source_name_and_weighs_dates() -> None:
    here = _mention("Officials told the Times of Israel the Rafah crossing would reopen.", "2024")
    assert similarity(here, here).score == 1.0
    # sharing only the outlet's name and the reporting verb is no likeness at all
    other = _mention("According to the Times of Israel, the budget was cut.")
    assert similarity(here, other).score == 0.0
    same = similarity(here, _mention("The Rafah crossing will reopen, ToI reported.", "2024"))
    older = similarity(here, _mention("The Rafah crossing will reopen, ToI reported.", "2019"))
    undated = similarity(here, _mention("The Rafah crossing will reopen, ToI reported."))
    assert same.date == "same" and older.date == "different year" and undated.date is None
    assert same.score > undated.score > older.score
    assert same.shared == ("crossing", "rafah", "reopen")
