"""Every error the command prints is one line and a hint, with the documented exit code.

Runs the real entry point on an embedded archive (SQLite and a local folder)
with nothing in it, so that every lookup misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.cli.exits import MEANINGS, ExitCode, readme_table
from tests.helpers import ROOT, clean_env, run_cli


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))


CASES: list[tuple[list[str], int, str, str]] = [
    # (arguments, exit code, in the error line, in the hint line)
    (["show", "999"], 3, "no capture with id 999", "`citevault citations DOC_ID`"),
    (["get", "999", "--warc", "-o", "{tmp}/out"], 3, "no capture with id 999", "citations"),
    (["archive", "nope"], 3, "no document with id 'nope'", "`citevault documents`"),
    (["citations", "nope"], 3, "no document with id 'nope'", "`citevault documents`"),
    (["export", "nope", "-f", "json"], 3, "no document with id 'nope'", "`citevault documents`"),
    (["resolve", "999", "https://example.org/"], 3, "no citation with id 999", "citations"),
    (["jobs", "--state", "bad"], 2, "unknown job state 'bad'", "queued, leased"),
    (["add", "{tmp}/missing.txt"], 2, "missing.txt", ""),
    (["capture", "ftp://example.org/"], 2, "scheme 'ftp' is not http or https", "http://"),
    (["get", "1"], 2, "choose exactly one of --warc and --payload", "`citevault get --help`"),
    # usage errors, in the same form
    (["archive"], 2, "Missing argument", "`citevault archive --help`"),
    (["show", "abc"], 2, "Invalid value for 'capture_id'", "`citevault show --help`"),
    (["nonsense"], 2, "No such command 'nonsense'", "`citevault --help`"),
    (["keys", "revoke", "x"], 2, "Invalid value", "`citevault keys revoke --help`"),
    (["jobs", "--bogus"], 2, "No such option: --bogus", "`citevault jobs --help`"),
    (["--config", "{tmp}/none.toml", "documents"], 2, "config file not found", "--config"),
]


@pytest.mark.parametrize(("args", "code", "error", "hint"), CASES, ids=lambda v: str(v))
def test_every_error_is_one_line_and_a_hint(
    env: dict[str, str], tmp_path: Path, args: list[str], code: int, error: str, hint: str
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run_cli(*argv, env=env)
    assert result.returncode == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and error in lines[0], lines
    assert lines[1].startswith("hint: ") and hint in lines[1], lines
    assert len(lines[1]) > len("hint: ") + 10, lines
    assert result.stdout == ""


def test_a_message_that_spans_lines_is_printed_on_one(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[fetch]\nmax_redirects = 'many'\ncolour = 1\n")
    result = run_cli("--config", str(cfg), "documents", env=env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert "fetch.max_redirects" in lines[0] and "fetch.colour" in lines[0]


def test_exit_codes_are_documented_in_help_and_readme(env: dict[str, str]) -> None:
    shown = run_cli("--help", env={**env, "COLUMNS": "200"})
    assert shown.returncode == 0
    assert "Exit codes:" in shown.stdout
    for code in ExitCode:
        line = f"{int(code):>3}  {MEANINGS[code]}"
        assert line in shown.stdout, line
    readme = (ROOT / "README.md").read_text()
    assert readme_table() in readme
    # the codes an error class carries are the table's
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 70, 130]
