"""Outlets cited in a transcript's speaker turns ("HOST: The Times reported …").

A label in capitals and a colon opens each turn of an interview or a radio
transcript; the host cites outlets there as much as the guest does.  A line that
only credits the host ("Host: Jane Doe") names no source either way.  The phrasings
are written for these tests.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("HOST: The Guardian reported last week that the deal had collapsed.", "Guardian"),
        ("Host: Reuters says the contract went to a consortium. Is that right?", "Reuters"),
        ("INTERVIEWER: According to Al Jazeera, talks resumed on Monday.", "Al Jazeera"),
        (
            "Interviewer: You told the Financial Times in March that prices would fall.",
            "Financial Times",
        ),
    ],
)
def test_a_host_turn_cites_outlets(text: str, outlet: str) -> None:
    assert found(text).get(outlet) == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        "Host: Maya Lawati\nProducer: Sam Reed\n",
        "INTERVIEWER: Good morning and welcome back to the programme.",
    ],
)
def test_a_host_credit_or_greeting_names_no_source(text: str) -> None:
    assert found(text) == {}
