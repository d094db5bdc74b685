"""URL, DOI and arXiv recognition in running text, and URL normalisation."""

from __future__ import annotations

import pytest

from archive.extract.urlforms import normalize_url
from archive.extract.urls import ContextIndex, find_in_text


def _found(text: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (c.kind, c.url or c.doi or c.arxiv_id, c.capture_url)
        for c in find_in_text(text, extractor_prefix="text")
    ]


def test_trailing_punctuation_and_unbalanced_brackets_are_trimmed() -> None:
    text = (
        "The ministry's figures (https://stats.example.gov/2024/q1) were revised. "
        "See https://example.com/report.html, https://example.org/a; and "
        "[https://example.net/b] or https://example.com/end."
    )
    assert [url for _, url, _ in _found(text)] == [
        "https://stats.example.gov/2024/q1",
        "https://example.com/report.html",
        "https://example.org/a",
        "https://example.net/b",
        "https://example.com/end",
    ]


def test_balanced_parentheses_stay_in_wikipedia_urls() -> None:
    text = "(see https://en.wikipedia.org/wiki/Python_(programming_language))."
    (cit,) = find_in_text(text, extractor_prefix="text")
    assert cit.url == "https://en.wikipedia.org/wiki/Python_(programming_language)"
    assert cit.span is not None
    assert text[cit.span[0] : cit.span[1]] == cit.url


def test_curly_quotes_and_angle_brackets_keep_offsets() -> None:
    text = (
        "He wrote “https://example.com/a” and ‘https://example.com/b’ and <https://example.com/c>."
    )
    cits = find_in_text(text, extractor_prefix="text", base_offset=100)
    assert [c.url for c in cits] == [
        "https://example.com/a",
        "https://example.com/b",
        "https://example.com/c",
    ]
    for cit in cits:
        assert cit.span is not None
        assert text[cit.span[0] - 100 : cit.span[1] - 100] == cit.url


def test_non_ascii_paths_and_cjk_punctuation() -> None:
    text = "Quelle: https://de.wikipedia.org/wiki/Müller, und https://example.jp/記事。次の文"
    assert [url for _, url, _ in _found(text)] == [
        "https://de.wikipedia.org/wiki/Müller",
        "https://example.jp/記事",
    ]


def test_scheme_less_links_need_www_or_a_path() -> None:
    text = (
        "Run setup.py with Node.js, then read www.bbc.co.uk and "
        "example.org/reports/2024.pdf; mail tips@example.com."
    )
    cits = find_in_text(text, extractor_prefix="text")
    assert [(c.url, c.capture_url) for c in cits] == [
        ("www.bbc.co.uk", "http://www.bbc.co.uk"),
        ("example.org/reports/2024.pdf", "http://example.org/reports/2024.pdf"),
    ]


def test_other_schemes_are_not_citations() -> None:
    text = (
        "Write to mailto:desk@example.com or //cdn.example.com/x.js or ftp://ftp.example.org/pub/a"
    )
    assert _found(text) == [
        ("url", "ftp://ftp.example.org/pub/a", "ftp://ftp.example.org/pub/a"),
    ]


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("as shown in doi:10.1038/nphys1170.", "10.1038/nphys1170"),
        ("(DOI: 10.1016/j.cell.2020.01.001)", "10.1016/j.cell.2020.01.001"),
        (
            "see 10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O, p. 3",
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O",
        ),
        ("DOI 10.48550/arXiv.2101.00001;", "10.48550/arXiv.2101.00001"),
    ],
)
def test_bare_dois(text: str, doi: str) -> None:
    (cit,) = find_in_text(text, extractor_prefix="text")
    assert (cit.kind, cit.doi, cit.url, cit.extractor) == ("doi", doi, None, "text.doi")
    assert cit.capture_url is not None and cit.capture_url.startswith("https://doi.org/10.")


def test_doi_inside_a_number_is_not_a_doi() -> None:
    assert _found("Between 2010.1234/5678 and v10.1234/x nothing is cited.") == []


def test_doi_org_url_is_one_doi_citation() -> None:
    text = "Published as https://doi.org/10.1038/nphys1170 and http://dx.doi.org/10.1000/a%2Fb."
    cits = find_in_text(text, extractor_prefix="html")
    assert [(c.kind, c.doi, c.url, c.capture_url, c.extractor) for c in cits] == [
        (
            "doi",
            "10.1038/nphys1170",
            "https://doi.org/10.1038/nphys1170",
            "https://doi.org/10.1038/nphys1170",
            "html.bare-url",
        ),
        (
            "doi",
            "10.1000/a/b",
            "http://dx.doi.org/10.1000/a%2Fb",
            "https://doi.org/10.1000/a/b",
            "html.bare-url",
        ),
    ]


def test_arxiv_ids_and_urls() -> None:
    text = (
        "Compare arXiv:2101.00001v2, arXiv:hep-th/9901001, arXiv: math.GT/0309136 and "
        "https://arxiv.org/abs/1706.03762 and https://export.arxiv.org/pdf/2403.01877.pdf."
    )
    cits = find_in_text(text, extractor_prefix="text")
    assert [(c.kind, c.arxiv_id, c.capture_url) for c in cits] == [
        ("arxiv", "2101.00001v2", "https://arxiv.org/abs/2101.00001v2"),
        ("arxiv", "hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
        ("arxiv", "math.GT/0309136", "https://arxiv.org/abs/math.GT/0309136"),
        ("arxiv", "1706.03762", "https://arxiv.org/abs/1706.03762"),
        ("arxiv", "2403.01877", "https://arxiv.org/abs/2403.01877"),
    ]
    assert cits[3].url == "https://arxiv.org/abs/1706.03762"
    assert cits[0].url is None


def test_context_is_the_sentence_around_the_match() -> None:
    text = (
        "The port was quiet. According to Dr. Smith, e.g. in the log at "
        "https://example.com/log the queue grew. Nothing else happened."
    )
    (cit,) = find_in_text(text, extractor_prefix="text")
    assert cit.context == (
        "According to Dr. Smith, e.g. in the log at https://example.com/log the queue grew."
    )


def test_long_context_is_cut_around_the_match() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    text = f"{words} https://example.com/middle {words}."
    (cit,) = find_in_text(text, extractor_prefix="text")
    assert cit.context is not None
    assert "https://example.com/middle" in cit.context
    assert cit.context.startswith("… ") and cit.context.endswith(" …")
    assert len(cit.context) <= 300 + 4


def test_context_index_splits_lines_only_when_asked() -> None:
    text = "A heading\nThe body text cites it."
    assert ContextIndex(text).context(12, 16) == "A heading The body text cites it."
    assert ContextIndex(text, lines=True).context(12, 16) == "The body text cites it."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/../b?z=1&a=2#frag", "http://example.com/b?a=2&z=1"),
        ("https://EXAMPLE.com:443", "https://example.com/"),
        ("https://example.com:8443/x#y", "https://example.com:8443/x"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_normalize_url_merges_spellings_of_one_page() -> None:
    assert normalize_url("https://Example.com/a?b=2&a=1#top") == normalize_url(
        "https://example.com:443/a?a=1&b=2"
    )


@pytest.mark.parametrize(
    "text", ["", ".", ". https://example.org/a", "https://example.org/a", "\f\f", "doi:"]
)
def test_degenerate_texts(text: str) -> None:
    cits = find_in_text(text, extractor_prefix="text")
    assert [c.url for c in cits] == (["https://example.org/a"] if "example" in text else [])
