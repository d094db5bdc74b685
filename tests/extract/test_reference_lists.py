"""A reference list's entries keep what they say when their parts become one citation.

An entry ("OECD. *Water Governance Review*. https://…. Retrieved 5 April
2024.") is found twice, as a link and as a named source, and the two are
folded into the link: the access date and every field the named pass read
must survive that, and the access date must not pass for the work's date.
"""

from __future__ import annotations

import json
from pathlib import Path

from archive.extract import extract
from archive.extract.types import ExtractedCitation
from tests.helpers import clean_env, run_cli

PROSE = (
    "The council's own audit found leaks in 40% of mains, according to the Times of "
    "Israel. More text here, so that the page reads as an article with words in it "
    "and its main content is kept. Another sentence of prose that says little but "
    "is long enough to count as content for the extractor to keep."
)

HTML = f"""<html><head><title>Water report</title></head><body><article>
<h1>Water report</h1><p>{PROSE}</p><p>{PROSE}</p>
<h2>References</h2>
<ol>
<li>Cohen, D. "Audit finds leaking mains". <a href="https://news.example/audit-mains/">
The Times of Israel</a>, 2 March 2024. Accessed 3 March 2024.</li>
<li>OECD. <a href="https://oecd.example/water/review.pdf"><i>Water Governance Review</i></a>.
Retrieved 5 April 2024.</li>
<li><a href="https://example.org/a">Example page</a> (last accessed on 2024-05-06)</li>
<li><a href="https://example.org/b">Undated page</a></li>
</ol></article></body></html>
"""

ENTRIES = [
    '1. Cohen, D. "Audit finds leaking mains". The Times of Israel, 2 March 2024. '
    "https://news.example/audit-mains/ (accessed 3 March 2024).",
    "2. OECD. *Water Governance Review*. https://oecd.example/water/review.pdf. "
    "Retrieved 5 April 2024.",
    "3. https://example.org/a, https://example.org/b (retrieved 6 May 2024)",
]
MARKDOWN = f"# Water report\n\n{PROSE}\n\n## References\n\n" + "\n".join(ENTRIES) + "\n"


def _by_url(citations: list[ExtractedCitation]) -> dict[str, ExtractedCitation]:
    return {c.url: c for c in citations if c.url}


def test_html_entries_keep_their_access_dates_and_named_fields() -> None:
    cites = _by_url(extract(HTML.encode(), format="html").citations)
    assert cites["https://news.example/audit-mains/"].access_date == "2024-03-03"
    assert cites["https://example.org/a"].access_date == "2024-05-06"
    assert cites["https://example.org/b"].access_date is None
    oecd = cites["https://oecd.example/water/review.pdf"]
    # folded with its named entry: the source's name stays, the access date is the
    # access date, not the date of the work
    assert oecd.source_name is not None and oecd.source_name.startswith("OECD")
    assert oecd.access_date == "2024-04-05"
    assert oecd.date_hint is None and oecd.date is None
    assert oecd.work_title is None  # "Retrieved 5 April 2024" is no title


def test_markdown_and_text_entries_keep_their_access_dates() -> None:
    for fmt in ("markdown", "text"):
        cites = _by_url(extract(MARKDOWN.encode(), format=fmt).citations)
        assert cites["https://news.example/audit-mains/"].access_date == "2024-03-03", fmt
        assert cites["https://oecd.example/water/review.pdf"].access_date == "2024-04-05", fmt
        # two links on one line: the date after the second is the second's
        assert cites["https://example.org/a"].access_date is None, fmt
        assert cites["https://example.org/b"].access_date == "2024-05-06", fmt


def test_a_folded_entry_keeps_every_field_the_named_pass_read() -> None:
    from archive.extract import _fold

    link = ExtractedCitation(kind="url", extractor="html.anchor", url="https://x.example/r")
    entry = ExtractedCitation(
        kind="named",
        extractor="named.source-list",
        source_name="Cohen",
        source_type="person",
        date_hint="2 March 2024",
        work_title="Audit finds leaking mains",
        container="The Times of Israel",
        speaker="Dana Cohen",
        speaker_role="reporter",
        claim="leaks in 40% of mains",
        claim_span=(10, 31),
        mentions=[{"start": 0, "end": 5, "context": "Cohen", "extractor": "named.source-list"}],
    )
    _fold(link, entry)
    assert (link.source_name, link.source_type) == ("Cohen", "person")
    assert (link.work_title, link.container) == ("Audit finds leaking mains", "The Times of Israel")
    assert (link.speaker, link.speaker_role) == ("Dana Cohen", "reporter")
    assert (link.claim, link.claim_span) == ("leaks in 40% of mains", (10, 31))
    assert link.mentions == entry.mentions
    # an entry's title and date are the linked work's
    assert (link.title, link.date, link.date_hint) == (
        "Audit finds leaking mains",
        "2 March 2024",
        "2 March 2024",
    )


def test_access_date_reaches_the_citations_json(tmp_path: Path) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    doc = tmp_path / "report.html"
    doc.write_text(HTML)
    assert run_cli("add", str(doc), "--id", "report", "--no-queue", env=env).returncode == 0
    out = run_cli("citations", "report", "--format", "json", env=env)
    assert out.returncode == 0, out.stderr
    cites = {c["url"]: c for c in json.loads(out.stdout)["citations"] if c["url"]}
    oecd = cites["https://oecd.example/water/review.pdf"]
    assert oecd["access_date"] == "2024-04-05"
    assert oecd["named"]["source_name"].startswith("OECD")
    assert oecd["named"]["date_hint"] is None
    assert cites["https://news.example/audit-mains/"]["access_date"] == "2024-03-03"
