"""Named references in constructions the attribution grammar reads as a whole category:
a producer holding or running a work, a possessive before a title, provenance
("obtained from", "is from"), passive reporting verbs, an abbreviation the text
defines, dated publication lines, a person after the verb and their role, and the
furniture that names the document's own publisher or people.  Every sentence here is
written for its test, in the construction and not in any document's wording."""

from __future__ import annotations

from archive.extract import extract
from archive.extract.named import find_named_references, lookup_source
from tests.extract.named_helpers import found


def test_a_producer_that_has_or_ran_a_work_is_cited() -> None:
    text = (
        "The Marlow Housing Trust has a useful explainer on how the levy is set. "
        "Fernbrook Dispatch ran a long write-up of the tender last spring."
    )
    assert found(text) == {"Marlow Housing Trust": "organisation", "Fernbrook Dispatch": "outlet"}


def test_a_place_that_has_a_plan_is_no_source() -> None:
    assert found("Portugal has a plan for the river, and Lisbon has a budget for it.") == {}


def test_a_possessive_before_a_dated_or_titled_work_cites_its_owner() -> None:
    text = (
        "I borrowed heavily from Ottilie Brandt's The Salt Roads (2004) for the history. "
        "The Tarvel Commission's Framework for Coastal Resilience sets a 2030 target."
    )
    assert found(text) == {"Ottilie Brandt": "person", "Tarvel Commission": "organisation"}


def test_a_possessive_before_a_party_or_a_unit_cites_nothing() -> None:
    text = (
        "Governor Ada Lenz's Renewal Party lost seats. Staff at the Varda Institute's "
        "Department of Soils were not surprised."
    )
    assert "Ada Lenz" not in found(text)
    assert "Varda Institute" not in found(text)


def test_noun_like_verbs_after_an_auxiliary_and_doubled_consonants() -> None:
    text = (
        "The Kesterlund Weather Office has forecast heavy rain for the weekend. "
        "The Hollin Geological Service mapped the faults along the coast in 1998."
    )
    assert found(text) == {
        "Kesterlund Weather Office": "organisation",
        "Hollin Geological Service": "organisation",
    }


def test_provenance_names_every_body_of_a_list() -> None:
    text = (
        "Station data were obtained from the Vellmar Weather Institute (VWI), the Ostrand "
        "Hydrological Office and the Kelby Climate Bureau."
    )
    assert found(text) == {
        "Vellmar Weather Institute": "organisation",
        "Ostrand Hydrological Office": "organisation",
        "Kelby Climate Bureau": "organisation",
    }


def test_a_work_that_is_from_its_producer() -> None:
    text = "The rainfall series at 04:10 is from the Norrvik Met Service, the national forecaster."
    assert found(text) == {"Norrvik Met Service": "organisation"}


def test_a_passive_reporting_verb_with_by_names_the_producer() -> None:
    text = "We use the tariff announced by the Corlan Energy Board in May."
    assert found(text) == {"Corlan Energy Board": "organisation"}


def test_a_documentary_of_and_a_thread_on_name_the_outlet() -> None:
    text = (
        "The documentary of Nordvik Television about the mines helped me. "
        "There is a good thread on HarbourForum about the renumbering."
    )
    assert found(text) == {"Nordvik Television": "outlet", "HarbourForum": "organisation"}


def test_columns_of_two_papers_name_both() -> None:
    text = "We used the shipping columns of The Norland Times and of the Harbour Ledger."
    assert found(text) == {"Norland Times": "outlet", "Harbour Ledger": "outlet"}


def test_an_abbreviation_the_text_defines_is_cited_under_its_full_name() -> None:
    text = (
        "She ran a division of the Tessaly Statistical Office (TESTAT) for years. "
        "TESTAT later estimated that the undercount was small. The figures come from the "
        "WCRB (World Coffee Research Board), in its quarterly bulletin."
    )
    assert found(text) == {
        "Tessaly Statistical Office": "organisation",
        "World Coffee Research Board": "organisation",
    }


def test_trailing_publication_lines_with_short_or_numeric_dates() -> None:
    prose = (
        "The costs of the new arena are spread across every taxpayer in the county, while "
        "the benefits land on one owner and a few streets of bars near the ground, which is "
        "what economists have found for most of the arenas built since the nineties."
    )
    text = (
        f"{prose}\n\nThe subsidy outlived two councils.\n\n— Harbourside Gazette, Oct. 3\n\n"
        "The tax was pledged three times.\n\nGreyfield Business Journal, 10/02/2025\n\nThanks."
    )
    assert found(text) == {"Harbourside Gazette": "outlet", "Greyfield Business Journal": "outlet"}


def test_a_person_after_the_verb_and_their_role() -> None:
    [cited] = find_named_references(
        '"We are short of staff," said a spokeswoman for the ministry, Petra Lund.'
    )
    assert (cited.source_name, cited.source_type, cited.speaker_role) == (
        "Petra Lund",
        "person",
        "spokeswoman",
    )
    assert found('"It takes time," said a speaker of the ministry, Jonas Feld.') == {
        "Jonas Feld": "person"
    }


def test_a_subject_taken_up_again_by_a_pronoun() -> None:
    text = "The chair of the cooperative, Mr. Ode Banni, he told us that prices were late."
    assert found(text)["Ode Banni"] == "person"


