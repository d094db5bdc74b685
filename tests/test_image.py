"""The image and the compose file, without a Docker engine: hadolint on the
Dockerfile, and every citevault service's command a real ``citevault`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import clean_env, run_cli_process

ROOT = Path(__file__).resolve().parent.parent
CITEVAULT_SERVICES = {"migrate", "api", "worker", "replay", "scheduler"}


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _citevault_services() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in _compose()["services"].items()
        if service.get("build") is not None
    }


def test_dockerfile_passes_hadolint() -> None:
    tool = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(tool), "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_finds_faults() -> None:
    """The lint step can fail: a Dockerfile with known faults is refused."""
    tool = Path(sys.executable).parent / "hadolint"
    bad = "FROM python:latest\nRUN apt-get install curl\nUSER root\n"
    result = subprocess.run([str(tool), "-"], input=bad, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # the :latest tag


def test_every_citevault_service_uses_the_image_with_its_parts() -> None:
    services = _citevault_services()
    assert set(services) >= CITEVAULT_SERVICES
    for name, service in services.items():
        assert service["build"] == ".", name
        assert "./config/service.toml:/etc/citevault/service.toml:ro" in service["volumes"], name
        assert any(v.startswith("spool:") for v in service["volumes"]), name
        assert service.get("restart"), name
        if name == "migrate":
            assert service["healthcheck"] == {"disable": True}
        else:
            assert service["healthcheck"]["test"][0] == "CMD", name
            assert service["depends_on"]["migrate"]["condition"] == (
                "service_completed_successfully"
            )
    assert {"pgdata", "s3data", "spool"} <= set(_compose()["volumes"])


def _subcommand(command: list[str]) -> list[str]:
    """``citevault replay serve --host …`` → ``["replay", "serve"]``."""
    assert command[0] == "citevault", command
    words = []
    for word in command[1:]:
        if word.startswith("-"):
            break
        words.append(word)
    return words


def test_every_compose_command_is_a_real_citevault_command(tmp_path: Path) -> None:
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    seen = []
    for name, service in sorted(_citevault_services().items()):
        words = _subcommand(service["command"])
        result = run_cli_process(*words, "--help", env=env, timeout=120)
        assert result.returncode == 0, (name, words, result.stdout + result.stderr)
        assert "Usage:" in result.stdout, (name, result.stdout)
        seen.append(" ".join(words))
    assert {"db upgrade", "serve", "worker", "replay serve"} <= set(seen)


def test_an_unknown_command_is_refused(tmp_path: Path) -> None:
    """The check above would catch a misspelt command: citevault refuses one."""
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    result = run_cli_process("wroker", "--help", env=env, timeout=120)
    assert result.returncode == 2
