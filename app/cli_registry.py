"""The command line of what only the window's registry pages did: party organizations
(level, elections, 双重管理), 脱联单建 and the 以奖代补 amounts. The services the
window calls, messages in Chinese, JSON keys a contract."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from app.cli_support import (
    EXIT_USAGE,
    actions_of,
    database,
    json_action,
    no_action,
    option_date,
    report,
)
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import PartyOrgLevel, parse_yes_no, yes_no_label


def add_parsers(sub: Any) -> None:
    actions = actions_of(sub, "party-orgs", "党组织：层级、换届选举、双重管理")
    json_action(actions, "list", "列出全部党组织")
    q = actions.add_parser("set", help="修改一个党组织（只改所给的项）")
    q.add_argument("party_org", metavar="NAME或UUID", help="党组织名称或编号（uuid）")
    levels = "、".join(f"{m.value}（{m.label}）" for m in PartyOrgLevel)
    q.add_argument("--level", help=f"层级：{levels}")
    q.add_argument("--election", metavar="DATE", help="最近一次换届选举日期，如 2026-05-10")
    q.add_argument("--term-years", type=int, metavar="N", help="任期（年）")
    q.add_argument("--dual-managed", metavar="yes|no", help="是否市级以上双重管理")
    q.add_argument("--secretary", help="书记姓名")

    p = sub.add_parser("detach", help="脱联单建：单位从联合（挂靠）党组织脱出，单独建立党支部")
    p.add_argument("uscc", metavar="USCC", help="单位的统一社会信用代码")
    p.add_argument("--name", required=True, help="新党支部名称")
    p.add_argument("--date", required=True, metavar="DATE", help="成立（首次选举）日期")
    p.add_argument("--secretary", default="", help="书记姓名")
    p.add_argument("--keep-class", action="store_true", help="不把分类改为成长类")

    actions = actions_of(sub, "settings", "园区设置")
    q = actions.add_parser("subsidy", help="以奖代补：某一分类每个优秀单位的金额（元）")
    q.add_argument("--class", dest="class_code", required=True, metavar="A–E", help="分类")
    q.add_argument("--amount", required=True, metavar="N", help="金额（元，最多两位小数）")
    q = actions.add_parser("funds", help="经费保障标准：每名党员每年活动经费、新建党组织启动经费")
    q.add_argument("--per-member", metavar="N", help="每名正式党员每年（元，默认300：“3个100元”）")
    q.add_argument(
        "--startup", metavar="N", help="每个当年新建党组织的阵地建设启动经费（元，默认2000）"
    )
    for n in (5, 4, 3):
        q.add_argument(f"--star{n}", metavar="N", help=f"每个{n}星级党组织的年度奖励（元，默认0）")


def _party_orgs(args: argparse.Namespace) -> int:
    command = getattr(args, "party-orgs_command", None)  # argparse keeps the hyphen
    if command == "list":
        return _list(args)
    if command == "set":
        return _set(args)
    return no_action("party-orgs list")


def _list(args: argparse.Namespace) -> int:
    from app.services.registry import party_orgs

    with database(args) as db:
        rows = party_orgs.list_party_orgs(db)

    def day(d: date | None) -> str | None:
        return d.isoformat() if d else None

    out = [
        {
            "id": r.id,
            "uuid": r.uuid,
            "name": r.name,
            "level": r.level.value,
            "formation": r.formation.value,
            "secretary": r.secretary,
            "units": r.units,
            "formal_members": r.formal_members,
            "probationary_members": r.probationary_members,
            "founded": day(r.founded),
            "last_election": day(r.last_election),
            "term_years": r.term_years,
            "next_election": day(r.next_election),
            "postponed_until": day(r.postponed_until),
            "dual_managed": r.dual_managed,
            "parent": r.parent or None,
            "demo_site": r.demo_site.value,
            "demo_site_year": r.demo_site_year,
            "warnings": [w.rule.value for w in r.warnings],
        }
        for r in rows
    ]
    lines = (
        (
            r.name,
            r.level.label,
            r.formation.label,
            r.secretary,
            f"{r.units}个单位",
            f"上次换届{r.last_election or '-'}",
            f"下次换届{r.next_election or '-'}",
            f"双重管理：{yes_no_label(r.dual_managed)}",
            r.warning_text,
        )
        for r in rows
    )
    return report(args, out, lines, f"共{len(rows)}个党组织")


def _set(args: argparse.Namespace) -> int:
    from app.services.registry import party_orgs

    given = (args.level, args.election, args.term_years, args.dual_managed, args.secretary)
    if all(v is None for v in given):
        print(
            "请指定要修改的项：--level、--election、--term-years、--dual-managed、--secretary",
            file=sys.stderr,
        )
        return EXIT_USAGE
    changes: dict[str, Any] = {}
    if args.level is not None:
        level = PartyOrgLevel.from_text(args.level)
        if level is None:
            known = "、".join(f"{m.value}（{m.label}）" for m in PartyOrgLevel)
            message = f"--level：没有“{args.level}”这个层级（可选：{known}）"
            raise ValidationError([FieldIssue("level", message, "level_unknown")])
        changes["level"] = level
    if args.election is not None:
        changes["last_election"] = option_date(args.election, "--election")
    if args.term_years is not None:
        changes["term_years"] = args.term_years
    if args.dual_managed is not None:
        dual = parse_yes_no(args.dual_managed)
        if dual is None:
            message = f"--dual-managed：“{args.dual_managed}”请写 yes 或 no（是/否）"
            raise ValidationError([FieldIssue("dual_managed", message, "yes_no_invalid")])
        changes["dual_managed"] = dual
    if args.secretary is not None:
        changes["secretary"] = args.secretary
    with database(args, "修改党组织") as db:
        po_id = party_orgs.party_org_id_of(db, args.party_org)
        draft = party_orgs.get_draft(db, po_id)
        party_orgs.update_party_org(db, po_id, replace(draft, **changes))
    print(f"已修改党组织“{draft.name}”")
    return 0


def _detach(args: argparse.Namespace) -> int:
    from app.services.registry import detach, organizations

    founded = option_date(args.date, "--date")
    with database(args, "脱联单建") as db:
        org_id = organizations.id_by_uscc(db, args.uscc)
        draft = detach.DetachDraft(
            branch_name=args.name,
            founded=founded,
            secretary=args.secretary,
            set_class=not args.keep_class,
        )
        done = detach.detach_unit(db, org_id, draft)
    print(
        f"已脱联单建：成立“{args.name.strip()}”，离开“{done.left}”（其余{done.left_units}个单位）"
    )
    if done.too_small:
        print(f"“{done.left}”只剩{done.left_units}个单位，已列入预警", file=sys.stderr)
    return 0


def _settings(args: argparse.Namespace) -> int:
    from app.domain.assessment import decimal_text
    from app.services.assessment import assessment_settings

    if args.settings_command == "funds":
        return _fund_settings(args)
    if args.settings_command != "subsidy":
        return no_action("settings subsidy --class A --amount 5000")
    with database(args, "修改以奖代补金额") as db:
        amount = assessment_settings.set_subsidy(db, args.class_code, args.amount)
    print(f"已设置：{args.class_code.strip().upper()}类优秀单位以奖代补{decimal_text(amount)}元")
    return 0


def _fund_settings(args: argparse.Namespace) -> int:
    from app.domain.clusters import yuan_text
    from app.services.funds import fund_settings

    stars = {n: getattr(args, f"star{n}") for n in (5, 4, 3) if getattr(args, f"star{n}")}
    if args.per_member is None and args.startup is None and not stars:
        with database(args) as db:
            now = fund_settings.get_settings(db)
    else:
        with database(args, "修改经费保障标准") as db:
            now = fund_settings.set_settings(db, args.per_member, args.startup, stars)
        print("已设置：", end="")
    awards = "、".join(f"{n}星{yuan_text(now.star_award(n))}元" for n in (5, 4, 3))
    print(
        f"每名正式党员每年{yuan_text(now.per_member)}元，"
        f"当年新建党组织阵地建设启动经费{yuan_text(now.startup)}元，"
        f"星级党组织奖励每个{awards}"
    )
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "party-orgs": _party_orgs,
    "detach": _detach,
    "settings": _settings,
}
