"""Named references: works cited through their authors, their titles or their owners.

A paper or book cited by its authors is one ``work`` citation named by the
authors as cited, with the journal, newspaper or publisher it appeared in as
its container, never a second source.  The phrasings below are written for
these tests, in the registers that cite works: news, academic prose, show
notes, transcripts and non-native English.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from archive.extract.types import ExtractedCitation


def cited(text: str) -> list[ExtractedCitation]:
    return find_named_references(text)


def as_rows(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(c.source_name, c.source_type, c.container) for c in cited(text)]


@pytest.mark.parametrize(
    ("text", "name", "work", "container"),
    [
        # a work noun, then "by" and its authors, then the journal
        (
            "A 2019 paper by Ines Albarrán and Tomasz Wolak in the Journal of Urban "
            "Economics found that rents rose near new stations.",
            "Ines Albarrán and Tomasz Wolak",
            "2019 paper",
            "Journal of Urban Economics",
        ),
        # the journal between the noun and the authors
        (
            "A study published in Nature Climate Change by Okafor, Lindqvist and Baptiste "
            "estimated the loss at a fifth.",
            "Okafor, Lindqvist and Baptiste",
            "study",
            "Nature Climate Change",
        ),
        # "and colleagues", an italic journal in Markdown
        (
            "The 2017 review by Haddad and colleagues in *Ecological Monographs* is the "
            "standard reference.",
            "Haddad and colleagues",
            "2017 review",
            "Ecological Monographs",
        ),
        # "et al." and a journal with no journal word, long enough to be no place
        (
            "An earlier analysis by Brandt et al. in Annales Geophysicae Europaeae reached "
            "a similar figure.",
            "Brandt et al.",
            "earlier analysis",
            "Annales Geophysicae Europaeae",
        ),
        # non-native English: "a paper of" with the group and the journal
        (
            "There is a good paper of Moreau and colleagues in Global Change Biology about "
            "this problem.",
            "Moreau and colleagues",
            "good paper",
            "Global Change Biology",
        ),
        # a plural noun and no journal
        (
            "Two papers by Sato and Kwon showed the same pattern in Japanese ports.",
            "Sato and Kwon",
            "papers",
            None,
        ),
    ],
)
def test_a_work_named_by_its_authors_with_its_container(
    text: str, name: str, work: str, container: str | None
) -> None:
    [found] = cited(text)
    assert (found.source_name, found.source_type) == (name, "work")
    assert found.work_title == work
    assert found.container == container


@pytest.mark.parametrize(
    ("text", "name", "container"),
    [
        (
            "Ruiz and colleagues, writing in The Lancet in 2021, counted 4,000 excess deaths.",
            "Ruiz and colleagues",
            "The Lancet",
        ),
        (
            "Petrov et al., writing in the Quarterly Journal of Economics, disagree.",
            "Petrov et al.",
            "Quarterly Journal of Economics",
        ),
        # one author writing in a journal: the paper is the work
        (
            "Amelia Frost, writing in the Review of Financial Studies, put the cost higher.",
            "Amelia Frost",
            "Review of Financial Studies",
        ),
    ],
)
def test_authors_writing_in_a_journal_are_one_work(text: str, name: str, container: str) -> None:
    assert as_rows(text) == [(name, "work", container)]


def test_a_columnist_writing_in_a_newspaper_stays_a_person_with_the_outlet() -> None:
    rows = as_rows("Jane Doe, writing in the Guardian, argued the opposite.")
    assert ("Jane Doe", "person", None) in rows
    assert all(kind != "work" for _, kind, _ in rows)


@pytest.mark.parametrize(
    ("text", "name", "work", "container"),
    [
        (
            "The mechanism was set out by Halloran in her 2004 paper in the Journal of "
            "Applied Ecology, which is still cited.",
            "Halloran",
            "2004 paper",
            "Journal of Applied Ecology",
        ),
        (
            "As Mbeki and Laurent argued in their 2012 article in the Journal of Development "
            "Economics, "
            "aid follows trade.",
            "Mbeki and Laurent",
            "2012 article",
            "Journal of Development Economics",
        ),
        (
            "In their 2018 book The Narrow Corridor, Acemoglu and Robinson argue that "
            "states need checks.",
            "Acemoglu and Robinson",
            "The Narrow Corridor",
            None,
        ),
    ],
)
def test_authors_and_their_own_work(text: str, name: str, work: str, container: str | None) -> None:
    [found] = cited(text)
    assert (found.source_name, found.source_type) == (name, "work")
    assert (found.work_title, found.container) == (work, container)


def test_a_single_author_of_a_named_book_stays_a_person() -> None:
    [found] = cited("In her 2015 book Deep Harbours, Okonjo argues that ports made the city.")
    assert (found.source_name, found.source_type, found.work_title) == (
        "Okonjo",
        "person",
        "Deep Harbours",
    )


@pytest.mark.parametrize(
    ("text", "name", "work", "container"),
    [
        (
            "Smith and Jones's 2019 paper in the Journal of Finance found the opposite.",
            "Smith and Jones",
            "2019 paper",
            "Journal of Finance",
        ),
        (
            "Garcia et al.'s review found no effect on wages.",
            "Garcia et al.",
            "review",
            None,
        ),
    ],
)
def test_possessive_authors_before_their_work(
    text: str, name: str, work: str, container: str | None
) -> None:
    [found] = cited(text)
    assert (found.source_name, found.source_type) == (name, "work")
    assert (found.work_title, found.container) == (work, container)


@pytest.mark.parametrize(
    ("text", "name", "container"),
    [
        (
            "The Lancet published a study by researchers at Imperial College London "
            "showing the effect.",
            "Imperial College London",
            "Lancet",
        ),
        (
            "A study published in Science by scientists at the Max Planck Institute for "
            "Chemistry found the same.",
            "Max Planck Institute for Chemistry",
            "Science",
        ),
    ],
)
def test_a_work_named_by_its_producing_body(text: str, name: str, container: str) -> None:
    assert as_rows(text) == [(name, "work", container)]


@pytest.mark.parametrize(
    "text",
    [
        # bodies, not authors
        "A report by Oxfam and Save the Children found hunger rising.",
        # "of" names what was studied
        "A study of Kenyan households by the World Bank found gains.",
        # "in" a place or at a time, not a journal
        "A 2019 study by Lee and Park in Kenya found gains.",
        "A 2019 study by Lee and Park in March found gains.",
    ],
)
def test_no_journal_and_no_author_group_where_there_is_none(text: str) -> None:
    for name, kind, container in as_rows(text):
        assert container is None
        assert name not in ("Kenya", "March")
        if kind == "work":
            assert name == "Lee and Park"


def test_a_journal_read_as_a_source_becomes_the_container() -> None:
    rows = as_rows(
        "Ballester and colleagues, writing in Nature Medicine in 2023, attributed more "
        "than 60,000 deaths to the heat."
    )
    assert rows == [("Ballester and colleagues", "work", "Nature Medicine")]


def test_author_year_citations_are_works() -> None:
    rows = as_rows("Garcia et al. (2020) found that fees fall, as did Nwosu and Hale (2018).")
    assert rows == [("Garcia et al.", "work", None), ("Nwosu and Hale", "work", None)]


def test_a_reference_entry_joins_the_work_cited_in_the_text() -> None:
    text = (
        "A 2011 study by Koskinen, Heikkilä and Saari in *Annales Zoologici Fennici* "
        "examined the bones.\n\n"
        "References\n\n"
        'Koskinen, P.; Heikkilä, R.; Saari, M. (2011). "Subfossil seal remains". '
        "*Annales Zoologici Fennici* 48: 161–172.\n"
    )
    [found] = cited(text)
    assert (found.source_name, found.source_type) == ("Koskinen, Heikkilä and Saari", "work")
    assert found.container == "Annales Zoologici Fennici"
    assert len(found.mentions) == 2


def test_two_group_forms_of_one_lead_author_are_one_work() -> None:
    text = (
        "As Hughes et al. (2017) showed, bleaching follows heat. "
        "Hughes and colleagues, writing in Nature, reported that the north lost half its coral."
    )
    [found] = cited(text)
    assert (found.source_name, found.source_type) == ("Hughes and colleagues", "work")
    assert found.container == "Nature"


def test_a_single_surname_is_not_merged_into_a_co_authors_other_work() -> None:
    text = (
        "Yang (2008) used exchange-rate shocks. "
        "Ambler, Aycinena and Yang (2015) ran a field experiment."
    )
    names = [c.source_name for c in cited(text)]
    assert names == ["Yang", "Ambler, Aycinena and Yang"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "I read the council's own budget papers, all 186 pages of them.",
            "council's own budget papers",
        ),
        (
            "According to the ministry's impact assessment, 400 jobs are at risk.",
            "ministry's impact assessment",
        ),
        (
            "The board's own risk register lists the bridge as critical.",
            "board's own risk register",
        ),
        (
            "I have here an internal audit report from March 2024, which the committee received.",
            "internal audit report from March 2024",
        ),
        (
            "Reporters were shown a leaked cabinet memo that set out the cuts.",
            "leaked cabinet memo",
        ),
        (
            "The consultation report, published today, found strong opposition.",
            "consultation report",
        ),
        ("The impact assessment concluded that the cost would be small.", "impact assessment"),
        ("Read the term sheet, which the city posted online last week.", "term sheet"),
    ],
)
def test_a_document_named_by_the_words_the_text_uses(text: str, name: str) -> None:
    assert as_rows(text) == [(name, "work", None)]


@pytest.mark.parametrize(
    "text",
    [
        # an anaphor or a ranked document, not a name
        "The report found that costs doubled.",
        "The same study found nothing of the kind.",
        "The company's annual report shows a loss.",
        # a plan that is a policy, not a cited document
        "The council's plan is to close three libraries.",
        # the producer is named: it is the source, the document its work
        "We know its outline only because of a confidential memo seen by the Financial Times.",
        "The lake register maintained by the Finnish Environment Institute lists 214 islands.",
        # a newspaper, not a document
        "As the local paper reported in March, the grant ran out.",
        # the verb after the document is not the document's: it sits after a preposition
        "Nothing in the sale documents explains how a minority owner would change that.",
        "One line in the impact assessment says little about buses.",
    ],
)
def test_no_document_noun_citation_where_nothing_names_a_document(text: str) -> None:
    assert all(kind != "work" for _, kind, _ in as_rows(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "It draws on a survey of renters and on the government's English Housing Survey.",
            "English Housing Survey",
        ),
        (
            "According to the agency's own Annual Population Survey, 3% moved.",
            "Annual Population Survey",
        ),
        ("The ministry's Labour Force Survey shows unemployment at 5%.", "Labour Force Survey"),
    ],
)
def test_a_survey_by_its_title_owned_by_a_body_named_in_lower_case(text: str, name: str) -> None:
    assert as_rows(text) == [(name, "work", None)]


def test_a_post_after_a_lower_case_owner_is_no_survey() -> None:
    rows = as_rows("The council's Cabinet Member for Culture said it would close.")
    assert all(kind != "work" for _, kind, _ in rows)


@pytest.mark.parametrize(
    ("text", "name", "work"),
    [
        (
            "Harrowfield Council's cabinet meets on Monday. The council's own budget papers "
            'describe the scheme as "desirable but not deliverable".',
            "Harrowfield Council",
            "budget papers",
        ),
        (
            "In 2022 the Harwell Regional Health Authority pooled its lists. The authority's "
            "implementation plan stated that pooling would cut waits.",
            "Harwell Regional Health Authority",
            "implementation plan",
        ),
        (
            "The Ministry of Transport opened the sale in May. According to the ministry's "
            "impact assessment, fares would rise by a tenth.",
            "Ministry of Transport",
            "impact assessment",
        ),
        (
            "The bye-law, which the council's consultation report calls targeted, came in "
            "on Monday.\n\nSources: Kelbridge City Council; EPA.",
            "Kelbridge City Council",
            "consultation report",
        ),
    ],
)
def test_a_document_of_a_body_named_elsewhere_is_that_bodys(
    text: str, name: str, work: str
) -> None:
    found = {c.source_name: c for c in cited(text)}
    assert name in found
    assert (found[name].source_type, found[name].work_title) == ("organisation", work)
    assert not any("'s" in n for n in found)


def test_a_document_of_a_body_named_twice_over_stays_the_document() -> None:
    # two councils are named: which one owns "the council's" papers is not said
    text = (
        "Harrowfield Council and Leeds City Council disagree. The council's own budget "
        'papers describe the scheme as "desirable".'
    )
    rows = as_rows(text)
    assert ("council's own budget papers", "work", None) in rows


@pytest.mark.parametrize(
    "text",
    [
        "A 2019 study by Aoife Murphy and colleagues in Atmospheric Environment measured NO2 "
        "at four schools.\n\nSources: Murphy et al. (2019), Atmospheric Environment.",
        "A 2020 paper by Maria Okafor and Jonas Lind in Health Policy found that waits fell. "
        "Okafor and Lind (2020) also found that the effect faded.",
        "Okafor, Lind and Baptiste (2021) argue the opposite. A later note by Ada Okafor, "
        "Jonas Lind and Remi Baptiste, writing in Health Policy, repeats it.",
    ],
)
def test_a_work_cited_by_full_names_and_by_surnames_is_one_work(text: str) -> None:
    works = [c for c in cited(text) if c.source_type == "work"]
    assert len(works) == 1
    assert len(works[0].mentions) == 2


def test_different_authors_sharing_a_surname_stay_two_works() -> None:
    text = "Okafor and Lind (2020) found one thing; Okafor and Berg (2021) found another."
    names = [c.source_name for c in cited(text)]
    assert names == ["Okafor and Lind", "Okafor and Berg"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a capitalised title ending in its head, after a citing word
        (
            "The scheme answers a recommendation in the Governor's Economic Development "
            "Strategy that agencies recognise foreign diplomas.",
            "Governor's Economic Development Strategy",
        ),
        (
            "According to the 2021 National Housing Survey, rents rose by a tenth.",
            "2021 National Housing Survey",
        ),
        (
            "The 2019 Kenya Population and Housing Census volume on housing conditions shows "
            "that half of households live in one or two rooms.",
            "2019 Kenya Population and Housing Census",
        ),
        (
            "Under the Building Safety Standards, every block needs two exits.",
            "Building Safety Standards",
        ),
        (
            "According to the National Survey of Family Growth, 40% of women had married.",
            "National Survey of Family Growth",
        ),
        ("In the Global Risks Report, misinformation ranks first.", "Global Risks Report"),
        # one capitalised word before a lower-case head of standards
        (
            "The camp has one latrine for 70 people; the norm of the Sphere standards is one "
            "for 20.",
            "Sphere standards",
        ),
        (
            "Authorship is decided according to the Vancouver guidelines.",
            "Vancouver guidelines",
        ),
    ],
)
def test_a_report_plan_standard_or_census_by_its_title(text: str, name: str) -> None:
    assert (name, "work", None) in as_rows(text)


def test_a_known_body_at_the_front_of_a_title_is_its_producer() -> None:
    rows = cited("Sources: EPA; WHO Global Air Quality Guidelines (2021).")
    who = [c for c in rows if c.source_name == "WHO"]
    assert [(c.source_type, c.work_title) for c in who] == [
        ("organisation", "Global Air Quality Guidelines")
    ]
    assert all("Guidelines" not in (c.source_name or "") for c in rows)


@pytest.mark.parametrize(
    "text",
    [
        # a policy, not a document: "from" or "under" does not cite a plan
        "Reconstruction was completed in 1956 with funding from the Marshall Plan.",
        "The Marshall Plan rebuilt Europe's ports.",
        # the owner named before the title is the source
        "The IPCC's Sixth Assessment Report projected that most reefs would be lost.",
        "The Bank of Spain's own estimates, from the Financial Stability Report last "
        "November, put the overvaluation lower.",
        # a journal's name, not a document's
        "Their study of the Harvard Law Review counted dead links.",
        # a census that is the text's subject, not its source
        "This paper reviews the evidence on coverage error in the 2006 census.",
        # a demonym before standards qualifies them
        "He works under the Danish guidelines.",
        # a relative clause: the verb after the comma is not the title's
        "Henry Dimbleby, who wrote the National Food Strategy, told the BBC it was cheap.",
    ],
)
def test_no_titled_document_where_the_title_is_no_cited_work(text: str) -> None:
    assert all(kind != "work" for _, kind, _ in as_rows(text))


def test_authors_read_from_inside_a_survey_title_are_cut_at_its_end() -> None:
    text = (
        "Using the 2003 and 2008 Nigeria Demographic and Health Surveys, Adebowale and "
        "Ibrahim (2017) reconstructed cohorts and found a deficit of young children."
    )
    assert as_rows(text) == [
        ("2003 and 2008 Nigeria Demographic and Health Surveys", "work", None),
        ("Adebowale and Ibrahim", "work", None),
    ]
