"""One flagged record of the worklist (预警), and the worklist as it is gathered."""

from __future__ import annotations

from typing import NamedTuple

from app.domain.rules import RULE_LABELS, Rule


class Gap(NamedTuple):
    """One flagged record (a tuple: a 50,000-organization park makes ten thousand)."""

    rule: Rule
    record: str  # organization | party_organization | instructor
    record_id: int
    name: str
    detail: str

    @property
    def label(self) -> str:
        return RULE_LABELS[self.rule]


class Found:
    """The gaps found so far, a list per rule: each rule's finds stay in the order its
    scan gives (names in order), and the worklist reads them rule by rule."""

    def __init__(self) -> None:
        self.by_rule: dict[Rule, list[Gap]] = {rule: [] for rule in Rule}

    def gaps(self) -> list[Gap]:
        return [gap for rule in Rule for gap in self.by_rule[rule]]  # rules in RULE_RANK order
