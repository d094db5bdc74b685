"""The machinery the named-reference rules run on: vocabulary phrases compiled as a
trie, and the cutting of prose into blocks and sentences with offsets in the text."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from archive.extract import extract
from archive.extract.named.grammar import VOCAB, phrases
from archive.extract.named.segment import MAX_SENTENCE, blocks, sentences

TRAIN = Path(__file__).resolve().parent.parent / "data" / "documents" / "train"
PHRASE_KEYS = ("anonymous_markers", "furniture_starts")


def _flat(key: str) -> re.Pattern[str]:
    """The phrases as the plain alternation they stand for: longest first."""
    return re.compile(
        "(?i:"
        + "|".join(
            re.escape(p).replace(r"\ ", r"\s+") + (r"\b" if p[-1].isalnum() else "")
            for p in sorted(VOCAB[key], key=len, reverse=True)
        )
        + ")"
    )


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_the_longer_phrase_wins_and_phrases_end_on_a_word_boundary() -> None:
    anon = re.compile(f"(?i:{phrases('anonymous_markers')})")
    m = anon.search("Two aides, who did not want to give their names, said")
    assert m is not None and m.group() == "want to give their names"
    m = anon.search("one did not want to give their name.")
    assert m is not None and m.group() == "want to give their name"
    m = anon.search("people FAMILIAR\n   WITH the plan")
    assert m is not None and m.group() == "FAMILIAR\n   WITH"
    assert anon.search("they are familiar withdrawn figures") is None
    assert anon.search("she spoke on the condition of the roads") is None


@pytest.mark.parametrize("key", PHRASE_KEYS)
def test_every_phrase_matches_as_the_longest_first_alternation_does(key: str) -> None:
    trie = re.compile(f"(?i:{phrases(key)})")
    flat = _flat(key)
    samples = []
    for phrase in VOCAB[key]:
        for before in ("", "x ", "- "):
            for after in ("", " x", "s", ".", "ing", "-"):
                text = before + phrase + after
                samples += [text, text.upper(), text.replace(" ", "\n  ")]
    assert len(samples) > 500
    for text in samples:
        assert _found(trie, text) == _found(flat, text), text


def test_phrases_find_in_real_prose_what_the_alternation_finds() -> None:
    prose = "\n".join(
        extract(p.read_bytes(), filename=p.name).text or ""
        for p in sorted(TRAIN.iterdir())
        if p.suffix in (".txt", ".md") and not p.name.endswith(".pdf.txt")
    )
    total = 0
    for key in PHRASE_KEYS:
        found = _found(re.compile(f"(?i:{phrases(key)})"), prose)
        assert found == _found(_flat(key), prose)
        total += len(found)
    assert total > 10  # the prose holds such phrases: the comparison is not of two empty lists


def _cut(text: str) -> list[str]:
    return [text[a:b] for a, b in blocks(text)]


def test_wrapped_lines_join_and_short_lines_stand_alone() -> None:
    text = (
        "Share this article\n"
        "The ministry said on Tuesday that the figures would be revised\n"
        "after an audit of the regional offices.\n"
        "\n"
        "Menu\n"
        "By Jane Doe\n"
    )
    assert _cut(text) == [
        "Share this article",
        "The ministry said on Tuesday that the figures would be revised\n"
        "after an audit of the regional offices.",
        "Menu",
        "By Jane Doe",
    ]


def test_a_byline_or_a_list_item_after_a_long_line_starts_its_own_block() -> None:
    text = (
        "A long line of prose that does not end with a stop and would join\n"
        "By Jane Doe\n"
        "Another long line of prose that does not end with a stop either\n"
        "- a list item\n"
    )
    assert _cut(text) == [
        "A long line of prose that does not end with a stop and would join",
        "By Jane Doe",
        "Another long line of prose that does not end with a stop either",
        "- a list item",
    ]


def test_sentences_are_offsets_in_the_whole_text() -> None:
    head = "Headline\n\n"
    body = 'Mr. Smith told the U.S. Senate. "It failed," Dr. Lee said! Klein et al. (2014) agreed.'
    text = head + body + "\n\nNext block."
    start = len(head)
    spans = list(sentences(text, start, start + len(body)))
    assert [text[a:b] for a, b in spans] == [
        "Mr. Smith told the U.S. Senate.",
        '"It failed," Dr. Lee said!',
        "Klein et al. (2014) agreed.",
    ]
    assert all(start <= a < b <= start + len(body) for a, b in spans)


def test_a_boundary_needs_what_follows_it_inside_the_block() -> None:
    text = "It ended. Then it began. After"
    # the block ends before "After": the last stop closes no sentence inside it
    assert [text[a:b] for a, b in sentences(text, 0, len("It ended. Then it began."))] == [
        "It ended.",
        "Then it began.",
    ]


def test_a_run_on_block_is_cut_at_the_sentence_bound() -> None:
    text = "word, " * (MAX_SENTENCE // 3)
    spans = list(sentences(text, 0, len(text)))
    assert len(spans) > 1
    assert all(b - a <= MAX_SENTENCE for a, b in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(x[1] == y[0] for x, y in pairwise(spans))
