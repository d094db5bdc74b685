"""CDX ``filter=`` expressions from anonymous callers: linear-time matching, clear refusals.

The expressions that take a backtracking engine exponential time are asked
here against URLs long enough that Python's ``re`` would not finish within
the life of the test run (``(.+)+X`` on 31 characters already takes it
seconds): the answers below come from RE2, which never backtracks.
"""

from __future__ import annotations

import re

import pytest
import surt

from archive.api.routes import cdx as cdx_route
from archive.db.models import Capture
from archive.errors import InputError
from archive.lookup.linear_regex import compile_linear
from tests.api.archives import Index, at

# 31 characters, as in the report that found the stall; then far longer ones.
SHORT = "http://ex.net/aaaaaaaaaaaaaaaaa"
LONG = "http://ex.net/" + "a" * 5_000
HUGE = "http://ex.net/" + "a" * 100_000
ENDS_IN_X = "http://ex.net/" + "a" * 5_000 + "X"
PATHOLOGICAL = r"original:http:(.+)+X"


def _add(index: Index, urls: list[str]) -> dict[str, str]:
    """Capture rows for ``urls``; capture id -> URL."""
    names: dict[str, str] = {}
    with index.rt.sessions()() as s:
        for n, url in enumerate(urls):
            cap = Capture(
                url=url,
                url_normalized=url,
                surt=surt.surt(url),
                captured_at=at(f"2022010100000{n}"),
                http_status=200,
                media_type="text/html",
            )
            s.add(cap)
            s.flush()
            names[str(cap.id)] = url
        s.commit()
    return names


def _urls(index: Index, names: dict[str, str], **params: str) -> list[str]:
    r = index.get(url="ex.net/*", fl="capture_id", **params)
    assert r.status_code == 200, r.text
    return [names[line] for line in r.text.splitlines()]


def test_backtracking_filters_answer_with_the_right_lines(index: Index) -> None:
    assert len(SHORT) == 31
    names = _add(index, [SHORT, LONG, HUGE, ENDS_IN_X])
    assert _urls(index, names, filter=PATHOLOGICAL) == [ENDS_IN_X]
    assert _urls(index, names, filter="!" + PATHOLOGICAL) == [SHORT, LONG, HUGE]
    assert _urls(index, names, filter="~" + PATHOLOGICAL) == [ENDS_IN_X]
    assert _urls(index, names, filter=r"original:(a|aa)+") == []
    assert _urls(index, names, filter=r"~original:http://ex\.net/(a|aa)+$") == [SHORT, LONG, HUGE]
    assert _urls(index, names, filter=r"original:(.*a){20}") == [LONG, HUGE]  # SHORT has 17
    assert _urls(index, names, filter=[PATHOLOGICAL, "!original:.*aX"]) == []


@pytest.mark.parametrize(
    ("expr", "named"),
    [
        (r"(a)\1", r"backreference '\1'"),
        (r"(?P<x>a)(?P=x)", "named backreference"),
        (r"http(?=s)", "lookaround '(?='"),
        (r"(?<!www\.)example", "lookaround '(?<!'"),
        (r"a++", "possessive quantifier '++'"),
        (r"(?>a+)b", "atomic group"),
        (r"a{2000}", "repetition '{2000}'"),
    ],
)
def test_syntax_re2_cannot_run_is_a_400_naming_it(index: Index, expr: str, named: str) -> None:
    r = index.get(url="example.org", filter=f"original:{expr}")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "bad_cdx_parameter"
    assert named in error["message"]
    assert error["message"].startswith(f"filter={'original:' + expr!r}: ")
    assert "RE2" in error["hint"]


def test_a_pattern_longer_than_the_cap_is_a_400(index: Index) -> None:
    longest = "." * cdx_route.MAX_PATTERN
    assert index.ids_of(url="example.org", filter=f"~original:{longest[:10]}") != []
    r = index.get(url="example.org", filter=f"original:{longest}")
    assert (r.status_code, r.text) == (200, "")  # accepted: nothing is that long
    r = index.get(url="example.org", filter=f"original:{longest}.")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "bad_cdx_parameter"
    assert f"at most {cdx_route.MAX_PATTERN}" in error["message"]


def test_more_filters_than_the_cap_is_a_400(index: Index) -> None:
    most = ["!status:5.."] * cdx_route.MAX_FILTERS
    assert index.ids_of(url="example.org", filter=most) == ["A", "B", "C", "D"]
    r = index.get(url="example.org", filter=[*most, "status:200"])
    assert r.status_code == 400
    assert f"at most {cdx_route.MAX_FILTERS}" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    "expr",
    [r"https?://(www\.)?example\.org/.*", r"[a-z]+", r"(?i)EXAMPLE", r"\d{3}", r"a|b|", r"^x$"],
)
@pytest.mark.parametrize(
    "text", ["http://example.org/about", "https://www.example.org/", "404", "x", ""]
)
def test_matching_modes_agree_with_python_re(expr: str, text: str) -> None:
    linear, backtracking = compile_linear(expr), re.compile(expr)
    assert linear.fullmatch(text) == (backtracking.fullmatch(text) is not None)
    assert linear.match(text) == (backtracking.match(text) is not None)
    assert linear.search(text) == (backtracking.search(text) is not None)


def test_compile_errors_are_input_errors() -> None:
    with pytest.raises(InputError, match="lookaround"):
        compile_linear("(?!a)")
    with pytest.raises(InputError, match="missing \\)"):
        compile_linear("(")
    with pytest.raises(InputError, match="not valid Unicode"):
        compile_linear("\ud800")