def test_the_same_case_in_any_tense_and_with_a_hedge() -> None:
    text = "The Kestrel Foundation made much the same case in a policy brief."
    assert found(text) == {"Kestrel Foundation": "organisation"}


def test_a_work_given_by_a_qualified_role_and_a_reporter_at_a_paper() -> None:
    text = (
        "We leaned on a talk given by the maritime historian Dr. Ena Voss last year. "
        "I relied on reporting by Tam Ruel at the Harbor Sentinel, whose series showed it."
    )
    assert found(text) == {"Ena Voss": "person", "Tam Ruel": "person", "Harbor Sentinel": "outlet"}


def test_names_joined_by_an_en_dash_and_a_measure_before_the_work() -> None:
    text = (
        "The method is the one in the University of Kelby–Marsh extension guide. "
        "The Vardon Survey 6-inch map of 1880 shows the old numbers; we followed the "
        "PRISMA 2020 statement."
    )
    assert found(text) == {
        "University of Kelby–Marsh": "organisation",
        "Vardon Survey": "organisation",
    }


def test_a_participle_after_a_comma_is_not_the_verb_of_the_name_before() -> None:
    text = (
        "Output fell, dragged down by weak output in Norland and Vessia, data from the "
        "Norland Statistics Bureau showed on Monday, adding to the gloom."
    )
    assert found(text) == {"Norland Statistics Bureau": "organisation"}


def test_a_show_notes_list_of_things_mentioned() -> None:
    text = (
        "Things we mention\n\n"
        "Nordic Fisheries Council advice on herring, which we read from at 12:00.\n"
        "The Harbour Ledger, Who owns the quota?\n"
    )
    assert found(text) == {"Nordic Fisheries Council": "organisation", "Harbour Ledger": "outlet"}


def test_a_wire_dateline_names_the_documents_own_publisher() -> None:
    text = (
        "Dockers extend strike\n\nKARLSTAD, Sweden, May 4 (Reuters) - Dockers extended "
        "their walkout, a ministry memo seen by Reuters showed. The Financial Times "
        "reported that talks would resume."
    )
    assert found(text) == {"Financial Times": "outlet"}


def test_interviewer_credits_and_an_employer_before_a_post_are_not_sources() -> None:
    text = (
        "Interview conducted by Lena Moor on 3 May 2025 in Kelby.\n\n"
        "Kelby University's Pro-Vice-Chancellor for Research, Professor Ida Brun, said "
        "the university would change its timetable."
    )
    assert found(text) == {"Ida Brun": "person"}


def test_a_reference_the_text_calls_our_earlier_study_is_a_self_citation() -> None:
    text = (
        "This agrees with what Orlik found for Kelby in our earlier study [2].\n\n"
        "References\n\n"
        "[1] Amsel, P., Dorn, K. (2021). Night heat in small towns. Urban Letters, 3, 1-9.\n"
        "[2] Orlik, M., Vass, T. (2022). Street canyons of Kelby. Urban Letters, 4, 10-19.\n"
    )
    types = {c.source_name: c.source_type for c in find_named_references(text)}
    assert types["Amsel"] == "person"
    assert types["Orlik"] == "self"


def test_an_inner_capital_makes_a_brand() -> None:
    assert found("I relied on the datasheet from KXTronics for the procedure.") == {
        "KXTronics": "organisation"
    }


def test_related_lines_in_prose_form_hold_no_citations() -> None:
    text = (
        "The reservoirs were at 14% of capacity, according to the "
        "[Norland water agency](https://water.example/levels).\n\n"
        "*Also on this blog: [Five bars in Kelby](https://me.example/bars/) · "
        "[Why I moved](https://me.example/moved/)*\n"
    )
    urls = {c.url for c in extract(text.encode(), filename="post.md").citations if c.url}
    assert urls == {"https://water.example/levels"}


def test_a_reference_on_the_link_text_names_the_link() -> None:
    html = (
        "<html><body><article><p>Output fell in Norland and Vessia, "
        '<a href="https://stats.example/release">data from the Norland Statistics Bureau '
        "showed</a> on Monday.</p><p>I only saw it on the Vardon Survey 6-inch map of 1880, "
        'which you can compare with <a href="https://maps.example/atlas">the Kelby '
        "Library's online atlas</a>.</p></article></body></html>"
    )
    cits = extract(html.encode(), filename="page.html").citations
    by_url = {c.url: c.source_name for c in cits if c.url}
    assert by_url["https://stats.example/release"] == "Norland Statistics Bureau"
    assert by_url["https://maps.example/atlas"] == "Kelby Library"
    named = {c.source_name for c in cits if c.kind == "named"}
    assert "Vardon Survey" in named


def test_known_sources_added_for_weather_survey_and_statistics_offices() -> None:
    for alias, name in (
        ("ICCO", "International Cocoa Organization"),
        ("SYKE", "Finnish Environment Institute"),
        ("FOEN", "Swiss Federal Office for the Environment"),
        ("IMGW-PIB", "Institute of Meteorology and Water Management"),
    ):
        known = lookup_source(alias)
        assert known is not None and known.name == name


def test_a_name_with_a_lower_case_body_noun_and_a_statistics_office() -> None:
    text = (
        "The Karlsberg-based Oreno institute said on Monday that its index fell. "
        "Output dropped 0.7%, the Norland statistics office said."
    )
    assert found(text) == {
        "Oreno institute": "organisation",
        "Norland statistics office": "organisation",
    }
