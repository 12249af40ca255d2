"""The command line of half-year assessments (assess schemes|template|import|rank|stars|
publish|reopen):
the services the 考核 page uses, printed as text or as JSON whose keys are a contract."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from app.cli_support import (
    EXIT_ERROR,
    actions_of,
    database,
    json_action,
    no_action,
    print_import_summary,
    print_json,
    report,
)
from app.domain.assessment import UNCLASSIFIED_GRADE, decimal_text
from app.domain.vocabulary import class_label, demo_site_text


def add_parsers(sub: Any) -> None:
    actions = actions_of(sub, "assess", "半年考核：方案、评分表、导入、排名、星级")
    json_action(actions, "schemes", "列出考核方案（各项指标及满分）")
    q = actions.add_parser("template", help="导出某考核期的评分表（按分类列出全部单位）")
    q.add_argument("file", type=Path, metavar="FILE", help="保存为 .xlsx")
    q.add_argument("--period", required=True, help="考核期，如 2026H1、2026H2、2026")
    q = json_action(actions, "import", "导入填好的评分表")
    q.add_argument("file", type=Path, metavar="FILE", help="xlsx/xls/ods 工作簿")
    q.add_argument("--period", required=True, help="考核期，如 2026H1")
    q.add_argument("--sheet", metavar="NAME", help="工作表名称（默认：第一个可见的评分表）")
    q.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    q = json_action(actions, "rank", "分类排名（前三名为优秀）")
    q.add_argument("--period", required=True, help="考核期，如 2026H1")
    q = json_action(actions, "publish", "发布考核结果（锁定评分；先说明还有多少单位未评分）")
    q.add_argument("--period", required=True, help="考核期，如 2026H1")
    q = actions.add_parser("reopen", help="重新打开已发布的考核期（可再修改评分）")
    q.add_argument("--period", required=True, help="考核期，如 2026H1")
    q = json_action(actions, "stars", "年度星级党组织评定（每个党组织一年评一次）")
    q.add_argument("--year", type=int, default=date.today().year, help="年度（默认今年）")


def _assess(args: argparse.Namespace) -> int:
    handlers = {
        "schemes": _schemes,
        "template": _template,
        "import": _import,
        "rank": _rank,
        "stars": _stars,
        "publish": _publish,
        "reopen": _reopen,
    }
    handler = handlers.get(args.assess_command)
    if handler is None:
        return no_action("assess rank --period 2026H1")
    return handler(args)


def _schemes(args: argparse.Namespace) -> int:
    from app.services.assessment import assessments

    with database(args) as db:
        schemes = assessments.list_schemes(db)
    data = [
        {
            "name": s.name,
            "version": s.version,
            "maximum": decimal_text(s.maximum),
            "indicators": [
                {"dimension": d.name, "name": i.name, "maximum": decimal_text(i.maximum)}
                for d in s.dimensions
                for i in d.indicators
            ],
            "bonus": {"name": s.bonus_name, "cap": decimal_text(s.bonus_cap)},
            "vetoes": list(s.vetoes),
            "stars": {str(b.stars): decimal_text(b.at_least) for b in s.star_bands},
            "pass_line": decimal_text(s.pass_line),
        }
        for s in schemes
    ]
    lines = [
        (
            s.name,
            f"第{s.version}版",
            f"满分{decimal_text(s.maximum)}",
            "、".join(f"{i.name}{decimal_text(i.maximum)}" for i in s.indicators),
            f"及格线{decimal_text(s.pass_line)}",
        )
        for s in schemes
    ]
    return report(args, data, lines, f"共{len(schemes)}个考核方案")


def _template(args: argparse.Namespace) -> int:
    from app.services.assessment import assessment_exports, assessments

    with database(args, f"导出{args.period}考核评分表") as db:
        assessments.ensure_period(db, args.period)
        path = assessment_exports.export_template(db, args.file.expanduser().resolve(), args.period)
    print(f"已导出评分表：{path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from app.services.assessment import score_import
    from app.services.assessment.score_import import WorkbookError

    writes = None if args.dry_run else f"导入评分表《{args.file.name}》"
    with database(args, writes) as db:
        try:
            # a period not opened yet is opened by applying (a refused file opens nothing)
            preview = score_import.preview_scores(
                db, args.file.expanduser(), args.period, args.sheet
            )
        except WorkbookError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_ERROR
        if not args.dry_run:
            score_import.apply_scores(db, preview)
    data = preview.as_report()
    if args.json:
        print_json(data)
        return 0
    print_import_summary(preview.sheet, "", data, preview.errors, args.dry_run)
    return 0


def _rank(args: argparse.Namespace) -> int:
    from app.services.assessment import assessment_exports, assessment_results

    with database(args) as db:
        ranking = assessment_results.rank_period(db, args.period)
    classes: dict[str, list[dict[str, object]]] = {}
    unscored = []
    lines = []
    for result in ranking.ranked_classes:
        key = result.class_code or ""
        classes[key] = [
            {
                "rank": r.rank,
                "uscc": r.uscc,
                "name": r.name,
                "total": decimal_text(r.total),
                "excellent": r.excellent,
                "subsidy": decimal_text(r.subsidy),
                "veto": r.veto,
            }
            for r in (*result.ranked, *result.vetoed)
        ]
        unscored += [{"uscc": r.uscc, "name": r.name, "class": key} for r in result.unscored]
        label = class_label(result.class_code)
        lines += [
            (
                label,
                r.rank or "-",
                r.name,
                r.uscc or "",
                decimal_text(r.total),
                assessment_exports.grade(r),
                decimal_text(r.subsidy) if r.subsidy else "",
            )
            for r in result.rows
        ]
    # 未分类 units are not ranked: listed apart, 须先分类
    unclassified = [
        {"uscc": r.uscc, "name": r.name, "total": decimal_text(r.total)}
        for r in ranking.unclassified
    ]
    lines += [
        (
            class_label(None),
            "-",
            r.name,
            r.uscc or "",
            decimal_text(r.total),
            UNCLASSIFIED_GRADE,
            "",
        )
        for r in ranking.unclassified
    ]
    summary = (
        f"{ranking.code}：已评分{ranking.scored}个，未完成评分{len(unscored)}个，"
        f"以奖代补合计{decimal_text(ranking.subsidy)}元"
    )
    if unclassified:
        summary += f"；{len(unclassified)}个单位未分类，须先分类，不参加排名"
    if ranking.office is not None:  # a laptop: the office's ranking of the whole park
        summary = (
            f"{ranking.code}，{ranking.note}：本机单位{ranking.scored + len(unscored)}个；"
            f"全园已评分{ranking.office.scored}个，"
            f"以奖代补合计{decimal_text(ranking.office.subsidy)}元"
        )
    elif ranking.note:
        summary += f"；{ranking.note}"
    data = {
        "classes": classes,
        "unscored": unscored,
        "unclassified": unclassified,
        "basis": ranking.basis.value,
        "note": ranking.note,
    }
    return report(args, data, lines, summary)


def _publish(args: argparse.Namespace) -> int:
    from app.services.assessment import assessments
    from app.services.assessment.published import unscored_of

    with database(args, f"发布{args.period}考核") as db:
        unscored = unscored_of(db, args.period)
        print(unscored.text, file=sys.stderr)  # said before it is published
        assessments.set_published(db, args.period, True)
    data = {
        "period": unscored.code,
        "published": True,
        "unscored": unscored.total,
        "unscored_by_class": {c or "": n for c, n in unscored.by_class.items()},
    }
    if args.json:
        print_json(data)
        return 0
    print(f"已发布{unscored.code}考核，评分已锁定")
    return 0


def _reopen(args: argparse.Namespace) -> int:
    from app.services.assessment import assessments

    with database(args, f"重新打开{args.period}考核") as db:
        assessments.set_published(db, args.period, False)
    print(f"已重新打开{args.period.strip().upper()}考核，可以修改评分")
    return 0


def _stars(args: argparse.Namespace) -> int:
    """星级党组织: each party organization rated once (a unit has no star of its own)."""
    from app.services.assessment import party_org_stars

    with database(args) as db:
        found = party_org_stars.year_stars(db, args.year)
    lines = [
        (
            p.name,
            p.formation.label,
            p.kind.label,
            decimal_text(p.total) if p.total is not None else "未完成评分",
            f"{p.stars}星" if p.stars else "",
            p.change.label if p.change else "",
            demo_site_text(p.demo_site, p.demo_site_year),
        )
        for p in found.party_orgs
    ]
    return report(args, _stars_json(found), lines, _stars_summary(found))


def _stars_json(found: Any) -> dict[str, Any]:
    def counts(by: dict[int, int]) -> dict[str, int]:
        return {str(k): v for k, v in sorted(by.items(), reverse=True)}

    return {
        "party_orgs": [
            {
                "uuid": p.uuid,
                "name": p.name,
                "kind": p.kind.value,
                "formation": p.formation.value,
                "stars": p.stars,
                "previous": p.previous,
                "change": p.change.value if p.change else None,
                "total": decimal_text(p.total) if p.total is not None else None,
                "veto": p.rating.veto,
                "history": {str(y): n for y, n in p.history.items()},
                "demo_site": p.demo_site.value,
                "demo_site_year": p.demo_site_year,
                "units": [
                    {
                        "uscc": u.uscc,
                        "name": u.name,
                        "total": decimal_text(u.total) if u.total is not None else None,
                        "veto": u.veto,
                    }
                    for u in p.units
                ],
            }
            for p in found.party_orgs
        ],
        "counts": counts(found.counts),
        "counts_by_kind": {k.value: counts(v) for k, v in found.counts_by_kind.items()},
        "demo_sites": {k.value: v for k, v in found.demo_sites.items()},
        "note": found.note,
    }


def _stars_summary(found: Any) -> str:
    def parts(by: dict[int, int]) -> str:
        return "、".join(f"{k}星级{v}个" for k, v in sorted(by.items(), reverse=True))

    text = f"{found.year}年星级党组织：{parts(found.counts) or '没有星级档次'}"
    kinds = "；".join(f"{k.label}：{parts(v)}" for k, v in found.counts_by_kind.items())
    demo = "、".join(f"{k.label}{v}个" for k, v in found.demo_sites.items() if v)
    text += f"（{kinds}）" if kinds else ""
    text += f"；示范点：{demo}" if demo else ""
    return text + (f"；{found.note}" if found.note else "")


HANDLERS = {"assess": _assess}
