"""The command line of 经费保障 (funds list|add|delete|summary): the services the window
uses; amounts in JSON as exact yuan text ("300.00"), keys a contract."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli_support import actions_of, database, json_action, no_action, option_date, report
from app.domain.clusters import yuan_text
from app.domain.funds import PAYABLE, STAR_LEVELS, amount_text, kind_of
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import FundKind


def add_parsers(sub: Any) -> None:
    actions = actions_of(sub, "funds", "经费保障：各党组织应拨、已拨与结余，拨付记录")
    q = json_action(actions, "list", "列出一年的拨付记录（日期先后）")
    q.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    q = json_action(actions, "summary", "一年各党组织应拨经费（按类别）、已拨与结余")
    q.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    q = actions.add_parser("add", help="登记一笔拨付（记入审计日志，可撤销）")
    q.add_argument("--year", type=int, required=True, metavar="YEAR", help="年度，如 2026")
    q.add_argument("--to", required=True, metavar="NAME或UUID", help="收款党组织的名称或编号")
    kinds = "、".join(f"{k.value}（{k.label}）" for k in PAYABLE)
    q.add_argument("--kind", required=True, metavar="KIND", help=f"经费类别：{kinds}")
    q.add_argument("--date", required=True, metavar="DATE", help="拨付日期，须在该年度内")
    q.add_argument("--amount", required=True, metavar="N", help="金额（元，最多两位小数）")
    q.add_argument("--payer", required=True, metavar="TEXT", help="拨付单位，如 区委两新工委")
    q.add_argument("--note", default="", metavar="TEXT", help="备注")
    q = actions.add_parser("delete", help="删除误录的一笔拨付（可撤销）")
    q.add_argument("uuid", metavar="UUID", help="拨付记录编号（funds list --json 的 uuid）")


def _kinds(amounts: dict[FundKind, int]) -> dict[str, str]:
    return {k.value: amount_text(v) for k, v in amounts.items()}


def _list(args: argparse.Namespace) -> int:
    from app.services.funds import funds

    with database(args) as db:
        rows = funds.list_payments(db, args.year)
    data = [
        {
            "uuid": r.uuid,
            "year": args.year,
            "date": r.paid_on.isoformat(),
            "party_org": {"uuid": r.party_org_uuid, "name": r.party_org},
            "kind": r.kind.value,
            "kind_label": r.kind.label,
            "amount": amount_text(r.amount),
            "payer": r.payer,
            "note": r.note,
        }
        for r in rows
    ]
    lines = (
        (r.paid_on, r.party_org, r.kind.label, yuan_text(r.amount), r.payer, r.note, r.uuid)
        for r in rows
    )
    paid = sum(r.amount for r in rows)
    return report(args, data, lines, f"{args.year}年共{len(rows)}笔拨付，合计{yuan_text(paid)}元")


def _summary(args: argparse.Namespace) -> int:
    from app.services.funds import funds

    with database(args) as db:
        year = funds.year_funds(db, args.year)
    total = year.totals
    data = {
        "year": year.year,
        "standards": {
            "per_member": amount_text(year.settings.per_member),
            "startup": amount_text(year.settings.startup),
            "stars": {str(n): amount_text(year.settings.star_award(n)) for n in STAR_LEVELS},
        },
        "counted_periods": year.counted_periods,
        "open_periods": year.open_periods,
        "party_orgs": [
            {
                "uuid": r.uuid,
                "name": r.name,
                "formal_members": r.formal_members,
                "founded": r.founded.isoformat() if r.founded else None,
                "entitled": _kinds(r.entitled),
                "paid": _kinds(r.paid),
                "entitled_total": amount_text(r.entitled_total),
                "paid_total": amount_text(r.paid_total),
                "balance": amount_text(r.balance),
            }
            for r in year.rows
        ],
        "totals": {
            "entitled": _kinds(total.entitled),
            "paid": _kinds(total.paid),
            "entitled_total": amount_text(total.entitled_total),
            "paid_total": amount_text(total.paid_total),
            "balance": amount_text(total.balance),
        },
        "unattributed": [
            {
                "kind": u.kind.value,
                "name": u.name,
                "amount": amount_text(u.amount),
                "reason": u.reason,
            }
            for u in year.unattributed
        ],
    }
    lines = (
        (
            r.name,
            *(yuan_text(r.entitled[k]) for k in FundKind),
            yuan_text(r.entitled_total),
            yuan_text(r.paid_total),
            yuan_text(r.balance),
        )
        for r in year.rows
    )
    said = (
        f"{year.year}年{len(year.rows)}个党组织：应拨{yuan_text(total.entitled_total)}元，"
        f"已拨{yuan_text(total.paid_total)}元，结余{yuan_text(total.balance)}元"
    )
    if year.open_periods:
        said += f"；{'、'.join(year.open_periods)}未发布，其奖励未计入"
    if year.unattributed:
        said += f"；{len(year.unattributed)}项无党组织可拨（见 unattributed）"
    return report(args, data, lines, said)


def _add(args: argparse.Namespace) -> int:
    from app.services.funds import funds
    from app.services.registry import party_orgs

    kind = kind_of(args.kind)
    if kind is None:
        known = "、".join(f"{k.value}（{k.label}）" for k in PAYABLE)
        message = f"--kind：“{args.kind.strip()}”不是经费类别（可选：{known}）"
        raise ValidationError([FieldIssue("kind", message, "kind_unknown")])
    with database(args, "登记经费拨付") as db:
        org_id = party_orgs.party_org_id_of(db, args.to)
        draft = funds.PaymentDraft(
            args.year,
            org_id,
            kind,
            option_date(args.date, "--date"),
            args.amount,
            args.payer,
            args.note,
        )
        funds.add_payment(db, draft)
        row = next(r for r in funds.year_funds(db, args.year).rows if r.id == org_id)
    fen = row.paid[kind]
    print(
        f"已登记：{row.name} {kind.label}（{args.date.strip()}），"
        f"{args.year}年该类已拨{yuan_text(fen)}元，结余{yuan_text(row.balance)}元"
    )
    return 0


def _delete(args: argparse.Namespace) -> int:
    from app.services.funds import funds

    with database(args, "删除误录的经费拨付") as db:
        funds.delete_payment(db, funds.payment_id_of(db, args.uuid))
    print("已删除这笔拨付（可撤销）")
    return 0


def _funds(args: argparse.Namespace) -> int:
    command = args.funds_command
    if command in _ACTIONS:
        return _ACTIONS[command](args)
    return no_action("funds summary --year 2026")


_ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": _list,
    "summary": _summary,
    "add": _add,
    "delete": _delete,
}
HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"funds": _funds}
