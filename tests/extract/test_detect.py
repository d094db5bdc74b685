"""Format detection and the dispatcher's handling of bad input."""

from __future__ import annotations

import codecs
import gzip
import json

import pytest

from archive.errors import InputError
from archive.extract import FORMATS, extract
from archive.extract.detect import detect_format

CSL = json.dumps(
    [
        {
            "id": "ilves2024",
            "type": "article-newspaper",
            "title": "Harbour dredging contract under scrutiny",
            "author": [{"family": "Ilves", "given": "Mara"}],
            "URL": "https://coastalherald.example/investigations/2024/06/dredging-contract",
        }
    ]
).encode()
BIBTEX = b"""% exported from a reference manager
@article{ilves2024,
  title = {Harbour dredging contract under scrutiny},
  url = {https://coastalherald.example/x},
}
"""
RIS = b"TY  - JOUR\r\nTI  - Harbour dredging\r\nUR  - https://example.org/x\r\nER  - \r\n"
WIKI = b"""'''Port Aldine''' is a port.<ref>{{cite web |url=https://example.org/a |title=A}}</ref>

== History ==
Built in 1901.
"""
WIKI_PLAIN = b"""'''Port Aldine''' is a harbour on the [[Selna]] delta.

== History ==
Built in [[1901]].
"""


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"%PDF-1.7\n...", None, "pdf"),
        (b"\n\n%PDF-1.4\n...", "paper.txt", "pdf"),
        (b"<!DOCTYPE html><html><body>x</body></html>", None, "html"),
        (b"\xef\xbb\xbf  <html lang='en'><p>x</p></html>", "page.txt", "html"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><html/>',
            None,
            "html",
        ),
        (b"<!-- saved page --><html><body></body></html>", None, "html"),
        (
            b"<div><p>A fragment with <a href='https://example.org'>a link</a></p></div>",
            None,
            "html",
        ),
        (CSL, None, "csl-json"),
        (CSL, "refs.json", "csl-json"),
        (BIBTEX, None, "bibtex"),
        (RIS, None, "ris"),
        (WIKI, None, "wikitext"),
        (WIKI_PLAIN, "article.txt", "wikitext"),
        (b"# Notes\n\nSee [the report](https://example.org/r).\n", None, "markdown"),
        (b"Notes\n\nSee https://example.org/r for details.\n", None, "text"),
        (b"Notes\n\nSee https://example.org/r for details.\n", "notes.md", "markdown"),
        (b"<p align='center'>logo</p>\n\n# Project\n", "README.md", "markdown"),
        (b"Plain words.", "page.html", "html"),
        (b"[1, 2, 3]", "numbers.json", "text"),
        (b"Plain words.", None, "text"),
    ],
)
def test_detect_format(data: bytes, filename: str | None, expected: str) -> None:
    assert detect_format(data, filename) == expected


def test_media_type_decides_for_ambiguous_content() -> None:
    data = b"Some notes with https://example.org/x"
    assert detect_format(data, None, "text/markdown; charset=utf-8") == "markdown"
    assert detect_format(data, "x.txt", "text/html") == "html"
    # content still wins over the media type
    assert detect_format(b"%PDF-1.5\n", None, "text/html") == "pdf"


def test_utf16_text_is_not_mistaken_for_binary() -> None:
    data = codecs.BOM_UTF16_LE + "<!DOCTYPE html><html></html>".encode("utf-16-le")
    assert detect_format(data, None) == "html"


@pytest.mark.parametrize(
    ("data", "filename", "named"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "page.html", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "photo.txt", "JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "report.docx", "ZIP archive"),
        (gzip.compress(b"<html></html>", mtime=0), "page.html.gz", "gzip-compressed"),
        (b"GIF89a\x01\x00", None, "GIF image"),
        (b"text\x00with\x00nuls" * 10, "notes.txt", "NUL bytes"),
        (bytes(range(1, 32)) * 40, None, "control characters"),
    ],
)
def test_binary_input_is_refused_and_named(data: bytes, filename: str | None, named: str) -> None:
    with pytest.raises(InputError, match=named) as err:
        extract(data, filename=filename)
    assert err.value.hint is not None


def test_binary_named_html_mentions_the_expectation() -> None:
    with pytest.raises(InputError, match="expected to be html"):
        detect_format(b"\x89PNG\r\n\x1a\n\x00\x00", "page.html")


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        extract(data, filename="notes.txt")
    with pytest.raises(InputError, match="empty"):
        extract(data, format="markdown")


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(InputError, match="unknown document format 'docx'") as err:
        extract(b"x", format="docx")
    assert err.value.hint is not None
    for name in FORMATS:
        assert name in err.value.hint


def test_explicit_format_overrides_detection() -> None:
    data = b"# Title\n\nhttps://example.org/a\n"
    assert extract(data, format="text").format == "text"
    assert extract(data, format="MD").format == "markdown"


def test_explicit_format_still_refuses_binary() -> None:
    with pytest.raises(InputError, match="PNG image"):
        extract(b"\x89PNG\r\n\x1a\n\x00\x00", format="html")


def test_formats_and_media_types() -> None:
    assert FORMATS == ("html", "text", "markdown", "pdf", "wikitext", "bibtex", "ris", "csl-json")
    result = extract(b"<html><body><p><a href='https://example.org/x'>x</a></p></body></html>")
    assert (result.format, result.media_type) == ("html", "text/html")


def test_a_named_reference_on_a_link_is_folded_into_the_link() -> None:
    from archive.extract import _merge_named
    from archive.extract.types import ExtractedCitation

    link = ExtractedCitation(
        kind="url", extractor="html.anchor", url="https://wikileaks.org/x", span=(33, 42)
    )
    citations = [link]
    named = [
        ExtractedCitation(
            kind="named", extractor="named.leaked-via", source_name="WikiLeaks", span=(33, 42)
        ),
        ExtractedCitation(
            kind="named", extractor="named.told", source_name="Times of Israel", span=(80, 95)
        ),
    ]
    _merge_named("x" * 100, citations, named)
    assert [c.kind for c in citations] == ["url", "named"]
    assert link.source_name == "WikiLeaks"
    assert citations[1].source_name == "Times of Israel"


def test_a_named_reference_just_before_its_link_is_folded_into_it() -> None:
    text = (
        "The first is the OECD's review of government data portals "
        "(https://www.oecd.org/gov/open-data.htm). According to Reuters, few were read; "
        "and see https://example.org/other for the rest."
    )
    result = extract(text.encode(), format="text")
    assert [(c.kind, c.source_name) for c in result.citations] == [
        ("url", "OECD"),
        ("url", None),
        ("named", "Reuters"),
    ]


def test_share_and_subscribe_lines_in_markdown_are_not_citations() -> None:
    text = (
        "Heat killed 412 people last summer ([data](https://health.example/heat.xlsx)).\n\n"
        "**Sign up** for Hot Take. [Subscribe here](https://news.example/hot-take)\n\n"
        "Share: [Facebook](https://www.facebook.com/sharer/sharer.php?u=x) · "
        "[X](https://twitter.com/intent/tweet?url=x)\n"
    )
    result = extract(text.encode(), format="markdown")
    assert [c.url for c in result.citations] == ["https://health.example/heat.xlsx"]
    # "See also" points at a source, it is no button
    kept = extract(b"See also https://example.org/page/0 again.\n", format="text")
    assert [c.url for c in kept.citations] == ["https://example.org/page/0"]
