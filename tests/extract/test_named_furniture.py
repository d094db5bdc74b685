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
        "Street-level notes on living in Ardmore, by Niamh Quill",
        "A newsletter about inland shipping, by Els van der Berg",
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
        "Data work by Tomas Reyes.",
        "Graphics by Lena Fischer. Fact-checking by Omar Haddad.",
        "Transcript provided by Brightline Transcription Services and checked against the tape.",
        "Engineering by Ola Berg. Audio editing by Kit Amadi.",
        "Cover art by Studio Maren Holt. Interview translated from Spanish by Inés Soto.",
        "Sound engineer: Bram Kessels.",
    ],
)
def test_credit_lines_name_no_source(credit: str) -> None:
    text = f"{CITED}\n\n{credit}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "funders",
    [
        "The programme is supported by the Independent Radio Council's community fund.",
        "KXRA Public Radio is funded by members and by the Harlan-Moss Foundation.",
        "Tidepool is a small podcast recorded in Galway, with support from the Atlantic "
        "Stories Trust.",
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
        "Get the Valley Herald's Friday briefing in your inbox: sign up here.",
        "The news of Linz every morning in your mailbox, from the Linzer Blatt",
        "Want the Harbour Post's weekly digest delivered to your inbox? Sign up free.",
        "Like this? Get the newsletter from the Coast Brief.",
    ],
)
def test_newsletter_prompts_name_the_publication_not_a_source(prompt: str) -> None:
    text = f"Harbour Bank said in its annual report that lending fell.\n\n{prompt}\n"
    assert found(text) == {"Harbour Bank": "organisation"}


def test_the_datelines_own_wire_is_not_a_source_another_wire_is() -> None:
    text = (
        "KISUMU, June 9 (Lakeside Wire) - Two county officials were charged on Monday over "
        "a road contract.\n\n"
        '"Nobody is above the law," prosecutor Amos Otieno told Lakeside Wire outside the '
        "court.\n\n"
        "The county will contest the charges, its lawyer Grace Wambui told Reuters.\n"
    )
    assert found(text) == {"Amos Otieno": "person", "Grace Wambui": "person", "Reuters": "outlet"}


def test_the_copyright_holder_is_the_document_itself() -> None:
    text = (
        "Water tariffs will rise 9 per cent, the utility's chief executive told the Harbour "
        "Post on Monday. The regulator said in a statement it would review the rise.\n\n"
        "© 2026 Harbour Post. All rights reserved.\n"
    )
    assert "Harbour Post" not in found(text)


def test_hosts_are_not_sources_by_full_or_first_name_their_guest_is() -> None:
    text = (
        "The night the ferry stopped\n\n"
        "Presented by Ana Ruiz and Tom Hale\n\n"
        "This week Ana talks to Captain Ruth Okello about the strike. Ruth Okello said the "
        "crews had not been paid since March. Ana said she had never missed a sailing. "
        "Tom Hale wrote about the timetable last year.\n"
    )
    assert found(text) == {"Ruth Okello": "person"}


def test_a_bylines_author_in_the_bio_below_is_not_a_source() -> None:
    text = (
        "# Why the corner bakery raised its prices\n\n"
        "*Posted by Mira Castellanos on 3 May 2026 · Filed under: food, prices*\n\n"
        "Statistics Canada said on Tuesday that flour prices rose by a third.\n\n"
        "*Mira Castellanos writes Small Margins from Winnipeg. Views are her own.*\n"
    )
    assert found(text) == {"Statistics Canada": "organisation"}


def test_a_papers_own_authors_in_its_references_are_not_other_sources() -> None:
    text = (
        "Missing households: undercount risk in rural districts\n\n"
        "Ada Obi(1), Kemi Lawal(2) and Musa Danjuma(1)\n\n"
        "(1) University of Jos (2) University of Lagos\n\n"
        "Undercounts were larger in the dry season (Adeyemi and Bello, 2018).\n\n"
        "References\n"
        "Adeyemi, T. and Bello, R. (2018). Seasonal migration and the census. Population "
        "Review, 12(3), 101-119.\n"
        "Obi, A. and Lawal, K. (2022). Villages off the map. Journal of Survey Methods in "
        "Africa, 7(2), 10-31.\n"
    )
    names = found(text)
    assert "Obi" not in names and "Obi and Lawal" not in names
    assert any(name.startswith("Adeyemi") for name in names)


def test_a_masthead_over_a_tagline_is_the_blogs_own_name() -> None:
    text = (
        "# Valley Notebook\n\n"
        "*Street-level notes on living in Ardmore, by Niamh Quill*\n\n"
        "The Environmental Protection Agency said in a statement that levels fell.\n\n"
        "*Valley Notebook is written in Ardmore and said to be read by nobody.*\n"
    )
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_headline_without_a_byline_under_it_is_not_a_masthead() -> None:
    text = (
        "Harbour Bank\n\n"
        "Harbour Bank said in its annual report that business lending fell by a fifth.\n"
    )
    assert found(text) == {"Harbour Bank": "organisation"}


