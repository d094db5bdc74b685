"""``python -m archive.replay install|serve``: the replay commands, with citevault's options.

The same commands as ``citevault replay`` (archive/cli/replay.py), runnable
where only the module path is known (a test runner, a container entry point).
Being an entry point, this module alone reaches up into ``archive.cli``: it is
run, never imported, so the ``archive.replay`` package itself does not.
"""

from __future__ import annotations

import sys

from archive.cli import app as cli


def main() -> None:
    sys.argv = [sys.argv[0], "replay", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
