"""``python -m archive`` runs the ``citevault`` command."""

from archive.cli.app import main

main()
