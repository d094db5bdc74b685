"""A body cited as the author of a dated work, in academic prose and reference lists.

"(Statistics Canada, 2022)", "(see Okonkwo and Adeyemi, 2019; Ministry of Health
and Social Care, 2020)", "Aga Khan Trust for Culture (2019). Documentation
Survey." and "Tokyo Metropolitan Labour Relations Commission (26 September
2026)." cite the body as a paper cites its authors.  A work's title in the same
place ("in her book The Northern Ports (1998)", "*Tides of Obligation* (2017)")
is not a body, nor is a name that is a body only by its shape.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Pooling would 'reduce variation' (Harwell Regional Health Authority, 2021, p. 4).",
            "Harwell Regional Health Authority",
        ),
        (
            "The census counted 140.4 million people (National Population Commission, 2009).",
            "National Population Commission",
        ),
        (
            "Waits rose in every region (Orran Institute for Labour Research 2023).",
            "Orran Institute for Labour Research",
        ),
        (
            "Median waits doubled (e.g. Valdren Department of Health and Social Care, 2020).",
            "Valdren Department of Health and Social Care",
        ),
        ("Aga Khan Trust for Culture (2019). Documentation Survey.", "Aga Khan Trust for Culture"),
        (
            "Tokyo Metropolitan Labour Relations Commission (26 September 2026). Mediation.",
            "Tokyo Metropolitan Labour Relations Commission",
        ),
        (
            "Tarnby Harbour Board (12 March 2021). Dredging plan, second edition.",
            "Tarnby Harbour Board",
        ),
    ],
)
def test_a_body_with_its_date_is_cited_as_an_author(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


def test_a_body_among_the_authors_in_brackets_keeps_the_people() -> None:
    text = "Coverage was poor (see Okonkwo and Adeyemi, 2019; Ministry of Health, 2020)."
    assert found(text) == {"Okonkwo and Adeyemi": "work", "Ministry of Health": "organisation"}


@pytest.mark.parametrize(
    "text",
    [
        "As the historian Morag Kinnaird wrote in *Tides of Obligation* (2017), the state paid.",
        "Petra Lindahl described in her book The Northern Ports (1998) the first register.",
        "The critic shows in her essay Scissors on the Nile (2019) that the rules are vague.",
        "Dredging resumed after the Port Strategy (2020) set new targets.",
        "Waits fell (see the Valdren Housing Strategy, 2019).",
    ],
)
def test_a_dated_title_is_no_body(text: str) -> None:
    assert not [n for n, t in found(text).items() if t == "organisation"]
