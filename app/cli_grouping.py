"""The command line of 分类管理, clusters, pairings and instructor suggestions: the
services the window's pages use, printed as text or as JSON whose keys are a
contract for scripts."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from app import cli_grouping_edit as edit
from app.cli_support import actions_of, database, json_action, no_action, report
from app.domain.clusters import yuan_text
from app.domain.vocabulary import UNCLASSIFIED


def add_parsers(sub: Any) -> None:
    this_year = date.today().year
    actions = actions_of(sub, "classes", "分类管理：年度复核、分类变更记录")
    q = json_action(actions, "review", "年度复核：列出与组建情况不符的分类及建议")
    q.add_argument("--year", type=int, default=this_year, help="复核年度（默认今年）")
    q.add_argument("--apply", action="store_true", help="按建议全部调整并记录")
    q.add_argument("--all", action="store_true", help="列出全部单位（默认只列有建议的）")
    q = json_action(actions, "history", "一个单位的分类变更记录")
    q.add_argument("uscc", metavar="USCC", help="统一社会信用代码")
    actions = actions_of(sub, "pairings", "结对帮带")
    json_action(actions, "list", "列出全部结对（正在进行的在前）")
    edit.add_pairing_actions(actions)
    actions = actions_of(sub, "clusters", "编组共建")
    q = json_action(actions, "list", "列出全部编组（组长单位、成员、预警）")
    q.add_argument("--year", type=int, default=this_year, help="统计年度（默认今年）")
    edit.add_cluster_actions(actions)
    actions = actions_of(sub, "assign", "为党的工作未覆盖的单位推荐指导员")
    q = json_action(actions, "suggest", "列出推荐（名额不足的单位也列出）")
    q.add_argument("--apply", action="store_true", help="按推荐全部安排（从今天起）")


def _code(c: Any) -> str | None:
    return c.value if c is not None else None


def _or_dash(n: int | None) -> str:
    return "-" if n is None else str(n)


def _label(c: Any) -> str:
    return c.label if c is not None else UNCLASSIFIED


def _classes(args: argparse.Namespace) -> int:
    if args.classes_command == "review":
        return _review(args)
    if args.classes_command == "history":
        return _history(args)
    return no_action("classes review --year 2026")


def _review(args: argparse.Namespace) -> int:
    from app.services.grouping import classes

    writes = f"{args.year}年度分类复核" if args.apply else None
    with database(args, writes) as db:
        rows = classes.review_rows(db, args.year) if args.all else classes.proposals(db, args.year)
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
    lines = (
        (
            r["uscc"] or "（无代码）",
            r["name"],
            f"{r['current'] or UNCLASSIFIED} → {r['proposed'] or '（不变）'}",
            r["reason"],
        )
        for r in out
    )
    proposed = sum(1 for r in rows if r.proposal is not None)
    done = f"，已按建议调整{changed}个并记入分类变更" if args.apply else ""
    return report(
        args, out, lines, f"{args.year}年度复核：{len(rows)}个单位，{proposed}个有调整建议{done}"
    )


def _history(args: argparse.Namespace) -> int:
    from app.services.grouping import classes
    from app.services.registry import organizations

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
            # the helper, when the change came while the unit was paired; null otherwise
            "during_pairing": h.during_pairing or None,
        }
        for h in items
    ]
    lines = (
        (
            h.on,
            f"{_label(h.from_class)} → {_label(h.to_class)}",
            h.basis_text,
            h.reason,
            f"结对期间（{h.during_pairing}帮带）" if h.during_pairing else "",
        )
        for h in items
    )
    return report(args, out, lines, f"共{len(items)}条分类变更")


def _pairings(args: argparse.Namespace) -> int:
    from app.services.grouping import pairings

    if args.pairings_command == "add":
        return edit.pairings_add(args)
    if args.pairings_command == "end":
        return edit.pairings_end(args)
    if args.pairings_command != "list":
        return no_action("pairings list")
    with database(args) as db:
        rows = pairings.list_pairings(db)
    rows.sort(key=lambda r: not r.active)  # stable: the newest first within each
    out = [
        {
            "uuid": r.uuid,  # what `pairings end` takes
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
    lines = (
        (
            r.helper.name,
            f"→ {r.helped.name}",
            f"{_code(r.helped.class_at_start) or '-'}→{_code(r.helped.class_now) or '-'}",
            r.started_on,
            "进行中" if r.active else f"{r.ended_on or ''}结束",
            r.warning_text,
            r.uuid,
        )
        for r in rows
    )
    active = sum(1 for r in rows if r.active)
    return report(args, out, lines, f"共{len(rows)}个结对，其中进行中{active}个")


def _assign(args: argparse.Namespace) -> int:
    from app.services.grouping import suggestions

    if args.assign_command != "suggest":
        return no_action("assign suggest")
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
    lines = (
        (
            r["uscc"] or "（无代码）",
            r["name"],
            r["class"],
            r["instructor"] or "（名额不足）",
            r["reason"],
        )
        for r in out
    )
    left = len(plan) - len(picks)
    applied = f"，已安排{done}个" if args.apply else ""
    total = f"党的工作未覆盖{len(plan)}个单位：推荐{len(picks)}个，名额不足{left}个"
    return report(args, out, lines, total + applied)


def _clusters(args: argparse.Namespace) -> int:
    from app.services.grouping import clusters

    if args.clusters_command == "add":
        return edit.clusters_add(args)
    if args.clusters_command == "members":
        return edit.clusters_members(args)
    if args.clusters_command == "record":
        return edit.clusters_record(args)
    if args.clusters_command != "list":
        return no_action("clusters list")
    with database(args) as db:
        rows = clusters.list_clusters(db, args.year, members=True)
    out = [
        {
            "name": r.name,
            "leader": {"uscc": r.leader.uscc, "name": r.leader.name} if r.leader else None,
            "members": [m.uscc for m in r.members],
            "warnings": r.warnings,
        }
        for r in rows
    ]
    lines = (
        (
            r.name,
            r.leader.name if r.leader else "（未定）",
            f"{r.member_count}个单位",
            f"结余{yuan_text(r.figures.balance)}元",
            f"指标{_or_dash(r.figures.quota)}/已分配{r.figures.allocated}",
            r.warning_text,
        )
        for r in rows
    )
    return report(args, out, lines, f"共{len(rows)}个编组（{args.year}年）")


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "clusters": _clusters,
    "assign": _assign,
    "classes": _classes,
    "pairings": _pairings,
}
