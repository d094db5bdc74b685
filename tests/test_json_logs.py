"""log_format = "json": one JSON object per line, with job, document and capture ids."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

from archive.logs import JsonFormatter, ids, log_context
from tests.helpers import clean_env, cli_ok, run_cli_process


def test_formatter_carries_the_ids_of_the_call_and_the_context() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("citevault.test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        with log_context(document_id="doc-1"):
            logger.info("captured %s", "page", extra=ids(job_id=7, capture_id=42))
            logger.warning("plain")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed\nover two lines")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3  # a newline in a message or a traceback stays inside its line
    first, second, third = (json.loads(line) for line in lines)
    assert first["message"] == "captured page" and first["level"] == "info"
    assert (first["job_id"], first["document_id"], first["capture_id"]) == (7, "doc-1", 42)
    assert first["logger"] == "citevault.test.json" and first["time"].endswith("+00:00")
    assert second["document_id"] == "doc-1" and "job_id" not in second
    assert "document_id" not in third  # the context ended with its block
    assert "ValueError: boom" in third["exception"]


def test_a_failed_capture_logs_json_lines_with_its_job(tmp_path: Path) -> None:
    """The crawl's own log lines reach the command's stderr as JSON, naming the job."""
    doc = tmp_path / "doc.md"
    doc.write_text("See [the source](http://gone.invalid/cited).\n")
    env = clean_env(CITEVAULT_DATA_DIR=str(tmp_path / "data"))
    cli_ok(env, "add", str(doc), "--id", "doc-json")
    result = run_cli_process("archive", "doc-json", env={**env, "CITEVAULT_LOG_FORMAT": "json"})
    assert result.returncode == 7, result.stdout + result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    failed = [e for e in events if "failed (final)" in e["message"]]
    assert len(failed) == 1, result.stderr
    assert failed[0]["level"] == "warning"
    assert failed[0]["document_id"] == "doc-json"
    assert isinstance(failed[0]["job_id"], int)
