"""结对帮带 (Suixi): a unit with its own party organization helps another.

The recommended directions are A→C (示范带成长), B→D (稳健带孵化) and A→B
(示范辐射稳健); any other is allowed with a warning. A pairing needs a helper
with its own party organization, two different units, and dates in order.
C- and D-class units without an active pairing join the worklist (a park
setting, on by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.validation import FieldIssue
from app.domain.vocabulary import Formation, OrgClass

A, B, C, D = OrgClass.A, OrgClass.B, OrgClass.C, OrgClass.D
RECOMMENDED: dict[tuple[OrgClass, OrgClass], str] = {
    (A, C): "示范带成长",
    (B, D): "稳健带孵化",
    (A, B): "示范辐射稳健",
}


@dataclass(frozen=True, slots=True)
class PairingFacts:
    helper_id: int
    helped_id: int
    helper_formation: Formation
    started_on: date | None
    ended_on: date | None


def direction_text(helper: OrgClass | None, helped: OrgClass | None) -> str:
    """A→C 示范带成长, or the letters alone off the recommended ways."""
    if helper is None or helped is None:
        return ""
    name = RECOMMENDED.get((helper, helped), "")
    return f"{helper.value}→{helped.value}{(' ' + name) if name else ''}"


def pairing_warnings(helper: OrgClass | None, helped: OrgClass | None) -> list[str]:
    """Allowed, but said: a direction off the recommended ones, or a class missing."""
    if helper is None or helped is None:
        return ["帮带双方须先分类，才能判断帮带方向"]
    if (helper, helped) in RECOMMENDED:
        return []
    ways = "、".join(f"{h.value}→{d.value} {n}" for (h, d), n in RECOMMENDED.items())
    return [f"{helper.label}帮带{helped.label}不是推荐的帮带方向（{ways}）"]


def check_pairing(facts: PairingFacts) -> list[FieldIssue]:
    """What stops a pairing from being saved, each at its field."""
    issues = []
    if facts.helper_id == facts.helped_id:
        issues.append(FieldIssue("helped", "帮带单位和被帮带单位不能是同一个", "pair_self"))
    if facts.helper_formation is not Formation.OWN:
        message = "帮带单位须单独建立党组织（联合、挂靠或未建的不能帮带）"
        issues.append(FieldIssue("helper", message, "helper_without_own"))
    if facts.started_on is None:
        issues.append(FieldIssue("started_on", "请填写开始日期", "started_missing"))
    elif facts.ended_on is not None and facts.ended_on < facts.started_on:
        message = f"结束日期{facts.ended_on:%Y-%m-%d}早于开始日期{facts.started_on:%Y-%m-%d}"
        issues.append(FieldIssue("ended_on", message, "ends_before_start"))
    return issues


def is_active(started_on: date, ended_on: date | None, today: date) -> bool:
    return started_on <= today and (ended_on is None or ended_on >= today)
