"""Names that look like a person's and are a place, a group, or the writer with a
co-author: what the words around the name tell, without a list of places."""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    "text",
    [
        "Domestic mills in Alabama and Arkansas have added newer, cheaper capacity.",
        "The operator runs regional trains across Jutland and Funen, the ministry said.",
        "Yields throughout Tulare and Kern have shown a decline, the board said.",
        "The agency issued an alert for coastal Fujian and Zhejiang, Xinhua reported.",
        "Farmers near Kisumu and Busia have complained of late rains, the ministry said.",
        "Most South Africans think of malaria as a disease of elsewhere, the survey found.",
        "Many Kenyans said they had never heard of the levy, according to Ipsos.",
        "Some Nigerians have argued for a slower rollout, the central bank said.",
        "Farmers said rains failed across Kisumu and Busia, Kenya, the ministry reported.",
        "Mills in rural Ohio and Indiana have added capacity, the institute said.",
    ],
)
def test_a_place_or_a_group_is_no_person(text: str) -> None:
    assert "person" not in found(text).values(), found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "In a 2022 paper that Ruth Alvarez and I published, we counted 14 programmes.",
            "Ruth Alvarez",
        ),
        ("Tomás Ibarra and I wrote in a 2019 report that the dam was unsafe.", "Tomás Ibarra"),
    ],
)
def test_the_writer_and_a_co_author_cite_the_co_author(text: str, name: str | None) -> None:
    names = found(text)
    assert not any(n.endswith((" and I", " and me")) for n in names), names
    if name is not None:
        assert names.get(name) == "person"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the people a place locates are the source the name stands in for
        (
            "Mediators from Qatar and Turkey presented a draft proposal on Monday.",
            "Qatar and Turkey",
        ),
        (
            "Regulators in Brussels and Washington have warned that prices would rise.",
            "Brussels and Washington",
        ),
        ('"We are ready," said Ana Ruiz, who lives in Tarnby.', "Ana Ruiz"),
        ("In Ana Ruiz's words, the plan was dead, she told the Courier.", "Ana Ruiz"),
        (
            "A letter from Ana Ruiz and Tomas Berg said the school would close.",
            "Ana Ruiz and Tomas Berg",
        ),
    ],
)
def test_people_and_the_people_a_place_locates_stay_sources(text: str, name: str) -> None:
    assert found(text).get(name) == "person"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mexico City said in a statement that the water would return.", "Mexico City"),
        ("Manchester City said in a statement that the manager had left.", "Manchester City"),
        ("Chakwal District said in a notice that the road would close.", "Chakwal District"),
    ],
)
def test_a_name_ending_in_a_noun_of_places_is_its_administration(text: str, name: str) -> None:
    assert found(text) == {name: "organisation"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("In Wellington, Jacinda Ardern said the rules would change.", "Jacinda Ardern"),
        ("In New Zealand, Jacinda Ardern said the rules would change.", "Jacinda Ardern"),
        (
            "Across Jutland and Funen, Anders Holm, a farmer, said the rain came late.",
            "Anders Holm",
        ),
        ("Near Kisumu, Tom Aske told us the rain came late.", "Tom Aske"),
    ],
)
def test_a_place_that_opens_the_sentence_is_not_part_of_the_speaker(text: str, name: str) -> None:
    assert found(text) == {name: "person"}


def test_a_two_word_name_after_in_may_be_a_body() -> None:
    # "in" locates a place only before one-word names or a name of a place: a body's
    # name of two words is left to the other tests
    text = "A 30% stake in Tarn Veltmark has reported a loss, the filing showed."
    assert "Tarn Veltmark" in found(text)


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "Restaurants Canada's latest Foodservice Facts report estimates that cafés closed.",
            "Foodservice Facts",
        ),
        ("The bureau's annual Harvest Outlook survey found that yields fell.", "Harvest Outlook"),
        ("Tarnby Council's new Street Works plan says the road will close.", "Street Works"),
    ],
)
def test_a_title_between_a_possessive_and_a_document_is_no_person(
    sentence: str, title: str
) -> None:
    assert found(f"The cafés closed in May. {sentence}").get(title) != "person"


def test_a_person_after_a_possessive_is_still_a_person() -> None:
    text = (
        "The cafés closed in May. Brenner Capital's chief economist Ana Ruiz said in a note "
        "that rates would fall."
    )
    assert found(text).get("Ana Ruiz") == "person"
