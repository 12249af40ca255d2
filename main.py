"""ParkDesk 园区两新党建工作台 — start the window, or run a command-line sub-command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from app.cli import build_parser, run

    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run(argv)
    # The window: Qt is imported only here, so the command line stays light.
    from ui.application import run_gui

    return run_gui(args.db)


if __name__ == "__main__":
    sys.exit(main())
