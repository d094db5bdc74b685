"""Results of one group are written together: two checks of one citation share its row.

Two ticks (two schedules, or one tick and a manual check) can queue checks of
the same citation that a worker then finishes in one group; the citation has
one health row, new or not, and both checks are applied to it in order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from archive.clock import ManualClock
from archive.db import migrate
from archive.db.models import CheckResult, CitationHealth
from archive.health.plan import plan_checks
from archive.health.runner import run_checks
from archive.runtime import Runtime
from tests.factories import cite
from tests.health.site import AgingSite


def test_two_checks_of_one_citation_in_one_group_share_one_row(
    database_url: str, make_settings: Any
) -> None:
    migrate.upgrade(database_url)
    settings = make_settings(database_url=database_url, fetch={"block_private_addresses": False})
    rt = Runtime(settings)
    clock = ManualClock(datetime.now(UTC))
    try:
        with AgingSite() as site:
            with rt.sessions()() as s:
                with s.begin():
                    cited = cite(s, "doc", [site.base_url + "/stable/page.html"])
                    other = cite(s, "doc", [site.base_url + "/dies/page.html"])
                cited_id, other_id = cited[0].id, other[0].id
                for tick in ("a", "b"):
                    assert (
                        plan_checks(
                            s, document_id="doc", tick_key=tick, schedule_id=None, clock=clock
                        )
                        == 2
                    )
                    s.commit()
            # first with no health rows (both checks make one), then with them
            for round_, dies_state in enumerate(("alive", "failing")):
                summary = run_checks(rt, clock)
                assert summary.checked == 4 and summary.lost == 0
                with rt.sessions()() as s:
                    rows = {h.citation_id: h for h in s.scalars(select(CitationHealth))}
                    results = s.scalars(select(CheckResult).order_by(CheckResult.id)).all()
                    assert set(rows) == {cited_id, other_id}
                    assert len(results) == 4 * (round_ + 1)
                    for citation_id in (cited_id, other_id):
                        last = max(r.id for r in results if r.citation_id == citation_id)
                        assert rows[citation_id].last_result_id == last
                    assert rows[cited_id].state == "alive"
                    assert rows[other_id].state == dies_state
                    # two failures in one group, seconds apart: one counted failure
                    assert rows[other_id].consecutive_failures == round_
                site.day = 1  # /dies/page.html answers 404 from now on
                with rt.sessions()() as s:
                    for tick in ("c", "d"):
                        plan_checks(
                            s, document_id="doc", tick_key=tick, schedule_id=None, clock=clock
                        )
                        s.commit()
    finally:
        rt.close()
