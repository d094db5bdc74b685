"""The ``citevault`` command line (Typer)."""
