"""Names that page furniture holds are not sources: taglines, credits, funders, prompts.

Each case puts a furniture line beside prose that cites a source, and asserts
the exact sources found: the furniture's names are gone and the prose's source
stays, with its type.
"""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found

CITED = "The Environmental Protection Agency said in a statement that levels fell."


@pytest.mark.parametrize(
    "tagline",
    [
        "Small-scale notes on living in Kelbridge, by Ciara Nolan",
        "A newsletter about European railways, by Anneke de Vries",
        "Weekly dispatches from the statehouse — by Jo Park and Sam Oduya",
        "Thoughts on cities and data by Mira Castellanos",
        "*A fortnightly briefing on African energy, by Chidi Okafor*",
    ],
)
def test_a_blog_or_newsletter_tagline_names_its_author_not_a_source(tagline: str) -> None:
    text = f"Coffee Shop Economics\n\n{tagline}\n\n{CITED}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_report_by_a_body_on_its_own_line_is_not_a_tagline() -> None:
    """No noun of a blog's self-description: a line naming a report by a body stays."""
    text = "Fewer buses, longer waits\n\nA new report by the Transport Research Laboratory\n"
    assert found(text) == {"Transport Research Laboratory": "organisation"}


@pytest.mark.parametrize(
    "credit",
    [
        "Data work by Ian Sorrell.",
        "Graphics by Lena Fischer. Fact-checking by Omar Haddad.",
        "Transcript prepared by Clearword Transcription Services and checked against the "
        "broadcast.",
        "Engineering by Ray Soto. Audio editing by Lem Villanueva.",
        "Cover art by Studio Pieter Claes. Interview translated from French by Hélène Baudouin.",
        "Studio engineer: Dermot Tubridy.",
    ],
)
def test_credit_lines_name_no_source(credit: str) -> None:
    text = f"{CITED}\n\n{credit}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "funders",
    [
        "The programme is supported by the Broadcasting Authority of Ireland's Sound and "
        "Vision scheme.",
        "WKLP Public Radio is supported by listeners and by the Fulton-Greer Foundation.",
        "Dagat is an independent podcast made in Batangas City, with support from the "
        "Philippine Ocean Stories Fund.",
        "This series was made possible by a grant from the Cascadia Science Media Fund.",
        "Our climate coverage is funded in part by the Lumen Foundation.",
    ],
)
def test_a_programmes_funders_are_not_sources(funders: str) -> None:
    text = f"The Health Products Regulatory Authority said supplies would recover.\n\n{funders}\n"
    assert found(text) == {"Health Products Regulatory Authority": "organisation"}


def test_a_claim_supported_by_a_bodys_data_keeps_its_source() -> None:
    text = (
        "The rise is supported by figures from the Central Statistics Office, which said "
        "rents rose 6 per cent.\n"
    )
    assert found(text) == {"Central Statistics Office": "organisation"}


@pytest.mark.parametrize(
    "prompt",
    [
        "Get The Forth Ledger's Monday briefing in your inbox — sign up here.",
        "The most important from Tannau every morning in your mailbox: Subscribe newsletter",
        "Want the Harbour Post's weekly digest delivered to your inbox? Sign up free.",
        "Like this? Get the newsletter from the Marina Brief.",
    ],
)
def test_newsletter_prompts_name_the_publication_not_a_source(prompt: str) -> None:
    text = f"Thistle Bank said in its annual report that lending fell.\n\n{prompt}\n"
    assert found(text) == {"Thistle Bank": "organisation"}


def test_the_datelines_own_wire_is_not_a_source_another_wire_is() -> None:
    text = (
        "PIETERMARITZBURG, March 4 (Cape Wire) - A former manager was found guilty on "
        "Wednesday of fraud.\n\n"
        '"This is a message to every official," prosecutor Sipho Mabaso told Cape Wire after '
        "the hearing.\n\n"
        "The defence will appeal, lawyer Thandi Nkosi told Reuters.\n"
    )
    assert found(text) == {"Sipho Mabaso": "person", "Thandi Nkosi": "person", "Reuters": "outlet"}


def test_the_copyright_holder_is_the_document_itself() -> None:
    text = (
        "Water tariffs will rise 9 per cent, the utility's chief executive told the Harbour "
        "Post on Monday. The regulator said in a statement it would review the rise.\n\n"
        "© 2026 Harbour Post. All rights reserved.\n"
    )
    assert "Harbour Post" not in found(text)


def test_hosts_are_not_sources_by_full_or_first_name_their_guest_is() -> None:
    text = (
        "First light from Unst\n\n"
        "Hosted by Fiona Gallacher and Dev Raman\n\n"
        "This week Fiona talks to Dr Isla Mowat about the launch. Isla Mowat said the orbit "
        "was within a kilometre of the plan. Fiona said she had never seen a launch. "
        "Dev Raman wrote about the licence last year.\n"
    )
    assert found(text) == {"Isla Mowat": "person"}


def test_a_bylines_author_in_the_bio_below_is_not_a_source() -> None:
    text = (
        "# Kettle & Crane is closing 31 cafés\n\n"
        "*Posted by Dana Whitfield on October 22, 2026 · Filed under: retail*\n\n"
        "Statistics Canada said on Tuesday that one in seven cafés closed.\n\n"
        "*Dana Whitfield writes Coffee Shop Economics from Halifax. Opinions are her own.*\n"
    )
    assert found(text) == {"Statistics Canada": "organisation"}


