"""Capturing cited URLs: the job queue, the WARC contract, and committing captures."""
