"""The command line of printed reports (report registry|unit|overview|gaps): the very
PDF files the window saves, for scripts and for checking."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli_support import actions_of, database, no_action
from app.services.registry.registry_columns import PRINTED, REGISTRY_COLUMNS, org_list_key


def add_parsers(sub: Any) -> None:
    actions = actions_of(sub, "report", "打印报表（PDF）")
    q = actions.add_parser("registry", help="组织名录（A4横向，每页重复表头）")
    q.add_argument("file", metavar="FILE.pdf")
    q.add_argument(
        "--columns",
        default=",".join(map(org_list_key, PRINTED)),
        help=(
            "列，逗号分隔，名称同 orgs list --json 的键（默认 "
            f"{','.join(map(org_list_key, PRINTED))}；可选："
            f"{','.join(org_list_key(c.key) for c in REGISTRY_COLUMNS)}；"
            "旧名 formal、prob 仍可用）"
        ),
    )
    q = actions.add_parser("unit", help="一企一档")
    q.add_argument("uscc", metavar="USCC", help="单位的统一社会信用代码")
    q.add_argument("file", metavar="FILE.pdf")
    q = actions.add_parser("overview", help="覆盖情况总览（数字与图表）")
    q.add_argument("file", metavar="FILE.pdf")
    q = actions.add_parser("gaps", help="预警清单")
    q.add_argument("file", metavar="FILE.pdf")
    q = actions.add_parser("county", help="区县汇总（各园区与合计，区县汇总库）")
    q.add_argument("file", metavar="FILE.pdf")
    q.add_argument("--quarter", help="季度，如 2026Q4（默认各园区最新一期）")


def _report(args: argparse.Namespace) -> int:
    from app.services.reports import county, gaps, overview, registry, unit

    command = getattr(args, "report_command", None)
    if command is None:
        return no_action("report registry")
    path = Path(args.file).expanduser().resolve()
    with database(args) as db:
        if command == "registry":
            keys = [k.strip() for k in args.columns.split(",") if k.strip()]
            printed = registry.registry_pdf(db, path, keys)
        elif command == "unit":
            from app.services.registry import organizations

            printed = unit.unit_pdf(db, organizations.id_by_uscc(db, args.uscc), path)
        elif command == "overview":
            printed = overview.overview_pdf(db, path)
        elif command == "county":
            from app.domain.quarters import Quarter

            quarter = Quarter.parse(args.quarter) if args.quarter else None
            printed = county.county_pdf(db, path, quarter)
        else:
            printed = gaps.gaps_pdf(db, path)
    print(f"已保存：{path}（{printed.pages}页）")
    if printed.warning:  # the file is made; the characters no font has are named
        print(printed.warning, file=sys.stderr)
    return 0


HANDLERS = {"report": _report}
