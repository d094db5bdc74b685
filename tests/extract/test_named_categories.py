"""Named references by category of attribution: each test writes its own sentences in
the construction it covers (a description before the name, an appositive, a
possessive work, a producer after a document noun …), so that a category is covered,
not a document's wording."""

from __future__ import annotations

from archive.extract.named import find_named_references
from tests.extract.named_helpers import found


def test_a_description_with_a_plural_possessive_names_the_body() -> None:
    text = "The dockworkers' union Havenbond said on Monday that the strike would go on."
    assert found(text) == {"Havenbond": "organisation"}


def test_an_appositive_headed_by_an_organisation_noun_makes_a_body() -> None:
    text = "Veltmark Nord, the federation of regional grocers, says prices will rise."
    assert found(text) == {"Veltmark Nord": "organisation"}


def test_a_persons_possessive_work_is_cited_after_another_article() -> None:
    text = "For the background of the dispute, I leaned on Marta Quillon's memoir The Long Shift."
    assert found(text) == {"Marta Quillon": "person"}


def test_a_persons_possessive_policy_is_no_citation() -> None:
    text = "The unions oppose the reform and President Alda Verin's plan to close the mines."
    assert "Alda Verin" not in found(text)


def test_a_quoted_title_may_stand_between_the_possessive_and_the_noun() -> None:
    text = 'The tonnages follow the Nordic Ports Authority\'s "Harbour Traffic Review" report.'
    assert found(text) == {"Nordic Ports Authority": "organisation"}


def test_a_person_of_a_body_is_the_source_not_the_body() -> None:
    text = (
        "Dr Ilse Varrow of the Kessel Institute for Water Policy has argued that the "
        "tariff hurts farmers. Organiser Pim Delacourt of the Tenants' Action Network "
        "told reporters the vote was close."
    )
    assert found(text) == {"Ilse Varrow": "person", "Pim Delacourt": "person"}


def test_a_post_of_a_department_is_no_person_split() -> None:
    text = "Deputy Director of Fisheries Arne Holt testified that the quota was set too high."
    assert found(text) == {"Arne Holt": "person"}


def test_a_role_noun_opening_a_name_is_its_title() -> None:
    [cited] = find_named_references(
        "Strategist Odile Franck of the bank Merovia said on Friday that rates would fall."
    )
    assert (cited.source_name, cited.speaker_role) == ("Odile Franck", "Strategist")


def test_a_progressive_or_perfect_reporting_verb_attributes() -> None:
    text = (
        "Lena Brask has been making the same point for a decade. "
        "The Harbour Users Council is saying that fees doubled."
    )
    assert found(text) == {"Lena Brask": "person", "Harbour Users Council": "organisation"}


def test_a_document_in_the_appositive_makes_any_verb_an_attribution() -> None:
    [cited] = find_named_references(
        "The Baltic Energy Agency, in its spring outlook published in March, had already "
        "lowered its demand projection."
    )
    assert (cited.source_name, cited.work_title) == ("Baltic Energy Agency", "spring outlook")


def test_a_title_after_a_work_noun_is_no_source() -> None:
    text = "In 2016 she published her memoir Salt Roads of the North, calling it a farewell."
    assert found(text) == {}


def test_a_producer_person_after_led_or_written_by() -> None:
    text = (
        "The excavation, led by Dr Amaru Quispe at the Andean Heritage Institute, dated the "
        "site. A guide written in 2021 by Oksana Pelch explains the rules."
    )
    assert found(text) == {"Amaru Quispe": "person", "Oksana Pelch": "person"}


def test_a_study_of_a_topic_by_its_authors() -> None:
    [cited] = find_named_references(
        "A survey of 400 harbour pilots by Ruben Ostrander and colleagues found long shifts."
    )
    assert (cited.source_name, cited.work_title) == ("Ruben Ostrander and colleagues", "survey")


def test_relying_on_or_taking_from_a_body_cites_it() -> None:
    text = (
        "For the rainfall we relied mainly on the Tessaly Weather Service. "
        "The yields I take from the Northern Growers Cooperative."
    )
    assert found(text) == {
        "Tessaly Weather Service": "organisation",
        "Northern Growers Cooperative": "organisation",
    }


