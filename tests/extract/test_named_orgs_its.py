"""A body that opens a sentence and cites its own document later in it with "its":
"The Orran Freight Council tracks port volumes, and its monthly bulletin says …".

The body is the document's producer; "its" after a person or a place points at
something else, and a document that says nothing (no reporting verb) cites none.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references


def _cited(text: str) -> dict[str, tuple[str, str | None]]:
    return {
        c.source_name or "": (c.source_type or "", c.work_title)
        for c in find_named_references(text)
    }


@pytest.mark.parametrize(
    ("text", "name", "work"),
    [
        (
            "The Orran Freight Council tracks port volumes, and its monthly bulletin says"
            " traffic fell 3%.",
            "Orran Freight Council",
            "monthly bulletin",
        ),
        (
            "OKAFOR: The Valdren Water Regulator sets the tariff, and its 2025 annual report"
            " shows the true cost is higher.",
            "Valdren Water Regulator",
            "2025 annual report",
        ),
        (
            "The Ministry of Rural Affairs counts shrinking towns each year, and its latest"
            " survey found that half are losing people.",
            "Ministry of Rural Affairs",
            "latest survey",
        ),
        (
            "The Tarnby Dock Workers' Union called the strike, but its own statement"
            " acknowledged that talks had resumed.",
            "Tarnby Dock Workers' Union",
            "own statement",
        ),
    ],
)
def test_a_body_and_its_document_in_one_sentence(text: str, name: str, work: str) -> None:
    assert _cited(text) == {name: ("organisation", work)}


@pytest.mark.parametrize(
    "text",
    [
        "Kenji Tanaka visited the plant, and its annual report shows losses.",
        "Valdren has 12 ports, and its latest census found 4 million people.",
        "The Harbour Board met on Monday, but its minutes do not record a vote.",
    ],
)
def test_its_after_a_person_or_a_place_or_without_a_verb_cites_nothing(text: str) -> None:
    assert _cited(text) == {}
