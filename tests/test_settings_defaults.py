"""Defaults agree: archive/settings.py, the two example files and the README.

An example file that sets a value other than the built-in default must do so
on purpose, and the purposes are listed here; every other value it sets is
the default.  The README's figures for settings ("`warc_rollover_bytes`
(1 GB)") are read back and compared too.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from archive.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

# Values an example sets on purpose to something else than the built-in default.
INTENDED: dict[str, set[str]] = {
    # a folder next to where it is run, rather than ~/.local/share/citevault
    "embedded.toml": {"data_dir"},
    "service.toml": {
        "data_dir",  # /var/lib/citevault
        "database_url",  # the compose file's PostgreSQL
        "store.url",  # the compose file's SeaweedFS bucket
        "store.endpoint_url",
        "store.region",
        "fetch.concurrency_per_host",  # several workers share each host's politeness
        "fetch.delay_seconds",
        "replay.public_url",  # the engine on a host of its own behind the proxy
        "replay.engine_dir",  # installed ahead of time (in the image)
        "worker.health_host",  # probed and scraped from outside the container
        "worker.health_port",
        "scheduler.health_host",
        "scheduler.health_port",
        "metrics.multiprocess_dir",  # the compose file's tmpfs
    },
}
# Settings an example need not mention: an embedded setup has no S3 store.
UNMENTIONED: dict[str, set[str]] = {
    "embedded.toml": {
        "store.url",
        "store.endpoint_url",
        "store.region",
        "store.access_key_id",
        "store.secret_access_key",
        "store.multipart_threshold_bytes",
        "store.multipart_chunk_bytes",
        "store.connect_timeout_seconds",
        "store.read_timeout_seconds",
        "store.max_attempts",
    },
    "service.toml": set(),
}


def _defaults(model: type[BaseModel] = Settings, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.update(_defaults(annotation, f"{prefix}{name}."))
        else:
            out[prefix + name] = field.get_default(call_default_factory=True)
    return out


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _mentioned(text: str) -> set[str]:
    """Settings a file sets or shows in a commented example line."""
    section, found = "", set()
    for line in text.splitlines():
        header = re.match(r"\s*\[(\w+)\]\s*$", line)
        if header:
            section = header.group(1) + "."
            continue
        assignment = re.match(r"\s*#?\s*([a-z_]+)\s*=", line)
        if assignment:
            found.add(section + assignment.group(1))
    return found


def _same(default: Any, value: Any) -> bool:
    if isinstance(default, SecretStr):
        default = default.get_secret_value()
    if isinstance(default, Path):
        return Path(value) == default
    if isinstance(default, bool) or isinstance(value, bool):
        return default is value
    return bool(default == value)


def test_the_defaults_are_walked() -> None:
    defaults = _defaults()
    assert defaults["replay.autostart"] is False
    assert defaults["fetch.block_private_addresses"] is True
    assert len(defaults) > 40


def test_example_files_set_defaults_except_on_purpose() -> None:
    defaults = _defaults()
    for name, intended in INTENDED.items():
        path = ROOT / "config" / name
        text = path.read_text()
        values = _flatten(tomllib.loads(text))
        assert set(values) <= set(defaults), (name, set(values) - set(defaults))
        differing = {key for key, value in values.items() if not _same(defaults[key], value)}
        assert differing == intended, (
            f"{name}: differs from the default in {sorted(differing - intended)}, "
            f"listed as intended but equal or unset: {sorted(intended - differing)}"
        )
        missing = set(defaults) - _mentioned(text) - UNMENTIONED[name]
        assert not missing, f"{name} does not mention {sorted(missing)}"


_UNITS = {"GB": 1000**3, "GiB": 1024**3, "MB": 1000**2, "MiB": 1024**2, None: 1}
_FIGURE = re.compile(
    r"`(?P<name>[a-z_.]+)`\s*(?:child processes\s*)?[(,]\s*"
    r"(?P<value>true|false|\d+(?:\.\d+)?)(?:\s*(?P<unit>GiB|GB|MiB|MB)\b)?"
)


def _readme_figures() -> dict[str, Any]:
    defaults = _defaults()
    by_leaf: dict[str, list[str]] = {}
    for key in defaults:
        by_leaf.setdefault(key.rsplit(".", 1)[-1], []).append(key)
    found: dict[str, Any] = {}
    for m in _FIGURE.finditer((ROOT / "README.md").read_text()):
        name = m.group("name")
        keys = [name] if name in defaults else by_leaf.get(name, [])
        if len(keys) != 1:
            continue  # not a setting (`score` (0–1)), or a leaf name shared by two
        raw = m.group("value")
        value: Any = raw == "true" if raw in ("true", "false") else float(raw)
        if not isinstance(value, bool):
            value *= _UNITS[m.group("unit")]
        found[keys[0]] = value
    return found


def test_readme_figures_are_the_defaults() -> None:
    defaults = _defaults()
    figures = _readme_figures()
    assert {
        "warc_rollover_bytes",
        "warc_rollover_seconds",
        "warc_gzip_level",
        "recapture_window_hours",
        "fetch.max_requests_per_job",
        "fetch.max_requisite_depth",
        "fetch.max_bytes_per_job",
        "fetch.max_seconds_per_job",
        "citations_cache_entries",
        "citations_cache_seconds",
        "api_extraction_processes",
        "replay.autostart",
    } <= set(figures)
    wrong = {k: (v, defaults[k]) for k, v in figures.items() if not _same(defaults[k], v)}
    assert not wrong, f"README figure vs default: {wrong}"
