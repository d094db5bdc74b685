"""``python -m archive.replay install|serve``: the replay commands, with citevault's options.

The same commands as ``citevault replay``, runnable where only the module
path is known (a test runner, a container entry point).
"""

from __future__ import annotations

import sys

from archive.cli import app as cli
from archive.replay.cli import app as replay_app


def main() -> None:
    if not any(group.name == "replay" for group in cli.app.registered_groups):
        cli.app.add_typer(replay_app, name="replay")
    sys.argv = [sys.argv[0], "replay", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
