"""docker-compose.yml is valid against the Compose specification."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_validates() -> None:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_uses_the_shipped_service_config() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert "./config/service.toml" in text
    assert (ROOT / "config" / "service.toml").is_file()
    for service in (
        "postgres:",
        "seaweedfs:",
        "migrate:",
        "api:",
        "worker:",
        "scheduler:",
    ):
        assert f"\n  {service}" in text
