"""经费保障 (柳州 000): what each party organization is entitled to in a year, what
was paid against it, and the balance. Pure: the service hands in the facts.

柳州: "区、市、县三级每年给每名两新组织党员“3个100元”活动经费补贴，对每个新组建的两新
组织党组织给予2000元的阵地建设启动经费"; 濉溪 (002): "每半年对每类前3名评为“优秀”等次
的非公企业，以奖代补给予一定党建经费资金补助"; 衢州 (003): "各编组上交的…党费全额返还到
组长单位"; 柳州's city budgets "星级党组织奖励" (an amount per star level, a setting: the
documents give only the city's total). Money is counted in fen (integers): exact, never a float.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

# one payment or one standard beyond 1000万元 is refused where every amount of money is
# parsed (domain/clusters.py), named here too
from app.domain.clusters import MAX_AMOUNT as MAX_AMOUNT
from app.domain.clusters import MAX_AMOUNT_TEXT as MAX_AMOUNT_TEXT
from app.domain.clusters import parse_yuan, yuan_text
from app.domain.limits import TextLimit, control_message, too_long_message
from app.domain.validation import FieldIssue
from app.domain.vocabulary import FundKind

# ParkDesk's defaults (DOMAIN.md), settings of the park: "3个100元" a formal member a
# year, 2,000 元 for each party organization formed in the year
PER_MEMBER_DEFAULT = 30_000  # fen
STARTUP_DEFAULT = 200_000  # fen

# what a payment may be recorded against here. 党费返还 is the clusters' own ledger
# (编组 → 经费统筹): recorded once, there, it counts here as entitled and paid at once
PAYABLE = (FundKind.MEMBER_ACTIVITY, FundKind.SITE_STARTUP, FundKind.AWARD, FundKind.STAR_AWARD)
STAR_LEVELS = (5, 4, 3)  # 五星争创's levels (柳州 rates three, four and five stars)
DUES_WHERE = "党费返还在编组的经费统筹中记录（编组共建 → 记录，或 clusters record）"

PAYER = TextLimit("拨付单位", 200)
NOTE = TextLimit("备注", 2000)


@dataclass(frozen=True, slots=True)
class FundSettings:
    """The park's standards, in fen."""

    per_member: int = PER_MEMBER_DEFAULT
    startup: int = STARTUP_DEFAULT
    # fen per party organization of five, four, three stars in the year's published
    # yearly rating; 0 by default: the documents name no amount per organization
    stars: tuple[int, int, int] = (0, 0, 0)

    def star_award(self, stars: int) -> int:
        return self.stars[STAR_LEVELS.index(stars)] if stars in STAR_LEVELS else 0


@dataclass(frozen=True, slots=True)
class OrgFacts:
    """What a party organization's entitlements of a year are computed from."""

    id: int
    uuid: str
    name: str
    founded: date | None
    formal_members: int  # of the units on the register it covers
    awards: int = 0  # fen: 以奖代补 of its units' 优秀 in the year's published half-years
    dues_returned: int = 0  # fen: its clusters' returned dues of the year (it leads them)
    stars: int = 0  # its stars in the year's published yearly rating (0: none)


def member_activity(formal_members: int, settings: FundSettings) -> int:
    """每名党员"3个100元": formal members only (probationary members are not counted)."""
    return max(formal_members, 0) * settings.per_member


def site_startup(founded: date | None, year: int, settings: FundSettings) -> int:
    """2,000 元 阵地建设启动经费 for a party organization formed (founded) in ``year``."""
    return settings.startup if founded is not None and founded.year == year else 0


def existed_in(founded: date | None, year: int) -> bool:
    """A party organization founded after ``year`` had nothing that year (no date: it did)."""
    return founded is None or founded.year <= year


def entitlements(facts: OrgFacts, year: int, settings: FundSettings) -> dict[FundKind, int]:
    if not existed_in(facts.founded, year):
        return _zero()
    return {
        FundKind.MEMBER_ACTIVITY: member_activity(facts.formal_members, settings),
        FundKind.SITE_STARTUP: site_startup(facts.founded, year, settings),
        FundKind.AWARD: facts.awards,
        FundKind.STAR_AWARD: settings.star_award(facts.stars),
        FundKind.DUES_RETURN: facts.dues_returned,
    }


def _zero() -> dict[FundKind, int]:
    return dict.fromkeys(FundKind, 0)


class _Amounts:
    """Entitled and paid by kind (fen), their totals and the balance: a party
    organization's row and the year's totals alike."""

    __slots__ = ()
    entitled: dict[FundKind, int]
    paid: dict[FundKind, int]

    @property
    def entitled_total(self) -> int:
        return sum(self.entitled.values())

    @property
    def paid_total(self) -> int:
        return sum(self.paid.values())

    @property
    def balance(self) -> int:
        """Entitled − paid: positive still owed, negative paid beyond the entitlement."""
        return self.entitled_total - self.paid_total


