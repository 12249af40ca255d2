"""汇总名录 (a county database): every unit of the parks' submissions in force, with its
园区 column and filter, and a filter by figure (the units behind each figure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox

from app.domain.rules import should_set_up_own
from app.domain.vocabulary import Formation, OrgKind, yes_no_label
from ui.pages.table_page import TablePage, detail_table, esc
from ui.table_model import Column, count_column

ALL_PARKS = "全部园区"


def _in(row: Any) -> bool:
    return bool(row.in_base)


def _covered(row: Any) -> bool:
    return row.in_base and row.formation != Formation.NONE.value


def _work(row: Any) -> bool:
    return row.in_base and (row.formation != Formation.NONE.value or row.looked_after)


# the figure a row of 园区对比 was opened on → the units behind it (in the base, as counted)
MEASURES: tuple[tuple[str, str, Callable[[Any], bool] | None], ...] = (
    ("all", "全部单位", None),
    ("base", "纳入统计的组织", _in),
    ("covered", "党组织已覆盖", _covered),
    ("uncovered", "党组织未覆盖", lambda r: r.in_base and not _covered(r)),
    ("own", "单独组建", lambda r: r.in_base and r.formation == Formation.OWN.value),
    ("work_covered", "党的工作已覆盖", _work),
    ("work_uncovered", "党的工作未覆盖", lambda r: r.in_base and not _work(r)),
    (
        "should_set_up",
        "应建未建",
        lambda r: r.in_base and should_set_up_own(r.formal_members, Formation(r.formation)),
    ),
)
MEASURE_KEYS = [key for key, _label, _pred in MEASURES]


def _count(n: int | None) -> str:
    return "" if n is None else str(n)


class CountyUnitsPage(TablePage):
    page_name = "county_units"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            Column("park", t("园区"), lambda r: r.park, width=150),
            Column("name", t("组织名称"), lambda r: r.name, width=260),
            Column("uscc", t("统一社会信用代码"), lambda r: r.uscc, width=170),
            Column("kind", t("类型"), lambda r: OrgKind(r.kind).label, width=80),
            Column("formation", t("组建方式"), lambda r: Formation(r.formation).label, width=80),
            Column("party_org", t("所属党组织"), lambda r: r.party_org, width=220),
            count_column("formal", t("正式党员"), lambda r: r.formal_members),
            Column("class", t("分类"), lambda r: r.class_code or "", width=50),
            Column("in_base", t("纳入统计"), lambda r: yes_no_label(r.in_base), width=70),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索名称、信用代码、党组织或园区")

    def build_filters(self) -> None:
        self.park_filter = self.add_filter("park", [(self.tr(ALL_PARKS), None)])
        self.park_names: list[str] = []
        self.measure_filter = self.add_filter(
            "measure", [(self.tr(label), pred) for _key, label, pred in MEASURES]
        )

    def load_rows(self) -> list[Any]:
        from app.services.county.county_lists import county_units

        return county_units(self.db)

    def _loaded(self, prepared: Any) -> None:
        self._refresh_parks(sorted({row.park for row in prepared.rows}))
        super()._loaded(prepared)

    def _refresh_parks(self, names: list[str]) -> None:
        """The 园区 filter lists the parks of the rows read, keeping the one chosen."""
        if names == self.park_names:
            return
        chosen = self.park_filter.currentText()
        self.park_names = names
        options: list[Any] = [None] + [(lambda r, n=n: r.park == n) for n in names]
        self._set_options(self.park_filter, [self.tr(ALL_PARKS), *names], options)
        if chosen in names:
            self.park_filter.setCurrentIndex(names.index(chosen) + 1)

    def _set_options(self, combo: QComboBox, labels: list[str], options: list[Any]) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(labels)
        combo.blockSignals(False)
        self._filters = [(c, options if c is combo else o) for c, o in self._filters]

    def show_park(self, park: str, measure: str = "all") -> None:
        """Drill down from 园区对比: the units of ``park`` (all parks: "") behind a figure."""
        self.search.clear()
        if park and park not in self.park_names:
            self._refresh_parks(sorted({*self.park_names, park}))
        self.park_filter.setCurrentIndex(self.park_names.index(park) + 1 if park else 0)
        self.measure_filter.setCurrentIndex(MEASURE_KEYS.index(measure))

    def edit_current(self) -> None:
        """A county reads its parks' units; they are edited in the park's own database."""

    def detail_html(self, row: Any) -> str:
        t = self.tr
        rows = [
            (t("园区"), row.park),
            (t("报送季度"), row.quarter),
            (t("统一社会信用代码"), row.uscc or t("（未填）")),
            (t("组织类型"), OrgKind(row.kind).label),
            (t("组建方式"), Formation(row.formation).label),
            (t("所属党组织"), row.party_org or "—"),
            (t("正式党员数"), "" if row.formal_members is None else str(row.formal_members)),
            (
                t("预备党员数"),
                "" if row.probationary_members is None else str(row.probationary_members),
            ),
            (t("入党积极分子数"), "" if row.activists is None else str(row.activists)),
            (t("在岗党建指导员"), yes_no_label(row.looked_after)),
            (t("分类"), row.class_code or t("未分类")),
            (t("纳入统计基数"), yes_no_label(row.in_base)),
            (t("报送表中的行"), str(row.sheet_row)),
        ]
        return f"<h3>{esc(row.name)}</h3>" + detail_table(rows)
