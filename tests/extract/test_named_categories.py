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
