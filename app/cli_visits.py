"""The command line of visits and rectifications (visits add|list, problems list|set):
the services the window uses, printed as text or as JSON whose keys are a contract."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.cli_support import actions_of, database, json_action, no_action, report
from app.domain.dates import parse_date
from app.domain.validation import FieldIssue, ValidationError
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind


def add_parsers(sub: Any) -> None:
    actions = actions_of(sub, "visits", "走访记录")
    q = actions.add_parser("add", help="记录一次走访（可同时登记发现的问题）")
    q.add_argument("--org", required=True, metavar="USCC", help="走访单位的统一社会信用代码")
    q.add_argument("--date", required=True, help="走访日期，如 2026-11-20")
    kinds = "、".join(VisitKind.labels())
    q.add_argument("--kind", default=VisitKind.VISIT.label, help=f"方式：{kinds}")
    q.add_argument("--instructor", action="append", required=True, metavar="NAME", help="指导员")
    q.add_argument("--content", default="", help="走访内容")
    q.add_argument("--problem", help="发现的问题")
    q.add_argument("--deadline", help="整改期限，如 2026-12-31")
    q.add_argument("--common", action="store_true", help="共性问题")
    json_action(actions, "list", "列出走访记录（新的在前）")
    actions = actions_of(sub, "problems", "问题与整改")
    json_action(actions, "list", "列出问题（未整改的在前）")
    q = actions.add_parser("set", help="更新整改状态，说明记入整改记录（已核验须填 --note）")
    q.add_argument("uuid", metavar="UUID", help="问题编号")
    statuses = "|".join(s.label for s in ProblemStatus)
    q.add_argument("--status", required=True, help=statuses)
    q.add_argument("--note", default="", help="说明（记入整改记录；已核验时为核验意见）")
    q.add_argument("--date", help="日期（默认今天；已核验时为核验日期）")


def _date(text: str | None, field: str) -> Any:
    if text is None:
        return None
    day = parse_date(text)
    if day is None:
        raise ValidationError([FieldIssue(field, f"“{text}”不是日期", "date_invalid")])
    return day


def _unit(row: Any) -> dict[str, Any]:
    return {"uscc": row.uscc, "name": row.name}


def _problem(p: Any) -> dict[str, Any]:
    return {
        "uuid": p.uuid,
        "text": p.text,
        "common": p.common,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "status": p.status.label,
        "note": p.note,  # the latest note typed on a move
    }


def _step(step: Any) -> dict[str, Any]:
    return {
        "date": step.on.isoformat(),
        "from": step.was.label if step.was else None,
        "to": step.to.label,
        "note": step.note,
        "by": step.by,
    }


def _visits(args: argparse.Namespace) -> int:
    from app.services.field import visits

    if args.visits_command == "add":
        return _add(args)
    if args.visits_command == "list":
        with database(args) as db:
            rows = visits.list_visits(db)
        data = [
            {
                "uuid": v.uuid,
                "date": v.visited_on.isoformat(),
                "org": _unit(v.org),
                "kind": v.kind.label,
                "instructors": list(v.instructors),
                "content": v.content,
                "problems": [_problem(p) for p in v.problems],
            }
            for v in rows
        ]
        lines = [
            (v.visited_on, v.org.name, v.kind.label, "、".join(v.instructors), len(v.problems))
            for v in rows
        ]
        return report(args, data, lines, f"共{len(rows)}次走访")
    return no_action("visits list")


def _add(args: argparse.Namespace) -> int:
    from app.services.field import visits
    from app.services.registry import organizations

    kind = VisitKind.from_text(args.kind)
    if kind is None:
        raise ValidationError([FieldIssue("kind", f"“{args.kind}”不是走访方式", "kind_unknown")])
    with database(args, "记录走访") as db:
        unit = organizations.id_by_uscc(db, args.org.strip().upper())
        problems = []
        if args.problem:
            problems.append(
                ProblemDraft(args.problem, args.common, deadline=_date(args.deadline, "deadline"))
            )
        draft = VisitDraft(
            unit,
            _date(args.date, "visited_on"),
            kind,  # type: ignore[arg-type]
            visits.instructor_ids(db, args.instructor, unit),
            args.content,
            problems=problems,
        )
        visits.add_visit(db, draft)
    print(f"已记录走访（{args.date}），发现问题{len(problems)}个")
    return 0


def _problems(args: argparse.Namespace) -> int:
    from app.services.field import visits

    if args.problems_command == "list":
        with database(args) as db:
            rows = visits.list_problems(db)
        data = [
            {
                "uuid": p.uuid,
                "org": _unit(p.units[0]) if p.units else None,
                "orgs": [_unit(u) for u in p.units],  # a 共性 problem's every unit
                **{k: v for k, v in _problem(p).items() if k != "uuid"},
                "overdue": p.overdue,
                "history": [_step(step) for step in p.history],  # oldest first
            }
            for p in rows
        ]
        lines = [
            (p.uuid, "、".join(u.name for u in p.units), p.text, p.status.label, p.deadline or "")
            for p in rows
        ]
        overdue = sum(1 for p in rows if p.overdue)
        return report(args, data, lines, f"共{len(rows)}个问题，逾期未整改{overdue}个")
    if args.problems_command == "set":
        to = ProblemStatus.from_text(args.status)
        if to is None:
            raise ValidationError(
                [FieldIssue("status", f"“{args.status}”不是整改状态", "status_unknown")]
            )
        with database(args, "更新整改状态") as db:
            when = _date(args.date, "on")
            if to is ProblemStatus.VERIFIED and when is None:
                when = date.today()
            problem = visits.problem_id_of(db, args.uuid)
            visits.set_status(db, problem, to, args.note, when)  # type: ignore[arg-type]
        kept = "，说明已记入整改记录" if args.note.strip() else ""
        print(f"已更新为“{to.label}”{kept}")
        return 0
    return no_action("problems list")


HANDLERS = {"visits": _visits, "problems": _problems}
