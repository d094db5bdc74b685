"""Bodies listed after "Sources:" with their documents, as blogs, show notes and
newsletters close a post.

An item names the publisher and then its document in lower case ("Iwami Kotsu
service notice, March 2026", "Orran Harbour Board annual report (2024)"), or a
known body and its titled work ("WHO Global Air Quality Guidelines (2021)"); the
line may be set in bold ("**Sources:**").  The publisher is the source and the
document its work; a document without its publisher names no body.
"""

from __future__ import annotations

import pytest

from archive.extract.named import find_named_references


def _listed(text: str) -> dict[str, tuple[str, str | None]]:
    return {
        c.source_name or "": (c.source_type or "", c.work_title)
        for c in find_named_references(text)
    }


@pytest.mark.parametrize("lead", ["Sources:", "**Sources:**", "Data sources:", "— Sources:"])
def test_a_publisher_and_its_document_in_a_sources_line(lead: str) -> None:
    text = (
        "The village shrank by a third.\n\n"
        f"{lead} Kestrel Rail timetable notice, May 2026; Orran Harbour Board annual"
        " report (2024); Statistics Bureau of Valdren, 2020 census tables."
    )
    assert _listed(text) == {
        "Kestrel Rail": ("organisation", "timetable notice"),
        "Orran Harbour Board": ("organisation", "annual report"),
        "Statistics Bureau of Valdren": ("organisation", None),
    }


def test_a_known_body_and_its_titled_work_in_a_sources_line() -> None:
    text = "Smog days rose.\n\nSources: WHO Global Air Quality Guidelines (2021); Eurostat."
    assert _listed(text) == {
        "WHO": ("organisation", "Global Air Quality Guidelines"),
        "Eurostat": ("organisation", None),
    }


def test_documents_without_their_publisher_in_a_sources_line_name_no_body() -> None:
    text = (
        "Rents rose.\n\nSources: 2020 census tables; annual report (2024); Orran Freight Council."
    )
    assert _listed(text) == {"Orran Freight Council": ("organisation", None)}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Delays rose 12% in July (source: Eurocontrol).", ["Eurocontrol"]),
        ("Delays rose 12% (data: Cirium; Eurocontrol).", ["Cirium", "Eurocontrol"]),
        ("Traffic fell 3% (Source: Orran Freight Council, 2024).", ["Orran Freight Council"]),
        (
            "Traffic fell 3% (sources: Orran Freight Council, Tarnby Port Authority).",
            ["Orran Freight Council", "Tarnby Port Authority"],
        ),
    ],
)
def test_a_source_credit_in_brackets(text: str, names: list[str]) -> None:
    assert {n: t for n, (t, _) in _listed(text).items()} == dict.fromkeys(names, "organisation")


@pytest.mark.parametrize(
    "text",
    [
        "Delays rose 12% in July (data were revised in August).",
        "Traffic fell 3% (sources close to the council disputed it).",
    ],
)
def test_prose_in_brackets_is_no_source_credit(text: str) -> None:
    assert not [n for n, (t, _) in _listed(text).items() if t == "organisation"]
