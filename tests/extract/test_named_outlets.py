"""Named references to outlets in lists: references, notes and sources lines.

A newspaper's article in a references list, a numbered note naming a paper and
the issue's date, a quoted headline followed by its paper, and list lines that
only look like a publisher's.  The entries are written for these tests, in the
citation styles writers use (cite news, Harvard, Chicago, British single quotes).
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references
from archive.extract.named.outlets import outlet_entry
from tests.extract.named_helpers import found


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(c.source_name or "", c.source_type or "") for c in find_named_references(text)}


def _refs(*entries: str) -> str:
    lines = "\n".join(f"{n}. {e}" for n, e in enumerate(entries, 1))
    return (
        "The hall closed in 2019 after a long dispute over its roof.\n\n## References\n\n" + lines
    )


# --- A newspaper article in a reference list: "Headline". Outlet. Date. ----------------


@pytest.mark.parametrize(
    ("entry", "outlet", "headline"),
    [
        # cite-news order, the outlet a known paper, an agency, a broadcaster
        (
            '"Police blame early gate opening for crush". Vanguard. 11 December 2022.',
            "Vanguard",
            "Police blame early gate opening for crush",
        ),
        (
            '"Former manager indicted over ferry deaths". Associated Press. September 17, 2025.',
            "Associated Press",
            "Former manager indicted over ferry deaths",
        ),
        (
            "\"Funding row: government 'disappointed'\". BBC News. 27 January 2025.",
            "BBC News",
            "Funding row: government 'disappointed'",
        ),
        # a place in brackets or after the name, a page, an access date
        (
            '"Highlife returns to Lagos". The Guardian (Nigeria). 12 December 2011.',
            "The Guardian",
            "Highlife returns to Lagos",
        ),
        (
            '"Petition passes 11,000". The Herald. Glasgow. 31 January 2025. p. 9.',
            "The Herald",
            "Petition passes 11,000",
        ),
        (
            '"Ferry fares rise again". The Kilbrannan Courier. Oban. 3 May 2025. p. 4.',
            "Kilbrannan Courier",
            "Ferry fares rise again",
        ),
        (
            '"Tolbooth closure condemned". The Scotsman. Retrieved 3 May 2025.',
            "The Scotsman",
            "Tolbooth closure condemned",
        ),
        # an outlet no list knows, by the date after it
        (
            '"Archive withdraws recordings". Nordlandsposten, 4 October 2019.',
            "Nordlandsposten",
            "Archive withdraws recordings",
        ),
        (
            '"15 festivals worth the trip". Harbour Weekly. 2 July 2019.',
            "Harbour Weekly",
            "15 festivals worth the trip",
        ),
        # the comma inside the quotes (American style), an abbreviated month
        (
            '"Glaciers are vanishing. Scientists race to record them," Cascade Tribune, Aug. 2025',
            "Cascade Tribune",
            "Glaciers are vanishing. Scientists race to record them",
        ),
        # a reporter first, with the full date in brackets
        (
            'Okafor, Emeka (3 December 2016). "Keeping highlife alive". Lagos Ledger.',
            "Lagos Ledger",
            "Keeping highlife alive",
        ),
        (
            'Harmon, Leah (November 24, 2023). "Crew warned of stern door". The Seattle Times.',
            "The Seattle Times",
            "Crew warned of stern door",
        ),
        # a periodical in italics, and one whose name opens with a Romance article
        ('"Vecinos protestan por el puerto". *Diario Sur*. 3 March 2024.', "Diario Sur", None),
        ('"Caen las ventas". *El Vigía*. 9 February 2024.', "El Vigía", None),
        ('"Chuva forte em Recife". O Jornal do Norte, 2 May 2025.', "O Jornal do Norte", None),
    ],
)
def test_a_news_entry_cites_the_outlet_with_the_headline(
    entry: str, outlet: str, headline: str | None
) -> None:
    cited = [c for c in find_named_references(_refs(entry)) if c.source_name == outlet]
    title = headline or entry.split('"')[1].rstrip(".,")
    assert [(c.source_type, c.work_title) for c in cited] == [("outlet", title)]


def test_a_reporter_with_only_the_date_keeps_no_second_source() -> None:
    # the reporter of a dated news entry is the paper's, not a source of their own
    text = _refs('Dunmore, Kirsty (24 January 2025). "Closure will leave a desert". The Scotsman.')
    assert _pairs(text) == {("The Scotsman", "outlet")}


def test_a_reporter_in_author_year_form_is_kept_with_the_paper() -> None:
    text = _refs('Vestby, Tone (2014). "Dalens stemmer". Klassekampen, 22 November 2014.')
    assert _pairs(text) == {("Klassekampen", "outlet"), ("Vestby", "person")}


@pytest.mark.parametrize(
    "entry",
    [
        # a journal article: a volume and pages follow the periodical
        'Lim, Jae-won (2025). "Blame and the ferry inquiry". Marine Policy. 171: 106402.',
        'Haugen, Reidun (1986). "Felemusikken i samlingen". Norsk folkemusikklag 4: 41–67.',
        # a body's own statement or press release: no periodical after the title
        'Harbour Festival (2019). "Festival report 2018" (Press release).',
        'Musicians Association (2022). "Statement on the festival". Retrieved 20 January 2023.',
        # an organisation with a letter, not a periodical with a date
        '"Response to the recommendations". U.S. Coast Guard, letter to Congress, July 2025.',
        # a body's notice and its date: the date is when it came out, not where it ran
        'Harbor City Council. "Certification of Measure 12," August 4, 2026.',
        'Valdren Budget Centre. "What the levy would mean." September 2026.',
        # a person's name in plain type after a headline is no periodical
        '"It is over, and we lost." Marta Ruiz, 3 March 2024.',
    ],
)
def test_other_entries_with_a_quoted_title_name_no_outlet(entry: str) -> None:
    assert "outlet" not in found(_refs(entry)).values()


def test_an_unknown_single_word_after_a_title_needs_a_date() -> None:
    # "Shelter" may be the publisher of a report; with no issue date it is not a paper
    assert found(_refs('Smith, J. (2020). "Housing and health". Shelter.')) == {"Smith": "person"}


# --- A list line that opens with an article names no publisher called "The" -------------


@pytest.mark.parametrize(
    "line",
    [
        "The study we discuss: Lacson, A. and Ferrer, J. (2024), Coral Reefs, 43(2).",
        "The report mentioned in the episode, which covers the 2023 season.",
        "A summary of the survey, for listeners who want the numbers.",
    ],
)
def test_an_article_opening_a_list_line_is_no_source(line: str) -> None:
    text = (
        "Sources and further reading\n\n"
        + line
        + "\nFor the global picture, The Guardian's reporting on the bleaching event."
    )
    names = found(text)
    assert not {"The", "A"} & set(names)
    assert names.get("Guardian", names.get("The Guardian")) == "outlet"


# --- A numbered note that names an outlet and the date --------------------------


@pytest.mark.parametrize(
    ("entry", "outlet", "work"),
    [
        ("[3] Dagbladet, 12 May 2024.", "Dagbladet", None),
        ("3. Vanguard, 11 December 2022.", "Vanguard", None),
        ("¹ The Irish Times, 4 March 2025, p. 6.", "Irish Times", None),
        ("[1] Kilbrannan Courier, 3 May 2025.", "Kilbrannan Courier", None),
        # a headline in single quotes, British style, an apostrophe inside it
        ("7. 'Europe's gas', The Economist, 4 May 2024.", "The Economist", "Europe's gas"),
        (
            "5. ‘Ferry fares rise again’, Kilbrannan Courier, 3 May 2025.",
            "Kilbrannan Courier",
            "Ferry fares rise again",
        ),
        (
            "[4] Emeka Okoro, 'Keeping highlife alive', BusinessDay, 3 December 2016.",
            "BusinessDay",
            "Keeping highlife alive",
        ),
    ],
)
def test_a_numbered_note_names_the_outlet(entry: str, outlet: str, work: str | None) -> None:
    text = (
        "The hall closed in 2019 after a long dispute over its roof.\n\n## Notes and sources\n\n"
        + entry
    )
    cited = [c for c in find_named_references(text) if c.source_name == outlet]
    assert [(c.source_type, c.work_title) for c in cited] == [("outlet", work)]


def test_a_numbered_note_with_a_sentence_names_nothing() -> None:
    text = "The hall closed.\n\n## Notes and sources\n\n12. At the time the council said nothing."
    assert find_named_references(text) == []


# --- A quoted headline, then the paper and the date, in a list read as prose ------------


def test_a_headline_then_the_paper_and_date_in_running_lines() -> None:
    text = (
        "Jon Gertner, The Ice at the End of the World, is a good way in.\n"
        '"Glaciers of the Cascades are vanishing. Scientists race to record them," '
        "The Seattle Times, Aug. 2025\n"
        "Washington Department of Ecology, 2026 snowmelt and streamflow outlook"
    )
    assert found(text).get("Seattle Times") == "outlet"


@pytest.mark.parametrize(
    "text",
    [
        # a quotation with its speaker and a date: not a paper
        '"We are not leaving," Maria Lopez, 4 May 2024, told the rally.',
        '"It is over," the minister said on 4 May 2024.',
        # a place after the quote, then a date
        '"The water is back," Harrowfield, 3 June 2025, was the headline nobody expected.',
    ],
)
def test_a_quotation_with_a_date_names_no_paper(text: str) -> None:
    assert "outlet" not in found(text).values()


@pytest.mark.parametrize(
    ("line", "name", "kind", "work"),
    [
        (
            "Transfermarkt market values, accessed 1 February",
            "Transfermarkt",
            "outlet",
            "market values",
        ),
        (
            "The Athletic on the sale of the club (December)",
            "Athletic",
            "outlet",
            "on the sale of the club",
        ),
        (
            "The Quayside Diaries on the ferry contract (blog thread, May)",
            "Quayside Diaries",
            "outlet",
            "on the ferry contract",
        ),
        ("Jane Okoro on the strike (blog post, 3 May)", "Jane Okoro", "person", "on the strike"),
    ],
)
def test_a_list_line_of_an_outlet_and_what_of_it_is_cited(
    line: str, name: str, kind: str, work: str
) -> None:
    cited = outlet_entry(line)
    assert cited is not None
    assert (cited.name, cited.kind, cited.work) == (name, kind, work)


@pytest.mark.parametrize(
    "line",
    [
        "Harbour Council budget papers, 2024",  # a body's own document
        "The Valdren Ledger archive",  # no note and not a known outlet
        "Kestrel Mining on the expansion (press release, May)",  # a release is a body's
    ],
)
def test_other_list_lines_are_no_outlet_entry(line: str) -> None:
    cited = outlet_entry(line)
    assert cited is None or cited.kind != "outlet"
