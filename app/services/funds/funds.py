"""经费保障 as use cases: a year's entitlements and payments per party organization
(the page, `funds summary`), the payments listed (`funds list`), one recorded (`funds
add`, the page's dialog: checked here once for every path, one transaction, audited and
undoable) or deleted when entered by mistake.

Where each entitlement comes from (app/domain/funds.py computes them):
- 党员活动经费 "3个100元": the formal members of the units on the register a party
  organization covers, now (the registry keeps no count by date), × the standard;
- 阵地建设启动经费: a party organization founded in the year;
- 以奖代补: the 优秀 of the year's published half-years, each unit's class subsidy as the
  period was published, to the party organization covering the unit (an open half-year
  is not counted yet: its 优秀 may still change);
- 党费返还: the clusters' returned dues of the year (编组 → 经费统筹), to the party
  organization of each cluster's leader unit, entitled and paid at once (全额返还).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.db.database import Database
from app.db.models import FundPayment, PartyOrganization
from app.db.queries import funds as q
from app.domain.clusters import yuan_text
from app.domain.funds import (
    STAR_LEVELS,
    FundRow,
    FundSettings,
    OrgFacts,
    Totals,
    existed_in,
    fund_rows,
    parse_amount,
    payment_issues,
    totals,
    year_issue,
)
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import FundKind
from app.services.files.audit import Change
from app.services.funds.fund_settings import get_settings


@dataclass(frozen=True, slots=True)
class Unattributed:
    """An entitlement no party organization can receive: a 优秀 unit without a party
    organization, a cluster without a leader unit or whose leader has none."""

    kind: FundKind
    name: str
    amount: int  # fen
    reason: str


@dataclass(slots=True)
class FundsYear:
    year: int
    settings: FundSettings
    rows: list[FundRow]
    unattributed: list[Unattributed]
    counted_periods: list[str]  # the published half-years whose 优秀 are counted
    open_periods: list[str]  # the year's half-years not published yet: not counted

    @property
    def totals(self) -> Totals:
        return totals(self.rows)


@dataclass(frozen=True, slots=True)
class PaymentRow:
    id: int
    uuid: str
    paid_on: date
    amount: int  # fen
    payer: str
    party_org_id: int
    party_org: str
    party_org_uuid: str
    kind: FundKind
    note: str


@dataclass(slots=True)
class PaymentDraft:
    year: int
    party_org_id: int | None
    kind: FundKind | None
    paid_on: date | None
    amount: str  # as typed, in yuan ("300", "1,200.50"): parsed here, exactly
    payer: str
    note: str = ""


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _stars(db: Database, year: int) -> tuple[dict[int, int], bool]:
    """The stars of each party organization rated in the year's published yearly period
    (星级党组织奖励), and whether that period is open (not counted yet)."""
    from app.services.assessment.party_org_stars import year_stars
    from app.services.assessment.periods import period_codes, published_codes

    code = str(year)
    if code not in published_codes(db):
        return {}, code in period_codes(db)
    return {p.id: p.stars for p in year_stars(db, year).party_orgs if p.stars}, False


@dataclass(slots=True)
class _Awards:
    by_unit: dict[int, int]  # fen
    names: dict[int, str]
    counted: list[str]
    opened: list[str]


def _awards(db: Database, year: int) -> _Awards:
    """以奖代补 of the year's published half-years by unit, in fen."""
    from app.services.assessment.assessment_results import rank_period
    from app.services.assessment.periods import period_codes, published_codes

    halves = [f"{year}H1", f"{year}H2"]
    published = set(published_codes(db))
    out = _Awards({}, {}, [c for c in halves if c in published], [])
    out.opened = [c for c in halves if c in set(period_codes(db)) and c not in published]
    for code in out.counted:
        for result in rank_period(db, code).classes.values():
            for r in result.ranked:
                if r.excellent and r.subsidy > 0:
                    fen = int(r.subsidy * 100)  # at most two decimals (parse_amount)
                    out.by_unit[r.unit_id] = out.by_unit.get(r.unit_id, 0) + fen
                    out.names[r.unit_id] = r.name
    return out


