"""Deep and large documents: every citation found, or a warning naming what was not.

The documents are generated here.  Each case once lost citations without a
word: libxml2 stopped at 256 levels or at a 10 MB text node, trafilatura's
fallback kept a link list's text but not its links, markdown-it dropped
what it nested past its limit, and a deep JSON array ended in an internal
error.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive import extract as extract_package
from archive.errors import InputError
from archive.extract import extract
from archive.extract.htmltree import MAX_DEPTH
from archive.extract.types import Extraction
from tests.extract.documents import pdf_with_page_entry
from tests.helpers import clean_env, run_cli


def _urls(result: Extraction) -> list[str | None]:
    return [c.url for c in result.citations if c.kind == "url"]


def _link_paragraphs(n: int) -> bytes:
    body = "".join(f'<p><a href="http://127.0.0.1:8000/p{i}">link {i}</a></p>\n' for i in range(n))
    return f"<html><body>{body}</body></html>".encode()


def _nested(depth: int, inner: str, tag: str = "div") -> bytes:
    before = '<p>Before, <a href="https://example.org/before">a source</a>.</p>'
    after = '<p>After, <a href="https://example.org/after">another</a>.</p>'
    deep = f"<{tag}>" * depth + inner + f"</{tag}>" * depth
    return f"<html><body>{before}{deep}{after}</body></html>".encode()


# ------------------------------------------------------------------- HTML


@pytest.mark.parametrize("n", [4_000, 5_000, 20_000])
def test_every_link_of_a_page_of_linked_paragraphs_is_found(n: int) -> None:
    # 5,000 of these paragraphs are past the size where trafilatura runs in
    # fast mode, whose fallback kept the text of every line and no link.
    result = extract(_link_paragraphs(n), format="html")
    assert _urls(result) == [f"http://127.0.0.1:8000/p{i}" for i in range(n)]
    assert result.warnings == []
    spans = [c.span for c in result.citations]
    assert result.text is not None and spans[-1] is not None
    assert result.text[spans[-1][0] : spans[-1][1]] == f"link {n - 1}"


def test_nesting_within_the_parser_limit_is_read_whole() -> None:
    inner = '<p>Deep, <a href="https://example.org/deep">the deep one</a>.</p>'
    result = extract(_nested(1_500, inner), format="html")
    assert _urls(result) == [
        "https://example.org/before",
        "https://example.org/deep",
        "https://example.org/after",
    ]
    # Too deep for main-content detection in linear time: said so.
    (warning,) = result.warnings
    assert "nested too deep for main-content detection" in warning


@pytest.mark.parametrize("tag", ["div", "b", "span"])
def test_nesting_past_the_parser_limit_is_named_in_a_warning(tag: str) -> None:
    inner = '<a href="https://example.org/deep">the deep one</a>'
    result = extract(_nested(100_000, inner, tag), format="html")
    assert _urls(result) == ["https://example.org/before"]
    stop = next(w for w in result.warnings if "reading stopped" in w)
    assert f"more than {MAX_DEPTH} levels deep" in stop
    assert "2 of its 3 links" in stop


def test_a_text_node_or_attribute_past_10_mb_does_not_end_the_page() -> None:
    link = '<a href="https://example.org/after">after</a>'
    text = ("<html><body><p>" + "word " * 2_200_000 + f"{link}</p></body></html>").encode()
    assert _urls(extract(text, format="html")) == ["https://example.org/after"]
    attr = f"<html><body><p title='{'x' * 11_000_000}'>t {link}</p></body></html>".encode()
    assert _urls(extract(attr, format="html")) == ["https://example.org/after"]


# --------------------------------------------------------------- Markdown


def test_markdown_html_block_nested_past_the_limit_is_named() -> None:
    deep = "<div>" * 100_000 + '<a href="https://example.org/deep">d</a>' + "</div>" * 100_000
    source = f"First https://example.org/first\n\n<div>\n{deep}\n</div>\n\nLast https://example.org/last\n"
    result = extract(source.encode(), format="markdown")
    assert _urls(result) == ["https://example.org/first", "https://example.org/last"]
    (warning,) = result.warnings
    assert "an HTML block nests elements more than 2048 levels deep" in warning
    assert "1 of its 1 links" in warning


def test_markdown_nested_past_markdown_it_limit_is_named() -> None:
    items = "".join("  " * i + f"- item https://example.org/l{i}\n" for i in range(40))
    result = extract(items.encode(), format="markdown")
    assert 0 < len(result.citations) < 40
    (warning,) = result.warnings
    assert "nests lists or block quotes more than 19 levels deep" in warning
    quotes = ">" * 5_000 + " see https://example.org/q\n"
    assert any("block quotes" in w for w in extract(quotes.encode(), format="markdown").warnings)


def test_markdown_nested_within_the_limit_is_read_without_warning() -> None:
    items = "".join("  " * i + f"- item https://example.org/l{i}\n" for i in range(8))
    result = extract(items.encode(), format="markdown")
    assert _urls(result) == [f"https://example.org/l{i}" for i in range(8)]
    assert result.warnings == []


# --------------------------------------------------------------- wikitext


def test_wikitext_too_deep_to_parse_is_read_as_text_with_a_warning() -> None:
    source = "== Sources ==\n" + "{{" * 100_000 + "x" + "}}" * 100_000
    source += "\n* [https://example.org/after after] and https://example.org/bare\n"
    result = extract(source.encode(), format="wikitext")
    assert _urls(result) == ["https://example.org/after", "https://example.org/bare"]
    (warning,) = result.warnings
    assert "wikitext nests too deeply to parse" in warning
    assert "read as plain text" in warning


# ------------------------------------------------- every reader, many and deep

MANY = 5_000


def _many(fmt: str) -> bytes:
    url = "https://example.org/p{}"
    if fmt == "bibtex":
        return "".join(
            f"@misc{{k{i}, title={{T {i}}}, url={{{url.format(i)}}}}}\n" for i in range(MANY)
        ).encode()
    if fmt == "ris":
        return "".join(
            f"TY  - ELEC\nTI  - T {i}\nUR  - {url.format(i)}\nER  - \n" for i in range(MANY)
        ).encode()
    if fmt == "csl-json":
        items = [
            {"type": "webpage", "id": f"i{i}", "title": f"T{i}", "URL": url.format(i)}
            for i in range(MANY)
        ]
        return json.dumps(items).encode()
    if fmt == "markdown":
        return "".join(f"- [link {i}]({url.format(i)})\n" for i in range(MANY)).encode()
    if fmt == "wikitext":
        return "".join(f"* [{url.format(i)} link {i}]\n" for i in range(MANY)).encode()
    return " ".join(url.format(i) for i in range(MANY)).encode()  # text, on one line


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json", "markdown", "wikitext", "text"])
def test_every_reader_finds_every_one_of_many_citations(fmt: str) -> None:
    result = extract(_many(fmt), format=fmt)
    assert _urls(result) == [f"https://example.org/p{i}" for i in range(MANY)]
    assert result.warnings == []


def test_bibtex_braces_nested_deep_do_not_hide_the_entries() -> None:
    deep = "{" * 100_000 + "x" + "}" * 100_000
    source = f"@misc{{a, title={{{deep}}}, url={{https://example.org/a}}}}\n"
    source += "@misc{b, url={https://example.org/b}}\n"
    assert _urls(extract(source.encode(), format="bibtex")) == [
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_text_with_parentheses_nested_deep_finds_the_urls() -> None:
    source = "https://example.org/" + "(" * 100_000 + "x" + ")" * 100_000
    source += " and https://example.org/after\n"
    found = _urls(extract(source.encode(), format="text"))
    assert found[-1] == "https://example.org/after"
    assert len(found) == 2


# --------------------------------------------------------- JSON and others


DEEP_CSL = (
    '[{"type": "webpage", "title": "x", "note": ' + "[" * 100_000 + "]" * 100_000 + "}]"
).encode()


@pytest.mark.parametrize("fmt", ["csl-json", None])
def test_deeply_nested_json_is_an_input_error(fmt: str | None) -> None:
    with pytest.raises(InputError, match="nests arrays or objects too deeply"):
        extract(DEEP_CSL, format=fmt, filename="refs.json")


def test_deeply_nested_json_is_refused_by_add_and_nothing_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_bytes(DEEP_CSL)
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    result = run_cli("add", str(path), "--id", "deep", env=env)
    assert result.returncode == 2, result.stderr
    assert "nests arrays or objects too deeply" in result.stderr
    assert "internal error" not in result.stderr
    database = tmp_path / "data" / "citevault.db"
    if database.exists():
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    store = tmp_path / "data" / "store"
    assert not store.exists() or not [p for p in store.rglob("*") if p.is_file()]


def test_recursion_in_any_reader_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # No shipped reader is known to recurse past the stack any more; the
    # guard in ``extract`` stands for the next one that does.
    def recursing(data: bytes, *, base_url: str | None = None) -> Extraction:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extract_package, "_extractor", lambda fmt: recursing)
    with pytest.raises(InputError, match="the ris document nests too deeply") as caught:
        extract(b"TY  - ELEC\nER  - \n", format="ris")
    assert caught.value.exit_code == 2


def test_pdf_objects_nested_too_deep_are_named() -> None:
    assert _urls(extract(pdf_with_page_entry(b"/Shallow [[1]]"), format="pdf")) == [
        "https://example.org/pdf"
    ]
    deep = pdf_with_page_entry(b"/Deep " + b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(InputError, match="its objects nest too deeply to read"):
        extract(deep, format="pdf")
