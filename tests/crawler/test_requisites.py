"""Finding page requisites in HTML and CSS, without a crawl."""

from __future__ import annotations

import itertools
import time
from urllib.parse import urljoin, urlsplit

from crawler.css import css_text, scan_css
from crawler.requisites import (
    DOCUMENT,
    RESOURCE,
    STYLESHEET,
    absolute,
    css_requisites,
    html_requisites,
    looks_like_css,
    looks_like_html,
    parse_srcset,
)
from tests.sites import (
    NOT_REQUISITES,
    REQUISITES2_ALL,
    REQUISITES_DIRECT,
    REQUISITES_NESTED,
    STATIC,
)

BASE = "http://site.test:8080"


def _paths(urls: list[str]) -> set[str]:
    return {urlsplit(url).path for url in urls}


def test_every_direct_requisite_of_the_test_page_and_nothing_else() -> None:
    page = STATIC["/page/requisites.html"]
    found = html_requisites(page.body, BASE + page.path, page.content_type)
    assert _paths([r.url for r in found]) == set(REQUISITES_DIRECT)
    assert not _paths([r.url for r in found]) & NOT_REQUISITES
    kinds = {urlsplit(r.url).path: r.kind for r in found}
    assert kinds["/css/main.css"] == STYLESHEET
    assert kinds["/page/iframe.html"] == DOCUMENT
    assert kinds["/img/logo.png"] == RESOURCE


def test_nested_requisites_come_from_the_stylesheets_and_the_frame() -> None:
    main = STATIC["/css/main.css"]
    from_main = css_requisites(main.body, BASE + main.path)
    imported = STATIC["/css/imported.css"]
    from_imported = css_requisites(imported.body, BASE + imported.path)
    frame = STATIC["/page/iframe.html"]
    from_frame = html_requisites(frame.body, BASE + frame.path, frame.content_type, frames=False)
    found = _paths([r.url for r in from_main + from_imported + from_frame])
    assert found == set(REQUISITES_NESTED)
    assert [r.kind for r in from_main if r.url.endswith("imported.css")] == [STYLESHEET]
    # ../img/from-import.png is relative to the stylesheet, not to the page
    assert BASE + "/img/from-import.png" in [r.url for r in from_imported]


def test_second_page_shares_its_requisites() -> None:
    page = STATIC["/page/requisites2.html"]
    direct = _paths([r.url for r in html_requisites(page.body, BASE + page.path)])
    assert direct <= set(REQUISITES2_ALL)
    assert {"/css/main.css", "/img/p.png", "/img/second.png"} == direct


def test_base_href_srcset_media_svg_inputs_and_attributes() -> None:
    html = b"".join(
        [
            b'<!doctype html><html><head><base href="/sub/">',
            b'<link rel="stylesheet" href="s.css"><link rel="shortcut icon" href="/fav.ico">',
            b'<link rel="apple-touch-icon" href="touch.png">',
            b'<link rel="preload" as="style" href="pre.css">',
            b'<link rel="preload" as="font" href="font.woff2">',
            b'<link rel="alternate" href="feed.xml"><link rel="canonical" href="/canonical">',
            b'<style>@import "imp.css"; p{background:url(s.png)}</style>',
            b'<script src="app.js"></script><script>var x = "url(no.png)";</script></head>',
            b'<body background="bg.gif"><table background="t.gif"><tr>',
            b'<td background="td.gif">x</td></tr></table>',
            b'<img src="a.png" srcset="a2.png 2x, a,3.png 3x">',
            b'<img src="data:image/png;base64,AA"><img src="#x">',
            b'<video src="v.webm" poster="v.jpg"><track src="subs.vtt"></video>',
            b'<audio src="a.ogg"></audio><embed src="e.swf"><object data="o.svg"></object>',
            b'<input type="image" src="i.png"><input src="no-input.png">',
            b'<svg><image href="svg-image.png"/><use xlink:href="sprite.svg#icon"/>',
            b'<use href="#local"/></svg>',
            b"<div style=\"background: url('div.png')\">x</div>",
            b'<a href="not-a-requisite.html">a</a>',
            b'<img src="javascript:alert(1)"><img src="mailto:x@y">',
            b'<img src="//other.test/proto-relative.png">',
            b'<iframe src="frame.html"></iframe><frame src="old-frame.html">',
            b'<iframe srcdoc="&lt;img src=&quot;in-srcdoc.png&quot;&gt;"></iframe>',
            b"</body></html>",
        ]
    )
    found = html_requisites(html, "http://site.test/page/x.html", "text/html")
    urls = [r.url for r in found]
    base = "http://site.test/sub/"
    names = (
        "s.css touch.png pre.css font.woff2 imp.css s.png app.js bg.gif t.gif td.gif a.png a2.png "
        "a,3.png v.webm v.jpg subs.vtt a.ogg e.swf o.svg i.png svg-image.png sprite.svg div.png "
        "frame.html old-frame.html in-srcdoc.png"
    )
    expected = [base + name for name in names.split(" ")]
    expected += ["http://site.test/fav.ico", "http://other.test/proto-relative.png"]
    assert sorted(urls) == sorted(expected)
    assert len(urls) == len(set(urls))
    kinds = {r.url: r.kind for r in found}
    assert kinds[base + "pre.css"] == STYLESHEET
    assert kinds[base + "imp.css"] == STYLESHEET
    assert kinds[base + "frame.html"] == DOCUMENT


