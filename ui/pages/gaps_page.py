"""预警: every gap with its rule; double-click opens the record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal, Slot

from app.domain.rules import RULE_LABELS, RULE_RANK
from ui import messages
from ui.pages.table_page import TablePage, esc
from ui.table_model import Column

RECORD_LABELS = {"organization": "组织", "party_organization": "党组织", "instructor": "指导员"}


@dataclass(slots=True)
class GapRow:
    id: int
    gap: Any
    search_text: str


class GapsPage(TablePage):
    page_name = "gaps"
    open_record = Signal(str, int)

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            Column(
                "rule",
                t("预警"),
                lambda r: r.gap.label,
                sort_key=lambda r: (RULE_RANK[r.gap.rule], r.gap.name),
                width=170,
                warning=True,
            ),
            Column("record", t("对象"), lambda r: RECORD_LABELS[r.gap.record], width=70),
            Column("name", t("名称"), lambda r: r.gap.name, width=300),
            Column("detail", t("说明"), lambda r: r.gap.detail, width=420),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索名称或说明")

    def build_filters(self) -> None:
        self.rule_filter = self.add_filter(
            "rule",
            [(self.tr("全部预警"), None)]
            + [
                (label, (lambda r, rule=rule: r.gap.rule is rule))
                for rule, label in RULE_LABELS.items()
            ],
        )

    def build_actions(self) -> None:
        self.add_action("open", self.tr("打开"), self.edit_current)
        self.add_action("rectify", self.tr("生成整改问题"), self.rectify)

    def load_rows(self) -> list[Any]:
        from app.services.overview.gaps import find_gaps

        return [
            GapRow(n, g, f"{g.name}\n{g.detail}".casefold())
            for n, g in enumerate(find_gaps(self.db))
        ]

    def scope_note(self) -> str | None:
        from app.services.field import field_office

        return field_office.warnings_note(self.db)

    def show_rule(self, rule: str) -> None:
        labels = list(RULE_LABELS)
        index = next((i for i, r in enumerate(labels, start=1) if r.value == rule), 0)
        self.rule_filter.setCurrentIndex(index)

    def detail_html(self, row: GapRow) -> str:
        g = row.gap
        hint = esc(self.tr("双击或点“打开”查看该记录"))
        return (
            f"<h3>{esc(g.name)}</h3><p style='color:#b3261e'>⚠ {esc(g.label)}</p>"
            f"<p>{esc(g.detail)}</p><p style='color:#777'>{hint}</p>"
        )

    @Slot()
    def edit_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_record.emit(row.gap.record, row.gap.record_id)

    @Slot()
    def rectify(self) -> None:
        """The gap as a problem to rectify (走访整改), with its units and a deadline."""
        from app.domain.validation import ValidationError
        from app.services.field import visits

        row = self.current_row()
        if row is None:
            return
        try:
            visits.problem_from_gap(self.db, row.gap)
        except ValidationError as exc:
            messages.warn(self, self.tr("生成整改问题"), str(exc))
            return
        self.status_message.emit(
            self.tr("已生成整改问题，期限%d天，见“走访整改”页") % visits.RECTIFY_DAYS
        )
        self.changed.emit()
