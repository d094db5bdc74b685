"""api_telemetry: FastAPI's OpenTelemetry hooks run only when asked for."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace

from archive.api.app import create_app
from archive.runtime import Runtime


@pytest.mark.parametrize("on", [False, True])
def test_providers_are_looked_up_only_with_api_telemetry(
    on: bool, sqlite_url: str, make_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = trace.get_tracer_provider

    def counted() -> Any:
        asked.append("tracer")
        return real()

    monkeypatch.setattr(trace, "get_tracer_provider", counted)
    rt = Runtime(make_settings(database_url=sqlite_url, api_telemetry=on))
    with TestClient(create_app(rt.settings, runtime=rt)) as client:
        asked.clear()  # start-up may look once
        assert client.get("/api/documents").status_code == 200
    rt.close()
    assert bool(asked) is on