def _attributed(
    awards: _Awards, unit_org: dict[int, int], dues: list[tuple[str, int | None, int]]
) -> tuple[dict[int, int], dict[int, int], list[Unattributed]]:
    """The awards and the returned dues by party organization, and what none receives."""
    unattributed: list[Unattributed] = []
    by_org: dict[int, int] = {}
    for unit_id, fen in awards.by_unit.items():
        org = unit_org.get(unit_id)
        if org is None:
            name = awards.names[unit_id]
            unattributed.append(Unattributed(FundKind.AWARD, name, fen, "单位没有党组织"))
        else:
            by_org[org] = by_org.get(org, 0) + fen
    returned: dict[int, int] = {}
    for cluster, leader_org, fen in dues:
        if leader_org is None:
            reason = "编组没有组长单位，或组长单位没有党组织"
            unattributed.append(Unattributed(FundKind.DUES_RETURN, cluster, int(fen), reason))
        else:
            returned[leader_org] = returned.get(leader_org, 0) + int(fen)
    return by_org, returned, unattributed


def year_funds(db: Database, year: int) -> FundsYear:
    """Every party organization's entitlements and payments of ``year``."""
    issue = year_issue(year)
    if issue is not None:
        raise ValidationError([issue])
    settings = get_settings(db)
    awards = _awards(db, year)
    stars, stars_open = _stars(db, year)
    if stars_open:
        awards.opened.append(str(year))
    elif any(settings.stars) or stars:
        awards.counted.append(str(year))
    with db.read_connection() as conn:
        orgs = conn.execute(q.PARTY_ORGS).fetchall()
        unit_org = dict(conn.execute(q.UNIT_PARTY_ORGS).fetchall())
        dues = conn.execute(q.CLUSTER_DUES, {"year": year}).fetchall()
        paid = conn.execute(q.PAID_SUMS, {"year": year}).fetchall()
    by_org, returned, unattributed = _attributed(awards, unit_org, dues)
    facts = []
    for i, u, n, f, m in orgs:
        founded = _day(f)
        if not existed_in(founded, year):  # what came to it then had no one to go to
            reason = f"党组织“{n}”{year}年尚未成立"
            for kind, fen in (
                (FundKind.AWARD, by_org.pop(i, 0)),
                (FundKind.DUES_RETURN, returned.pop(i, 0)),
            ):
                if fen:
                    unattributed.append(Unattributed(kind, n, fen, reason))
        star = stars.get(i, 0)
        facts.append(OrgFacts(i, u, n, founded, int(m), by_org.get(i, 0), returned.get(i, 0), star))
    payments = [(org, FundKind(kind), int(fen)) for org, kind, fen in paid]
    rows = fund_rows(facts, payments, year, settings)
    return FundsYear(year, settings, rows, unattributed, awards.counted, awards.opened)


def list_payments(db: Database, year: int) -> list[PaymentRow]:
    """The year's payments, oldest first."""
    issue = year_issue(year)
    if issue is not None:
        raise ValidationError([issue])
    with db.read_connection() as conn:
        rows = conn.execute(q.PAYMENTS, {"year": year}).fetchall()
    return [
        PaymentRow(i, u, _day(d), int(a), p, oid, name, ouuid, FundKind(k), n)  # type: ignore[arg-type]
        for i, u, d, a, p, oid, name, ouuid, k, n in rows
    ]


