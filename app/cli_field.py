"""The command line of the instructor's laptop (field export|open|return|merge): the
services the window uses; ``field merge --json`` keys are a contract."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli_support import actions_of, database, db_path, no_action, print_json
from app.domain.vocabulary import PUBLISHED_CLASH
from app.domain.vocabulary import PUBLISHED_NOT_MERGED as PUBLISHED_LABEL

if TYPE_CHECKING:
    from app.services.field import package_merge


def add_parsers(sub: Any) -> None:
    actions = actions_of(sub, "field", "外业包（指导员的笔记本）")
    q = actions.add_parser("export", help="为指导员（或指定单位）制作外业包")
    q.add_argument("file", metavar="FILE", help="外业包文件（.pdfield）")
    who = q.add_mutually_exclusive_group(required=True)
    who.add_argument("--instructor", metavar="NAME", help="指导员姓名：其联系的全部单位")
    who.add_argument(
        "--org", action="append", metavar="USCC", help="单位的统一社会信用代码，可多次"
    )
    q = actions.add_parser("open", help="把外业包打开为外业数据库（--db 指定新建的数据库文件）")
    q.add_argument("package", metavar="PACKAGE", help="外业包文件")
    q = actions.add_parser("return", help="在外业数据库中制作回传包（--db 指定外业数据库）")
    q.add_argument("file", metavar="FILE", help="回传包文件（.pdreturn）")
    q = actions.add_parser("merge", help="导入回传包：先预览，再合并（一次可撤销的修改）")
    q.add_argument("file", metavar="FILE", help="回传包文件")
    q.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.add_argument(
        "--take",
        action="append",
        default=[],
        metavar="N=ours|theirs",
        help="冲突记录采用哪一方：序号（见冲突行）或UUID，ours（办公室）或 theirs（外业），可多次",
    )
    q.add_argument("--all", choices=("ours", "theirs"), help="全部冲突都采用这一方")
    q = sub.add_parser("merge", help="合并同一数据库的另一份副本（如笔记本与办公室电脑）")
    q.add_argument("other", metavar="OTHER_DB", help="另一份数据库文件")
    q.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.add_argument(
        "--take",
        action="append",
        default=[],
        metavar="N=ours|theirs",
        help="冲突记录采用哪一方：序号（见冲突行）或记录的UUID，ours（本机）或 theirs（另一份）",
    )
    q.add_argument("--all", choices=("ours", "theirs"), help="全部冲突都采用这一方")


def _field(args: argparse.Namespace) -> int:
    from app.services.field import field_package, return_package

    command = args.field_command
    if command == "export":
        with database(args, "制作外业包") as db:
            made = field_package.make_field_package(db, _path(args.file), args.instructor, args.org)
        print(f"已制作外业包：{made.units}个单位，走访{made.visits}次，问题{made.problems}个")
        return 0
    if command == "open":
        info = field_package.open_field_package(_path(args.package), db_path(args))
        partners = info.shown - info.units  # shown whole with the package's units
        print(
            f"已打开外业包：{info.park_name}，{info.instructor or '指定单位'}，{info.shown}个单位"
            + (f"（外业包{info.units}个，另{partners}个为结对单位，只供查看）" if partners else "")
        )
        return 0
    if command == "return":
        with database(args) as db:
            made = return_package.make_return_package(db, _path(args.file))
        print(f"已制作回传包：新增{made.created}，修改{made.changed}，删除{made.deleted}")
        return 0
    if command == "merge":
        return _merge(args)
    return no_action("field export")


def _path(text: str) -> Any:
    from pathlib import Path

    return Path(text).expanduser().resolve()


def _choices(args: argparse.Namespace, preview: package_merge.MergePreview) -> dict[str, str]:
    """--take N=side (N as the conflict lines number them) or UUID=side."""
    from app.services.field import package_merge
    from app.services.field.merge_text import conflict_uuid

    choices = {}
    for item in args.take:
        key, _eq, side = item.partition("=")
        if side not in (package_merge.OURS, package_merge.THEIRS):
            raise ValueError(f"--take {item} 应写成 序号=ours 或 序号=theirs（序号见冲突行）")
        choices[conflict_uuid(preview, key.strip())] = side
    return choices


def _told(args: argparse.Namespace, preview: package_merge.MergePreview) -> str:
    """The preview printed (JSON, or a line per conflict and per record not merged, in
    Chinese); its one-line summary."""
    from app.services.field.merge_text import conflict_lines, published_lines, unit_deleted_lines

    report = preview.as_report()
    if args.json:
        print_json(report)
    else:
        for line in (
            published_lines(preview) + conflict_lines(preview) + unit_deleted_lines(preview)
        ):
            print(line)
        for p in report["published"]:
            print(f"{PUBLISHED_LABEL}\t{p['table']}\t{p['uuid']}\t{p['record']}")
    frozen = len(report["published"])
    gone = report["unit_deleted"]
    arrives = len(report.get("published_arrives", []))  # a database merge only
    clashes = len(report.get("published_conflicts", []))
    return (
        f"新增{report['created']}，修改{report['updated']}，删除{report['deleted']}，"
        f"未变{report['unchanged']}，冲突{len(preview.conflicts)}条记录"
        + (f"，{PUBLISHED_LABEL}{frozen}条" if frozen else "")
        + (f"，{gone}条记录因单位已在办公室删除未合并" if gone else "")
        + (f"，对方已发布的{arrives}期考核结果随合并发布" if arrives else "")
        + (f"，{PUBLISHED_CLASH}{clashes}期（未合并）" if clashes else "")
    )


def _merge(args: argparse.Namespace) -> int:
    from app.services.field import package_merge

    def preview(db: Any, path: Any) -> tuple[Any, Any]:
        found = package_merge.preview_merge(db, path)
        return found, found

    return _merged(args, "导入回传包", args.file, preview, package_merge.apply_merge)


def _merge_database(args: argparse.Namespace) -> int:
    from app.services.field import database_merge

    def preview(db: Any, path: Any) -> tuple[Any, Any]:
        merge = database_merge.preview_database_merge(db, path)
        return merge.preview, merge

    return _merged(args, "合并数据库", args.other, preview, database_merge.apply_database_merge)


def _merged(args: argparse.Namespace, doing: str, file: str, preview: Any, apply: Any) -> int:
    """A merge's preview printed; applied unless --dry-run (the same for a return package
    and for another copy of the database)."""
    with database(args, None if args.dry_run else doing) as db:
        shown, merge = preview(db, _path(file))
        choices = _choices(args, shown)
        summary = _told(args, shown)
        if args.dry_run:
            print(f"预览：{summary}", file=sys.stderr)
            return 0
        done = apply(db, merge, choices, args.all)
    # what was written as chosen (a unit taken back whole brings its records along)
    written = f"新增{done.created}，修改{done.updated}，删除{done.deleted}，"
    print(f"已{doing}：{written}{summary.split('，', 3)[3]}", file=sys.stderr)
    return 0


HANDLERS = {"field": _field, "merge": _merge_database}
