"""Schedules: cron ticks turned into work once, however many schedulers run."""
