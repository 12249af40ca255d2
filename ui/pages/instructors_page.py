"""指导员: instructors and the organizations each looks after."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from app.domain.validation import ValidationError
from app.domain.vocabulary import InstructorRole, yes_no_label
from ui import messages
from ui.pages.history_html import history_html
from ui.pages.table_page import TablePage, day_text, detail_table, each_of, esc, yes_or_no
from ui.table_model import Column, RowTableModel, count_column
from ui.table_view import table_view
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.services.registry.instructors import AssignmentRow, InstructorRow
    from ui.dialogs.instructor_dialog import InstructorDialog


class InstructorsPage(TablePage):
    page_name = "instructors"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            Column("name", t("姓名"), lambda r: r.name, width=90),
            Column("role", t("身份"), lambda r: r.role.label, width=90),
            Column("unit", t("所在单位"), lambda r: r.unit, width=170),
            Column("phone", t("电话"), lambda r: r.phone, width=110),
            Column("active", t("在岗"), lambda r: yes_no_label(r.active), width=50),
            count_column("orgs", t("联系单位数"), lambda r: r.organizations, width=80),
            count_column("capacity", t("上限"), lambda r: r.capacity, width=50),
            Column(
                "warn",
                t("预警"),
                lambda r: t("超过上限") if r.over_capacity else "",
                width=80,
                warning=True,
            ),
            Column("org_names", t("联系的单位"), lambda r: r.organization_names, width=400),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索姓名、单位、电话、联系的单位")

    def build_filters(self) -> None:
        t = self.tr
        self.add_filter(
            "role",
            each_of(t("全部身份"), InstructorRole, lambda r: r.role),
        )
        self.add_filter(
            "active",
            yes_or_no(t("在岗与不在岗"), t("在岗"), t("不在岗"), lambda r: r.active),
        )
        # the assignments of the selected instructor, under the detail text
        self.assignments = RowTableModel(
            [
                Column("org", t("联系单位"), lambda a: a.organization, width=200),
                Column("role", t("方式"), lambda a: a.role.label, width=70),
                Column("from", t("开始"), lambda a: day_text(a.started_on), width=90),
                Column("to", t("结束"), lambda a: day_text(a.ended_on), width=90),
            ],
            self,
        )
        self.assignments.set_muted(lambda a: not a.active_on(date.today()))
        self.assignment_view = table_view(self.assignments, "assignments", single=True)
        header = self.assignment_view.horizontalHeader()
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, header.ResizeMode.ResizeToContents)
        row = QHBoxLayout()
        self.assign_button = QPushButton(t("安排联系单位"))
        self.assign_button.setObjectName("action_assign")
        self.end_button = QPushButton(t("结束联系"))
        self.end_button.setObjectName("action_end")
        self.remove_button = QPushButton(t("删除误录"))
        self.remove_button.setObjectName("action_remove_assignment")
        self.assign_button.clicked.connect(self.assign)
        self.end_button.clicked.connect(self.end_assignment)
        self.remove_button.clicked.connect(self.remove_assignment)
        for b in (self.assign_button, self.end_button, self.remove_button):
            row.addWidget(b)
        layout = self.detail_box.layout()
        layout.addWidget(QLabel(t("联系分工")))
        layout.addWidget(self.assignment_view, 1)
        layout.addLayout(row)

    def build_actions(self) -> None:
        self.add_record_actions(self.tr("新增指导员"))
        self.add_action(
            "suggest", self.tr("为未覆盖单位推荐指导员…"), self.suggest, needs_row=False
        )

    @Slot()
    def suggest(self) -> None:
        """Suggestions are read in a worker (10,000 units take about a second)."""
        from app.services.grouping.suggestions import suggest_assignments

        db = self.db
        run_task(self, self.tr("正在推荐…"), lambda _p: suggest_assignments(db), self._suggested)

    def _suggested(self, plan: list[Any]) -> None:
        from ui.dialogs.suggestions_dialog import SuggestionsDialog

        if not plan:
            messages.info(self, self.tr("推荐指导员"), self.tr("在册单位都已有党组织或指导员联系"))
            return
        dialog = SuggestionsDialog(self.db, plan, self)
        if dialog.exec():
            self.after_write()
            messages.info(
                self,
                self.tr("推荐指导员"),
                self.tr("已安排%d个单位的联系指导员") % dialog.accepted_count,
            )

    def editor(self, row_id: int | None) -> InstructorDialog:
        from ui.dialogs.instructor_dialog import InstructorDialog

        return InstructorDialog(self.db, row_id, self)

    def scope_note(self) -> str | None:
        from app.services.field import field_office

        return field_office.figures_note(self.db)  # a laptop counts its own units

    def load_rows(self) -> list[Any]:
        from app.services.registry import instructors

        return instructors.list_instructors(self.db)

    def show_detail(self, row: Any | None) -> None:
        super().show_detail(row)
        if not hasattr(self, "assignments"):
            return
        rows = []
        if row is not None:
            from app.services.registry import instructors

            rows = instructors.list_assignments(self.db, instructor_id=row.id)
        self.assignments.set_rows(rows)
        for b in (self.assign_button, self.end_button, self.remove_button):
            b.setEnabled(row is not None)

    def detail_html(self, row: InstructorRow) -> str:
        from app.services.field import visits
        from app.services.files import audit
        from ui.pages.visits_html import visits_html

        t = self.tr
        parts = [f"<h3>{esc(row.name)}</h3>"]
        if row.over_capacity:  # the domain's words: a 上限 not set counts as the assumed one
            parts.append(f"<p style='color:#b3261e'>⚠ {esc(row.over_text)}</p>")
        parts.append(
            detail_table(
                [
                    (t("身份"), row.role.label),
                    (t("所在单位"), row.unit),
                    (t("电话"), row.phone),
                    (t("在岗"), yes_no_label(row.active)),
                    (t("联系单位"), t("%d个") % row.organizations),
                ]
            )
        )
        seen, still_open = visits.of_instructor(self.db, row.id)
        parts.append(visits_html(seen, still_open, t, with_unit=True))
        parts.append(history_html(audit.history(self.db, "instructor", row.id), t("变更记录")))
        return "".join(parts)

    def _current_assignment(self) -> AssignmentRow | None:
        index = self.assignment_view.currentIndex()
        return self.assignments.row_at(index.row()) if index.isValid() else None

    def delete_question(self, row: Any) -> tuple[str, str]:
        return self.tr("删除误录的指导员"), self.tr(
            "确定删除“%s”及其联系分工吗？不再担任的请在编辑中取消“在岗”。删除后可撤销。"
        ) % row.name

    def delete_record(self, row_id: int) -> None:
        from app.services.registry import instructors

        instructors.delete_instructor(self.db, row_id)

    @Slot()
    def assign(self) -> None:
        from ui.dialogs.instructor_dialog import AssignDialog

        row = self.current_row()
        if row is not None and AssignDialog(self.db, row.id, row.name, self).exec():
            self.after_write(row.id)

    @Slot()
    def end_assignment(self) -> None:
        from app.services.registry import instructors
        from ui.dialogs.instructor_dialog import EndDateDialog

        a = self._current_assignment()
        if a is None:
            messages.info(self, self.tr("结束联系"), self.tr("请先在联系分工中选择一行"))
            return
        dialog = EndDateDialog(self.tr("结束对“%s”的联系") % a.organization, self)
        if dialog.exec() and dialog.value is not None:
            try:
                instructors.end_assignment(self.db, a.id, dialog.value)
            except ValidationError as exc:
                messages.warn(self, self.tr("结束联系"), str(exc))
                return
            self.after_write(a.instructor_id)

    @Slot()
    def remove_assignment(self) -> None:
        from app.services.registry import instructors

        a = self._current_assignment()
        if a is None:
            messages.info(self, self.tr("删除误录"), self.tr("请先在联系分工中选择一行"))
            return
        if messages.ask(
            self,
            self.tr("删除误录"),
            self.tr("删除对“%s”的联系分工？") % a.organization,
            yes=self.tr("删除"),
        ):
            instructors.remove_assignment(self.db, a.id)
            self.after_write(a.instructor_id)
