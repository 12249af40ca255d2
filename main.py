"""ParkDesk 园区两新党建工作台 — start the window, or run a command-line sub-command."""

from __future__ import annotations

import sys
from pathlib import Path


def _utf8_output() -> None:
    """On Windows a pipe or a file is written in the ANSI code page (cp1252 on many
    machines: no Chinese at all): the command line writes UTF-8 there instead. A real
    console is UTF-8 already; pythonw has no streams."""
    if sys.platform == "win32":
        for stream in (sys.stdout, sys.stderr):
            if stream is not None and hasattr(stream, "reconfigure"):
                stream.reconfigure(encoding="utf-8")


def _package_given(argv: list[str]) -> tuple[Path | None, Path] | None:
    """``ParkDesk [--db PATH] 外业包.pdfield``: a package double-clicked in Explorer (the
    installer tells Windows to open field and return packages with ParkDesk): the
    database to open (None: the one used last) and the package."""
    from app import FIELD_SUFFIX, RETURN_SUFFIX

    if not argv or not argv[-1].lower().endswith((FIELD_SUFFIX, RETURN_SUFFIX)):
        return None
    if len(argv) == 1:
        return None, Path(argv[0])
    if len(argv) == 3 and argv[0] == "--db":
        return Path(argv[1]), Path(argv[2])
    return None


def main(argv: list[str] | None = None) -> int:
    _utf8_output()
    argv = sys.argv[1:] if argv is None else argv
    given = _package_given(argv)
    if given is not None:
        from ui.application import run_gui

        return run_gui(given[0], open_file=given[1])
    from app.cli import build_parser, run

    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run(argv)
    # The window: Qt is imported only here, so the command line stays light.
    from ui.application import run_gui

    return run_gui(args.db)


if __name__ == "__main__":
    # first: in the frozen build a child process of app/apart.py starts as this program
    # (freeze_support does nothing elsewhere: multiprocessing, 10 ms, is not loaded then)
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
