"""Named references: sentences, source lists and reference entries.

Every pattern of the named pass runs inside one sentence, so a sentence cut
after an abbreviation loses the name that follows it.  The phrasings below
are written for these tests, in the registers citevault reads: news,
academic prose, show notes, transcripts and non-native English.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from archive.extract.named.segment import sentences


def cut(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text, 0, len(text))]


def as_pairs(text: str) -> list[tuple[str | None, str | None]]:
    return [(c.source_name, c.source_type) for c in find_named_references(text)]


@pytest.mark.parametrize(
    "text",
    [
        # a title before a name, with or without emphasis or quote marks around it
        "In the episode, *Dr. Aino Kallio* explains how quota markets began.",
        "Ruth talks to fisheries economist **Dr. Aino Kallio** about the auction.",
        "We spoke to _Prof._ Marek Lindqvist about the register.",
        "The column by “Dr.” Okafor drew a long reply from the ministry.",
        "Gov. Ruth Okafor and Sen. Tom Baird signed the letter on Friday.",
        "Lt. Col. Ana Ferreira, who led the convoy, described the crossing.",
        "Mme. Delphine Roux chairs the committee that wrote the report.",
        "A spokesperson for Warner Bros. Discovery declined to comment.",
        "The Dept. of Health published the figures in its weekly bulletin.",
        "St. Mary's Hospital confirmed the ward would close in May.",
        # initials, alone or run together
        "The novels of J. R. R. Tolkien were the subject of the lecture.",
        "The essay by J.R.R. Tolkien on fairy stories is quoted twice.",
        "Work by Klein et al. (2014) found a similar effect.",
        # abbreviations before a figure
        "As we said in Ep. 41 the auction was a surprise to everyone.",
        "The memo on No. 10 Downing Street's plans was leaked last week.",
        "Items Nos. 3 and 4 of the agenda were dropped.",
        "The lake is approx. 40 metres deep at its centre.",
        "On Jan. 5 the board met again to discuss the sale.",
        "The argument is set out in Vol. 12 of the series.",
        "Figures are in Fig. 3 and in Sec. 4.2 of the appendix.",
        "The charity (est. 1990) runs four shelters in the city.",
        "Under Art. 5 of the treaty an attack on one is an attack on all.",
        "The volume reprints Ch. XII of the original edition.",
    ],
)
def test_an_abbreviation_does_not_end_a_sentence(text: str) -> None:
    assert cut(text) == [text]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # a figure abbreviation before a capital is a word that can end a sentence
        (
            "The answer from the council was no. The board met again in June.",
            ["The answer from the council was no.", "The board met again in June."],
        ),
        (
            "They met in Jan. Okafor spoke first.",
            ["They met in Jan.", "Okafor spoke first."],
        ),
        # emphasis closing a sentence, and opening the next one
        (
            "The ice was **thinning.** Kallio said so twice.",
            ["The ice was **thinning.**", "Kallio said so twice."],
        ),
        (
            "Rents rose again. **Marek Lindqvist** told the hearing why.",
            ["Rents rose again.", "**Marek Lindqvist** told the hearing why."],
        ),
        (
            "It was the end of _an era._ The mill closed that year.",
            ["It was the end of _an era._", "The mill closed that year."],
        ),
        # an ordinary stop before a figure still ends the sentence
        (
            "Prices rose by a fifth. 2024 was worse still.",
            ["Prices rose by a fifth.", "2024 was worse still."],
        ),
    ],
)
def test_a_sentence_ends_where_it_ends(text: str, parts: list[str]) -> None:
    assert cut(text) == parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This week we talk to fisheries economist **Dr. Aino Kallio** (University of "
            "Helsinki) about how quotas became assets.",
            [("Aino Kallio", "person")],
        ),
        (
            "Sen. Tom Baird told Reuters the bill would pass.",
            [("Tom Baird", "person"), ("Reuters", "outlet")],
        ),
        (
            "The lake is approx. 40 metres deep, Marek Lindqvist said.",
            [("Marek Lindqvist", "person")],
        ),
        (
            "_Prof._ Marek Lindqvist told the hearing that rents rose.",
            [("Marek Lindqvist", "person")],
        ),
    ],
)
def test_the_name_after_an_abbreviation_is_found(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert as_pairs(text) == expected


def as_works(text: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    return [
        (c.source_name, c.source_type, c.work_title, c.container)
        for c in find_named_references(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # on a line of its own below the prose, with the year in brackets
        (
            "The findings are published today.\n\n"
            "Marsh H, Okoro B, Lindqvist S. Paid work, commuting and loneliness among "
            "students: a national survey. Social Psychiatry and Psychiatric Epidemiology "
            "(2025). DOI: 10.5555/spp.2025.02741\n",
            [
                (
                    "Marsh H, Okoro B, Lindqvist S",
                    "work",
                    "Paid work, commuting and loneliness among students: a national survey",
                    "Social Psychiatry and Psychiatric Epidemiology",
                )
            ],
        ),
        # a numbered reference list: abbreviated journals, "et al", particles, a question
        (
            "References\n"
            "1. Osei K, Brandt M. Tide gauges and the harbour wall. Coast Eng J. "
            "2021;63(2):101-12.\n"
            "2. van der Berg JA, Okafor C, et al. Heat and sleep in cities: a cohort study. "
            "Lancet Planet Health. 2024 Mar;8(3):e101-9.\n"
            "[3] Haddad N. Why do towns lose their banks? BMJ 2023;380:e07211.\n",
            [
                ("Osei K, Brandt M", "work", "Tide gauges and the harbour wall", "Coast Eng J"),
                (
                    "van der Berg JA, Okafor C, et al",
                    "work",
                    "Heat and sleep in cities: a cohort study",
                    "Lancet Planet Health",
                ),
                ("Haddad N", "work", "Why do towns lose their banks?", "BMJ"),
            ],
        ),
        # emphasis around the title in Markdown show notes
        (
            "- Lindqvist S, Marsh H. *Night shifts and the student year.* J Youth Stud. "
            "2022;25(4):455-71.\n",
            [
                (
                    "Lindqvist S, Marsh H",
                    "work",
                    "Night shifts and the student year",
                    "J Youth Stud",
                )
            ],
        ),
    ],
)
def test_a_vancouver_entry_is_a_work_in_its_journal(
    text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert as_works(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # capitals and a stop that are not initials of an entry
        "Team GB. The squad flew home on Monday. Officials said in 2025 it would return.",
        "Apple TV. The service added six films. Variety reported 2024 as its best year.",
    ],
)
def test_a_name_with_capitals_and_a_stop_is_no_entry(text: str) -> None:
    assert cut(text) != [text]
    assert all(c.source_type != "work" for c in find_named_references(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title before a lower-case head, after a citing word or before a reporting verb
        (
            "Similar figures were published by the Health Behaviour in School-aged Children "
            "study, coordinated by a regional office.",
            [
                (
                    "Health Behaviour in School-aged Children",
                    "work",
                    "Health Behaviour in School-aged Children study",
                    None,
                )
            ],
        ),
        (
            "Data from the Millennium Cohort study suggest that screen time matters less.",
            [("Millennium Cohort", "work", "Millennium Cohort study", None)],
        ),
        (
            "The Global Burden of Disease study estimated that dirty air killed millions.",
            [("Global Burden of Disease", "work", "Global Burden of Disease study", None)],
        ),
        (
            "According to the Growing Up in Ireland survey, most nine-year-olds walk to school.",
            [("Growing Up in Ireland", "work", "Growing Up in Ireland survey", None)],
        ),
        # a census by its year
        (
            "Overcrowding was common in the 1911 census, as the schedules show.",
            [("1911 census", "work", "1911 census", None)],
        ),
        (
            "Our village lost a third of its people, 2021 census figures show.",
            [("2021 census", "work", "2021 census", None)],
        ),
        # a register described in lower case, cited through its data
        (
            "The state immunization registry data are public, so parents can look.",
            [("state immunization registry", "work", "state immunization registry data", None)],
        ),
    ],
)
def test_a_study_named_by_its_title_is_a_work(
    text: str, expected: list[tuple[str, str, str, None]]
) -> None:
    assert as_works(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one word, a known body or a body's word before the head: the producer
        ("A Harvard study found that rents rose.", [("Harvard", "organisation", "study", None)]),
        (
            "Results from the Pew Research Center survey show that trust fell.",
            [("Pew Research Center", "organisation", "survey", None)],
        ),
        ("The Reuters poll of economists forecast a cut.", [("Reuters", "outlet", "poll", None)]),
        # a phase qualifies a trial, it does not name it
        ("The Phase III trial showed a large reduction in cases.", []),
        # the producer named right after the census is the source of it
        (
            "The town has 18,412 people according to the 2021 census conducted by the "
            "National Statistics Office.",
            [("National Statistics Office", "organisation", "census", None)],
        ),
        # a census mentioned, not cited
        ("The 1911 census was the first one filled in by householders.", []),
    ],
)
def test_a_producer_or_a_qualifier_is_no_titled_study(
    text: str, expected: list[tuple[str, str, str | None, None]]
) -> None:
    assert as_works(text) == expected


_BODY = (
    "Clubs spent more than ever this summer, and most of the money came from sales of "
    "young players rather than from owners.\n\n"
)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a person with the outlet they wrote in: one entry, the outlet its container
        ("Matt Slater, The Athletic", [("Matt Slater", "person", None, "The Athletic")]),
        ("Matt Slater (The Athletic)", [("Matt Slater", "person", None, "The Athletic")]),
        ("Anna Berg — Reuters", [("Anna Berg", "person", None, "Reuters")]),
        # a title with the outlet it ran in, with or without a date
        (
            "How swap deals work — The Guardian, 3 July",
            [("Guardian", "outlet", "How swap deals work", None)],
        ),
        (
            "“Why academies sell” – Financial Times",
            [("Financial Times", "outlet", "Why academies sell", None)],
        ),
        # an outlet and its title; an author and a book with its year
        (
            "The Athletic: How swap deals work",
            [("Athletic", "outlet", "How swap deals work", None)],
        ),
        (
            "Kieran Maguire, The Price of Football (2022)",
            [("Kieran Maguire", "person", "The Price of Football", None)],
        ),
    ],
)
@pytest.mark.parametrize(
    "heading", ["Sources", "▶ Sources", "## Further reading", "Recommended reading"]
)
def test_a_sources_line_is_one_entry(
    heading: str, lines: str, expected: list[tuple[str, str, str | None, str | None]]
) -> None:
    assert as_works(f"{_BODY}{heading}\n{lines}\n") == expected


def test_a_sign_off_without_a_sources_heading_stays_the_byline() -> None:
    text = f"{_BODY}— Matt Slater, The Athletic\n"
    assert [c.source_name for c in find_named_references(text)] == []


_REFERENCES = "Rents rose near new stations, as several studies of transit show.\n\nReferences\n"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        # APA: the journal after the title, its volume after it
        (
            "Marsh, H., & Okoro, B. (2025). Paid work and loneliness. Social Psychiatry and "
            "Psychiatric Epidemiology, 60(3), 412–421.",
            (
                "Marsh",
                "person",
                "Paid work and loneliness",
                "Social Psychiatry and Psychiatric Epidemiology",
            ),
        ),
        # Harvard
        (
            "Marsh, H. and Okoro, B. (2025) Paid work and loneliness. Journal of Youth Studies, "
            "12(3), pp. 412–421.",
            ("Marsh", "person", "Paid work and loneliness", "Journal of Youth Studies"),
        ),
        # Chicago author-date: the year after the names, the title in quotes
        (
            'Marsh, Helena, and Bola Okoro. 2025. "Paid Work and Loneliness." Journal of Youth '
            "Studies 60 (3): 412–21.",
            ("Marsh", "person", "Paid Work and Loneliness", "Journal of Youth Studies"),
        ),
        # numbered, with "et al."
        (
            "[3] Okafor, C., et al. (2024). Heat and sleep in cities. The Lancet Planetary "
            "Health, 8(3), e101.",
            ("Okafor", "person", "Heat and sleep in cities", "The Lancet Planetary Health"),
        ),
        # a book: the publisher has no volume and is no container
        (
            "Maguire, K. (2022). The Price of Football. Agenda Publishing.",
            ("Maguire", "person", "The Price of Football", None),
        ),
    ],
)
def test_a_reference_entry_has_its_journal_as_container(
    entry: str, expected: tuple[str, str, str, str | None]
) -> None:
    assert as_works(f"{_REFERENCES}{entry}\n") == [expected]
