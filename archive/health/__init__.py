"""Health of cited URLs: checks, states, and drift against the citation-time capture."""