def test_figures_released_in_a_month_by_a_body() -> None:
    [cited] = find_named_references(
        "Exports fell, according to figures released in March by the Port Authority of Varna."
    )
    assert (cited.source_name, cited.container) == ("Port Authority of Varna", None)


def test_a_poll_carried_out_for_a_client_by_a_pollster() -> None:
    text = "The poll was carried out for the union by the polling firm Quorvey in May."
    assert found(text) == {"Quorvey": "organisation"}


def test_first_person_earlier_work_by_its_time_or_its_noun() -> None:
    texts = [
        "I wrote three years ago that the port would need dredging.",
        "This is a longer take on a thread I posted in June.",
        "As I noted in my 2021 post on ferries, the subsidy is small.",
        "As I said in a long interview for a local station, I was wrong.",
    ]
    for text in texts:
        assert list(found(text).values()) == ["self"], text


def test_funding_acknowledgement_and_credit_lines_are_furniture() -> None:
    text = (
        "Funding\n\nThis work was funded by the Rhine Science Council under grant 12-A.\n\n"
        "Chart by Ulla Brenning. Header image: Sylvan Photo.\n\n"
        "Harbour Notes is written by Mirela Costa.\n\n"
        "Port Desk | Written by Anton Veil, Gdansk\n"
    )
    assert found(text) == {}


def test_a_wiki_masthead_and_footer_are_furniture() -> None:
    text = (
        "From the Baltic Wiki, the free regional encyclopedia\n\n"
        "The lighthouse was built in 1871.\n\nReferences\n"
        "1. Harbour Board (1990). Annual report.\n\n"
        "This page was last edited on 1 May 2025. Text is available under the\n"
        "Creative Commons Licence. Privacy policy - About\nBaltic Wiki - Disclaimers\n"
    )
    assert "Baltic Wiki" not in found(text)


def test_a_name_with_a_lower_case_particle_is_a_person() -> None:
    [cited] = find_named_references(
        "Port authority spokesman Hamad al-Kuwari told a news conference that berths were full."
    )
    assert (cited.source_name, cited.source_type) == ("Hamad al-Kuwari", "person")


def test_a_role_between_the_trigger_and_the_person() -> None:
    [cited] = find_named_references(
        "The ministry pointed to remarks by spokeswoman Ines Faro on Tuesday."
    )
    assert (cited.source_name, cited.speaker_role) == ("Ines Faro", "spokeswoman")


def test_a_one_word_appositive_between_name_and_verb() -> None:
    assert found("Judge Arvo Lind, dissenting, wrote that the law was clear.") == {
        "Arvo Lind": "person"
    }


def test_a_body_that_has_the_story_or_the_data() -> None:
    text = (
        "The regional daily Nordposten has the story that the mill will close. "
        "For prices, the Baltic Grain Exchange have the data for every port."
    )
    assert found(text) == {"Nordposten": "outlet", "Baltic Grain Exchange": "organisation"}


def test_writing_for_an_outlet_names_it() -> None:
    text = "I wrote about that at the time for the Harbour Gazette, and nobody listened."
    assert found(text) == {"Harbour Gazette": "outlet"}


def test_hearings_held_by_a_committee_and_a_report_prepared_by_engineers() -> None:
    text = (
        "The hearings held in 1998 and 1999 by the Senate Subcommittee on Ports were short. "
        "The design report, prepared by the consulting engineers Marsh & Tobin, survives."
    )
    assert found(text) == {
        "Senate Subcommittee on Ports": "organisation",
        "Marsh & Tobin": "organisation",
    }


def test_a_lower_case_official_with_a_dated_document() -> None:
    [cited] = find_named_references("The county auditor's 2017 report found that costs doubled.")
    assert (cited.source_name, cited.work_title) == ("county auditor", "2017 report")


def test_author_year_citations_with_particles_or_after_a_discourse_word() -> None:
    text = (
        "As Marek et al. (2011) first proposed, reefs adapt "
        "(Ortiz et al., 2016; Keller and de Groot, 2009)."
    )
    assert found(text) == {
        "Marek et al.": "work",
        "Ortiz et al.": "work",
        "Keller and de Groot": "work",
    }


