"""Named references: books by author and title, list entries of a work, papers named
journal first.

A book by one author cites that person for the book (its title the work), a
book by several authors is one ``work`` citation; the publisher is the
container and never a source; a body before a title in a list line is that
body's; authors after their journal ("Writing in the Journal of X, A and B
found") are one work with the journal as its container.  The phrasings are
written for these tests.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from archive.extract.types import ExtractedCitation


def cited(text: str) -> list[ExtractedCitation]:
    return find_named_references(text)


def rows(text: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    return [(c.source_name, c.source_type, c.work_title, c.container) for c in cited(text)]


@pytest.mark.parametrize(
    ("text", "author", "title"),
    [
        # the noun, what it is about, "by", a role, the author, the title in quotes
        (
            "The last stoppage lasted 11 days, according to a history of the port by local "
            'historian Michael Twomey, "Harbour of the Deep Water", published in 2011.',
            "Michael Twomey",
            "Harbour of the Deep Water",
        ),
        # emphasis in Markdown, a biography
        (
            "Much of what we know comes from a 2009 biography by Ruth Okonjo, *The Long "
            "Season*, which drew on her letters.",
            "Ruth Okonjo",
            "The Long Season",
        ),
        # a title in another language keeps its lower-case words
        (
            "According to the 1978 history of the archive by folklorist Sigrid Aasen, "
            'Stemmer fra dalen ("Voices from the valley"), he meant to record fiddlers.',
            "Sigrid Aasen",
            "Stemmer fra dalen",
        ),
        # the author's possessive, then the noun and the title
        (
            "Mary Blake's 2015 memoir The Salt Road describes the trade in detail.",
            "Mary Blake",
            "The Salt Road",
        ),
        # a discourse word before the owner is not the author's name
        (
            "And Nadia Eghbal's book *Working in Public* is still the best thing I've read.",
            "Nadia Eghbal",
            "Working in Public",
        ),
        # the role before the author is no part of the name
        (
            "The fullest account is a 2019 history of the sinking by journalist Miriam "
            'Castell, "Thirty-Five Minutes", published by a small press.',
            "Miriam Castell",
            "Thirty-Five Minutes",
        ),
        # the title first, then "a … by" and the author
        (
            "The Salt Road, a 2015 history by Mary Blake, describes the trade.",
            "Mary Blake",
            "The Salt Road",
        ),
    ],
)
def test_a_book_by_its_author_and_title(text: str, author: str, title: str) -> None:
    assert rows(text) == [(author, "person", title, None)]


def test_a_list_entry_of_a_book_names_the_publisher_as_its_container() -> None:
    text = (
        "Further reading\n\n"
        "Jon Gertner, The Ice at the End of the World (Random House, 2019), a history of "
        "ice science"
    )
    assert rows(text) == [
        ("Jon Gertner", "person", "The Ice at the End of the World", "Random House")
    ]


def test_a_list_entry_of_a_work_by_several_authors_is_the_work() -> None:
    text = 'Sources\n\nEyler and Weatherby, "Mekong Dam Monitor methodology" (2020)\n'
    assert rows(text) == [("Eyler and Weatherby", "work", "Mekong Dam Monitor methodology", None)]


def test_a_body_before_a_title_in_a_list_line_is_that_bodys_work() -> None:
    text = (
        "Hugonnet, R. et al. (2021). Accelerated glacier loss. Nature.\n"
        "IPCC, Special Report on the Ocean and Cryosphere in a Changing Climate (2019), "
        "chapter 2\n"
    )
    found = {c.source_name: c for c in cited(text)}
    assert found["IPCC"].source_type == "organisation"
    assert found["IPCC"].work_title == (
        "Special Report on the Ocean and Cryosphere in a Changing Climate"
    )
    assert "Changing Climate" not in found


def test_a_book_and_its_reference_entry_are_one_work() -> None:
    text = (
        "According to the 1978 history of the archive by folklorist Sigrid Aasen, Stemmer "
        "fra dalen, he meant to record fiddlers.\n\n"
        "References\n\n"
        "Aasen, Sigrid (1978). Stemmer fra dalen: Nordbygd folkearkiv 1951–1976. Oslo: "
        "Det Norske Samlaget.\n"
    )
    [found] = cited(text)
    assert (found.source_name, found.source_type) == ("Sigrid Aasen", "person")
    assert len(found.mentions) == 2


@pytest.mark.parametrize(
    ("text", "authors", "journal"),
    [
        (
            "Writing in the *Journal of West African Popular Culture*, Ngozi Eberechukwu and "
            "Ifeanyi Ochei described it as curated nostalgia.",
            "Ngozi Eberechukwu and Ifeanyi Ochei",
            "Journal of West African Popular Culture",
        ),
        (
            "Writing in Nature, Hanna Berg and colleagues argued that the shelf is thinning.",
            "Hanna Berg and colleagues",
            "Nature",
        ),
        # a journal's name in another language, with its lower-case words
        (
            "In a paper published in the Revue française de science politique, Claire Morel "
            "and Luc Petit found that turnout fell.",
            "Claire Morel and Luc Petit",
            "Revue française de science politique",
        ),
        (
            "In a 2024 study published in the journal Zeitschrift für Kommunalfinanzen, Lena "
            "Hartwig and Markus Feld showed that sales lost money.",
            "Lena Hartwig and Markus Feld",
            "Zeitschrift für Kommunalfinanzen",
        ),
    ],
)
def test_authors_after_their_journal_are_one_work(text: str, authors: str, journal: str) -> None:
    assert rows(text) == [(authors, "work", None, journal)]


@pytest.mark.parametrize(
    "text",
    [
        # a paper by its authors and journal: no title follows the authors
        "A 2023 study by Priya Mensah and Callum Reid in the British Journal of Nutrition "
        "found gains.",
        # a history of a place, no author
        "The history of the port is long, and the book of accounts is lost.",
        # a columnist writing in a newspaper, not authors of a paper
        "Writing in the Guardian, the novelist Ann Cleeves said the library had closed.",
    ],
)
def test_no_book_where_there_is_no_author_and_title(text: str) -> None:
    assert all(c.extractor != "named.book" for c in cited(text))


def test_a_columnist_writing_in_a_newspaper_is_no_paper() -> None:
    text = "Writing in the Guardian, the novelist Ann Cleeves said the library had closed."
    assert all(c.source_type != "work" for c in cited(text))


@pytest.mark.parametrize(
    ("text", "authors", "journal"),
    [
        (
            "Tom Reyes and colleagues reported in Science that the shelf is thinning.",
            "Tom Reyes and colleagues",
            "Science",
        ),
        (
            "Okafor et al. wrote in the Journal of Hydrology that the wells were failing.",
            "Okafor et al.",
            "Journal of Hydrology",
        ),
        # one author in a scholarly journal: the paper is the work
        (
            "Ana Ruiz argued in the Quarterly Journal of Economics that rents fell.",
            "Ana Ruiz",
            "Quarterly Journal of Economics",
        ),
        (
            "Nwosu and Hale (2018) found in *Regional Environmental Change* that losses doubled.",
            "Nwosu and Hale",
            "Regional Environmental Change",
        ),
    ],
)
def test_authors_reporting_in_a_journal_are_one_work(text: str, authors: str, journal: str) -> None:
    found = cited(text)
    assert [(c.source_name, c.source_type, c.container) for c in found] == [
        (authors, "work", journal)
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a newspaper: the person is quoted in an outlet, no paper
        "Ana Ruiz said in the Guardian that rents fell.",
        # a month, not a journal
        "Tom Reyes and colleagues reported in March that the shelf is thinning.",
    ],
)
def test_no_paper_where_the_place_after_in_is_no_journal(text: str) -> None:
    assert all(c.source_type != "work" for c in cited(text))


@pytest.mark.parametrize(
    ("text", "author", "title"),
    [
        # a title with the prepositions of titles, the emphasis dropped from an HTML page
        (
            "For the long history, Jean Halcrow's book Rockets over the Ness (2019) covers "
            "every plan for a spaceport.",
            "Jean Halcrow",
            "Rockets over the Ness",
        ),
        (
            "Tomas Reyes's 2015 memoir Notes from Underground Lines, out of print now, "
            "tells it well.",
            "Tomas Reyes",
            "Notes from Underground Lines",
        ),
        # "in her book" after the author and a reporting verb
        (
            "As the critic Laila Abdelrahman shows in her book Scissors on the Nile (2019), "
            "the phrase is old.",
            "Laila Abdelrahman",
            "Scissors on the Nile",
        ),
        (
            "The engineer Paul Ostrowski explains in his 2011 book Bridges over the Vistula "
            "why the crossing failed.",
            "Paul Ostrowski",
            "Bridges over the Vistula",
        ),
        # a possessive before a title that opens with a preposition, which a description
        # after it marks as a title
        (
            "Joan Didion's After Henry, a 1992 collection of essays, says as much.",
            "Joan Didion",
            "After Henry",
        ),
    ],
)
def test_a_book_title_keeps_its_prepositions(text: str, author: str, title: str) -> None:
    """The last words of the title ("Ness", "Nile") are no source of their own."""
    assert rows(text) == [(author, "person", title, None)]


def test_a_possessive_before_a_preposition_without_a_description_is_no_title() -> None:
    text = "Meanwhile Rahman's After the storm, the town rebuilt, he said."
    assert all(c.work_title != "After the storm" for c in cited(text))


@pytest.mark.parametrize(
    ("text", "authors", "journal"),
    [
        # the first author a pronoun, the co-author and the journal named (non-native
        # English, a journal's name in German)
        (
            "In a study which she published together with Markus Feld in 2024 in the "
            "journal Zeitschrift für Kommunalfinanzen, the two came to the result that "
            "sales cost money.",
            "Markus Feld",
            "Zeitschrift für Kommunalfinanzen",
        ),
        (
            "In a paper he co-wrote with Ana Ruiz and Tomas Berg in Nature Climate Change, "
            "the loss was put at a fifth.",
            "Ana Ruiz and Tomas Berg",
            "Nature Climate Change",
        ),
        (
            "They published with Juan Pérez in 2019 in the Revista de Economía Urbana an "
            "analysis of rents.",
            "Juan Pérez",
            "Revista de Economía Urbana",
        ),
    ],
)
def test_a_paper_with_a_co_author_after_a_pronoun(text: str, authors: str, journal: str) -> None:
    [found] = cited(text)
    assert (found.source_name, found.source_type, found.container) == (authors, "work", journal)


def test_a_pronoun_with_a_companion_in_a_place_is_no_paper() -> None:
    text = "She wrote with her husband Tomas Berg in Lisbon a study of the harbour."
    assert all(c.source_type != "work" for c in cited(text))


@pytest.mark.parametrize(
    "text",
    [
        "As Aino said, she develops that idea in her book The Enclosure of the Sea (2021).",
        "He returns to it in The Fall of the House (2004), his last novel.",
        # a German title ("und"), after a book noun that no document list holds
        "She described it in her memoir Zahlen und Menschen (1998) as the origin of it.",
    ],
)
def test_the_last_word_of_a_title_before_its_year_is_no_author(text: str) -> None:
    names = {c.source_name for c in cited(text)}
    assert not names & {"Sea", "House", "Menschen"}


def test_an_author_after_the_in_a_sentence_keeps_its_year() -> None:
    text = "As shown in the Rahman (2020) study, wages fell."
    assert "Rahman" in {c.source_name for c in cited(text)}
