"""Failure reasons are words: Twisted's wrapped causes never show as ``<...Failure...>``."""

from __future__ import annotations

from twisted.internet import error as tx_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.failures import describe, words

URL = "http://example.org/page"


def _failure(exc: BaseException) -> Failure:
    try:
        raise exc
    except BaseException:
        return Failure()


def test_a_connection_lost_before_the_answer_is_described_in_words() -> None:
    lost = tx_error.ConnectionLost("Connection to the other side was lost in a non-clean fashion.")
    exc = ResponseNeverReceived([_failure(lost)])
    assert "<twisted" in str(exc)  # what used to reach the job's reason
    reason, retryable = describe(exc, URL)
    assert retryable
    assert "<" not in reason and "Failure" not in reason
    assert reason == f"no response from {URL}: {lost}"


def test_several_wrapped_causes_are_each_named_once() -> None:
    done = tx_error.ConnectionDone()
    exc = ResponseFailed([_failure(done), _failure(done), _failure(tx_error.ConnectionLost())])
    text = words(exc)
    assert "<" not in text
    assert text.count("Connection was closed cleanly") == 1
    assert "Connection to the other side was lost" in text


def test_a_failure_repr_inside_a_message_keeps_only_its_words() -> None:
    inner = _failure(ValueError("bad chunk size"))
    exc = RuntimeError(f"download failed: [{inner!r}]")
    assert words(exc) == "download failed: bad chunk size"
