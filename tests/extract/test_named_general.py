"""Named references: headings and common nouns, author-year groups, sources lists read as
prose, possessive works, and sponsor reads, as met in documents of styles the rules were
not written on."""

from __future__ import annotations

import pytest

from archive.extract import extract
from archive.extract.named import find_named_references


def names(text: str) -> list[str]:
    return [c.source_name or "" for c in find_named_references(text)]


@pytest.mark.parametrize(
    "text",
    [
        "## Population\n\nPopulation estimates come from the census.",
        "The Survey found that 40 percent of respondents agreed.",
        "Funding\n\nFunding cuts were reported in Table 2.",
        "Acknowledgements\n\nAcknowledgements are due to the reviewers, who said little.",
    ],
)
def test_a_heading_or_common_noun_is_no_organisation(text: str) -> None:
    assert names(text) == []


def test_a_newspapers_short_name_is_still_an_outlet() -> None:
    assert names("The Post reported that the mayor resigned.") == ["Post"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This is consistent with prior work (e.g., Jack and Suri 2014; Riley 2018).",
            ["Jack and Suri", "Riley"],
        ),
        ("Jack and Suri (2014, p. 190) note that transfers rose.", ["Jack and Suri"]),
        (
            "Rose (see also Jack and Suri, 2014, pp. 12-14; Riley 2018a).",
            ["Jack and Suri", "Riley"],
        ),
    ],
)
def test_author_year_groups_stay_whole(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_a_reference_entry_joins_its_author_year_citation() -> None:
    text = (
        "Jack and Suri (2014) showed that households kept consumption steady.\n\n"
        "References\n"
        "Jack, W., Suri, T. (2014). Risk sharing and transactions costs. "
        "American Economic Review 104(1), 183-223.\n"
    )
    [cited] = find_named_references(text)
    assert cited.source_name == "Jack and Suri"
    assert cited.work_title == "Risk sharing and transactions costs"
    assert len(cited.mentions or []) == 2


def test_a_sources_list_is_read_as_prose_and_skips_credits() -> None:
    text = (
        "Is wildfire smoke worse than smog? In this video I look at the evidence.\n"
        "Sources and further reading:\n"
        "The 2021 study by Aguilera and colleagues, which found admissions rose on smoke days.\n"
        "Health Canada's guidance on wildfire smoke and masks\n"
        "At 6:10 I quote Marshall Burke, who told NPR that smoke undoes the gains.\n"
        "Music: Epidemic Sound.\n"
    )
    found = names(text)
    assert {"Aguilera and colleagues", "Health Canada", "Marshall Burke", "NPR"} <= set(found)
    assert not {"Music", "Epidemic Sound", "At 6"} & set(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Audit Scotland's warning that the vessels are over budget", ["Audit Scotland"]),
        ("Yes, and Kai Kupferschmidt's piece in Science explained it.", ["Kai Kupferschmidt"]),
    ],
)
def test_a_possessive_name_before_a_document_noun_is_its_source(
    text: str, expected: list[str]
) -> None:
    assert names(text)[: len(expected)] == expected


def test_a_weak_name_with_an_organisation_appositive_is_a_source() -> None:
    text = "Shipping cost is doubled, by the data of Drewry, a consultancy in London."
    [cited] = find_named_references(text)
    assert (cited.source_name, cited.source_type) == ("Drewry", "organisation")


def test_an_outlet_named_after_its_medium() -> None:
    text = "The deputy mayor was explaining on the local radio Radio Kraków that pavements matter."
    assert "Radio Kraków" in names(text)


def test_an_unnamed_source_who_asked_not_to_be_named_in_other_words() -> None:
    text = "Farmers I have spoken to, who asked me not to name them, are scared of losing herds."
    [cited] = find_named_references(text)
    assert cited.source_type == "anonymous"
    assert cited.source_name is not None and cited.source_name.startswith("Farmers")


def test_a_bare_address_in_an_html_sponsor_read_is_no_citation() -> None:
    html = (
        b"<html><body><p>The study is <a href='https://doi.org/10.1038/s41467-021-21708-0'>"
        b"here</a>.</p><p>Thanks to Brilliant for sponsoring this video. Try it free at "
        b"brilliant.org/airexplained.</p></body></html>"
    )
    found = extract(html, filename="notes.html").citations
    linked = [c.url for c in found if c.kind in ("url", "doi")]
    assert linked == ["https://doi.org/10.1038/s41467-021-21708-0"]
    assert not any(c.source_name == "Brilliant" for c in found if c.kind == "named")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The numbers come from Eurostat.", ["Eurostat"]),
        (
            "Per the Congressional Budget Office, the deficit will grow.",
            ["Congressional Budget Office"],
        ),
        ("I found a great explainer from Vox on this.", ["Vox"]),
        (
            "Links: Carbon Brief explainer, IEA World Energy Outlook, Ember data.",
            ["Carbon Brief", "IEA", "Ember"],
        ),
        ("Prices rose 5 per cent per year.", []),
        ("Her money comes from Texas.", []),
        ("Links between Carbon Brief and Vox are unclear.", []),
    ],
)
def test_blog_and_show_notes_phrasings(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Even the IMF now admits austerity went too far.", ["IMF"]),
        ("Analysts at Goldman Sachs expect two cuts.", ["Goldman Sachs"]),
        ("A spokeswoman for Tesla said the recall was voluntary.", ["Tesla"]),
    ],
)
def test_a_body_behind_its_people_or_an_adverb(text: str, expected: list[str]) -> None:
    found = find_named_references(text)
    assert [c.source_name for c in found] == expected
    assert all(c.source_type == "organisation" for c in found)