def test_a_single_surname_with_a_possessive_work() -> None:
    [cited] = find_named_references("Halvorsen's earlier study of fjord fisheries (1988) agrees.")
    assert (cited.source_name, cited.source_type) == ("Halvorsen", "person")


def test_a_known_name_that_opens_with_a_discourse_word_keeps_it() -> None:
    assert found("Last week New Scientist reported that the trial failed.") == {
        "New Scientist": "outlet"
    }


def test_a_plural_work_noun_can_mean_something_else() -> None:
    text = "Swiss Ramble's breakdown of Brentford's accounts is the best thing on this."
    assert found(text) == {"Swiss Ramble": "person"}


def test_a_publication_line_with_a_dash_or_a_date_after_a_paragraph() -> None:
    para = (
        "Battery prices fell again in the spring, installers say demand is strong, and the "
        "grid operator now leans on storage every evening when the sun sets and demand peaks, "
        "a change that few planners expected to see this decade."
    )
    text = (
        f"# Weekly links\n\nThe Times, 2 March 2025\n\n{para}\n\n— Financial Times, 4 March\n\n"
        f"{para}\n\nThe Guardian, 6 March\n\n{para}\n\nThat is all for this week.\n"
    )
    # The dated line above the first paragraph is the page's own masthead.
    assert found(text) == {"Financial Times": "outlet", "Guardian": "outlet"}


def test_a_source_line_item_with_its_abbreviation() -> None:
    text = "Source: Pacific Grid Authority (PGA), Today's Outlook"
    assert found(text) == {"Pacific Grid Authority": "organisation"}


def test_a_plural_possessive_with_an_abbreviation_before_a_document() -> None:
    [cited] = find_named_references(
        "We use the Union of Coastal States' (UCS) quarterly statistics on landings."
    )
    assert (cited.source_name, cited.work_title) == (
        "Union of Coastal States",
        "quarterly statistics",
    )


def test_an_unnamed_source_on_condition_of_not_being_named() -> None:
    [cited] = find_named_references(
        "A buyer at a large Dutch retailer, who spoke on condition that his firm not be named, "
        "said margins had vanished."
    )
    assert (cited.source_name, cited.source_type) == (
        "A buyer at a large Dutch retailer",
        "anonymous",
    )


def test_a_body_that_made_this_point_or_manages_a_scheme() -> None:
    text = (
        "The Coastal Fisheries Council made this point in a study in 2020. "
        "The scheme is managed by Agrovia, which also runs the grant."
    )
    assert found(text) == {"Coastal Fisheries Council": "organisation", "Agrovia": "organisation"}


def test_the_reporting_of_an_outlet_and_an_explanation_from_a_firm() -> None:
    text = (
        "Thanks to the reporting of Publico, we know the totals. I relied on the explanation "
        "from the accounting firm Norte Ledger, which wrote a guide."
    )
    assert found(text) == {"Publico": "outlet", "Norte Ledger": "organisation"}


def test_the_same_council_points_back_and_is_no_new_body() -> None:
    assert found("For Spain the same council say the harvest is better.") == {}


def test_a_bodys_data_after_of_with_a_word_between() -> None:
    [cited] = find_named_references(
        "The totals come from an analysis of Harbour Agency landing statistics for 2023."
    )
    assert (cited.source_name, cited.work_title) == ("Harbour Agency", "landing statistics")


def test_a_subject_between_commas_is_no_appositive_of_a_name() -> None:
    assert found("The EU, officials said, will delay the vote until May.") == {}


def test_a_credit_for_this_very_article_is_no_citation() -> None:
    assert found("This article was written by Jane Holm and edited by Sam Berg.") == {}


def test_a_place_before_a_report_is_no_author() -> None:
    assert "Spain" not in found("Spain's report to the Commission arrived late.")


def test_a_paragraph_opening_with_an_outlet_reporting_is_no_bio() -> None:
    text = "The Harbour Gazette reports the ministry's figures showed a fall in arrests."
    assert "Harbour Gazette" in found(text)


def test_a_producer_after_a_document_noun_is_kept() -> None:
    assert found("In the report Oxfam published last week, inequality rose.") == {
        "Oxfam": "organisation"
    }