@pytest.mark.parametrize(
    "thanks",
    [
        "The authors thank Hugo Tamm, who said the records were clean, for research assistance.",
        "I am grateful to Oisin Farrell, who told me about the flood group's survey.",
        "We would like to thank Nkem Uba, who said the booking data were complete.",
        "We gratefully acknowledge data from the Savanna Research Trust.",
        "Acknowledgements. According to the Ashdown Foundation, the sample was drawn by lot.",
        "Thanks are due to Halima Sule, who said the census maps were incomplete.",
        "The author acknowledges funding from the Coastal Housing Foundation, which said so.",
    ],
)
def test_acknowledgements_thank_no_source(thanks: str) -> None:
    text = f"{CITED}\n\n{thanks}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "licence",
    [
        "Text licensed CC BY 4.0, according to the Eastgate Collective.",
        "© 2024 Reefline Podcast. Content licensed under CC BY-NC 4.0.",
        "Photos are licensed under terms the Ardmore Press said it would publish.",
    ],
)
def test_licence_lines_name_no_source(licence: str) -> None:
    text = f"{CITED}\n\n{licence}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "bio",
    [
        "Joy Adeleke-Smith covers the economy for the Valley Herald, and told Harbour Radio so.",
        "Achieng Owino has reported on health for the Nation since 2019, and said the series "
        "took a year.",
        "Callum Reid is The Clyde Courier's banking correspondent, the Daily Record reported.",
        "Priya Raman writes about cities at the Harbour Observer and said so on air.",
    ],
)
def test_author_bios_with_a_beat_or_an_outlet_name_no_source(bio: str) -> None:
    text = f"{CITED}\n\n{bio}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_bios_heading_makes_the_short_lines_under_it_furniture() -> None:
    text = (
        f"{CITED}\n\n"
        "About the writer\n\n"
        "Pieter Claeys said to the Guardian he has made radio in Ouagadougou since 2015.\n"
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
        "From Lena Vogt · 27 November 2026, 17:42",
        "Author: Lena Vogt",
        "By Lena Vogt, Economics Editor",
        "Words: Lena Vogt and Jonas Petrov",
        "Von Lena Vogt | Steyr",
    ],
)
def test_bylines_in_other_habits_make_their_people_the_documents_own(byline: str) -> None:
    text = (
        f"Budget 2027 with hole of 18 million euro\n\n{byline}\n\n"
        "The city treasurer Markus Vogel said to the Steyrer Bote that the gap is large. "
        "Vogt said the council will vote in December.\n"
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
        "Reefline Podcast is hosted by Rafa Mendoza and Lia Santos.",
        "Night Shift is presented by Rafa Mendoza and Lia Santos, and produced in Cebu.",
        "Long Haul is hosted and produced by Rafa Mendoza; Lia Santos is co-hosted by nobody.",
    ],
)
def test_a_shows_credit_sentence_makes_its_hosts_the_documents_own(credit: str) -> None:
    text = (
        "This week we talk to Dr. Carmen Yap about the bleaching study. Rafa said the reef "
        "looked like snow, and Carmen Yap told the Philippine Daily Inquirer it would "
        f"recover.\n\n{credit}\n"
    )
    assert "Rafa" not in found(text) and "Rafa Mendoza" not in found(text)
    assert "Philippine Daily Inquirer" in found(text)


@pytest.mark.parametrize(
    "line",
    [
        "This newspaper is regulated by the Independent Press Standards Organisation.",
        "The Valley Herald is a member of the Press Council of Ireland.",
        "KXRA is a station licensed by the Federal Communications Commission.",
        "Translated by Ines Duarte from the Portuguese.",
    ],
)
def test_regulator_membership_and_translator_lines_name_no_source(line: str) -> None:
    text = f"{CITED}\n\n{line}\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_programme_funded_by_a_body_that_reported_keeps_the_report() -> None:
    """Funding said in a reporting sentence is news, and the sentence's source stays."""
    text = (
        "The school meals programme is funded by the Department of Education, which said in "
        "a statement that uptake rose by a tenth.\n"
    )
    assert "Department of Education" in found(text)


@pytest.mark.parametrize("heading", ["Gear", "Sponsors", "Our supporters", "Music"])
def test_gear_sponsor_and_music_headings_head_furniture(heading: str) -> None:
    text = f"{CITED}\n\n{heading}\n\nField recorder by Zoom, said the Valley Herald.\n"
    assert found(text) == {"Environmental Protection Agency": "organisation"}


def test_a_host_line_between_a_title_and_a_heading_stands_alone() -> None:
    """Text rendered from HTML puts each block on its own line with no blank between: the
    host line must not run into the title above it or the heading below it."""
    text = (
        "When the river came back: inside the new floodplain study\n"
        "Hosted by Rafa Mendoza and Lia Santos\n"
        "About this episode\n"
        "The Environmental Protection Agency said in a statement that levels fell.\n"
    )
    assert found(text) == {"Environmental Protection Agency": "organisation"}


@pytest.mark.parametrize(
    "sentence",
    [
        "As the critic Laila Haddad shows in her book Scissors on the Nile (2019), the rule "
        "is old.",
        "Her study Fishing in the Baltic (2021) found the quota too high, Ana Berg said.",
        "The film Night on the Danube (1998) was banned, Ana Berg said.",
    ],
)
def test_a_place_closing_a_titles_words_is_not_an_author(sentence: str) -> None:
    """ "Scissors on the Nile (2019)": the year follows a title, and the last word of the
    title is no author (nor the Nile Standard, a masthead that shares it)."""
    names = found(f"{sentence}\n\n© 2026 The Nile Standard, Cairo.\n")
    assert not {"Nile", "Baltic", "Danube"} & set(names)
    assert {"Laila Haddad", "Ana Berg"} & set(names)
