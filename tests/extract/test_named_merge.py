"""One citation per source: a name is not cut inside itself, and its short forms join it.

The phrasings here are written for these tests, in the range writers use them; each
asserts the exact names and types reported, so a cut or a lost merge shows.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

# A name joined by "and" is one body when the "and" joins the fields it deals in
# ("Power and Water", "Health, Labour and Welfare") rather than two bodies.
ONE_BODY = [
    (
        "The Northern Power and Water Utilities Company said in a statement on Monday "
        "that tariffs would rise.",
        "Northern Power and Water Utilities Company",
    ),
    (
        "The Eastern Power and Water Company projects that demand will grow by 6 per cent a year.",
        "Eastern Power and Water Company",
    ),
    (
        "The Ministry of Mines and Energy said output had fallen for a third month.",
        "Ministry of Mines and Energy",
    ),
    (
        "The Institute for Fiscal and Social Research estimated that the cap would cost "
        "about 2 billion a year.",
        "Institute for Fiscal and Social Research",
    ),
    (
        "The Department of Rural Development and Land Reform said it had received the application.",
        "Department of Rural Development and Land Reform",
    ),
    (
        "According to the Bureau of Labour and Welfare Statistics, unemployment rose.",
        "Bureau of Labour and Welfare Statistics",
    ),
]


@pytest.mark.parametrize(("text", "name"), ONE_BODY)
def test_a_name_whose_and_joins_fields_of_one_body_is_one_source(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


# Two bodies, each saying what kind of body it is, stay two sources.
TWO_BODIES = [
    (
        "Harrowfield Borough Council and Kelby Housing Association said on Tuesday that "
        "repairs would start in May.",
        {
            "Harrowfield Borough Council": "organisation",
            "Kelby Housing Association": "organisation",
        },
    ),
    (
        "A report by the Tarnby Water Authority and the Orran Energy Agency found the "
        "pipes were older than recorded.",
        {"Tarnby Water Authority": "organisation", "Orran Energy Agency": "organisation"},
    ),
]


@pytest.mark.parametrize(("text", "names"), TWO_BODIES)
def test_two_bodies_joined_by_and_stay_two_sources(text: str, names: dict[str, str]) -> None:
    assert found(text) == names