@dataclass(slots=True)
class FundRow(_Amounts):
    """One party organization's year: entitled and paid by kind, in fen."""

    id: int
    uuid: str
    name: str
    formal_members: int
    founded: date | None
    entitled: dict[FundKind, int] = field(default_factory=_zero)
    paid: dict[FundKind, int] = field(default_factory=_zero)

    @property
    def search_text(self) -> str:
        return self.name.casefold()


def fund_rows(
    facts: Iterable[OrgFacts],
    payments: Iterable[tuple[int, FundKind, int]],
    year: int,
    settings: FundSettings,
) -> list[FundRow]:
    """Every party organization's row: its entitlements and the payments (party
    organization id, purpose, fen) recorded against them. The returned dues are paid as
    they are recorded (全额返还): entitled and paid alike."""
    rows: dict[int, FundRow] = {}
    for f in facts:
        row = FundRow(f.id, f.uuid, f.name, f.formal_members, f.founded)
        row.entitled = entitlements(f, year, settings)
        row.paid[FundKind.DUES_RETURN] = f.dues_returned
        rows[f.id] = row
    for org_id, kind, amount in payments:
        if org_id in rows:
            rows[org_id].paid[kind] += amount
    # an organization formed after the year is listed only for a payment recorded then
    return [r for r in rows.values() if existed_in(r.founded, year) or r.paid_total]


@dataclass(frozen=True, slots=True)
class Totals(_Amounts):
    entitled: dict[FundKind, int]
    paid: dict[FundKind, int]


def totals(rows: Iterable[FundRow]) -> Totals:
    entitled, paid = _zero(), _zero()
    for row in rows:
        for kind in FundKind:
            entitled[kind] += row.entitled[kind]
            paid[kind] += row.paid[kind]
    return Totals(entitled, paid)


def parse_amount(text: str) -> int:
    """An amount as typed ("300", "1,200.50元") → fen; ValueError in Chinese for
    anything else: not a number, 0 or less, beyond two decimals, beyond MAX_AMOUNT."""
    if not text.strip():
        raise ValueError("请填写金额")
    if text.strip().lstrip("+-").casefold() in ("nan", "snan", "inf", "infinity"):
        raise ValueError(f"“{text.strip()}”不是金额")  # Decimal reads these as numbers
    return parse_yuan(text)


def parse_standard(text: str, label: str) -> int:
    """A standard of the settings in fen: 0 allowed (the park pays none of it), as "0",
    "0.00" or "0元" alike."""
    try:
        return parse_amount(text)
    except ValueError as exc:
        sign = _sign(text)
        if sign == 0:
            return 0
        if sign is not None and sign < 0:  # "须大于0" would contradict the 0 allowed here
            raise ValueError(f"{label}：不能为负数（填0表示不拨付此项）") from None
        raise ValueError(f"{label}：{exc}") from None


def _sign(text: str) -> int | None:
    """-1, 0 or 1 for a number as typed; None for anything else."""
    try:
        value = Decimal(text.strip().removesuffix("元").strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return 0 if value.is_zero() else (-1 if value.is_signed() else 1)


def kind_of(text: str) -> FundKind | None:
    """A purpose as typed: its code, its label or an alias."""
    found = FundKind.from_text(text)
    return found if isinstance(found, FundKind) else None


def payment_issues(
    year: int,
    paid_on: date | None,
    kind: FundKind | None,
    payer: str,
    note: str,
) -> list[FieldIssue]:
    """What refuses a payment, besides its amount and its recipient (the service checks
    those): the date inside the year, a purpose paid here, a payer, texts that fit."""
    issues: list[FieldIssue] = []
    if paid_on is None:
        issues.append(FieldIssue("paid_on", "请填写拨付日期", "date_missing"))
    elif paid_on.year != year:
        message = f"拨付日期{paid_on.isoformat()}不在{year}年内"
        issues.append(FieldIssue("paid_on", message, "date_outside_year"))
    if kind is None:
        known = "、".join(k.label for k in PAYABLE)
        issues.append(FieldIssue("kind", f"请选择经费类别（{known}）", "kind_unknown"))
    elif kind not in PAYABLE:
        issues.append(FieldIssue("kind", DUES_WHERE, "kind_not_payable"))
    if not payer.strip():
        issues.append(FieldIssue("payer", "请填写拨付单位", "payer_missing"))
    for name, limit, text in (("payer", PAYER, payer), ("note", NOTE, note)):
        if len(text) > limit.chars:
            issues.append(FieldIssue(name, too_long_message(limit, len(text)), f"{name}_too_long"))
        elif (problem := control_message(limit.label, text)) is not None:
            issues.append(FieldIssue(name, problem, "control_character"))
    return issues


def year_issue(year: int) -> FieldIssue | None:
    """A year ParkDesk keeps accounts for (a typo such as 20266 is refused)."""
    if 1949 <= year <= 9999:
        return None
    return FieldIssue("year", f"“{year}”不是有效的年份", "year_invalid")


def amount_text(fen: int) -> str:
    """Fen as exact yuan text without separators, for JSON and sheets: 30000 → "300.00"."""
    return yuan_text(fen).replace(",", "")
