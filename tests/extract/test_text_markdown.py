"""Plain text and Markdown extraction, and decoding of their bytes."""

from __future__ import annotations

import codecs

from archive.extract import extract
from archive.extract.decode import decode_bytes
from archive.extract.markdown import extract_markdown
from archive.extract.text import extract_text

MEMO = """Briefing note: harbour dredging

The tender notice (https://procurement.example.gov/notices/2024-0311) was
published late. The sediment study, doi:10.5555/coast.2022.118, and the plume
model in arXiv:2405.01234 both predate it; see also
https://doi.org/10.5555/coast.2021.042 and www.env-agency.org/sediment.

Minutes: https://council.example.gov/minutes?meeting=2024-05-14&item=7.
"""


def test_plain_text_citations() -> None:
    result = extract_text(MEMO.encode())
    assert [(c.kind, c.extractor, c.url or c.doi or c.arxiv_id) for c in result.citations] == [
        ("url", "text.bare-url", "https://procurement.example.gov/notices/2024-0311"),
        ("doi", "text.doi", "10.5555/coast.2022.118"),
        ("arxiv", "text.arxiv", "2405.01234"),
        ("doi", "text.bare-url", "https://doi.org/10.5555/coast.2021.042"),
        ("url", "text.bare-url", "www.env-agency.org/sediment"),
        ("url", "text.bare-url", "https://council.example.gov/minutes?meeting=2024-05-14&item=7"),
    ]
    assert result.title == "Briefing note: harbour dredging"
    assert result.text == MEMO
    first = result.citations[0]
    assert first.context == (
        "The tender notice (https://procurement.example.gov/notices/2024-0311) was published late."
    )
    for cit in result.citations:
        assert cit.span is not None
        cited = MEMO[cit.span[0] : cit.span[1]]
        assert (cit.url or cit.doi or cit.arxiv_id or "") in cited


def test_dispatch_detects_text_and_sets_media_type() -> None:
    result = extract(MEMO.encode(), filename="memo.txt")
    assert (result.format, result.media_type) == ("text", "text/plain")


def test_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + "Source: https://example.org/ü".encode("utf-16-le")
    result = extract(data, filename="note.txt")
    assert [c.url for c in result.citations] == ["https://example.org/ü"]
    assert result.warnings == []


def test_legacy_single_byte_encoding_is_detected() -> None:
    text = "Les données du ministère sont publiées ici : https://example.fr/données-2024 ."
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.warnings == []


def test_mixed_encodings_decode_with_replacement_and_a_warning() -> None:
    data = (
        "Première partie en UTF-8 : https://example.org/a — fin.\n".encode()
        + "Deuxième partie en Latin-1 : https://example.org/b, café.\n".encode("latin-1")
    )
    result = extract(data, filename="mixed.txt")
    assert [c.url for c in result.citations] == ["https://example.org/a", "https://example.org/b"]
    assert result.text is not None and "\ufffd" in result.text
    assert len(result.warnings) == 1
    assert "mixes encodings" in result.warnings[0]


def test_declared_charset_is_used_when_valid() -> None:
    decoded = decode_bytes("Grüße".encode("iso-8859-15"), declared="iso-8859-15")
    assert decoded.text == "Grüße"


NOTES = """# Reading list

See [the tender notice](https://procurement.example.gov/notices/2024-0311 "Notice") and
<https://council.example.gov/minutes> and the bare https://eia.example.org/report.pdf.
The [budget review][budget] and the [sediment limits][] matter; setup.py does not.
Quoted “https://quoted.example.com/q” and ![chart](https://img.example.com/chart.png).
Run `curl https://api.example.com/v1` to check; [relative](../other.md), [top](#top),
[mail](mailto:desk@example.com). Study: doi:10.5555/coast.2022.118.

```
https://fenced.example.com/not-a-citation
```

<p>Raw <a href="https://rawhtml.example.com/page">raw link</a></p>

[budget]: https://coastalherald.example/2023/11/port-budget.html
[sediment limits]: https://www.env-agency.org/sediment/limits
[unused]: https://unused.example.org/definition
"""


