"""People as sources by what they did with a claim: said little or nothing, made an
argument, were quoted by an outlet, were resumed by a pronoun after a time word.

Each test writes its own sentences in the construction it covers, in several
phrasings, with cases that must stay silent beside the ones that must be found.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

# ---- a verb that states nothing; a staff noun after the verb is the clause's subject ----


@pytest.mark.parametrize(
    "sentence",
    [
        "Governor Henrique Castanheira has said little in public.",
        "Ilona Varga has written almost nothing about the merger.",
        "The minister, Tomas Berg, has said very little since the vote.",
        "Ilona Varga, the union's head, said next to nothing at the hearing.",
    ],
)
def test_saying_little_or_nothing_cites_no_one(sentence: str) -> None:
    assert found(f"The plant closed in May. {sentence}") == {}


@pytest.mark.parametrize(
    "sentence",
    [
        "Ilona Varga said little had changed since May.",
        "Ilona Varga said nothing would change before the vote.",
        "Ilona Varga said the board would meet on Monday.",
        "Ilona Varga told reporters the union would appeal.",
        "Ilona Varga said the ministry had not been consulted.",
        "Ilona Varga says the staff were never told.",
    ],
)
def test_what_is_said_may_open_with_little_nothing_or_a_body(sentence: str) -> None:
    assert found(f"The plant closed in May. {sentence}") == {"Ilona Varga": "person"}


# ---- an argument made; a person an outlet quoted; a pronoun after a time word ----------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "Gregory Aldana, an economist at the Cato Institute, made a similar argument in a "
            "blog post last week.",
            "Gregory Aldana",
        ),
        (
            "Ilona Varga, a tenant organiser, put forward the same argument at the hearing.",
            "Ilona Varga",
        ),
        ("Senator Ruth Caldera advanced a broader argument in her newsletter.", "Ruth Caldera"),
        ("Ilona Varga (Tarnby Tenants Union) offers a different argument.", "Ilona Varga"),
    ],
)
def test_an_argument_made_cites_the_person_who_made_it(sentence: str, name: str) -> None:
    assert found(f"The board met on Monday. {sentence}").get(name) == "person"


@pytest.mark.parametrize(
    "sentence",
    [
        "The report made a similar argument about rents.",
        "Critics made the same argument in 2019.",
        "Ilona Varga lost the argument at the meeting.",
    ],
)
def test_an_argument_without_a_person_making_it_cites_no_one(sentence: str) -> None:
    assert "person" not in found(f"The board met on Monday. {sentence}").values()


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "A segment on Wisconsin Public Radio quoted the consultant, Priya Raman of Raman "
            "Zoological Planning, saying the climate made it impractical.",
            "Priya Raman",
        ),
        ("The Courier quoted Ana Ruiz as saying the pool would close.", "Ana Ruiz"),
        ("Local radio quoted Ana Ruiz, a nurse in Kumasi, warning of shortages.", "Ana Ruiz"),
    ],
)
def test_a_person_an_outlet_quoted_is_a_source(sentence: str, name: str) -> None:
    assert found(f"The board met on Monday. {sentence}").get(name) == "person"


def test_being_quoted_needs_a_person_after_the_verb() -> None:
    text = "The board met on Monday. The Courier quoted the French press saying prices rose."
    assert "person" not in found(text).values()


@pytest.mark.parametrize(
    "second",
    [
        'In an interview with Mada Masr last week he said that the film "is about a tram".',
        'Speaking at the festival on Saturday he said the film "is about a tram".',
        'Asked about the cuts yesterday he told us the film "is about a tram".',
    ],
)
def test_a_pronoun_after_a_time_word_resumes_the_person(second: str) -> None:
    text = f"Director Hany Mourad has refused to cut the scenes. {second}"
    assert found(text).get("Hany Mourad") == "person"


@pytest.mark.parametrize(
    "second",
    [
        "Okafor's numbers from FBref, as quoted by the club: 19 goals.",
        "Okafor's figures according to Opta show 19 goals.",
        "Okafor's statistics via Transfermarkt put his value at 30 million.",
    ],
)
def test_a_persons_numbers_from_a_named_source_are_the_sources(second: str) -> None:
    text = f"Chidi Okafor scored 19 goals this season. {second}"
    assert "Chidi Okafor" not in found(text)


def test_a_persons_own_numbers_cite_the_person() -> None:
    text = "Chidi Okafor keeps a training log. Okafor's numbers show a decline since May."
    assert found(text) == {"Chidi Okafor": "person"}
