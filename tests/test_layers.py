"""Imports only go one way: entry points call services, services never call back up."""

from __future__ import annotations

import ast
from pathlib import Path

ARCHIVE = Path(__file__).resolve().parent.parent / "archive"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _under(names: set[str], package: str) -> list[str]:
    return sorted(n for n in names if n == package or n.startswith(package + "."))


def test_replay_never_imports_the_commands() -> None:
    """``python -m archive.replay`` (its __main__) is an entry point and may run them."""
    upward = {
        str(path.relative_to(ARCHIVE)): _under(_imported(path), "archive.cli")
        for path in (ARCHIVE / "replay").rglob("*.py")
        if path.name != "__main__.py"
    }
    assert {path: names for path, names in upward.items() if names} == {}


def test_archive_never_imports_the_crawler() -> None:
    found = {
        str(path.relative_to(ARCHIVE)): _under(_imported(path), "crawler")
        + _under(_imported(path), "scrapy")
        for path in ARCHIVE.rglob("*.py")
    }
    assert {path: names for path, names in found.items() if names} == {}
