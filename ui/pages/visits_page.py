"""走访整改: the visits (by date, unit, instructor, kind) and the problems found, with
their rectifications (by status and deadline, the overdue ones in red), on two tabs."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.domain.visits import urgency
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.services.files.database_files import Database
from ui import messages
from ui.pages.table_page import TablePage, day_text, each_of, esc
from ui.table_model import Column


def _by_status(row: Any) -> tuple[int, date]:
    return urgency(row.status, row.deadline)


def _units_text(row: Any) -> str:
    return "、".join(u.name for u in row.units)


def _problem_html(p: Any, tr: Any) -> str:
    state = f"<span style='color:#b3261e'>{esc(tr('逾期'))}</span>" if p.overdue else ""
    parts = [
        f"<p><b>{esc(p.text)}</b>（{esc(p.status.label)}）{state}<br>",
        esc(tr("整改要求：")) + esc(p.rectification or "—") + "<br>",
        esc(tr("责任人：")) + esc(p.responsible or "—"),
        "　" + esc(tr("期限：")) + esc(day_text(p.deadline) or "—"),
    ]
    if p.common:
        parts.append("<br>" + esc(tr("共性问题，涉及：")) + esc(_units_text(p)))
    if p.verified_on:
        parts.append("<br>" + esc(tr("核验：")) + esc(f"{day_text(p.verified_on)} {p.verify_note}"))
    return "".join(parts) + "</p>" + _history_html(p, tr)


def _history_html(p: Any, tr: Any) -> str:
    """The rectification's history: each move, its date, who, and the note typed."""
    if not p.history:
        return ""
    lines = []
    for step in p.history:
        move = f"{step.was.label} → {step.to.label}" if step.was not in (None, step.to) else ""
        said = f"：{step.note}" if step.note else ""
        lines.append(
            f"<li>{esc(day_text(step.on))} {esc(move or step.to.label)}"
            f"{esc(said)}<span style='color:#666'>（{esc(step.by)}）</span></li>"
        )
    return f"<p>{esc(tr('整改记录：'))}</p><ul>{''.join(lines)}</ul>"