def test_frames_are_followed_one_level_only() -> None:
    html = b'<html><body><iframe src="/f.html"></iframe><img src="/i.png"></body></html>'
    found = html_requisites(html, BASE + "/frame.html", "text/html", frames=False)
    assert [r.url for r in found] == [BASE + "/i.png"]


def test_srcset_candidates_keep_commas_inside_urls() -> None:
    assert parse_srcset("a.png?x=1,2 1x, b.png 2x,c.png") == ["a.png?x=1,2", "b.png", "c.png"]
    assert parse_srcset("  one.png 100w,\n two.png 200w ") == ["one.png", "two.png"]
    assert parse_srcset("") == []
    assert parse_srcset("a.png (max-width: 10px, 20px) 1x, b.png") == ["a.png", "b.png"]


def test_css_scanner_skips_comments_and_strings_and_undoes_escapes() -> None:
    css = (
        "@import url(\"a.css\"); @import 'b.css' screen; @IMPORT url(c.css);\n"
        "/* url(in-comment.png) @import 'no.css'; */\n"
        'p{content:"url(in-string.png)"; background:url( x.png )}\n'
        ".e{background:url(a\\(1\\).png)} .f{x:myurl(nope.png)}\n"
        '.g{background-image:-webkit-image-set("s1.png" 1x, url(s2.png) 2x)}\n'
        "@font-face{src:url(f.woff2) format('woff2'), url('f.woff')}\n"
        ".h{background:url(\\31 23.png)}"
    )
    refs = scan_css(css)
    assert refs.imports == ["a.css", "b.css", "c.css"]
    assert refs.resources == [
        "x.png",
        "a(1).png",
        "s1.png",
        "s2.png",
        "f.woff2",
        "f.woff",
        "123.png",
    ]
    assert scan_css("@import 'x.css'; a{b:url(y.png)}", allow_imports=False).imports == []


def test_css_unterminated_comment_and_string_do_not_hang_or_invent_urls() -> None:
    refs = scan_css("a{background:url(ok.png)} /* never closed url(no.png)")
    assert refs.resources == ["ok.png"]
    assert scan_css('a{content:"never closed url(no.png)}').resources == []


def test_css_encoding_by_bom_header_and_charset_rule() -> None:
    assert css_text(b"\xef\xbb\xbfa{}", None) == "a{}"
    assert css_text('@charset "iso-8859-1"; a{content:"é"}'.encode("latin-1"), None).endswith(
        'content:"é"}'
    )
    assert css_text("a{content:'é'}".encode("latin-1"), "iso-8859-1") == "a{content:'é'}"
    assert css_text(b"a{}", "no-such-charset") == "a{}"


def test_only_http_urls_without_fragments() -> None:
    page = "http://site.test/dir/page.html"
    assert absolute(page, "x.png#frag") == "http://site.test/dir/x.png"
    assert absolute(page, " /a b.png ") == "http://site.test/a%20b.png"
    assert absolute(page, "data:image/png;base64,AA") is None
    assert absolute(page, "ftp://site.test/x") is None
    assert absolute(page, "#only-fragment") is None
    assert absolute(page, "http://[::1") is None
    assert absolute(page, "https://other.test/é.png") == urljoin(
        page, "https://other.test/%C3%A9.png"
    )


def test_what_gets_parsed() -> None:
    assert looks_like_html("text/html; charset=utf-8", b"")
    assert looks_like_html(None, b"  <!DOCTYPE html><html>")
    assert not looks_like_html("application/pdf", b"<html>")
    assert not looks_like_html(None, b"%PDF-1.4")
    assert looks_like_css("text/css", expected=False)
    assert looks_like_css(None, expected=True)
    assert not looks_like_css("text/html", expected=True)


