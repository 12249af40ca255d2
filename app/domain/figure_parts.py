"""The parts the coverage figures are shown in (a stack's segments, a group's bars, the
three rates): their series keys, their words and their colours, one home for the
window's charts, the printed overview and the quarterly workbook. The formations'
words are the vocabulary's."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.vocabulary import Formation


@dataclass(frozen=True, slots=True)
class Part:
    key: str  # the key in a series (services/overview/figures.py) or a RegistryFigures attribute
    label: str
    colour: str = "#34495e"


# formations in the party's red, orange and yellow, the same in every chart
FORMATION_PARTS = tuple(
    Part(formation.value, formation.label, colour)
    for formation, colour in (
        (Formation.OWN, "#c0392b"),
        (Formation.JOINT, "#e67e22"),
        (Formation.ATTACHED, "#f1c40f"),
    )
)
NOT_COVERED = Part(Formation.NONE.value, "未覆盖", "#bdc3c7")
COVERAGE_PARTS = (*FORMATION_PARTS, NOT_COVERED)
MEMBER_PARTS = (
    Part("formal", "正式党员", "#c0392b"),
    Part("probationary", "预备党员", "#e67e22"),
    Part("activists", "入党积极分子", "#2e86c1"),
)
# the three rates, as RegistryFigures names them
RATE_PARTS = (
    Part("org_coverage_rate", "党组织覆盖率", "#c0392b"),
    Part("own_rate", "单独组建率", "#e67e22"),
    Part("work_coverage_rate", "党的工作覆盖率", "#2e86c1"),
)
# the classes' bars (A–E, 未分类), on screen and paper
CLASS_COLOUR = "#2e86c1"