class VisitListPage(TablePage):
    page_name = "visit_list"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            Column(
                "date",
                t("走访日期"),
                lambda r: day_text(r.visited_on),
                lambda r: r.visited_on,
                width=90,
            ),
            Column("unit", t("单位"), lambda r: r.org.name, lambda r: r.unit_rank, width=240),
            Column("kind", t("方式"), lambda r: r.kind.label, width=100),
            Column("people", t("指导员"), lambda r: "、".join(r.instructors), width=120),
            Column("content", t("走访内容"), lambda r: r.content, width=300),
            Column(
                "problems", t("发现问题"), lambda r: str(len(r.problems)), numeric=True, width=70
            ),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索单位、信用代码、指导员、走访内容")

    def build_filters(self) -> None:
        # members compared by identity: a hundred thousand visits filter in one quick pass
        self.add_filter(
            "kind",
            [(self.tr("全部方式"), None)]
            + [(k.label, (lambda r, k=k: r.kind is k)) for k in VisitKind],
        )

    def build_actions(self) -> None:
        self.add_action("add", self.tr("记录走访…"), self.add_record, needs_row=False)
        self.add_action("open_attachment", self.tr("打开附件"), self.open_attachments)
        self.add_action("delete", self.tr("删除误录"), self.delete_current)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the newest visits first

    @Slot()
    def open_attachments(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from app.services.field import visits

        row = self.current_row()
        if row is None:
            return
        files = visits.attachments_of(self.db, row.id)
        if not files:
            messages.info(self, self.tr("附件"), self.tr("这次走访没有附件"))
            return
        missing = [name for name, path in files if not path.exists()]
        if missing:
            messages.warn(
                self, self.tr("附件"), self.tr("附件已不在数据目录中：%s") % "、".join(missing)
            )
        for _name, path in files:
            if path.exists():
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def delete_question(self, row: Any) -> tuple[str, str]:
        return self.tr("删除误录的走访"), self.tr(
            "确定删除 %s 对“%s”的走访记录吗？发现的问题会保留。删除后可用“编辑 → 撤销”恢复。"
        ) % (day_text(row.visited_on), row.org.name)

    def delete_record(self, row_id: int) -> None:
        from app.services.field import visits

        visits.delete_visit(self.db, row_id)

    def load_rows(self) -> list[Any]:
        from app.services.field import visits

        return visits.list_visits(self.db)

    def editor(self, row_id: int | None) -> Any:
        from ui.dialogs.visit_dialog import VisitDialog

        return VisitDialog(self.db, None, self)

    def edit_current(self) -> None:
        """A visit is a record of what happened: shown here, not edited."""

    def detail_html(self, row: Any) -> str:
        t = self.tr
        head = (
            f"<h3>{esc(row.org.name)}</h3><p>{esc(day_text(row.visited_on))}　"
            f"{esc(row.kind.label)}　{esc('、'.join(row.instructors))}</p>"
        )
        body = f"<p>{esc(row.content)}</p>" if row.content else ""
        met = f"<p>{esc(t('接待人员：'))}{esc(row.people_met)}</p>" if row.people_met else ""
        found = "".join(_problem_html(p, t) for p in row.problems) or f"<p>{esc(t('无'))}</p>"
        from app.services.field import visits

        files = visits.attachments_of(self.db, row.id)
        kept = (
            f"<p>{esc(t('附件：'))}{esc('、'.join(name for name, _path in files))}</p>"
            if files
            else ""
        )
        return head + body + met + kept + f"<h4>{esc(t('发现的问题'))}</h4>" + found


class ProblemListPage(TablePage):
    page_name = "problem_list"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            # open before done, each by deadline: the rectifications to chase come first
            Column("status", t("状态"), lambda r: r.status.label, _by_status, width=70),
            Column(
                "deadline",
                t("整改期限"),
                lambda r: day_text(r.deadline),
                lambda r: r.deadline or date.max,
                width=90,
            ),
            Column(
                "overdue",
                t("逾期"),
                lambda r: t("逾期") if r.overdue else "",
                warning=True,
                width=50,
            ),
            Column("units", t("单位"), _units_text, width=240),
            Column("text", t("问题"), lambda r: r.text, width=260),
            Column("common", t("性质"), lambda r: t("共性") if r.common else t("个性"), width=50),
            Column("who", t("责任人"), lambda r: r.responsible, width=90),
            Column("raised", t("发现日期"), lambda r: day_text(r.raised_on), width=90),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索单位、问题、整改要求、责任人")

    def build_filters(self) -> None:
        t = self.tr
        self.add_filter("status", each_of(t("全部状态"), ProblemStatus, lambda r: r.status))
        self.add_filter(
            "overdue",
            [(t("逾期与否"), None), (t("逾期未整改"), lambda r: r.overdue)],
        )
        self.add_filter(
            "common",
            [
                (t("共性与个性"), None),
                (t("共性问题"), lambda r: r.common),
                (t("个性问题"), lambda r: not r.common),
            ],
        )

    def build_actions(self) -> None:
        self.add_action("status", self.tr("更新整改状态…"), self.edit_current)

    def load_rows(self) -> list[Any]:
        from app.services.field import visits

        return visits.list_problems(self.db)

    def editor(self, row_id: int | None) -> Any:
        from ui.dialogs.visit_dialog import ProblemStatusDialog

        row = self.current_row()
        return ProblemStatusDialog(self.db, row, self)

    def detail_html(self, row: Any) -> str:
        return f"<h3>{esc(_units_text(row))}</h3>" + _problem_html(row, self.tr)


class VisitsPage(QWidget):
    """Both lists, each a table page of its own; written on one, both are read again."""

    page_name = "visits"
    changed = Signal()
    status_message = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.visits = VisitListPage(db, self)
        self.problems = ProblemListPage(db, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.visits, self.tr("走访记录"))
        self.tabs.addTab(self.problems, self.tr("问题整改"))
        QVBoxLayout(self).addWidget(self.tabs)
        for page in (self.visits, self.problems):
            page.changed.connect(self._written)
            page.status_message.connect(self.status_message)

    @property
    def stale(self) -> bool:
        return self.visits.stale or self.problems.stale

    @stale.setter
    def stale(self, value: bool) -> None:
        self.visits.stale = self.problems.stale = value

    @property
    def loaded_once(self) -> bool:
        return self.visits.loaded_once and self.problems.loaded_once

    def reload(self, _select: int | None = None) -> None:
        self.visits.reload()
        self.problems.reload()

    def _written(self) -> None:
        # a visit brings problems, a status moves a visit's problem: both lists again
        self.reload()
        self.changed.emit()

    def save_layout(self) -> None:
        self.visits.save_layout()
        self.problems.save_layout()
