"""The command line of 分类管理 (and, as they land, clusters, pairings and
instructor suggestions): the services the window's pages use, printed as text
or as JSON whose keys are a contract for scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from app.cli_support import EXIT_USAGE, Parser, database, print_json
from app.domain.clusters import yuan_text
from app.domain.vocabulary import UNCLASSIFIED
from app.services import classes, clusters, organizations, pairings, suggestions


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("classes", help="分类管理：年度复核、分类变更记录")
    actions = p.add_subparsers(dest="classes_command", metavar="操作", parser_class=Parser)
    q = actions.add_parser("review", help="年度复核：列出与组建情况不符的分类及建议")
    q.add_argument("--year", type=int, default=date.today().year, help="复核年度（默认今年）")
    q.add_argument("--apply", action="store_true", help="按建议全部调整并记录")
    q.add_argument("--all", action="store_true", help="列出全部单位（默认只列有建议的）")
    q.add_argument("--json", action="store_true", help="输出 JSON")
    q = actions.add_parser("history", help="一个单位的分类变更记录")
    q.add_argument("uscc", metavar="USCC", help="统一社会信用代码")
    q.add_argument("--json", action="store_true", help="输出 JSON")
    _add_pairings(sub)
    p = sub.add_parser("clusters", help="编组共建")
    actions = p.add_subparsers(dest="clusters_command", metavar="操作", parser_class=Parser)
    q = actions.add_parser("list", help="列出全部编组（组长单位、成员、预警）")
    q.add_argument("--year", type=int, default=date.today().year, help="统计年度（默认今年）")
    q.add_argument("--json", action="store_true", help="输出 JSON")
    p = sub.add_parser("assign", help="为党的工作未覆盖的单位推荐指导员")
    actions = p.add_subparsers(dest="assign_command", metavar="操作", parser_class=Parser)
    q = actions.add_parser("suggest", help="列出推荐（名额不足的单位也列出）")
    q.add_argument("--apply", action="store_true", help="按推荐全部安排（从今天起）")
    q.add_argument("--json", action="store_true", help="输出 JSON")


def _add_pairings(sub: Any) -> None:
    p = sub.add_parser("pairings", help="结对帮带")
    actions = p.add_subparsers(dest="pairings_command", metavar="操作", parser_class=Parser)
    q = actions.add_parser("list", help="列出全部结对（正在进行的在前）")
    q.add_argument("--json", action="store_true", help="输出 JSON")


def _code(c: Any) -> str | None:
    return c.value if c is not None else None


def _classes(args: argparse.Namespace) -> int:
    if args.classes_command == "review":
        return _review(args)
    if args.classes_command == "history":
        return _history(args)
    print("请指定操作，例如：classes review --year 2026", file=sys.stderr)
    return EXIT_USAGE


def _review(args: argparse.Namespace) -> int:
    writes = f"{args.year}年度分类复核" if args.apply else None
    with database(args, writes) as db:
        rows = classes.review_rows(db) if args.all else classes.proposals(db)
        changed = 0
        if args.apply:
            decisions = [
                classes.ClassDecision(r.id, r.proposal.to, r.proposal.reason)
                for r in rows
                if r.proposal is not None
            ]
            changed = classes.apply_review(db, args.year, decisions)
    out = [
        {
            "uscc": r.uscc,
            "name": r.name,
            "current": _code(r.current),
            "proposed": _code(r.proposal.to) if r.proposal else None,
            "reason": r.proposal.reason if r.proposal else "",
        }
        for r in rows
    ]
    if args.json:
        print_json(out)
    else:
        for row in out:
            now, to = row["current"] or UNCLASSIFIED, row["proposed"] or "（不变）"
            print(f"{row['uscc'] or '（无代码）'}\t{row['name']}\t{now} → {to}\t{row['reason']}")
    proposed = sum(1 for r in rows if r.proposal is not None)
    done = f"，已按建议调整{changed}个并记入分类变更" if args.apply else ""
    print(f"{args.year}年度复核：{len(rows)}个单位，{proposed}个有调整建议{done}", file=sys.stderr)
    return 0


def _history(args: argparse.Namespace) -> int:
    with database(args) as db:
        org_id = organizations.id_by_uscc(db, args.uscc)
        items = classes.class_history(db, org_id)
    out = [
        {
            "date": h.on.isoformat(),
            "from": _code(h.from_class),
            "to": _code(h.to_class),
            "reason": h.reason,
            "basis": h.basis.value,
            "basis_ref": h.basis_ref,
            "actor": h.actor,
        }
        for h in items
    ]
    if args.json:
        print_json(out)
    else:
        for h in items:
            before = h.from_class.label if h.from_class else UNCLASSIFIED
            after = h.to_class.label if h.to_class else UNCLASSIFIED
            print(f"{h.on:%Y-%m-%d}\t{before} → {after}\t{h.basis_text}\t{h.reason}")
    print(f"共{len(items)}条分类变更", file=sys.stderr)
    return 0


def _pairings(args: argparse.Namespace) -> int:
    if args.pairings_command != "list":
        print("请指定操作，例如：pairings list", file=sys.stderr)
        return EXIT_USAGE
    with database(args) as db:
        rows = pairings.list_pairings(db)
    rows.sort(key=lambda r: not r.active)  # stable: the newest first within each
    out = [
        {
            "helper": {
                "uscc": r.helper.uscc,
                "name": r.helper.name,
                "class": _code(r.helper.class_now),
            },
            "helped": {
                "uscc": r.helped.uscc,
                "name": r.helped.name,
                "class_at_start": _code(r.helped.class_at_start),
                "class_now": _code(r.helped.class_now),
            },
            "started": r.started_on.isoformat(),
            "ended": r.ended_on.isoformat() if r.ended_on else None,
            "goal": r.goal,
            "outcome": r.outcome,
            "warnings": r.warnings,
        }
        for r in rows
    ]
    if args.json:
        print_json(out)
    else:
        for r in rows:
            moved = f"{_code(r.helped.class_at_start) or '-'}→{_code(r.helped.class_now) or '-'}"
            state = "进行中" if r.active else f"{r.ended_on or ''}结束"
            cells = (r.helper.name, f"→ {r.helped.name}", moved, str(r.started_on), state)
            print("\t".join((*cells, r.warning_text)))
    active = sum(1 for r in rows if r.active)
    print(f"共{len(rows)}个结对，其中进行中{active}个", file=sys.stderr)
    return 0


def _assign(args: argparse.Namespace) -> int:
    if args.assign_command != "suggest":
        print("请指定操作，例如：assign suggest", file=sys.stderr)
        return EXIT_USAGE
    with database(args, "按推荐安排指导员" if args.apply else None) as db:
        plan = suggestions.suggest_assignments(db)
        picks = [(s.unit.id, s.helper_id) for s in plan if s.helper_id is not None]
        done = suggestions.apply_suggestions(db, picks) if args.apply and picks else 0
    out = [
        {
            "uscc": s.unit.uscc,
            "name": s.unit.name,
            "class": s.unit.class_code,
            "instructor": s.helper_name or None,
            "reason": s.reason,
        }
        for s in plan
    ]
    if args.json:
        print_json(out)
    else:
        for row in out:
            who = row["instructor"] or "（名额不足）"
            cells = (row["uscc"] or "（无代码）", row["name"], row["class"] or "", who)
            print("\t".join((*cells, row["reason"])))
    left = len(plan) - len(picks)
    applied = f"，已安排{done}个" if args.apply else ""
    total = f"党的工作未覆盖{len(plan)}个单位：推荐{len(picks)}个，名额不足{left}个"
    print(total + applied, file=sys.stderr)
    return 0


def _clusters(args: argparse.Namespace) -> int:
    if args.clusters_command != "list":
        print("请指定操作，例如：clusters list", file=sys.stderr)
        return EXIT_USAGE
    with database(args) as db:
        rows = clusters.list_clusters(db, args.year)
    out = [
        {
            "name": r.name,
            "leader": {"uscc": r.leader.uscc, "name": r.leader.name} if r.leader else None,
            "members": [m.uscc for m in r.members],
            "warnings": r.warnings,
        }
        for r in rows
    ]
    if args.json:
        print_json(out)
    else:
        for r in rows:
            leader = r.leader.name if r.leader else "（未定）"
            f = r.figures
            money = f"结余{yuan_text(f.balance)}元"
            quota = f"指标{f.quota if f.quota is not None else '-'}/已分配{f.allocated}"
            cells = (r.name, leader, f"{len(r.members)}个单位", money, quota, r.warning_text)
            print("\t".join(cells))
    print(f"共{len(rows)}个编组（{args.year}年）", file=sys.stderr)
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "clusters": _clusters,
    "assign": _assign,
    "classes": _classes,
    "pairings": _pairings,
}
