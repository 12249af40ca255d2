"""The county's command line (county init|import|parks|stats|duplicates|export): a
county database adds up its parks' quarterly submissions. JSON keys are a contract."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli_support import (
    EXIT_ERROR,
    actions_of,
    database,
    database_or_empty,
    db_path,
    json_action,
    no_action,
    print_json,
    report,
)


def add_parsers(sub: Any) -> None:
    actions = actions_of(sub, "county", "区县汇总：汇总各园区的季度报送")
    q = actions.add_parser("init", help="把一个新的数据库文件建为区县汇总库")
    q.add_argument("--name", required=True, help="区县名称，如 鹿寨县")
    q.add_argument("--unit", default="", help="汇总单位，如 县委两新工委")
    q = actions.add_parser("import", help="导入园区的季度报送（ParkDesk 报送或普通登记表）")
    q.add_argument("files", nargs="+", type=Path, metavar="FILE", help="工作簿文件")
    q.add_argument("--park", help="园区名称（普通登记表必填；ParkDesk 报送自带）")
    q.add_argument("--quarter", help="季度，如 2026Q4（普通登记表默认当前季度）")
    q.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    q.add_argument("--json", action="store_true", help="输出 JSON")
    json_action(actions, "parks", "列出各园区及其报送情况")
    q = json_action(actions, "stats", "各园区与全区县的统计数字")
    q.add_argument("--quarter", help="季度，如 2026Q4（默认各园区最新一期）")
    q.add_argument("--rounding", choices=["half_up", "truncate"], help="百分数取舍")
    q = json_action(actions, "duplicates", "跨园区重复的组织")
    q.add_argument("--quarter", help="季度（默认各园区最新一期）")
    q = actions.add_parser("export", help="导出区县汇总表")
    q.add_argument("file", type=Path, metavar="FILE", help="输出的 .xlsx 文件")
    q.add_argument("--quarter", help="季度（默认各园区最新一期）")


def _quarter(text: str | None) -> Any:
    from app.domain.quarters import Quarter

    return Quarter.parse(text) if text else None


def _county(args: argparse.Namespace) -> int:
    command = args.county_command
    if command is None:
        return no_action("county stats --json")
    return {
        "init": _init,
        "import": _import,
        "parks": _parks,
        "stats": _stats,
        "duplicates": _duplicates,
        "export": _export,
    }[command](args)


def _init(args: argparse.Namespace) -> int:
    from app.services.county.county_db import init_county

    with database(args, "建立区县汇总库") as db:
        init_county(db, args.name, args.unit)
    print(f"已建立“{args.name.strip()}”区县汇总库：{db.path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from app.services.county.county_import import apply_county_import, preview_county_import
    from app.services.workbooks.imports import WorkbookError

    files = [f.expanduser() for f in args.files]
    if not args.dry_run and not db_path(args).exists():
        # opening it to write would make an empty database there, which is no county
        print(
            f"错误：数据库文件不存在：{db_path(args)}。"
            "请先用 county init --name 区县名称 建立汇总库",
            file=sys.stderr,
        )
        return EXIT_ERROR
    opened = database_or_empty(args) if args.dry_run else database(args, "汇总导入报送")
    with opened as db:
        try:
            preview = preview_county_import(db, files, args.park, _quarter(args.quarter))
        except WorkbookError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_ERROR
        result = None if args.dry_run else apply_county_import(db, preview)
    data = {
        "dry_run": bool(args.dry_run),
        "files": [p.as_dict() for p in preview.files],
        "imported": result.imported if result else 0,
        "units": result.units if result else 0,
    }
    if args.json:
        print_json(data)
        return 0
    verb = "将" if args.dry_run else "已"
    status = {"new": f"{verb}新增", "replace": f"{verb}替换", "unchanged": "与已导入的相同，跳过"}
    for plan in preview.files:
        r = plan.read
        park = f"{r.park}（新园区）" if plan.park_id is None else r.park
        if plan.renamed_from:
            park += f"（原名{plan.renamed_from}）"
        print(
            f"《{r.path.name}》：{park} {r.quarter.label}，{len(r.units)}个单位，"
            f"{status[plan.status]}" + (f"，{len(r.errors)}行有问题未计入" if r.errors else "")
        )
        if plan.replaces is not None:
            print(
                f"  替换{str(plan.replaced_imported_at)[:16]}导入的报送：新增{plan.added}个、"
                f"减少{plan.removed}个、变化{plan.changed}个单位"
            )
            for c in plan.changes[:20]:
                label = {"added": "新增", "removed": "减少", "changed": "变化"}[c.change]
                print(f"    {label} {c.name} {c.uscc} {c.what}".rstrip())
        for note in r.notes:
            print(f"  说明：{note}")
        for e in r.errors:
            print(f"  第{e.row}行 [{e.column}] “{e.value}”：{e.message}")
    if result is not None:
        print(result.summary, file=sys.stderr)
    return 0


def _parks(args: argparse.Namespace) -> int:
    from app.services.county.county_lists import county_parks

    with database(args) as db:
        current, parks = county_parks(db)
    missing = [p.name for p in parks if not p.sent_current]
    data = {"current_quarter": current, "parks": [p.as_dict() for p in parks], "missing": missing}
    lines = [(p.name, "、".join(p.quarters), p.last, p.last_imported_at) for p in parks]
    summary = f"共{len(parks)}个园区；{current}未报送：{'、'.join(missing) or '无'}"
    return report(args, data, lines, summary)


def _stats(args: argparse.Namespace) -> int:
    from app.domain.rates import Rounding
    from app.services.county.county_figures import county_figures, county_report
    from app.services.registry.park import get_rounding

    with database(args) as db:
        rounding = Rounding(args.rounding) if args.rounding else get_rounding(db)
        figures = county_figures(db, _quarter(args.quarter))
    data = county_report(figures, rounding)
    if args.json:
        print_json(data)
    else:
        for row in [*data["parks"], {"park": "合计", "quarter": "", **data["total"]}]:
            t = row["total"]
            print(
                f"{row['park']} {row['quarter']}：纳入统计{t['base']}个，"
                f"党组织覆盖{t['covered']}个（{t['org_coverage_rate']}%），"
                f"单独组建{t['own']}个（{t['own_rate']}%），"
                f"党的工作覆盖{t['work_covered']}个（{t['work_coverage_rate']}%）；"
                f"正式党员{t['formal_members']}名；应建未建{t['three_plus_without_own']}个"
            )
        if figures.missing:
            print(f"未报送：{'、'.join(figures.missing)}", file=sys.stderr)
    print(f"百分数取舍：{rounding.label}", file=sys.stderr)
    return 0


def _duplicates(args: argparse.Namespace) -> int:
    from app.services.county.county_lists import county_duplicates

    with database(args) as db:
        found = county_duplicates(db, _quarter(args.quarter))
    lines = [
        ("信用代码相同" if d.kind == "same_code" else "名称相同", d.key, park, value)
        for d in found
        for park, value in d.entries
    ]
    data = {"duplicates": [d.as_dict() for d in found]}
    return report(args, data, lines, f"跨园区重复{len(found)}处")


def _export(args: argparse.Namespace) -> int:
    from app.services.county.county_export import export_county

    with database(args) as db:
        path, parks, units = export_county(
            db, args.file.expanduser().resolve(), _quarter(args.quarter)
        )
    print(f"已导出区县汇总表：{parks}个园区，{units}个单位 → {path}")
    return 0


HANDLERS = {"county": _county}