def test_a_papers_own_authors_in_its_references_are_not_other_sources() -> None:
    text = (
        "Counting without a census: coverage risk in Nigeria\n\n"
        "Chukwuemeka Eze(1) and Aisha Bala(2)\n\n"
        "(1) University of Ibadan (2) Ahmadu Bello University\n\n"
        "Coverage was poor in the north (Adebowale and Ibrahim, 2017).\n\n"
        "References\n"
        "Adebowale, S. A. and Ibrahim, M. (2017). Age heaping in Nigerian censuses. African "
        "Population Studies, 31(2), 3512-3527.\n"
        "Eze, C. and Bala, A. (2021). Settlements outside the frame. Journal of Population "
        "Research in Africa, 4(1), 44-61.\n"
    )
    names = found(text)
    assert "Eze" not in names and "Eze and Bala" not in names
    assert any(name.startswith("Adebowale") for name in names)


def test_a_masthead_over_a_tagline_is_the_blogs_own_name() -> None:
    text = (
        "# Northside Notebook\n\n"
        "*Small-scale notes on living in Kelbridge, by Ciara Nolan*\n\n"
        "The Environmental Protection Agency said in a statement that levels fell.\n\n"
        "*Northside Notebook is written in Kelbridge and hosted on WordPress.*\n"
    )
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_headline_without_a_byline_under_it_is_not_a_masthead() -> None:
    text = (
        "Thistle Bank\n\n"
        "Thistle Bank said in its annual report that business lending fell by a fifth.\n"
    )
    assert found(text) == {"Thistle Bank": "organisation"}


@pytest.mark.parametrize(
    "thanks",
    [
        "The authors thank Marcus Leung, who said the records were clean, for research assistance.",
        "I am grateful to Fiachra Lally, who told me about the flood group's survey.",
        "We would like to thank Lorna Achebe, who said the booking data were complete.",
        "We gratefully acknowledge data from the Harmattan Research Trust.",
        "Acknowledgements. According to the Keswick Foundation, the sample was drawn by lot.",
        "Thanks are due to Amina Yusuf, who said the census maps were incomplete.",
        "The author acknowledges funding from the Real Estate Foundation, which said so.",
    ],
)
def test_acknowledgements_thank_no_source(thanks: str) -> None:
    text = f"{CITED}\n\n{thanks}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "licence",
    [
        "Text licensed CC BY 4.0, according to the Northside Collective.",
        "© 2024 Dagat Podcast. Content licensed under CC BY-NC 4.0.",
        "Photos are licensed under terms the Kelbridge Press said it would publish.",
    ],
)
def test_licence_lines_name_no_source(licence: str) -> None:
    text = f"{CITED}\n\n{licence}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "bio",
    [
        "Renata Okafor-Hale covers the economy for the Carrow Ledger, and told Harbour Radio so.",
        "Wanjiru Kamau has reported on health for the Nation since 2019, and said the series "
        "took a year.",
        "Euan Rattray is The Forth Ledger's banking correspondent, The Scotsman reported.",
        "Priya Raman writes about cities at the Straits Observer and said so on air.",
    ],
)
def test_author_bios_with_a_beat_or_an_outlet_name_no_source(bio: str) -> None:
    text = f"{CITED}\n\n{bio}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_bios_heading_makes_the_short_lines_under_it_furniture() -> None:
    text = (
        f"{CITED}\n\n"
        "About the writer\n\n"
        "Jonas Verhaeghe said to the Guardian he has made radio in Ouagadougou since 2015.\n"
    )
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_news_paragraph_about_a_reporter_covering_a_trial_keeps_its_source() -> None:
    """A beat without an outlet after it is not a bio: the quote's source stays."""
    text = (
        "Lerato Dube covers the trial every day, and the National Prosecuting Authority said "
        "on Monday that it would call eleven witnesses.\n"
    )
    assert "National Prosecuting Authority" in found(text)


@pytest.mark.parametrize(
    "byline",
    [
        "From Katharina Wiedemann · 27 November 2026, 17:42",
        "Author: Katharina Wiedemann",
        "By Katharina Wiedemann, Economics Editor",
        "Words: Katharina Wiedemann and Jonas Petrov",
        "Von Katharina Wiedemann | Tannau",
    ],
)
def test_bylines_in_other_habits_make_their_people_the_documents_own(byline: str) -> None:
    text = (
        f"Budget 2027 with hole of 18 million euro\n\n{byline}\n\n"
        "The city treasurer Markus Vogel said to the Tannauer Rundschau that the gap is large. "
        "Wiedemann said the council will vote in December.\n"
    )
    assert found(text) == {"Markus Vogel": "person"}


def test_an_enumerated_item_or_a_copyright_office_is_not_a_copyright_line() -> None:
    text = (
        "The review covered (a) the Office for Budget Responsibility, (b) the Bank of England "
        "and (c) the Treasury, which said in a statement it would respond.\n\n"
        "The Copyright Office said in its annual report that claims rose.\n"
    )
    assert {"Treasury", "Copyright Office"} <= set(found(text))


@pytest.mark.parametrize(
    "credit",
    [
        "Dagat Podcast is hosted by Paolo Estrella and Kaye Bautista.",
        "Low Orbit is presented by Paolo Estrella and Kaye Bautista, and produced in Batangas.",
        "Dry Line is hosted and produced by Paolo Estrella; Kaye Bautista is co-hosted by nobody.",
    ],
)
def test_a_shows_credit_sentence_makes_its_hosts_the_documents_own(credit: str) -> None:
    text = (
        "This week we talk to Dr. Andrea Lacson about the bleaching study. Paolo said the reef "
        "looked like snow, and Andrea Lacson told the Philippine Daily Inquirer it would "
        f"recover.\n\n{credit}\n"
    )
    assert "Paolo" not in found(text) and "Paolo Estrella" not in found(text)
    assert "Philippine Daily Inquirer" in found(text)
