"""Named references by category of attribution: each test writes its own sentences in
the construction it covers (a description before the name, an appositive, a
possessive work, a producer after a document noun …), so that a category is covered,
not a document's wording."""

from __future__ import annotations

from archive.extract.named import find_named_references


def found(text: str) -> dict[str, str]:
    return {c.source_name or "": c.source_type or "" for c in find_named_references(text)}


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
