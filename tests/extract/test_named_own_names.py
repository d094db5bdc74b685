"""The document's own names, wherever it gives them, are never its sources.

A byline's parts, a masthead with its section, front matter, the newsroom's
own reporters named in the text, a show's opening, an author's bio and a
newsletter prompt all say what the document calls itself and who made it;
the same name later in the prose ("told the Tokyo Ledger") is the document
naming itself.  Each case also keeps a real source, and the negative cases
keep a name that only looks like the document's own.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

TOLD = "Workers at the plant told the {outlet} on Monday that it would close."
EPA = "Environmental Protection Agency"
CITED = "The Environmental Protection Agency said in a statement that levels fell."


@pytest.mark.parametrize(
    "byline",
    [
        "*By Selin Aydın, Markets Desk | The Bosphorus Ledger | 3 March 2026*",
        "Posted by Selin Aydın · Bosphorus Ledger · 6 min read",
        "By Selin Aydın • The Bosphorus Ledger • Updated 14:05",
        "Written by Selin Aydın | Bosphorus Ledger",
    ],
)
def test_the_publication_in_a_bylines_parts_is_the_document_itself(byline: str) -> None:
    text = (
        f"# Steel town waits for its last shift\n\n{byline}\n\n"
        f"{TOLD.format(outlet='Bosphorus Ledger')} {CITED}\n"
    )
    names = found(text)
    assert "Bosphorus Ledger" not in names and EPA in names


def test_a_masthead_with_its_section_over_a_byline_is_the_document_itself() -> None:
    text = (
        "# Kansai Courier | Analysis\n\n"
        "## Osaka's port bet faces its first test\n\n"
        "*By Aiko Mori, economics correspondent · 9 December 2026*\n\n"
        "In a statement to the Kansai Courier, the port authority said berths were full. "
        f"{CITED}\n"
    )
    names = found(text)
    assert "Kansai Courier" not in names and EPA in names


def test_a_headline_with_a_bar_and_no_byline_names_nothing_of_its_own() -> None:
    text = (
        "Harbour Bank | Results\n\n"
        "Harbour Bank said in its annual report that business lending fell by a fifth.\n"
    )
    assert found(text) == {"Harbour Bank": "organisation"}


def test_front_matter_names_the_posts_author() -> None:
    text = (
        "---\ntitle: My first morning at the races\nauthor: Omar Siddiqui\n"
        "date: 2026-01-24\n---\n\n"
        f"{CITED}\n\n"
        "*Omar Siddiqui said he would go back next season, the organisers told me.*\n"
    )
    # the Markdown reader hands the front matter over as one line; both spellings count
    flat = text.replace("\nauthor:", " author:").replace("\ndate:", " date:")
    for variant in (text, flat):
        assert "Omar Siddiqui" not in found(variant)
        assert "Environmental Protection Agency" in found(variant)


@pytest.mark.parametrize(
    "staff",
    [
        "Yesterday our reporter Inés Rojas spoke with a retired miner, who said the pension "
        "was not enough.",
        "Our Beirut correspondent, Rami Haddad, said the crossing was closed by noon.",
        "My producer Tomás Vera told me the recording was lost.",
        "As our co-host Lia Santos said last week, the reef looked like snow.",
    ],
)
def test_the_newsrooms_own_people_named_in_the_text_are_not_sources(staff: str) -> None:
    names = found(f"{CITED}\n\n{staff}\n")
    assert names == {"Environmental Protection Agency": "organisation"}


def test_someone_elses_reporter_is_a_source() -> None:
    text = "A reporter for the Valley Herald, Jo Park, said the council had met in secret.\n"
    assert "Jo Park" in found(text)


@pytest.mark.parametrize(
    ("opening", "host"),
    [
        ("RENEE DUVAL: Good morning, this is Bayou Morning, I'm Renee Duval.", True),
        ("I'm Renee Duval and this is Bayou Morning, the show about the coast.", True),
        ("Welcome to Bayou Morning, I'm Renee Duval.", True),
        ("You're listening to Bayou Morning, the podcast about the Louisiana coast.", False),
    ],
)
def test_a_shows_opening_names_the_show_and_its_host(opening: str, host: bool) -> None:
    names = found(
        f"{opening}\n\nBayou Morning reported in May that the levee leaked. Renee Duval said "
        f"the repairs were late.\n\n{CITED}\n"
    )
    assert "Bayou Morning" not in names and EPA in names
    assert ("Renee Duval" in names) is not host


def test_a_place_welcomed_to_is_not_a_show() -> None:
    text = (
        "Welcome to Harlan County, where the last mine closed in May.\n\n"
        "Harlan County said in a statement that 400 jobs were lost.\n"
    )
    assert "Harlan County" in found(text)


@pytest.mark.parametrize(
    "bio",
    [
        "*Aiko Mori covers the economy and industrial policy for the Kansai Courier. She was "
        "previously a correspondent for Kyodo News.*",
        "Aiko Mori writes Kansai Courier, a newsletter about Osaka's economy.",
        "Aiko Mori is the Kansai Courier's economics correspondent.",
        "*Aiko Mori is an epidemiologist in Kobe. Kansai Courier is written in her free time; "
        "opinions are her own.*",
    ],
)
def test_an_authors_bio_names_the_publication_they_write_for(bio: str) -> None:
    text = (
        "# Osaka's port bet\n\n*By Aiko Mori · 9 December 2026*\n\n"
        f"{TOLD.format(outlet='Kansai Courier')} {CITED}\n\n{bio}\n"
    )
    names = found(text)
    assert "Kansai Courier" not in names and "Aiko Mori" not in names and EPA in names


def test_a_bios_earlier_employer_stays_a_source_in_the_prose() -> None:
    """What a bio says its author did before is not the document's own."""
    text = (
        "# Osaka's port bet\n\n*By Aiko Mori · 9 December 2026*\n\n"
        "Kyodo News reported on Monday that berths were full.\n\n"
        "*Aiko Mori covers the economy for the Kansai Courier. She was previously a "
        "correspondent for Kyodo News.*\n"
    )
    assert "Kyodo News" in found(text)