def test_broken_html_and_non_utf8_pages() -> None:
    assert html_requisites(b"", BASE) == []
    assert html_requisites(b"\x00\x01\x02", BASE) == []
    latin = '<html><body><img src="/caf\xe9.png"></body></html>'.encode("latin-1")
    found = html_requisites(latin, BASE + "/", "text/html; charset=iso-8859-1")
    assert [r.url for r in found] == [BASE + "/caf%C3%A9.png"]
    unclosed = b'<html><body><img src="/a.png"><div><img src="/b.png"'
    assert [r.url for r in html_requisites(unclosed, BASE)] == [BASE + "/a.png"]


def test_hostile_css_stays_linear() -> None:
    hostile = [
        "url(" * 20_000,
        'url("' * 20_000,
        "url(" + "\\1" * 20_000,
        "@import url(" * 20_000,
        "-webkit-image-set(" * 20_000,
        "image-set(" + "(a" * 20_000,
        "/*" + "url(a)" * 20_000,
    ]
    started = time.monotonic()
    for text in hostile:
        scan_css(text)
    assert time.monotonic() - started < 3


def _pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_a_page_read_as_a_stream_gives_what_the_whole_page_gives() -> None:
    """The spider hands the parser decoded chunks; their boundaries fall anywhere."""
    for path in ("/page/requisites.html", "/page/requisites2.html", "/page/iframe.html"):
        page = STATIC[path]
        whole = html_requisites(page.body, BASE + page.path, page.content_type)
        for size in (1, 7, 4096):
            streamed = html_requisites(
                iter(_pieces(page.body, size)), BASE + page.path, page.content_type
            )
            assert streamed == whole, (path, size)


def test_a_non_utf8_page_is_decoded_as_declared_across_chunks() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><img src="/caf\xe9.png">'
    found = html_requisites(iter(_pieces(html.encode("cp1252"), 3)), BASE + "/", None)
    assert [r.url for r in found] == [BASE + "/caf%C3%A9.png"]


def test_a_text_node_past_libxml2s_limit_ends_the_parse_without_taking_memory() -> None:
    """A bomb of spaces: what comes before it is found, the parse stops inside it."""
    head = b'<html><body><img src="/before.png"><p>'
    filler = (b" " * 65536 for _ in range(16 * 20))  # 20 MiB, more than libxml2's 10 MB
    tail = b'</p><img src="/after.png"></body></html>'
    stream = itertools.chain([head], filler, [tail])
    found = html_requisites(stream, BASE + "/", "text/html")
    assert [r.url for r in found] == [BASE + "/before.png"]


def test_a_large_stylesheet_is_scanned_piece_by_piece_like_a_small_one() -> None:
    """A comment, a string and a url() that straddle the 1 MiB pieces are still one token."""
    piece = 1024 * 1024
    text = "".join(f".r{n} {{ background: url(img-{n}.png) }}\n" for n in range(20000))
    text = text[: piece - 100]
    text = text[: text.rindex("\n") + 1]
    text += "/* a comment across the first cut: url(not-in-comment.png) " + "x" * 200 + " */\n"
    text += "p { color: red }\n" * ((2 * piece - 30 - len(text)) // 17)
    text += 'h1::after { content: "url(not-in-string.png)' + " " * 60 + '" }\n'
    text += "h2 { background: url(" + "across-" * 30 + ".png) }\n"
    text = text.ljust(3 * piece - 50) + ' h3 { background: url("last.png") }'
    whole = css_requisites(text.encode(), BASE + "/")
    names = [urlsplit(r.url).path.lstrip("/") for r in whole]
    assert "not-in-comment.png" not in names and "not-in-string.png" not in names
    assert names[-2:] == ["across-" * 30 + ".png", "last.png"]
    streamed = css_requisites(iter(_pieces(text.encode(), 65536)), BASE + "/")
    assert streamed == whole


def test_a_stylesheet_bomb_is_given_up_early() -> None:
    """A comment as long as a bomb, or a sheet past 8 Mi characters, ends the scan."""
    spaces = (b" " * 65536 for _ in range(16 * 40))  # 40 MiB
    comment_bomb = itertools.chain([b'@import "a.css"; /*'], spaces, [b"*/ p { x: url(b.png) }"])
    found = css_requisites(comment_bomb, BASE + "/s.css")
    assert [urlsplit(r.url).path for r in found] == ["/a.css"]
    rules = (b"p { color: red }\n" * 4096 for _ in range(16 * 9))  # 9 MiB
    long_sheet = itertools.chain([b"h1 { background: url(first.png) }"], rules, [b"url(x.png)"])
    found = css_requisites(long_sheet, BASE + "/s.css")
    assert [urlsplit(r.url).path for r in found] == ["/first.png"]
