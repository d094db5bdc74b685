"""The embedded (SQLite) data folder set up by several commands at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, clean_env

STARTS = 6


def test_simultaneous_adds_on_a_fresh_data_folder_all_succeed(tmp_path: Path) -> None:
    """Each process migrates on first use; the migration lock lets one do it, the rest wait."""
    data = tmp_path / "data"
    env = clean_env(CITEVAULT_DATA_DIR=str(data))
    procs = []
    for n in range(STARTS):
        doc = tmp_path / f"doc{n}.txt"
        doc.write_text(f"Source {n}: https://example.org/page/{n}\n")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "archive", "add", str(doc), "--id", f"doc{n}"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outcomes = []
    try:
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            outcomes.append((proc.returncode, err))
    finally:
        for proc in procs:
            proc.kill()  # no-op for those that ended
    assert [code for code, _ in outcomes] == [0] * STARTS, [err for _, err in outcomes]
    with sqlite3.connect(data / "citevault.db") as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM documents")}
        versions = conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0]
    assert ids == {f"doc{n}" for n in range(STARTS)}
    assert versions == 1