def test_a_bio_of_someone_not_in_the_byline_names_no_publication_of_its_own() -> None:
    text = (
        "# Osaka's port bet\n\n*By Aiko Mori · 9 December 2026*\n\n"
        f"{TOLD.format(outlet='Kansai Courier')}\n\n"
        "Ken Sato covers shipping for the Kansai Courier.\n"
    )
    assert "Kansai Courier" in found(text)


@pytest.mark.parametrize(
    "foot",
    [
        "Sign up for the Bayou Weekly's Friday briefing in your inbox.",
        "Bayou Weekly is an independent newsletter from Houma, Louisiana.",
        "Bayou Weekly is written and edited in Houma every Friday.",
    ],
)
def test_a_publication_describing_itself_at_the_foot_is_the_document(foot: str) -> None:
    text = f"Levee repairs ran late, Bayou Weekly reported in May. {CITED}\n\n{foot}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_another_podcast_described_in_the_prose_stays_a_source() -> None:
    text = (
        f"{CITED}\n\n"
        "Planet Money is a podcast from NPR. Planet Money reported in May that prices rose.\n"
    )
    assert "Planet Money" in found(text)


@pytest.mark.parametrize(
    "intro",
    [
        "In this episode, host Renee Duval speaks with a levee engineer.",
        "This week, hosts Renee Duval and Tom Hale ask where the money went.",
        "Host Renee Duval talks to two engineers about the levee.",
    ],
)
def test_a_show_notes_host_introduction_names_the_shows_own_host(intro: str) -> None:
    text = f"{intro}\n\nRenee Duval said the levee leaked in May. {CITED}\n"
    names = found(text)
    assert "Renee Duval" not in names and EPA in names


def test_a_talk_show_host_in_the_news_is_a_source() -> None:
    text = "Radio host Joe Marlow said on Monday that the levee had leaked for a year.\n"
    assert "Joe Marlow" in found(text)


@pytest.mark.parametrize(
    "foot",
    [
        "Inés Rojas reported from Valparaíso; Tomás Vera from Santiago.",
        "Inés Rojas contributed reporting from Valparaíso, and Tomás Vera contributed research.",
    ],
)
def test_contributor_lines_at_the_foot_name_the_newsrooms_own_people(foot: str) -> None:
    text = f"Inés Rojas said the port had closed. Tomás Vera said so too. {CITED}\n\n{foot}\n"
    names = found(text)
    assert "Inés Rojas" not in names and "Tomás Vera" not in names and EPA in names


def test_a_place_alone_in_a_bylines_parts_stays_a_source_a_wire_does_not() -> None:
    """One word between a byline's bars is as often where it was filed from."""
    text = (
        "# Tariff talks stall\n\n*By Selin Aydın | Washington | Reuters | 3 May 2026*\n\n"
        "Washington said on Friday that it would not lift the tariffs. Officials told Reuters "
        f"the talks would resume. {CITED}\n"
    )
    names = found(text)
    assert "Washington" in names and "Reuters" not in names and EPA in names
