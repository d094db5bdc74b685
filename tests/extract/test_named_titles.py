"""Named references: works cited by their titles alone.

A court case is cited by its parties, a report, survey, plan or film by a
title that the text hangs on its noun.  The phrasings are written for these
tests, in the registers that cite such works: legal and political news,
academic prose, show notes and non-native English.
"""

from __future__ import annotations

import re

import pytest

from archive.extract.named import find_named_references
from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    ("text", "case"),
    [
        # a court and a year in brackets after the parties
        (
            "The trial record in State v. Merrow (Cascade Superior Court, 2020) describes "
            "the scheme.",
            "State v. Merrow",
        ),
        # a word of the law in the sentence
        ("The justices relied on Roe v. Wade in striking down the rule.", "Roe v. Wade"),
        (
            "Brown v. Board of Education was argued by Thurgood Marshall's lawyers.",
            ("Brown v. Board of Education"),
        ),
        # British neutral citation, no stop after "v"
        ("In R v Jogee [2016] UKSC 8 the court corrected a wrong turn.", "R v Jogee"),
        # "vs." and a report volume after the parties
        (
            "Their argument leans on Citizens United vs. FEC, 558 U.S. 310, above all.",
            "Citizens United vs. FEC",
        ),
        # a prosecuting party alone makes it a case
        (
            "As the professor noted, People v. Alvarado is still taught to first-year students.",
            "People v. Alvarado",
        ),
        # one party: "In re", "Ex parte"
        ("The judge cited In re Gault, the 1967 decision on juvenile rights.", "In re Gault"),
        ("Ex parte Milligan set the limit, the professor told the seminar.", "Ex parte Milligan"),
    ],
)
def test_a_court_case_is_a_work_named_by_its_parties(text: str, case: str) -> None:
    assert found(text).get(case) == "work"


@pytest.mark.parametrize(
    "text",
    [
        # fixtures in sports writing: the same shape, no law
        "Arsenal v Chelsea ended in a draw on Saturday.",
        "Tonight it is Boca Juniors vs. River Plate, and the referee's decision will matter.",
        "The final, Japan versus Korea, sold out in an hour.",
        "Many still talk about the final Argentina vs. Germany (2014) in Rio.",
    ],
)
def test_a_fixture_is_no_court_case(text: str) -> None:
    assert not [name for name in found(text) if re.search(r" (?:v\.?|vs\.?|versus) ", name)]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # in apposition, after a dated noun, the title in Title Case with its small words
        (
            "What the 2020 decadal survey, Pathways to Discovery in Astronomy and "
            "Astrophysics for the 2020s, asked for is a telescope like this.",
            "Pathways to Discovery in Astronomy and Astrophysics for the 2020s",
        ),
        (
            "A 2022 report, Cities at Risk, estimated the losses at $4 billion.",
            "Cities at Risk",
        ),
        # "titled", "entitled", "called", "known as"
        (
            "A white paper titled Reimagining the Kerbside argues that parking should be priced.",
            "Reimagining the Kerbside",
        ),
        (
            'A 2019 study entitled "Left behind: rural clinics after the closures" counted '
            "40 of them.",
            "Left behind: rural clinics after the closures",
        ),
        (
            "The new plan, known as Vision for the Coast, promises two ferries.",
            "Vision for the Coast",
        ),
        # quoted or emphasised right after the noun
        (
            'A new report "Fragile Futures" found that one in five children skipped meals.',
            "Fragile Futures",
        ),
        (
            "One recent documentary, *The Salt of the Delta*, shows the fields at night.",
            "The Salt of the Delta",
        ),
    ],
)
def test_a_title_hung_on_a_document_noun_is_the_work(text: str, title: str) -> None:
    assert found(text).get(title) == "work"


@pytest.mark.parametrize(
    "text",
    [
        # a person in apposition, not a title
        "In a new report, John Smith said the figures were wrong.",
        "The 2021 report, Maria Keane argues, was never published.",
        # a body in apposition
        "A recent study, Amnesty International said, was flawed.",
        # a clause goes on after the capitalised words: no title
        "In a letter, Greenpeace and WWF asked the minister to act.",
        # a noun of speech: the quote is what was said
        'The ministry said in a statement "The measures are temporary".',
        # the owner is the source ("its", "the agency's"), the text's own report is self
        'Human Rights Watch said in its 2023 report "Left Behind" that the camps were full.',
        "This report, Counting the Cost, is the fourth in the series.",
        # a bare "the report" points back to one already introduced
        "The report, Edges of the Sea, combines satellite records with field surveys.",
        # a maker named with the work is cited for it instead
        'A new documentary "The Last Harvest" by Ana Ruiz follows three farmers.',
        # the maker speaks through the work, before or after it
        'Human Rights Watch said in a new report, "Left Behind", that the camps were full.',
        'In a new report, "Left Behind", the NGO says the camps were full.',
        'In a 2024 study, "Heat and Work", Amnesty International warns of deaths.',
        'In a recent book, "The Drowning City", the journalist Ana Ruiz explains the floods.',
        # an outlet's own pieces are cited through the outlet or as the author's own
        'In a three-part series, "Kashiwazaki and the Plant", we looked at the reactor.',
    ],
)
def test_no_title_without_a_titled_noun_in_the_text_s_own_voice(text: str) -> None:
    titles = [name for name, kind in found(text).items() if kind == "work"]
    assert titles == []


