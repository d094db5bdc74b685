"""The citevault checkouts a benchmark compares: this one, and optionally a baseline.

``bench/lookup.py`` and ``bench/crawl.py`` measure the code of each tree in
child processes (the API under uvicorn, ``python -m crawler.worker``) started
with ``PYTHONPATH`` and the working folder set to that tree, from the same
interpreter, against the same servers and data.  The shared virtualenv also
carries an editable install of some checkout; ``PYTHONPATH`` comes before it
on ``sys.path``, and :func:`check` asks a child of each tree where it actually
imported ``archive`` and ``crawler`` from, so a wrong path fails loudly
instead of measuring the same code twice.

Both trees must read and write the same schema, since the data is filled
once: their Alembic heads are compared, and a difference stops the run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

THIS = Path(__file__).resolve().parent.parent

_PROBE = """
import json, sys
from pathlib import Path
import archive, crawler
from alembic.script import ScriptDirectory
root = Path(sys.argv[1])
print(json.dumps({
    "archive": str(Path(archive.__file__).resolve()),
    "crawler": str(Path(crawler.__file__).resolve()),
    "heads": sorted(ScriptDirectory(str(root / "migrations")).get_heads()),
}))
"""


@dataclass(frozen=True)
class Tree:
    name: str  # "this" or "baseline": the column it fills
    root: Path

    def env(self, base: dict[str, str], *front: Path) -> dict[str, str]:
        """``base`` with this tree's code importable, after ``front`` (bench scripts)."""
        path = [str(p) for p in front] + [str(self.root)]
        return {**base, "PYTHONPATH": os.pathsep.join(path)}

    def describe(self) -> str:
        head = _git(self.root, "rev-parse", "--short", "HEAD") or "not a git checkout"
        dirty = " + uncommitted changes" if _git(self.root, "status", "--porcelain") else ""
        return f"{self.name}: {self.root} at {head}{dirty}"


def add_baseline_option(parser: argparse.ArgumentParser) -> None:
    """The one ``--baseline`` option both benchmarks take."""
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="TREE",
        help="another citevault checkout to measure beside this one (e.g. a checkout of the last"
        " landed commit)",
    )


def trees(baseline: Path | None) -> list[Tree]:
    """The trees of one run; the no-baseline run is the same loop over one tree."""
    this = Tree("this", THIS)
    if baseline is None:
        return [this]
    root = baseline.resolve()
    if root == THIS:
        raise SystemExit(f"--baseline {baseline} is this checkout; give another one")
    if not (root / "archive").is_dir() or not (root / "migrations").is_dir():
        raise SystemExit(f"--baseline {baseline}: no archive/ and migrations/ there")
    return [Tree("baseline", root), this]


def in_turn(trees: list[Tree], rep: int) -> list[Tree]:
    """The trees in the order of repetition ``rep``: the first one alternates, so
    neither always runs right after the other (warm caches, a neighbour's burst)."""
    k = rep % len(trees)
    return trees[k:] + trees[:k]


def check(trees: list[Tree], base_env: dict[str, str]) -> None:
    """Each tree's children import its own code, and all trees share one schema."""
    heads: dict[str, list[str]] = {}
    for tree in trees:
        probe = subprocess.run(
            [sys.executable, "-c", _PROBE, str(tree.root)],
            cwd=tree.root,
            env=tree.env(base_env),
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode != 0:
            raise SystemExit(
                f"cannot import citevault or read its migrations from {tree.root}:\n"
                f"{probe.stderr[-2000:]}"
            )
        found = json.loads(probe.stdout)
        for package in ("archive", "crawler"):
            if not Path(found[package]).is_relative_to(tree.root):
                raise SystemExit(
                    f"{tree.name}: {package} imports from {found[package]}, not from {tree.root}"
                )
        heads[tree.name] = found["heads"]
        print(tree.describe(), flush=True)
    if len({tuple(h) for h in heads.values()}) > 1:
        shown = "; ".join(f"{name} {h}" for name, h in heads.items())
        raise SystemExit(
            f"the trees have different Alembic heads ({shown}): one data set cannot serve "
            "both; compare against a baseline with the same migrations"
        )


def _git(root: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() if out.returncode == 0 else ""
