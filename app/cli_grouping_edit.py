"""The command line's writes of 结对帮带 and 编组共建 (pairings add|end, clusters
add|record): the services the window's dialogs call, each refusal said in Chinese
with nothing written."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.cli_support import database, option_date
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import ClusterRecordKind as K

# the kinds whose amount is money (yuan, kept in fen); the others count people or places
MONEY = (K.DUES_RETURNED, K.SPENDING)
# the kinds whose --note is the record's name (用途, 奖项名称, 推荐人选), not its text
TITLED = (K.SPENDING, K.AWARD, K.NOMINATION)


def add_pairing_actions(actions: Any) -> None:
    q = actions.add_parser("add", help="新建结对（从今天或 --start 起）")
    q.add_argument("--helper", required=True, metavar="USCC", help="帮带单位")
    q.add_argument("--helped", required=True, metavar="USCC", help="被帮带单位")
    q.add_argument("--goal", default="", help="帮带目标")
    q.add_argument("--start", metavar="DATE", help="开始日期（默认今天）")
    q = actions.add_parser("end", help="结束结对并写明成效")
    q.add_argument("uuid", metavar="UUID", help="结对的编号（pairings list --json 的 uuid）")
    q.add_argument("--outcome", default="", help="帮带成效（必填）")
    q.add_argument("--date", metavar="DATE", help="结束日期（默认今天）")


def add_cluster_actions(actions: Any) -> None:
    q = actions.add_parser("add", help="新建编组（组长单位与成员）")
    q.add_argument("name", metavar="NAME", help="编组名称")
    q.add_argument("--leader", required=True, metavar="USCC", help="组长单位（也是成员）")
    q.add_argument("--members", nargs="+", default=[], metavar="USCC", help="成员单位")
    q.add_argument("--year", type=int, default=date.today().year, help="组建年度（默认今年）")
    q = actions.add_parser("members", help="调整编组的成员与组长单位")
    q.add_argument("cluster", metavar="CLUSTER", help="编组名称")
    q.add_argument("--add", nargs="+", default=[], metavar="USCC", help="加入的单位")
    q.add_argument("--remove", nargs="+", default=[], metavar="USCC", help="退出的单位")
    q.add_argument("--leader", metavar="USCC", help="新的组长单位（须是成员）")
    kinds = "、".join(f"{k.value}（{k.label}）" for k in K)
    q = actions.add_parser("record", help="记录编组当年的经费、指标、评优或活动")
    q.add_argument("cluster", metavar="CLUSTER", help="编组名称")
    q.add_argument("--kind", required=True, help=f"记录什么：{kinds}")
    q.add_argument("--amount", help="数额：党费返还、支出为金额（元）；指标、名额为整数")
    q.add_argument("--second", metavar="N", help="第二数额：实际发展人数；年终评价的编组间排名")
    q.add_argument("--unit", metavar="USCC", help="成员单位（指标分配、推荐人选）")
    q.add_argument("--award", metavar="NAME", help="推荐人选所推荐的奖项（当年的评优名额）")
    q.add_argument("--score", default="", help="年终评价得分")
    q.add_argument("--date", metavar="DATE", help="日期（默认今天）")
    q.add_argument("--year", type=int, help="年度（默认为日期所在年）")
    q.add_argument("--note", default="", help="用途、奖项名称或推荐人选；其他记录为汇报内容")


def _day(text: str | None, option: str) -> date:
    """A date typed on the command line, today when not given."""
    return option_date(text, option) or date.today()


def _count(text: str | None, option: str) -> int | None:
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit():
        message = f"{option}：“{text.strip()}”不是整数"
        raise ValidationError([FieldIssue(option, message, "count_invalid")])
    return int(text.strip())


def _amount(kind: K, text: str | None) -> int | None:
    from app.domain.clusters import parse_yuan

    if kind not in MONEY:
        return _count(text, "--amount")
    if text is None:
        return None  # the service says an amount is wanted
    try:
        return parse_yuan(text)
    except ValueError as exc:
        raise ValidationError(
            [FieldIssue("amount", f"--amount：{exc}", "amount_invalid")]
        ) from None


def pairings_add(args: argparse.Namespace) -> int:
    from app.services.grouping import pairings
    from app.services.registry import organizations

    start = _day(args.start, "--start")
    with database(args, "新建结对帮带") as db:
        helper = organizations.id_by_uscc(db, args.helper)
        helped = organizations.id_by_uscc(db, args.helped)
        draft = pairings.PairingDraft(helper, helped, start, goal=args.goal)
        pairing_id = pairings.create_pairing(db, draft)
        row = next(r for r in pairings.list_pairings(db) if r.id == pairing_id)
    print(f"已新建结对：{row.name}（{start}起），编号 {row.uuid}")
    for warning in row.warnings:
        print(warning)
    return 0


def pairings_end(args: argparse.Namespace) -> int:
    from app.services.grouping import pairings

    ended = _day(args.date, "--date")
    with database(args, "结束结对帮带") as db:
        row = next((r for r in pairings.list_pairings(db) if r.uuid == args.uuid.strip()), None)
        if row is None:
            raise LookupError(f"没有编号为“{args.uuid.strip()}”的结对")
        pairings.end_pairing(db, row.id, ended, args.outcome)
    print(f"已结束结对：{row.name}（{ended}）")
    return 0


def clusters_add(args: argparse.Namespace) -> int:
    from app.services.grouping import clusters
    from app.services.registry import organizations

    with database(args, f"新建编组“{args.name.strip()}”") as db:
        leader = organizations.id_by_uscc(db, args.leader)
        members = [organizations.id_by_uscc(db, code) for code in args.members]
        member_ids = list(dict.fromkeys([leader, *members]))  # the leader is a member
        draft = clusters.ClusterDraft(args.name, args.year, "", member_ids, leader)
        clusters.create_cluster(db, draft)
        row = next(r for r in clusters.list_clusters(db, args.year) if r.name == args.name.strip())
    print(f"已新建编组“{row.name}”：{row.member_count}个单位")
    for warning in row.warnings:
        print(warning)
    return 0


def clusters_members(args: argparse.Namespace) -> int:
    from app.services.grouping import clusters
    from app.services.registry import organizations

    if not (args.add or args.remove or args.leader):
        raise ValueError("请指定 --add、--remove 或 --leader")
    with database(args, f"调整编组“{args.cluster.strip()}”") as db:
        cluster_id = _cluster_id(db, args.cluster)
        draft = clusters.get_draft(db, cluster_id)
        adding = [organizations.id_by_uscc(db, code) for code in args.add]
        leaving = {organizations.id_by_uscc(db, code) for code in args.remove}
        draft.member_ids = [i for i in dict.fromkeys(draft.member_ids + adding) if i not in leaving]
        if args.leader:
            draft.leader_id = organizations.id_by_uscc(db, args.leader)
        elif draft.leader_id in leaving:
            draft.leader_id = None  # the leader left: the list says 未确定组长单位
        clusters.update_cluster(db, cluster_id, draft)
        row = next(r for r in clusters.list_clusters(db) if r.id == cluster_id)
    leader = row.leader.name if row.leader else "未定"
    print(f"已调整编组“{row.name}”：{row.member_count}个单位，组长单位{leader}")
    for warning in row.warnings:
        print(warning)
    return 0


def _cluster_id(db: Any, name: str) -> int:
    from app.services.grouping import clusters

    found = next((r.id for r in clusters.list_clusters(db) if r.name == name.strip()), None)
    if found is None:
        raise LookupError(f"没有名为“{name.strip()}”的编组")
    return found


def _award_id(db: Any, cluster_id: int, year: int, title: str | None) -> int | None:
    from app.services.grouping import clusters

    if title is None:
        return None
    for r in clusters.list_records(db, cluster_id, year):
        if r.kind is K.AWARD and r.title == title.strip():
            return r.id
    raise LookupError(f"本编组{year}年没有名为“{title.strip()}”的评优名额")


def clusters_record(args: argparse.Namespace) -> int:
    from app.domain.clusters import yuan_text
    from app.services.grouping import clusters
    from app.services.registry import organizations

    kind = K.from_text(args.kind)
    if kind is None:
        known = "、".join(f"{k.value}（{k.label}）" for k in K)
        message = f"--kind：没有“{args.kind}”这种记录（可选：{known}）"
        raise ValidationError([FieldIssue("kind", message, "kind_unknown")])
    on = _day(args.date, "--date")
    year = args.year or on.year
    amount = _amount(kind, args.amount)
    second = _count(args.second, "--second")
    note = args.note.strip()
    with database(args, f"记录编组{kind.label}") as db:
        cluster_id = _cluster_id(db, args.cluster)
        unit = organizations.id_by_uscc(db, args.unit) if args.unit else None
        draft = clusters.RecordDraft(
            kind,
            year,
            dated=on,
            organization_id=unit,
            parent_id=_award_id(db, cluster_id, year, args.award),
            amount=amount,
            second_amount=second,
            title=note if kind in TITLED else "",
            text="" if kind in TITLED else note,
            score=args.score.strip(),
        )
        warning = clusters.add_record(db, cluster_id, draft)
    shown = "" if amount is None else f"：{yuan_text(amount) + '元' if kind in MONEY else amount}"
    print(f"已记录“{args.cluster.strip()}”{year}年{kind.label}{shown}")
    if warning:
        print(warning)
    return 0
