"""Sentences that name who underwrote, translated or advised on a document cite nothing.

Each case puts the credit beside prose that cites a source and asserts the
exact sources found; the negative cases keep a sentence of news that uses the
same words ("advised by the council to …", a book's translator in a sentence
that quotes the book) and assert its source stays.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

CITED = "The Environmental Protection Agency said in a statement that levels fell."
EPA = {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "read",
    [
        "Support for Harbor Mornings comes from the Brightwater Foundation and from Delta "
        "Savings Bank, serving the valley since 1921.",
        "Funding for this program is provided by the Corwin Family Trust.",
        "Additional support comes from Pelican Outfitters and from listeners like you.",
        "Major funding for Coast Lines was provided by the Lantern Fund.",
        "This hour is underwritten by Marsh & Reed Attorneys.",
        "Our thanks to the Ridgeway Foundation for its support of local journalism.",
        "Halvorsen Hardware is a proud sponsor of the show.",
        "Underwriting support for KVLR comes from Tamsin Health Partners.",
    ],
)
def test_underwriting_reads_name_no_source(read: str) -> None:
    assert found(f"{CITED}\n\n{read}\n") == EPA


@pytest.mark.parametrize(
    "credit",
    [
        "The translation was reviewed by the editor Marta Quiroga.",
        "This interview was translated from the Korean by Min-ji Seo.",
        "The conversation took place in Arabic with the help of an interpreter, Huda Salem.",
        "Our interpreter was Thanh Nguyen.",
        "Interpretation was provided by Huda Salem of the Amman bureau.",
        "Translation courtesy of the Rio Grande Language Center.",
        "English subtitles by Kenji Mori and Ayaka Ito.",
        "Jana Horáková translated this interview for the Prague edition.",
        "The English version was prepared by the news desk of the Harbour Post.",
    ],
)
def test_translation_and_interpreting_credits_name_no_source(credit: str) -> None:
    assert found(f"{CITED}\n\n{credit}\n") == EPA


def test_a_books_translator_in_a_sentence_that_quotes_it_keeps_the_author() -> None:
    text = (
        "Han Seo-yeon wrote in her memoir, translated by Clara Bell, that the factory "
        "never paid overtime.\n"
    )
    assert "Han Seo-yeon" in found(text)


@pytest.mark.parametrize(
    "advisers",
    [
        "Halden Capital acted as financial adviser to Norvik Mining.",
        "Ortiz & Brandt is acting as legal counsel to the company.",
        "The seller was advised by Vantor Partners (Peru) and Aldana Abogados (Chile).",
        "Kestrel Securities and Morrow Bank served as joint bookrunners.",
        "Lindqvist Partners advised the board on the transaction.",
        "Bramwell LLP has acted as sole legal advisor and Tessaro & Co. as tax adviser.",
    ],
)
def test_a_press_releases_advisers_are_not_sources(advisers: str) -> None:
    assert found(f"{CITED}\n\n{advisers}\n") == EPA


def test_people_advised_by_a_body_to_do_something_keep_the_body() -> None:
    """Advice given to people is what the body said: it stays a source."""
    text = (
        "Residents were advised by the Harlow District Council not to drink tap water "
        "until Friday.\n"
    )
    assert "Harlow District Council" in found(text)


def test_funding_for_a_bill_that_a_poll_reported_keeps_the_pollster() -> None:
    """A sentence that reports something is news, whatever it says of support."""
    text = "Support for the levy comes mostly from older voters, Meridian Polling found.\n"
    assert "Meridian Polling" in found(text)


@pytest.mark.parametrize(
    "line",
    [
        "Interpreter: Dilnoza Karimova, provided by the Tashkent Language Bureau",
        "Underwritten by the Corwin Family Trust, which said it supports local radio.",
        "Made possible by the Lantern Fund, according to the station.",
        "Advisers: Halden Capital (financial), Ortiz & Brandt (legal), reported by Reuters",
        "English translation by Sofía Marín, published by the Harbour Post.",
    ],
)
def test_labelled_credit_lines_name_no_source_whatever_follows(line: str) -> None:
    """A line that opens with the credit's label is furniture whole, reporting words too."""
    assert found(f"{CITED}\n\n{line}\n") == EPA


def test_an_advisers_heading_makes_the_short_lines_under_it_furniture() -> None:
    text = (
        f"{CITED}\n\nAdvisers\n\n"
        "Halden Capital, provided by the Norvik board as financial adviser, said little.\n"
    )
    assert found(text) == EPA


@pytest.mark.parametrize(
    "line",
    [
        "This article was originally published by The Conversation.",
        "This story was first published in the Harbour Post and is republished with permission.",
        "A version of this story first appeared in Coastal Affairs magazine.",
        "This piece is part of Tidewater Review's series on the coast, supported by the "
        "Lantern Fund.",
        "This investigation was produced in partnership with the Harbor Institute for "
        "Nonprofit Journalism.",
    ],
)
def test_where_the_document_first_ran_or_whose_series_it_is_names_no_source(line: str) -> None:
    assert found(f"{CITED}\n\n{line}\n") == EPA


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("The report was first published by the Harbour Institute in March.", "Harbour Institute"),
        (
            "The figures were first published by the Office for National Statistics.",
            "Office for National Statistics",
        ),
    ],
)
def test_a_cited_work_first_published_elsewhere_keeps_its_publisher(
    sentence: str, source: str
) -> None:
    """Only the document itself ("this article") is republished; a work it cites keeps
    the body that first published it."""
    assert source in found(sentence)


def test_a_person_who_served_as_an_adviser_keeps_what_they_said() -> None:
    """A post held ("served as an adviser to the president") is no deal's adviser line."""
    text = (
        "Marta Quiroga, who served as an adviser to the president, criticised the ruling "
        "on Monday.\n"
    )
    assert "Marta Quiroga" in found(text)
