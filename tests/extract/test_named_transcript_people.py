"""People a transcript's host names: the speaker label opens speech, not a credit."""

from __future__ import annotations

import pytest

from tests.extract.named_helpers import found


@pytest.mark.parametrize(
    ("line", "name"),
    [
        (
            "HOST: Deputy Transport Minister Tran Van Long told the National Assembly that "
            "the line would pay for itself. Do you believe that?",
            "Tran Van Long",
        ),
        ("Host: Karin Berg told the council last week that the pool would close.", "Karin Berg"),
        (
            "INTERVIEWER: As Ilona Varga, an economist at Brenner Capital, wrote in May, the "
            "cut came late. Do you agree?",
            "Ilona Varga",
        ),
        ("Host: The Harbour Post reported on Monday that the ferry would stop.", "Harbour Post"),
    ],
)
def test_the_hosts_speech_cites_what_it_names(line: str, name: str) -> None:
    text = f"The Thursday Interview\n\nHost: Renee Broussard\n\n{line}\n\nGUEST: Yes, I do."
    names = found(text)
    assert name in names, names
    assert "Renee Broussard" not in names


@pytest.mark.parametrize(
    "credit",
    [
        "Host: Renee Broussard",
        "HOST: Renee Broussard · Producer: Tom Aske",
        "Interviewer: Renee Broussard, Harbour Radio",
    ],
)
def test_a_host_credit_line_names_no_source(credit: str) -> None:
    text = f"{credit}\n\nRENEE BROUSSARD: Welcome back. Today we talk about ferries."
    assert found(text) == {}
