"""The command line: the same services as the window, no Qt.

Messages are Chinese; errors go to stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import (
    APP_TITLE,
    __version__,
    cli_assess,
    cli_county,
    cli_field,
    cli_funds,
    cli_grouping,
    cli_registry,
    cli_report,
    cli_text,
    cli_visits,
    os_errors,
)
from app.cli_support import (
    EXIT_ERROR,
    EXIT_USAGE,
    Parser,
    database,
    database_or_empty,
    db_path,
    print_import_summary,
    print_json,
)
from app.domain.validation import ValidationError
from app.services.files import demo_size
from app.services.files.database_files import DatabaseBusy, DbProblem

if TYPE_CHECKING:
    from app.services.registry import org_list


def build_parser() -> argparse.ArgumentParser:
    cli_text.install()
    parser = Parser(
        prog="main.py",
        description=f"ParkDesk {APP_TITLE}。不带子命令时打开窗口。",
    )
    parser.add_argument(
        "--version", action="version", version=f"ParkDesk {__version__}", help="显示版本并退出"
    )
    parser.add_argument("--db", type=Path, metavar="PATH", help="数据库文件（默认在用户数据目录）")
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=Parser)

    p = sub.add_parser("demo", help="在空数据库中生成演示园区")
    p.add_argument(
        "--size",
        type=int,
        default=demo_size.DEFAULT_SIZE,
        help=f"组织数量（1–{demo_size.MAX_SIZE}）",
    )
    p.add_argument("--park", help="园区名称（默认“示范工业园区”；不同名称生成不同的园区）")

    p = sub.add_parser("orgs", help="组织台账")
    orgs_sub = p.add_subparsers(dest="orgs_command", metavar="操作", parser_class=Parser)
    q = orgs_sub.add_parser("list", help="列出全部组织")
    q.add_argument("--json", action="store_true", help="输出 JSON")

    p = sub.add_parser("import", help="导入登记表工作簿（xlsx/xlsm/xls/ods）")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--sheet", metavar="NAME", help="工作表名称（默认自动识别）")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    _add_export(sub)

    p = sub.add_parser("template", help="导出空白导入模板")
    p.add_argument("file", type=Path, metavar="FILE")

    p = sub.add_parser("stats", help="覆盖率等统计数字")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument(
        "--rounding",
        choices=["half_up", "truncate"],
        default=None,
        help="百分数的取舍：half_up 四舍五入，truncate 截断（默认按园区设置）",
    )

    p = sub.add_parser("check", help="预警清单（应建未建、逾期换届等）；--integrity 检查数据库本身")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument(
        "--integrity",
        action="store_true",
        help="检查数据库文件：完整性、引用、取值、日期、JSON、状态（只读，不改动数据）",
    )

    cli_grouping.add_parsers(sub)
    cli_assess.add_parsers(sub)
    cli_visits.add_parsers(sub)
    cli_funds.add_parsers(sub)
    cli_field.add_parsers(sub)
    cli_report.add_parsers(sub)
    cli_county.add_parsers(sub)
    cli_registry.add_parsers(sub)

    p = sub.add_parser("backup", help="把数据库备份到文件")
    p.add_argument("file", type=Path, metavar="FILE")

    p = sub.add_parser("restore", help="从备份文件恢复（先自动备份当前数据）")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument(
        "--other-database",
        action="store_true",
        help="确认要用另一个数据库的备份替换当前数据",
    )
    return parser


def _org_json(row: org_list.OrgRow) -> dict[str, object]:
    return {
        "id": row.id,
        "uuid": row.uuid,
        "uscc": row.uscc,
        "name": row.name,
        "kind": row.kind.value,
        "formal_members": row.formal_members,
        "probationary_members": row.probationary_members,
        "formation": row.formation.value,
        "in_base": row.in_base,
        "status": row.status.value,
        "class": row.class_code,
        "party_org": row.party_org or None,
        "cluster": row.cluster or None,
        "warnings": [w.rule.value for w in row.warnings],
    }


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.services.files import database_files, demo

    with database(args, "生成演示数据") as db:
        summary = demo.build_demo(db, args.size, park_name=args.park or demo.DEFAULT_PARK)
        # the newest state is always in a backup
        database_files.take_backup(db.path, "demo")
    print(
        f"已生成演示园区：{summary.organizations}个组织，{summary.party_orgs}个党组织，"
        f"{summary.instructors}名指导员，{summary.clusters}个编组。"
    )
    return 0


def _cmd_orgs(args: argparse.Namespace) -> int:
    from app.services.registry import org_list

    if args.orgs_command != "list":
        print("请指定操作，例如：orgs list", file=sys.stderr)
        return EXIT_USAGE
    with database(args) as db:
        rows = org_list.list_organizations(db)
    if args.json:
        print_json([_org_json(r) for r in rows])
        return 0
    for r in rows:
        print(
            "\t".join(
                [
                    r.uscc or "（无代码）",
                    r.name,
                    r.kind.label,
                    str(r.formal_members or 0),
                    r.formation.label,
                    r.party_org,
                    r.status.label,
                    r.class_code or "",
                    r.warning_text,
                ]
            )
        )
    print(f"共{len(rows)}个组织", file=sys.stderr)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from app.services.workbooks import imports
    from app.services.workbooks.imports import WorkbookError

    path = args.file.expanduser()
    # the sheet parsed while the database opens (its lock awaited, its check, SQLAlchemy
    # loaded): the parse lets go of the GIL
    ahead = imports.read_ahead(path, args.sheet)
    opened = (
        database_or_empty(args) if args.dry_run else database(args, f"导入《{args.file.name}》")
    )
    with opened as db:
        try:
            # compared under the lock: a preview made before another import's commit
            # would add its organizations a second time
            preview = imports.preview_import(db, path, args.sheet, ahead=ahead)
        except WorkbookError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_ERROR
        result = None if args.dry_run else imports.apply_import(db, preview)
    report = {
        "file": str(args.file),
        "sheet": preview.sheet,
        "header_rows": preview.layout.header_rows,
        "data_rows": len(preview.rows),
        "good_rows": preview.good_rows,
        "created": preview.count("new"),
        "updated": preview.count("changed"),
        "unchanged": preview.count("unchanged"),
        "dry_run": bool(args.dry_run),
        "new_party_orgs": sorted(preview.new_party_orgs),
        "errors": [e.as_dict() for e in preview.errors],
        # every other record written (联系分工, 指导员…): {kind: {created, updated}}
        "other_records": {
            kind: {"created": c, "updated": u}
            for kind, (c, u) in (result.others if result else {}).items()
        },
    }
    if args.json:
        print_json(report)
        return 0
    header = f"，表头在第{'、'.join(map(str, preview.layout.header_rows))}行，"
    print_import_summary(preview.sheet, header, report, preview.errors, args.dry_run)
    if result is not None and result.others:
        print(result.others_text())
    return 0


def _add_export(sub: Any) -> None:
    p = sub.add_parser("export", help="导出季度报送工作簿，或用 --year 导出年度报表")
    p.add_argument("file", type=Path, metavar="FILE")
    which = p.add_mutually_exclusive_group()  # 季度报送 or 年度报表, never both
    which.add_argument("--quarter", metavar="2026Q4", help="报送季度（默认为当前季度）")
    which.add_argument(
        "--year",
        metavar="2026",
        help="导出该年度的年度报表（上下半年考核、星级党组织、分类复核、走访整改、年度数字）",
    )


def _cmd_export(args: argparse.Namespace) -> int:
    from datetime import date

    from app.domain.quarters import Quarter

    if args.year is not None:
        return _export_year(args)
    from app.services.workbooks.submissions import export_quarter

    quarter = Quarter.parse(args.quarter) if args.quarter else Quarter.of(date.today())
    with database(args, f"导出{quarter.label}报送") as db:
        result = export_quarter(db, args.file.expanduser().resolve(), quarter)
    print(
        f"已导出{quarter.label}报送：{result.organizations}个组织，"
        f"{result.changes_text()} → {result.path}"
    )
    return 0


def _export_year(args: argparse.Namespace) -> int:
    from app.domain.quarters import parse_year
    from app.services.workbooks.yearly import export_year

    year = parse_year(args.year)
    with database(args) as db:
        result = export_year(db, args.file.expanduser().resolve(), year)
    print(f"已导出{year}年度报表：{'、'.join(result.sheets)} → {result.path}")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from app.services.workbooks.submissions import export_template

    path = export_template(args.file.expanduser().resolve())
    print(f"已生成导入模板 → {path}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from app.domain.rates import Rounding, rounding_note
    from app.services.field import field_office
    from app.services.overview.figures import (
        activity_rooms_report,
        figures_report,
        party_orgs_by_kind_report,
        registry_figures,
    )

    with database(args) as db:
        from app.services.registry.instructors import list_instructors
        from app.services.registry.park import get_rounding

        rounding = Rounding(args.rounding) if args.rounding else get_rounding(db)
        figures = registry_figures(db)
        people = [i for i in list_instructors(db) if i.active]
        scope = field_office.figures_note(db)  # a laptop: its own units, not the park
    report = figures_report(figures, rounding)
    from app.domain.vocabulary import Formation, PartyOrgLevel

    party_orgs = {
        level.value: {
            formation.value: figures.party_orgs.get((level, formation), 0)
            for formation in (Formation.OWN, Formation.JOINT, Formation.ATTACHED)
        }
        for level in PartyOrgLevel
    }
    by_kind = party_orgs_by_kind_report(figures)
    rooms = activity_rooms_report(figures, rounding)
    instructors = [
        {"name": i.name, "organizations": i.organizations, "capacity": i.capacity} for i in people
    ]
    if args.json:
        out = {
            **report,
            "party_orgs": party_orgs,
            "party_orgs_by_kind": by_kind,
            "activity_rooms": rooms,
            "instructors": instructors,
            "rounding": rounding.label,  # as `county stats` says it
        }
        print_json(out)
        return 0
    names = {"enterprise": "非公企业", "social": "社会组织", "total": "合计"}
    for key, row in report.items():
        print(
            f"{names[key]}：纳入统计{row['base']}个，党组织覆盖{row['covered']}个"
            f"（{row['org_coverage_rate']}%），单独组建{row['own']}个（{row['own_rate']}%），"
            f"党的工作覆盖{row['work_covered']}个（{row['work_coverage_rate']}%）；"
            f"正式党员{row['formal_members']}名，预备党员{row['probationary_members']}名；"
            f"应建未建{row['three_plus_without_own']}个"
        )
    levels = "、".join(
        f"{PartyOrgLevel(level).label}{sum(by.values())}个" for level, by in party_orgs.items()
    )
    formations = "、".join(
        f"{Formation(f).label}{sum(by[f] for by in party_orgs.values())}个"
        for f in ("own", "joint", "attached")
    )
    print(f"党组织：{levels}；{formations}")
    _print_kinds_and_rooms(by_kind, rooms)
    print(
        f"在岗指导员{len(instructors)}名："
        + "、".join(f"{i['name']}（联系{i['organizations']}个单位）" for i in instructors)
    )
    print(rounding_note(rounding))  # with the figures it speaks of, not aside on stderr
    if scope:
        print(scope, file=sys.stderr)
    return 0


def _print_kinds_and_rooms(by_kind: dict[str, dict[str, int]], rooms: dict[str, object]) -> None:
    """`stats`' lines on party organizations by kind (their units' kind: a joint branch
    of both kinds counted once, as 非公企业和社会组织) and 党员活动室."""
    from app.domain.vocabulary import Formation
    from app.services.overview.figures import PARTY_ORG_KINDS

    # one covering no unit only when there is one
    kinds = "；".join(
        f"{label}{by_kind[key]['total']}个（"
        + "、".join(
            f"{Formation(f).label}{by_kind[key][f]}个" for f in ("own", "joint", "attached")
        )
        + "）"
        for key, label in PARTY_ORG_KINDS
        if key != "none" or by_kind[key]["total"]
    )
    print(f"党组织按类型：共{by_kind['total']['total']}个，{kinds}")
    print(
        f"党员活动室：单独组建党组织的非公企业{rooms['base']}个，"
        f"其中登记了活动场所的{rooms['with_room']}个（{rooms['rate']}%）"
    )


def _cmd_check(args: argparse.Namespace) -> int:
    if args.integrity:
        return _check_integrity(args)
    from app.services.field import field_office
    from app.services.overview.gaps import find_gaps

    with database(args) as db:
        gaps = find_gaps(db)
        scope = field_office.warnings_note(db)  # a laptop: its package's units only
    if scope:
        print(scope, file=sys.stderr)
    if args.json:
        rows = [
            {
                "rule": g.rule.value,
                "record": g.record,
                "id": g.record_id,
                "name": g.name,
                "detail": g.detail,
            }
            for g in gaps
        ]
        print_json(rows)
        return 0
    for g in gaps:
        print(f"[{g.label}] {g.name}：{g.detail}")
    print(f"共{len(gaps)}条预警", file=sys.stderr)
    return 0


def _check_integrity(args: argparse.Namespace) -> int:
    from app.services.files import integrity

    path = db_path(args)
    if not path.exists():
        print(f"错误：数据库不存在：{path}", file=sys.stderr)
        return EXIT_ERROR
    try:
        report = integrity.check_file(path)
    except integrity.NotADatabase as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print_json(report.as_json())
    else:
        for fault in report.faults:
            print(fault.text())
    if report.ok:
        print(f"数据库检查通过：{path}", file=sys.stderr)
        return 0
    total = sum(report.counts.values())
    print(f"数据库检查发现{total}处问题：{path}", file=sys.stderr)
    return EXIT_ERROR


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services.files import database_files

    path = db_path(args)
    if not path.exists():
        print(f"数据库不存在：{path}", file=sys.stderr)
        return EXIT_ERROR
    dest = database_files.backup_to_file(path, args.file.expanduser().resolve())
    print(f"已备份到 {dest}")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.services.files import database_files

    path = db_path(args)
    # the window's restore: refused at once while anything else writes, checked whole,
    # the replaced data kept, an older backup migrated
    try:
        db, safety = database_files.restore_and_open(
            path, args.file.expanduser().resolve(), other_database=args.other_database
        )
    except database_files.ForeignBackup as exc:
        print(f"错误：{exc}\n确要用它替换当前数据，请加 --other-database", file=sys.stderr)
        return EXIT_ERROR
    db.dispose()
    print(f"已从 {args.file} 恢复")
    if safety:
        print(f"恢复前的数据已另存为：{safety}")
    return 0


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {
        "demo": _cmd_demo,
        "orgs": _cmd_orgs,
        "import": _cmd_import,
        "export": _cmd_export,
        "template": _cmd_template,
        "stats": _cmd_stats,
        "check": _cmd_check,
        "backup": _cmd_backup,
        "restore": _cmd_restore,
        **cli_grouping.HANDLERS,
        **cli_assess.HANDLERS,
        **cli_visits.HANDLERS,
        **cli_funds.HANDLERS,
        **cli_field.HANDLERS,
        **cli_report.HANDLERS,
        **cli_county.HANDLERS,
        **cli_registry.HANDLERS,
    }
    try:
        return handlers[args.command](args)
    except DbProblem as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except DatabaseBusy as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ValidationError, ValueError, LookupError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # the reader went away (| head): end quietly, and let nothing more be written
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"错误：{os_errors.describe(exc, doing='无法读写')}", file=sys.stderr)
        return EXIT_ERROR
