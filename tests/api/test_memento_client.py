"""citevault's Memento interface as the stock ``memento_client`` library sees it.

The real application runs under uvicorn on loopback over an archive captured
for real; the client finds mementos with HEAD, reads their original from the
Link header and negotiates in time through citevault's TimeGate.  Nothing
leaves 127.0.0.1: the client is given citevault's TimeGate and told not to
look for one at the original (the test site is stopped by then).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from memento_client import MementoClient

from tests.api.captured import Captured
from tests.web.conftest import LiveApp


def naive_utc_second(when: datetime) -> datetime:
    """How memento_client gives datetimes: naive, UTC, to the second."""
    return when.astimezone(UTC).replace(tzinfo=None, microsecond=0)


@pytest.fixture(scope="module")
def live(captured: Captured) -> Iterator[LiveApp]:
    with LiveApp(captured.settings) as app:
        yield app


@pytest.fixture
def client(live: LiveApp) -> Iterator[MementoClient]:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment between us and loopback
    yield MementoClient(
        timegate_uri=live.url + "/timegate/", check_native_timegate=False, session=session
    )
    session.close()


def test_mementos_are_mementos(live: LiveApp, captured: Captured, client: MementoClient) -> None:
    for capture in captured.captures:
        for memento in (
            f"{live.url}/captures/{capture}",
            f"{live.url}/api/captures/{capture}/payload",
        ):
            assert MementoClient.is_memento(memento), memento
            assert client.get_original_uri(memento) == captured.page_url, memento
    # What is not a memento is not taken for one: the TimeGate, a TimeMap, a document page.
    for other in (
        f"{live.url}/timegate/{captured.page_url}",
        f"{live.url}/timemap/link/{captured.page_url}",
        f"{live.url}/documents/cited",
    ):
        assert not MementoClient.is_memento(other), other


def test_memento_info_gives_the_closest_memento(
    live: LiveApp, captured: Captured, client: MementoClient
) -> None:
    first, second = (f"{live.url}/captures/{c}" for c in captured.captures)
    t1, t2 = (naive_utc_second(t) for t in captured.times)
    assert t1 < t2
    for start, asked, closest, when in (
        (second, t1 - timedelta(days=1), first, t1),
        (first, t2 + timedelta(days=1), second, t2),
    ):
        info = client.get_memento_info(start, asked)
        assert info["original_uri"] == captured.page_url
        assert info["timegate_uri"] == f"{live.url}/timegate/{captured.page_url}"
        mementos = info["mementos"]
        assert mementos["closest"]["uri"] == [closest], (asked, mementos)
        assert mementos["closest"]["datetime"] == when
        assert mementos["closest"]["http_status_code"] == 200
        assert mementos["first"] == {"uri": [first], "datetime": t1}
        assert mementos["last"] == {"uri": [second], "datetime": t2}
