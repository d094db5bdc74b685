"""The jobs of one crawl: what each has captured so far and what it still waits for.

A job is finished when its page and every requisite it needs are answered or
failed; only then is its metadata record written, so that the record comes
after the job's exchanges.  Requisites are claimed per crawl: the first job
to find a URL fetches it; a later job lists it and, for a stylesheet or a
frame, also lists what that one pulled in (waiting for it if it is still
being fetched), so that every job's metadata names everything its page needs
although each URL is fetched once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.capture.contract import METADATA_PROFILE, CaptureMetadata, JobSpec
from crawler.budget import JobBudget
from crawler.requisites import Requisite


@dataclass(slots=True)
class Job:
    """One URL being captured; ``job_id`` is None for ad hoc URLs."""

    key: int
    job_id: int | None
    url: str
    document_id: str | None = None
    citation_ids: tuple[int, ...] = ()
    chain: list[str] = field(default_factory=list)
    final_record_id: str | None = None
    requisites: list[str] = field(default_factory=list)
    requisite_failures: dict[str, str] = field(default_factory=dict)
    pending: int = 1  # the page request itself
    budget: JobBudget | None = None  # set by the spider (crawler.budget)
    _listed: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"job {self.job_id}" if self.job_id is not None else f"ad hoc {self.url}"

    def list_requisite(self, url: str) -> bool:
        """Add a requisite to the job's list; False if it was already listed."""
        if url in self._listed:
            return False
        self._listed.add(url)
        self.requisites.append(url)
        return True

    def metadata(self, robots: str) -> CaptureMetadata:
        assert self.final_record_id is not None
        return CaptureMetadata(
            profile=METADATA_PROFILE,
            job_id=self.job_id,
            url=self.url,
            final_url=self.chain[-1] if self.chain else self.url,
            final_record_id=self.final_record_id,
            document_id=self.document_id,
            citation_ids=list(self.citation_ids),
            chain=list(self.chain),
            requisites=list(self.requisites),
            robots=robots,
            budget_exhausted=self.budget.exhausted if self.budget is not None else None,
        )


@dataclass(slots=True)
class Claim:
    """A requisite URL fetched (or being fetched) for some job of the crawl."""

    done: bool = False
    children: list[Requisite] = field(default_factory=list)
    waiters: list[Job] = field(default_factory=list)


class JobBook:
    """Jobs in flight, by a crawl-local key that travels in ``request.meta``."""

    def __init__(self) -> None:
        self.active: dict[int, Job] = {}
        self._keys = itertools.count(1)
        self._claims: dict[str, Claim] = {}

    def open(self, spec: JobSpec | None = None, *, url: str | None = None) -> Job:
        key = next(self._keys)
        if spec is not None:
            job = Job(
                key=key,
                job_id=spec.job_id,
                url=spec.url,
                document_id=spec.document_id,
                citation_ids=tuple(spec.citation_ids),
            )
        else:
            assert url is not None
            job = Job(key=key, job_id=None, url=url)
        self.active[key] = job
        return job

    def get(self, key: object) -> Job | None:
        return self.active.get(key) if isinstance(key, int) else None

    def close(self, job: Job) -> None:
        self.active.pop(job.key, None)

    def want(self, job: Job, found: Iterable[Requisite]) -> list[Requisite]:
        """List ``found`` for ``job``; return what it must fetch itself (new to the crawl).

        Each returned requisite and each claim waited on counts as pending for
        the job.  Iterative, because stylesheets may import each other deeply.
        """
        to_fetch: list[Requisite] = []
        todo = list(reversed(list(found)))
        while todo:
            item = todo.pop()
            if not job.list_requisite(item.url):
                continue
            claim = self._claims.get(item.url)
            if claim is None:
                self._claims[item.url] = Claim()
                job.pending += 1
                to_fetch.append(item)
            elif claim.done:
                todo.extend(reversed(claim.children))
            else:
                job.pending += 1
                claim.waiters.append(job)
        return to_fetch

    def answered(
        self, url: str, children: Iterable[Requisite]
    ) -> tuple[list[Job], list[tuple[Job, Requisite]]]:
        """``url`` is fetched (or failed) and pulled in ``children``.

        Returns the jobs that waited for it, each now owing one pending count
        less, and what those jobs must fetch in turn.
        """
        claim = self._claims.setdefault(url, Claim())
        claim.done = True
        claim.children = list(children)
        waiters, claim.waiters = claim.waiters, []
        fetch = [(job, item) for job in waiters for item in self.want(job, claim.children)]
        return waiters, fetch

    def active_job_ids(self) -> list[int]:
        return [job.job_id for job in self.active.values() if job.job_id is not None]
