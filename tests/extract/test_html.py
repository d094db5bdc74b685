"""Citations in HTML pages: main-content links only, resolved against the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import InputError
from archive.extract import extract
from archive.extract.html import extract_html

DATA = Path(__file__).parent.parent / "data" / "extract"
PAGE_URL = "https://coastalherald.example/investigations/2024/06/dredging-contract"


@pytest.fixture(scope="module")
def article() -> bytes:
    return (DATA / "news-article.html").read_bytes()


def test_main_content_links_are_found_and_made_absolute(article: bytes) -> None:
    result = extract_html(article, base_url=PAGE_URL + "?utm_source=newsletter")
    found = [(c.extractor, c.kind, c.url) for c in result.citations]
    assert found == [
        ("html.anchor", "url", "https://procurement.example.gov/notices/2024-0311"),
        # relative links resolve against the page path, not the site root
        (
            "html.anchor",
            "url",
            "https://coastalherald.example/investigations/2024/2023/11/port-budget.html",
        ),
        (
            "html.anchor",
            "url",
            "https://coastalherald.example/investigations/2024/06/data/contract-timeline.csv",
        ),
        ("html.bare-url", "url", "https://eia.example.org/reports/harbour-2024.pdf"),
        ("html.doi", "doi", None),
        ("html.arxiv", "arxiv", None),
        ("html.anchor", "url", "https://council.example.gov/minutes?meeting=2024-05-14&item=7"),
        ("html.anchor", "doi", "https://doi.org/10.5555/coast.2021.042"),
        (
            "html.reference-list",
            "url",
            "https://www.harbour-authority.example/annual-report-2023.pdf",
        ),
        ("html.reference-list", "url", "https://www.env-agency.example/sediment/limits"),
        ("html.reference-list", "arxiv", "https://arxiv.org/abs/2405.01234"),
    ]
    assert result.title == "Harbour dredging contract under scrutiny"
    assert result.format == "html"
    assert result.warnings == []


def test_navigation_share_footer_and_non_citations_are_excluded(article: bytes) -> None:
    result = extract_html(article, base_url=PAGE_URL)
    urls = {c.url for c in result.citations} | {c.capture_url for c in result.citations}
    for excluded in [
        "https://coastalherald.example/",
        "https://coastalherald.example/news/",
        "https://shop.coastalherald.example/",
        "https://coastalherald.example/investigations/2024/05/ferry-subsidies",
        "https://coastalherald.example/privacy",
        "https://www.instagram.com/coastalherald",
        "https://tracker.example.com/collect",
        # the page itself, with a fragment
        PAGE_URL + "#top",
        PAGE_URL + "#comments",
    ]:
        assert excluded not in urls
    assert not any(u and u.startswith(("mailto:", "javascript:", "tel:")) for u in urls)
    assert not any((u and "sharer" in u) or (u and "intent/tweet" in u) for u in urls)


def test_anchor_text_spans_and_context_point_into_the_text(article: bytes) -> None:
    result = extract_html(article, base_url=PAGE_URL)
    assert result.text is not None
    by_url = {c.url: c for c in result.citations if c.url}
    notice = by_url["https://procurement.example.gov/notices/2024-0311"]
    assert notice.anchor_text == "the procurement notice"
    assert notice.span is not None
    assert result.text[notice.span[0] : notice.span[1]] == "the procurement notice"
    assert notice.context == (
        "The port authority awarded the dredging contract in March without a public tender, "
        "according to the procurement notice it published a week later."
    )
    doi = next(c for c in result.citations if c.extractor == "html.doi")
    assert (doi.doi, doi.capture_url) == (
        "10.5555/coast.2022.118",
        "https://doi.org/10.5555/coast.2022.118",
    )
    assert doi.span is not None
    assert result.text[doi.span[0] : doi.span[1]] == "doi:10.5555/coast.2022.118"
    # the main text holds the article, not the page furniture
    assert "Harbour dredging contract under scrutiny" in result.text
    assert "Privacy" not in result.text and "Share on Facebook" not in result.text


def test_page_url_from_og_url_when_none_is_given(article: bytes) -> None:
    result = extract_html(article)
    urls = [c.url for c in result.citations]
    assert "https://coastalherald.example/investigations/2024/06/data/contract-timeline.csv" in urls
    assert PAGE_URL + "#top" not in urls


def test_base_element_is_honoured() -> None:
    page = b"""<html><head><title>Notes</title><base href="https://mirror.example.net/docs/v2/"></head>
    <body><article><p>The figures come from <a href="tables/t1.html">table one</a> and
    <a href="/root.html">the index</a>, which the ministry published in full in its yearly
    statistical bulletin on shipping and port traffic.</p></article></body></html>"""
    result = extract_html(page, base_url="https://origin.example.com/notes/page.html")
    assert [c.url for c in result.citations] == [
        "https://mirror.example.net/docs/v2/tables/t1.html",
        "https://mirror.example.net/root.html",
    ]


def test_relative_links_without_any_base_are_skipped_with_a_warning() -> None:
    page = b"""<html><body><p>See <a href="report.html">the report</a> and
    <a href="https://example.org/data">the data</a>.</p></body></html>"""
    result = extract_html(page)
    assert [c.url for c in result.citations] == ["https://example.org/data"]
    assert len(result.warnings) == 1
    assert "1 relative link(s) were skipped" in result.warnings[0]


def test_short_page_falls_back_to_the_body_without_navigation() -> None:
    page = b"""<html><body><nav><a href="https://example.com/">Home</a></nav>
    <p>Source: <a href="https://example.org/one">one</a>.</p>
    <footer><a href="https://example.com/terms">Terms</a></footer></body></html>"""
    result = extract_html(page, base_url="https://example.com/page")
    assert [c.url for c in result.citations] == ["https://example.org/one"]


def test_declared_legacy_charset_is_used() -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9 r\u00e9sum\u00e9</title></head>'
        '<body><p>Voir <a href="https://example.fr/caf\u00e9">le caf\u00e9</a>.</p></body></html>'
    ).encode("cp1252")
    result = extract_html(page)
    assert result.title == "Caf\u00e9 r\u00e9sum\u00e9"
    assert [c.anchor_text for c in result.citations] == ["le caf\u00e9"]


def test_xml_declaration_is_accepted() -> None:
    page = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>'
        b'<a href="https://example.org/x">x</a></p></body></html>'
    )
    assert [c.url for c in extract(page).citations] == ["https://example.org/x"]


def test_binary_named_html_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(InputError, match="PNG image") as err:
        extract(png, filename="page.html")
    assert err.value.hint


def test_empty_html_is_refused() -> None:
    with pytest.raises(InputError, match="empty"):
        extract(b"  \n", filename="page.html")
    with pytest.raises(InputError, match="empty"):
        extract(b"", format="html")


def test_comment_only_html_is_a_parse_error() -> None:
    with pytest.raises(InputError, match="HTML document could not be parsed"):
        extract_html(b"<!-- nothing -->")


def test_very_large_page_skips_main_content_detection(
    article: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archive.extract import html as html_module

    monkeypatch.setattr(html_module, "_TRAFILATURA_MAX", 1000)
    result = extract_html(article, base_url=PAGE_URL)
    urls = [c.url for c in result.citations]
    assert "https://procurement.example.gov/notices/2024-0311" in urls
    assert "https://www.harbour-authority.example/annual-report-2023.pdf" in urls
    # furniture is still left out, by tag and by class
    for excluded in [
        "https://shop.coastalherald.example/",
        "https://coastalherald.example/privacy",
        "https://twitter.com/intent/tweet?url=https%3A%2F%2Fcoastalherald.example%2Fx",
        "https://coastalherald.example/investigations/2024/05/ferry-subsidies",
    ]:
        assert excluded not in urls
    assert any("too large" in w for w in result.warnings)


def test_layout_wrapper_classes_are_not_furniture() -> None:
    page = b"""<html><body><div class="content-with-sidebar"><article>
    <h2>References</h2><ul><li><a href="https://example.org/a">A</a></li>
    <li><a href="https://example.org/b">B</a></li></ul></article></div>
    <div class="sidebar"><h2>Sources</h2><ul><li><a href="https://ads.example.com/x">X</a></li></ul>
    </div></body></html>"""
    result = extract_html(page, base_url="https://example.com/p")
    assert [c.url for c in result.citations] == ["https://example.org/a", "https://example.org/b"]
