"""Seed lists: watch feeds, sitemaps, URL lists and folders, and add what appears.

``run_seed_file(settings, path, clock=…)`` is what ``citevault seeds run`` and
the scheduler's ``ingest-seeds`` action call.
"""

from archive.seeds.run import run_seed_file
from archive.seeds.summary import SeedProgress, SeedRunSummary

__all__ = ["SeedProgress", "SeedRunSummary", "run_seed_file"]