@pytest.mark.parametrize(
    ("text", "owner", "title"),
    [
        # the owner's possessive before a titled work: the owner is the source
        (
            "Margins stayed below 1%, according to Kaufman Hall's National Hospital Flash Report.",
            "Kaufman Hall",
            "National Hospital Flash Report",
        ),
        (
            "The Valdren Statistics Office's Opinion and Lifestyle Survey puts the share at 7%.",
            "Valdren Statistics Office",
            "Opinion and Lifestyle Survey",
        ),
    ],
)
def test_an_owned_title_cites_its_owner(text: str, owner: str, title: str) -> None:
    [cited] = find_named_references(text)
    assert (cited.source_name, cited.work_title) == (owner, title)
    assert cited.source_type != "work"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a title alone, with a body's word that only qualifies it ("School", "Hospital")
        (
            "According to the K-12 School Shooting Database, there were 300 incidents.",
            "K-12 School Shooting Database",
        ),
        ("Figures from the Coastal Flood Tracker show 40 floods.", "Coastal Flood Tracker"),
        (
            "The National Hospital Flash Report found that margins fell.",
            "National Hospital Flash Report",
        ),
    ],
)
def test_a_titled_work_alone_is_a_work_not_a_body(text: str, title: str) -> None:
    assert found(text) == {title: "work"}


@pytest.mark.parametrize(
    "text",
    [
        # a body's name with its head noun inside the title: the body made it
        "According to the Kestrel Housing Trust Annual Report, rents rose.",
        # a magazine's name ends in "Report" too
        "The Africa Report said the deal was off.",
    ],
)
def test_a_body_s_name_is_no_work_title(text: str) -> None:
    assert "work" not in found(text).values()


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        # a plan's own figure, after a verb of targeting
        (
            "The government's Mujib Climate Prosperity Plan targeted 30 percent of "
            "electricity from renewables by 2030.",
            "Mujib Climate Prosperity Plan",
        ),
        (
            "The National Adaptation Plan 2023–2030 aims to cut flood losses by 40 percent.",
            "National Adaptation Plan",
        ),
        ("The Green Deal Roadmap foresees a 55% cut in emissions.", "Green Deal Roadmap"),
        (
            "The city's Climate Action Plan set a 2040 deadline for net zero.",
            "Climate Action Plan",
        ),
    ],
)
def test_a_plan_stating_its_own_figure_is_cited(text: str, plan: str) -> None:
    assert found(text) == {plan: "work"}


@pytest.mark.parametrize(
    "text",
    [
        # no figure: the plan is the topic, not a source
        "The Green Deal Roadmap foresees cleaner air.",
        "The Marshall Plan aimed to rebuild Europe after the war.",
    ],
)
def test_a_plan_without_a_figure_is_no_source(text: str) -> None:
    assert found(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        # a plan by its kind, not its title
        "The secretary said the land use is already approved in the Urban Plan 2021–2031.",
        "According to the Strategic Plan, the school will grow.",
        "Under the Master Plan, the port moves east, the mayor said.",
    ],
)
def test_a_plan_named_by_its_kind_is_no_work_and_no_body(text: str) -> None:
    kinds = found(text)
    assert "work" not in kinds.values()
    assert not [n for n in kinds if n.endswith("Plan")]


def test_a_plan_is_a_document_never_a_body() -> None:
    text = "According to the Mujib Climate Plan, the share of solar will triple."
    assert found(text) == {"Mujib Climate Plan": "work"}


def test_the_court_in_a_case_s_bracket_is_its_container_not_a_source() -> None:
    text = (
        "The trial record in State v. Merrow (Cascade Superior Court, 2020) describes the scheme."
    )
    [case] = find_named_references(text)
    assert (case.source_name, case.source_type, case.container) == (
        "State v. Merrow",
        "work",
        "Cascade Superior Court",
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # the title first, the noun in apposition after it
        (
            "The figure comes from Cities at Risk, a 2022 report, which put the losses at "
            "$4 billion.",
            "Cities at Risk",
        ),
        ('Her pick, "The Salt Road", a new documentary, follows three farmers.', "The Salt Road"),
    ],
)
def test_a_title_before_its_noun_in_apposition_is_the_work(text: str, title: str) -> None:
    assert found(text).get(title) == "work"


@pytest.mark.parametrize(
    "text",
    [
        # a sentence's opening words, places joined by "and", a possessive noun, a maker
        "Across the Atlantic, a new study finds the same.",
        "Heat kills, and in Bavaria and Saxony, a new study shows, it kills more.",
        "Losses were high, says John Smith, the report's author.",
        "The data come from Cities at Risk, a 2022 report by the Kestrel Institute.",
    ],
)
def test_no_title_before_a_noun_without_one(text: str) -> None:
    assert "work" not in found(text).values()
