"""The trigger index may only drop attempts that would fail: wherever a trigger's
pattern matches in real prose, the index still offers that trigger there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.extract import extract
from archive.extract.named.grammar import TRIGGERS
from archive.extract.named.triggers import (
    K,
    beginnings,
    trigger_source,
    triggers_at,
    triggers_for,
)

TRAIN = Path(__file__).resolve().parent.parent / "data" / "documents" / "train"
_STARTS = re.compile(r"[^\W\d_]|[,”\"(]")


def _prose() -> str:
    parts = []
    for path in sorted(TRAIN.iterdir()):
        if path.suffix in (".txt", ".md", ".html") and not path.name.endswith(".pdf.txt"):
            parts.append(extract(path.read_bytes(), filename=path.name).text or "")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def prose() -> str:
    return _prose()


def test_every_match_in_the_training_prose_begins_as_its_index_says(prose: str) -> None:
    matched = 0
    for i in range(len(TRIGGERS)):
        pattern = re.compile(rf"(?i:{trigger_source(i)})")
        begins = beginnings(i)
        for m in pattern.finditer(prose):
            matched += 1
            start = prose[m.start() : m.start() + K]
            if begins is None or not start.isascii():
                continue
            assert any(start.lower().startswith(b) for b in begins), (TRIGGERS[i][2], start)
    assert matched > 500  # the prose exercises the triggers, not an empty loop


def test_a_document_trigger_is_not_offered_at_the_article_before_its_noun() -> None:
    doc_triggers = [
        i for i, (_, _, rx) in enumerate(TRIGGERS) if rx.lstrip("\\b").startswith("<DOC>")
    ]
    assert doc_triggers
    assert not set(doc_triggers) & set(triggers_at("report", "a "))
    assert set(doc_triggers) <= set(triggers_at("report", "re"))


def test_characters_outside_ascii_keep_every_pick() -> None:
    # case-insensitive matching pairs the Kelvin sign with "k": the index must not guess
    assert triggers_at("report", "\u212a ") == triggers_for("report")
    assert triggers_at("report", "“r") == triggers_for("report")
    assert len(triggers_at("report", "a ")) < len(triggers_for("report"))