def _issues(draft: PaymentDraft) -> tuple[list[FieldIssue], int]:
    issues: list[FieldIssue] = []
    issue = year_issue(draft.year)
    if issue is not None:
        return [issue], 0
    fen = 0
    try:
        fen = parse_amount(str(draft.amount))
    except ValueError as exc:
        issues.append(FieldIssue("amount", str(exc), "amount_invalid"))
    issues += payment_issues(draft.year, draft.paid_on, draft.kind, draft.payer, draft.note)
    if draft.party_org_id is None:
        issues.append(FieldIssue("party_org", "请选择收款党组织", "party_org_missing"))
    return issues, fen


def add_payment(db: Database, draft: PaymentDraft) -> int:
    """Record a payment to a party organization; nothing is written when anything is
    wrong (every issue said at once, in Chinese). Undoable as one change."""
    issues, fen = _issues(draft)
    with db.session() as s:
        org = None if draft.party_org_id is None else s.get(PartyOrganization, draft.party_org_id)
        if draft.party_org_id is not None and org is None:
            issues.append(
                FieldIssue("party_org", "没有这个党组织（可能已被删除）", "party_org_gone")
            )
        if issues:
            raise ValidationError(issues)
        assert org is not None and draft.kind is not None and draft.paid_on is not None
        payment = FundPayment(
            year=draft.year,
            party_org_id=org.id,
            kind=draft.kind.value,
            paid_on=draft.paid_on,
            amount=fen,
            payer=draft.payer.strip(),
            note=draft.note.strip(),
        )
        s.add(payment)
        summary = f"经费拨付：{org.name} {draft.kind.label} {yuan_text(fen)}元"
        Change(s, summary).created(payment)
        return payment.id


def delete_payment(db: Database, payment_id: int) -> None:
    """A payment entered by mistake (undoable)."""
    with db.session() as s:
        payment = s.get(FundPayment, payment_id)
        if payment is None:
            raise LookupError("没有这笔拨付记录（可能已被删除）")
        Change(s, "删除误录的经费拨付").deleted(payment)


def payment_id_of(db: Database, uuid: str) -> int:
    with db.read_connection() as conn:
        row = conn.execute(q.PAYMENT_BY_UUID, (uuid.strip(),)).fetchone()
    if row is None:
        raise LookupError(f"没有编号为“{uuid.strip()}”的拨付记录")
    return int(row[0])


def rules_said(year: FundsYear) -> list[str]:
    """How each figure was worked out, in the clerk's words (the page, the sheet)."""
    s = year.settings
    halves = [c for c in year.counted_periods if "H" in c]
    counted = "、".join(halves) or "无"
    lines = [
        f"党员活动经费：每名正式党员每年{yuan_text(s.per_member)}元（柳州“3个100元”），"
        "按党组织所覆盖在册单位的正式党员数（台账现值）计算",
        f"阵地建设启动经费：成立日期在{year.year}年的党组织每个{yuan_text(s.startup)}元",
        f"以奖代补：已发布的半年考核（{counted}）中优秀单位按其分类的补助，计入其党组织",
        "星级党组织奖励：已发布的年度考核中五星、四星、三星级党组织每个"
        + "、".join(f"{yuan_text(s.star_award(n))}元" for n in STAR_LEVELS),
        "党费返还：编组经费统筹中登记的党费返还，计入组长单位的党组织，全额返还即应拨即已拨",
    ]
    if year.open_periods:
        lines.append(f"{'、'.join(year.open_periods)}尚未发布，其优秀、星级的奖励发布后计入")
    for u in year.unattributed:
        lines.append(f"未计入：{u.kind.label}“{u.name}”{yuan_text(u.amount)}元（{u.reason}）")
    return lines


def write_sheet(wb: object, db: Database, year: int) -> None:
    """The year's 经费保障 sheet, into an XlsxWriter workbook (the yearly workbook's)."""
    from app.exchange.funds_sheet import write_funds_sheet
    from app.services.registry.park import get_park

    funds = year_funds(db, year)
    title = f"{get_park(db).park_name}{year}年经费保障（应拨、已拨与结余，单位：元）"
    write_funds_sheet(wb, title, funds.rows, funds.totals, rules_said(funds))
