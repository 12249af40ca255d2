"""组织台账: the registry of organizations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QPushButton

from app.domain.rules import RULE_LABELS
from app.domain.vocabulary import (
    Formation,
    OrgClass,
    OrgKind,
    OrgStatus,
)
from app.services.registry import org_list
from ui import messages
from ui.pages.history_html import history_html
from ui.pages.table_page import TablePage, detail_table, each_of, esc, unit_columns, yes_or_no
from ui.table_model import Column, count_column

if TYPE_CHECKING:
    from app.services.registry.org_list import OrgRow
    from ui.dialogs.organization_dialog import OrganizationDialog

# Services that write or read details (SQLAlchemy) and the dialogs are imported
# where used: the first screen is shown before SQLAlchemy is loaded.


class OrganizationsPage(TablePage):
    page_name = "organizations"

    def columns(self) -> list[Column]:
        """services/registry/registry_columns.py's columns (the printed register shares them)."""
        from app.services.registry.registry_columns import REGISTRY_COLUMNS

        out = []
        for c in REGISTRY_COLUMNS:
            title = self.tr(c.label)
            if c.key == "name":  # natural order, numbers by value (name_rank)
                out.append(unit_columns(title, "")[0])
            elif c.value is not None:
                out.append(count_column(c.key, title, c.value, width=c.width))
            else:
                out.append(Column(c.key, title, c.text, width=c.width, warning=c.warning))
        return out

    def search_hint(self) -> str:
        return self.tr("搜索名称、信用代码、联系人、电话、地址")

    def build_filters(self) -> None:
        t = self.tr
        self.model.set_muted(lambda r: r.status is not OrgStatus.ACTIVE)
        self.add_filter(
            "kind",
            each_of(t("全部类型"), OrgKind, lambda r: r.kind),
        )
        self.add_filter(
            "status",
            each_of(t("全部状态"), OrgStatus, lambda r: r.status),
        )
        self.add_filter(
            "formation",
            each_of(t("全部组建方式"), Formation, lambda r: r.formation),
        )
        self.add_filter(
            "class",
            [
                *each_of(t("全部分类"), OrgClass, lambda r: r.class_code),
                (t("未分类"), lambda r: not r.class_code),
            ],
        )
        self.add_filter(
            "in_base",
            yes_or_no(
                t("纳入与不纳入"), t("纳入统计基数"), t("不纳入统计基数"), lambda r: r.in_base
            ),
        )
        self.add_filter(
            "warnings",
            [(t("全部预警情况"), None), (t("有预警"), lambda r: bool(r.warnings))]
            + [
                (label, (lambda r, rule=rule: any(w.rule is rule for w in r.warnings)))
                for rule, label in RULE_LABELS.items()
            ],
        )

    def build_actions(self) -> None:
        t = self.tr
        self.add_record_actions(
            t("新增组织"),
            ("status", t("标记注销/迁出"), self.change_status),
            ("detach", t("脱联单建…"), self.detach_current),
        )
        from app.services.field.field_identity import field_info

        if field_info(self.db) is not None:  # the registry is read-only there
            for button in self.findChildren(QPushButton):
                if button.objectName().startswith("action_"):
                    button.hide()
            self.add_action("correct", t("提出更正…"), self.suggest_correction)

    def report(self) -> Any:
        """The register as shown (its rows, in its order), the columns the clerk ticks
        (in the page's order), as reports/registry.py prints it; None when cancelled."""
        from app.services.registry.registry_columns import PRINTED
        from ui.dialogs.columns_dialog import ColumnsDialog
        from ui.pages.list_output import shown_columns, shown_rows

        columns = [(c.key, c.title) for c in shown_columns(self)]
        dialog = ColumnsDialog(columns, PRINTED, self)
        if not dialog.exec():
            return None
        db, rows, keys = self.db, shown_rows(self), dialog.chosen()

        def make(path: Path, progress: Callable[[int, int], None]) -> Any:
            # in the worker, reportlab imported there too: the register is laid out in a
            # process of its own, so its long C calls never hold the window's GIL
            from app.services.reports.registry import registry_pdf_apart

            return registry_pdf_apart(db, path, keys, rows, progress)

        return make

    def output_actions(self) -> list[tuple[str, str, Any]]:
        return [
            ("unit_preview", self.tr("打印一企一档…"), lambda: self._unit_file("preview")),
            ("unit_pdf", self.tr("一企一档保存为PDF…"), lambda: self._unit_file("save_pdf")),
        ]

    def _unit_file(self, how_named: str) -> None:
        """``how_named``: a function of ui/printing.py (imported, with Qt's print
        support, when something is printed: not with the page, on the first screen)."""
        from app.services.reports.unit import unit_pdf
        from ui import printing

        how = getattr(printing, how_named)

        row: OrgRow | None = self.current_row()
        if row is None:
            messages.info(self, self.tr("一企一档"), self.tr("请先在列表中选择一个单位"))
            return
        db, org_id = self.db, row.id
        how(self, self.tr("一企一档-%s") % row.name, lambda path, _p: unit_pdf(db, org_id, path))

    @Slot()
    def suggest_correction(self) -> None:
        from ui.dialogs.correction_dialog import CorrectionDialog

        row: OrgRow | None = self.current_row()
        if row is None:
            return
        if CorrectionDialog(self.db, row.id, row.name, self).exec():
            self.changed.emit()
            messages.info(
                self, self.tr("提出更正"), self.tr("已记下，回传包会把它带给园区办公室。")
            )

    def editor(self, row_id: int | None) -> OrganizationDialog:
        from ui.dialogs.organization_dialog import OrganizationDialog

        return OrganizationDialog(self.db, row_id, self)

    def load_rows(self) -> list[Any]:
        return org_list.list_organizations(self.db)

    # -- actions ------------------------------------------------------------

    @Slot()
    def detach_current(self) -> None:
        from ui.dialogs.detach_dialog import DetachDialog

        row: OrgRow | None = self.current_row()
        if row is None:
            return
        dialog = DetachDialog(self.db, row, self)
        if dialog.exec():
            self.after_write(row.id)
            messages.info(self, self.tr("脱联单建"), dialog.result_text)

    @Slot()
    def change_status(self) -> None:
        from app.services.registry import organizations
        from ui.dialogs.status_dialog import StatusDialog

        row: OrgRow | None = self.current_row()
        if row is None:
            return
        dialog = StatusDialog(row.name, row.status, self)
        if dialog.exec() and dialog.result_status is not None and dialog.result_date is not None:
            organizations.mark_status(
                self.db,
                row.id,
                dialog.result_status,
                dialog.result_date,
                dialog.note.text().strip(),
            )
            self.after_write(row.id)

    def delete_question(self, row: OrgRow) -> tuple[str, str]:
        return self.tr("删除误录的组织"), self.tr(
            "只有录错的条目才应删除。注销或迁出的组织请用“标记注销/迁出”，以保留历史。\n\n"
            "确定删除“%s”吗？删除后可用“编辑 → 撤销”恢复。"
        ) % row.name

    def delete_record(self, row_id: int) -> None:
        from app.services.registry import organizations

        organizations.delete_organization(self.db, row_id)

    # -- detail -------------------------------------------------------------
    def detail_html(self, row: OrgRow) -> str:
        """The unit's file as the printed 一企一档 has it, section by section (one home:
        services/registry/unit_file.py), then what only the screen keeps: its change history."""
        from app.services.files import audit
        from app.services.registry import unit_file

        t = self.tr
        file = unit_file.unit_file(self.db, row.id)
        parts = [f"<h3>{esc(file.name)}</h3>"]
        if file.warnings:
            parts.append(
                "<p style='color:#b3261e'>"
                + "<br>".join(f"⚠ {esc(w)}" for w in file.warnings)
                + "</p>"
            )
        for section in file.sections:
            parts.append(f"<h4>{esc(section.title)}</h4>")
            parts.append(
                detail_table(section.rows, section.red)
                if section.rows
                else f"<p style='color:#777'>{esc(t('无'))}</p>"
            )
        if file.notes:
            parts.append(f"<h4>{esc(t('备注'))}</h4><p>{esc(file.notes)}</p>")
        parts.append(history_html(audit.history(self.db, "organization", row.id), t("变更记录")))
        return "".join(parts)
