"""The HTTP API and web pages (FastAPI), on the same settings and database as the CLI."""
