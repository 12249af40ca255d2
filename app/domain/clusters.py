"""编组共建 (Quzhou): units grouped under a leader unit, which holds three powers
for the cluster each year — 经费统筹 (dues returned to the cluster, the leader's
spending, the balance), 发展党员指标 (the cluster's quota for new members and its
allocation to member units), 评优推荐 (an award's places and the nominations).

Money is counted in fen (integers): 12.50 yuan is 1250, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from app.domain.validation import FieldIssue

# 衢州 (003): "组长单位均由市级以上双重管理党组织担任" — a leader with its own branch
# that is not 双重管理 is flagged as well (before issue 25 only one with neither was)
LEADER_RULE = "衢州：组长单位均由市级以上双重管理党组织担任"
# 衢州 (003): the quota is divided "根据…入党积极分子的成熟度": a place to a unit with none
ALLOCATION_RULE = "指标分配应根据入党积极分子的成熟度"


def leader_warnings(has_leader: bool, has_party_org: bool, dual_managed: bool) -> list[str]:
    """What the committee should look at in a cluster's leadership (saved all the same)."""
    if not has_leader:
        return ["未确定组长单位"]
    if not has_party_org:
        return [f"组长单位没有党组织，不是市级以上双重管理党组织（{LEADER_RULE}）"]
    if not dual_managed:
        return [f"组长单位的党组织不是市级以上双重管理（{LEADER_RULE}）"]
    return []


def allocation_warning(unit: str, places: int | None, activists: int | None) -> str:
    """A member-quota place given to a unit without activists (saved all the same)."""
    if not places or (activists or 0) > 0:
        return ""
    return f"“{unit}”没有入党积极分子，却分得发展党员指标{places}名（{ALLOCATION_RULE}）"


# 衢州 (003): the clusters' rhythm, "每季交流、半年汇报、年终考核" (and 一季一观摩)
RHYTHM_RULE = "衢州：编组每季交流、半年汇报、年终考核"


def ended_quarters(year: int, today: date) -> list[int]:
    """The quarters of ``year`` that have ended by ``today`` (asked once for all clusters)."""
    ended = []
    for quarter in range(1, 5):
        next_first = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        if next_first - timedelta(days=1) < today:
            ended.append(quarter)
    return ended


def quarters_without_exchange(
    year: int, exchanges: Iterable[date | None], active_from: date | None, ended: list[int]
) -> list[int]:
    """Of the ``ended`` quarters of ``year``, those without a 每季交流 dated in them,
    counted from the quarter of ``active_from`` (the cluster's first record that year
    when it was formed that year; None: the whole year)."""
    held = {(d.month - 1) // 3 + 1 for d in exchanges if d is not None and d.year == year}
    since = active_from is not None and active_from.year == year
    first = (active_from.month - 1) // 3 + 1 if since and active_from else 1
    return [q for q in ended if q >= first and q not in held]


def rhythm_warning(year: int, missing: list[int]) -> str:
    if not missing:
        return ""
    quarters = "、".join(f"第{q}季度" for q in missing)
    return f"{year}年{quarters}没有每季交流（{RHYTHM_RULE}）"


def yuan_text(fen: int) -> str:
    """1250 → "12.50" (negative balances too: -300 → "-3.00")."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


# one amount of money beyond 1000万元 is a typo (or 1e30 from a formula): refused before
# it is stored, as a year's sums of such amounts would pass SQLite's 64-bit integer and
# every read of the clusters and of 经费保障 would fail (a count beyond 十万 alike)
MAX_AMOUNT = 1_000_000_000  # fen: 10,000,000 元
MAX_AMOUNT_TEXT = "10,000,000"
MAX_COUNT = 100_000
# "1,200.50", "12,000": a comma only between groups of three digits ("1,5" is no amount)
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_yuan(text: str) -> int:
    """ "12.5" → 1250 fen; ValueError in Chinese for anything else (no rounding: the
    digits are looked at as typed, never through Decimal's 28-digit arithmetic, which
    rounds 1.000…001 to 1 and overflows on 1e999999)."""
    cleaned = text.strip().removesuffix("元").strip().removeprefix("¥").removeprefix("￥")
    cleaned = cleaned.replace("，", ",")
    if "," in cleaned:
        if not _GROUPED.fullmatch(cleaned):
            raise ValueError(f"“{text.strip()}”不是金额（逗号只能用作千位分隔，如 1,200.50）")
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text.strip()}”不是金额") from None
    if not value.is_finite() or value <= 0:
        raise ValueError("金额须大于0")
    if value > MAX_AMOUNT // 100:  # compared exactly, before any arithmetic
        raise ValueError(f"金额过大：一笔不能超过{MAX_AMOUNT_TEXT}元")
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if exponent < -2 and any(digits[exponent + 2 :]):
        raise ValueError("金额最多保留两位小数（到分）")
    return int(value.scaleb(2).to_integral_value())


def size_issues(money: bool, amount: int | None, second: int | None) -> list[FieldIssue]:
    """A record's numbers within what a cluster's year can hold: an amount of money up
    to MAX_AMOUNT fen, a count (a quota, places, those recruited, a rank) up to MAX_COUNT."""
    issues: list[FieldIssue] = []
    if amount is not None and money and amount > MAX_AMOUNT:
        message = f"金额过大：一笔不能超过{MAX_AMOUNT_TEXT}元"
        issues.append(FieldIssue("amount", message, "amount_too_large"))
    elif amount is not None and not money and amount > MAX_COUNT:
        issues.append(FieldIssue("amount", f"数额过大：不能超过{MAX_COUNT:,}", "count_too_large"))
    if second is not None and not 0 <= second <= MAX_COUNT:
        message = f"第二数额须在0至{MAX_COUNT:,}之间"
        issues.append(FieldIssue("second_amount", message, "count_too_large"))
    return issues


def spending_warning(balance_before: int, amount: int) -> str:
    """Spending beyond the balance is allowed (the dues may come later) but flagged."""
    if amount <= balance_before:
        return ""
    return f"支出{yuan_text(amount)}元，超过结余{yuan_text(balance_before)}元"


def allocation_issue(
    quota: int | None, allocated_elsewhere: int, allocation: int
) -> FieldIssue | None:
    """The allocations to member units never add up to more than the cluster's quota."""
    if allocation < 0:
        return FieldIssue("amount", "分配名额不能为负数", "allocation_negative")
    if quota is None:
        return FieldIssue("amount", "请先录入本编组当年的发展党员指标", "quota_missing")
    if allocated_elsewhere + allocation > quota:
        message = (
            f"分配合计{allocated_elsewhere + allocation}名，超过本编组当年指标{quota}名"
            f"（其他单位已分配{allocated_elsewhere}名）"
        )
        return FieldIssue("amount", message, "allocation_over_quota")
    return None


def nomination_issue(places: int, nominated: int) -> FieldIssue | None:
    """Never more nominations than the award's places."""
    if nominated >= places:
        message = f"该奖项本编组名额{places}个，已推荐{nominated}个，不能再推荐"
        return FieldIssue("organization", message, "nomination_over_places")
    return None
