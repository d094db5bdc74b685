"""Failure reasons are words: Twisted's wrapped causes never show as ``<...Failure...>``,
and the views read back from them whether a policy refused the fetch or the source was
unreachable."""

from __future__ import annotations

from OpenSSL import SSL
from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as tx_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from archive.capture.failures import blocking_policy, unreachable
from archive.net.policy import refusal
from crawler.failures import describe, words
from crawler.fetch.policy import HostNotFound, PolicyRefused
from crawler.warc.middleware import RecordNotWritten

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


def test_every_reason_is_read_back_as_the_crawler_meant_it() -> None:
    """The views tell a refusal, an unreachable source and citevault's own failure apart
    from the reason alone (``archive.capture.failures``): each reason ``describe`` gives."""
    refused = {
        PolicyRefused(refusal(URL, "loopback address 127.0.0.1")): "fetch.block_private_addresses",
        IgnoreRequest("Forbidden by robots.txt"): "fetch.obey_robots_txt",
    }
    for exc, setting in refused.items():
        reason, retryable = describe(exc, URL)
        assert not retryable and blocking_policy(reason) == setting, reason
        assert not unreachable(reason), reason
    gone = [
        HostNotFound("the name is reserved as invalid (RFC 6761)"),
        tx_error.DNSLookupError("no such host"),
        tx_error.ConnectionRefusedError(),
        tx_error.TimeoutError(),
        ResponseNeverReceived([_failure(tx_error.ConnectionLost())]),
        ResponseNeverReceived([_failure(SSL.Error([("SSL routines", "", "bad cert")]))]),
    ]
    for exc in gone:
        reason, _ = describe(exc, URL)
        assert unreachable(reason) and blocking_policy(reason) is None, reason
    ours, _ = describe(RecordNotWritten("the disk is full"), URL)
    assert not unreachable(ours) and blocking_policy(ours) is None, ours