def test_markdown_links_of_every_kind() -> None:
    result = extract_markdown(NOTES.encode())
    assert [(c.extractor, c.kind, c.url or c.doi) for c in result.citations] == [
        ("markdown.link", "url", "https://procurement.example.gov/notices/2024-0311"),
        ("markdown.autolink", "url", "https://council.example.gov/minutes"),
        ("markdown.bare-url", "url", "https://eia.example.org/report.pdf"),
        (
            "markdown.reference-link",
            "url",
            "https://coastalherald.example/2023/11/port-budget.html",
        ),
        ("markdown.reference-link", "url", "https://www.env-agency.org/sediment/limits"),
        ("markdown.bare-url", "url", "https://quoted.example.com/q"),
        ("markdown.doi", "doi", "10.5555/coast.2022.118"),
        ("markdown.html-anchor", "url", "https://rawhtml.example.com/page"),
        ("markdown.reference-definition", "url", "https://unused.example.org/definition"),
    ]
    assert result.title == "Reading list"
    assert len(result.warnings) == 1 and "relative link" in result.warnings[0]


def test_markdown_text_is_plain_and_spans_point_into_it() -> None:
    result = extract_markdown(NOTES.encode())
    assert result.text is not None
    assert "](" not in result.text and "```" not in result.text
    assert "fenced.example.com" not in result.text
    notice = result.citations[0]
    assert notice.anchor_text == "the tender notice"
    assert notice.span is not None
    assert result.text[notice.span[0] : notice.span[1]] == "the tender notice"
    assert notice.context is not None and notice.context.startswith("See the tender notice and")


def test_markdown_relative_links_resolve_against_base_url() -> None:
    result = extract_markdown(NOTES.encode(), base_url="https://notes.example.com/lists/reading.md")
    urls = [c.url for c in result.citations]
    assert "https://notes.example.com/other.md" in urls
    assert result.warnings == []
    assert not any(u and u.startswith("mailto:") for u in urls)


def test_markdown_is_detected_from_name_and_content() -> None:
    assert extract(NOTES.encode(), filename="reading.md").format == "markdown"
    assert extract(NOTES.encode()).format == "markdown"


def test_markdown_scheme_less_bare_url_keeps_the_cited_form() -> None:
    result = extract_markdown(b"Read www.bbc.co.uk/news/world-123 and setup.py today.\n")
    assert [(c.url, c.capture_url) for c in result.citations] == [
        ("www.bbc.co.uk/news/world-123", "http://www.bbc.co.uk/news/world-123")
    ]


def test_markdown_bare_url_keeps_its_percent_escapes() -> None:
    """A bare URL is recorded as written: decoding its escapes would change the address
    (``%20`` would become a space, and an escaped query value would be lost)."""
    md = b"https://www.jarviwiki.fi/wiki/Varnaj%C3%A4rvi_(04.1) or www.example.com/a%20b?q=%20.\n"
    result = extract_markdown(md)
    assert [c.url for c in result.citations] == [
        "https://www.jarviwiki.fi/wiki/Varnaj%C3%A4rvi_(04.1)",
        "www.example.com/a%20b?q=%20",
    ]
    assert result.citations[1].capture_url == "http://www.example.com/a%20b?q=%20"
    for cit in result.citations:
        assert cit.span is not None
        assert result.text[cit.span[0] : cit.span[1]] == cit.url


def test_a_heading_right_after_a_list_still_heads_its_section() -> None:
    # Markdown needs no blank line between a list and the next heading; the text read
    # from it keeps one there, so "External links" still heads the links after it.
    data = (
        b"The market opened in 1994.\n\n"
        b"## References\n\n"
        b"1. [Market history](https://history.example/market), Diario, 2022.\n"
        b"## External links\n\n"
        b"- [Official website of the market](https://market.example/)\n"
    )
    result = extract_markdown(data)
    assert [c.url for c in result.citations if c.url] == ["https://history.example/market"]
    assert result.text is not None and "2022.\n\nExternal links\n\n" in result.text
