"""What every command of the command line shares: the Chinese argument parser,
the database of --db opened for reading or held for writing, and JSON out."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from app.paths import default_db_path
from app.services.files.database_files import (
    WAIT_SECONDS,
    Database,
    Holder,
    open_database,
    open_for_reading,
    writer_lock,
)

EXIT_ERROR = 1
EXIT_USAGE = 2


class Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False  # argparse's own -h says "show this help message"
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "子命令与参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"命令行参数有误：{message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def db_path(args: argparse.Namespace) -> Path:
    return (args.db or default_db_path()).expanduser().resolve()


def tell_waiting(holder: Holder | None) -> None:
    who = holder.describe() if holder else "另一个 ParkDesk 程序"
    print(f"数据库正在被使用：{who}。等待它完成（最多{WAIT_SECONDS:.0f}秒）…", file=sys.stderr)


@contextmanager
def database(
    args: argparse.Namespace, writes: str | None = None, wait: float = WAIT_SECONDS
) -> Iterator[Database]:
    """The database of --db, opened (backup, migrate) and closed again. A command
    that ``writes`` holds the database's writer lock throughout, waiting up to
    ``wait`` seconds for another writer (the window, another command); one that
    reads is refused a missing database and reads a read-only one (app.db.reading)."""
    path = db_path(args)
    with ExitStack() as stack:
        if writes is not None:
            stack.enter_context(writer_lock(path, writes, wait, tell_waiting))
        # a command that only reads never creates a database, and reads a read-only one
        db = open_database(path) if writes is not None else open_for_reading(path)
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def database_or_empty(args: argparse.Namespace) -> Iterator[Database]:
    """The database of --db to read, or, where there is none yet, an empty one made
    aside and thrown away: a preview (import --dry-run) on a first day compares with an
    empty registry and creates nothing where --db points."""
    if db_path(args).is_file():
        with database(args) as db:
            yield db
        return
    with tempfile.TemporaryDirectory(prefix="parkdesk-preview-") as folder:
        db = open_database(Path(folder) / "preview.sqlite3", daily_backup=False)
        try:
            yield db
        finally:
            db.dispose()


def option_date(text: str | None, option: str) -> date | None:
    """A date typed after ``option`` (None when not given); a ValidationError naming
    the option for text that is no date."""
    from app.domain.dates import parse_date
    from app.domain.validation import FieldIssue, ValidationError

    if text is None:
        return None
    try:
        day = parse_date(text)
    except ValueError as exc:
        raise ValidationError([FieldIssue(option, f"{option}：{exc}", "date_invalid")]) from None
    if day is None:
        raise ValidationError([FieldIssue(option, f"{option}：请填写日期", "date_missing")])
    return day


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def report(
    args: argparse.Namespace, data: object, lines: Iterable[Sequence[object]], summary: str
) -> int:
    """A listing command's output: JSON (--json) or tab-separated lines, then a
    one-line Chinese summary on stderr (so that `| head` and scripts see only data)."""
    if args.json:
        print_json(data)
    else:
        for cells in lines:
            print("\t".join("" if c is None else str(c) for c in cells))
    print(summary, file=sys.stderr)
    return 0


def no_action(example: str) -> int:
    """A command given without its action (``classes`` instead of ``classes review``)."""
    print(f"请指定操作，例如：{example}", file=sys.stderr)
    return EXIT_USAGE


def actions_of(sub: Any, command: str, help_text: str) -> Any:
    """The sub-parsers of a command made of actions (``clusters list``)."""
    p = sub.add_parser(command, help=help_text)
    return p.add_subparsers(dest=f"{command}_command", metavar="操作", parser_class=Parser)


def json_action(actions: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    q: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
    q.add_argument("--json", action="store_true", help="输出 JSON")
    return q


def print_import_summary(
    sheet: str, where: str, counts: dict[str, int], errors: Sequence[Any], dry_run: bool
) -> None:
    """An import's outcome in Chinese, then each refused cell with its row and column
    (the registry import and the score import say it alike)."""
    verb = "将" if dry_run else "已"
    print(
        f"工作表“{sheet}”{where}数据{counts['data_rows']}行：{verb}新增{counts['created']}个、"
        f"更新{counts['updated']}个，{counts['unchanged']}个无变化，"
        f"{counts['data_rows'] - counts['good_rows']}行有问题未导入。"
    )
    for e in errors:
        print(f"  第{e.row}行 [{e.column}] “{e.value}”：{e.message}")
