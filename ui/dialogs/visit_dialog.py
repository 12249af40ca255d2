"""记录走访: the unit, the date, how (走访, 暗访…), who went, what was seen and said,
and the problems found, each with the rectification asked, who answers for it and
by when (a problem several units share is marked 共性 and names them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.dates import DateError, parse_date
from app.domain.validation import FieldIssue, ValidationError
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.services.field import visits
from app.services.files.database_files import Database
from app.services.registry import org_list
from ui.dialogs.form import FieldForm, error_line, lay_out
from ui.widgets.inputs import DateEdit
from ui.widgets.unit_picker import UnitPicker

PROBLEM_HEADERS = ("发现的问题", "整改要求", "责任人", "整改期限", "共性问题的其他单位")
# the last column's header said its hint and was cut (issue 25): the hint is its tooltip
OTHER_UNITS_HINT = "同样存在该问题的其他单位（共性问题），多个单位用顿号“、”分隔"


class VisitDialog(QDialog):
    def __init__(self, db: Database, org_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("记录走访"))
        self.db = db
        self.saved_id: int | None = None
        units = [(u.id, u.name, u.uscc) for u in org_list.unit_choices(db)]
        self._by_name = {name: ident for ident, name, _code in units}
        self.form = FieldForm()
        self.unit = self.form.add("org", self.tr("走访单位*"), UnitPicker(units))
        self.unit.set_unit(org_id)
        self.day = self.form.add("visited_on", self.tr("走访日期*"), DateEdit())
        self.day.set_value(date.today())
        self.kind = self.form.add("kind", self.tr("走访方式"), QComboBox())
        for kind in VisitKind:
            self.kind.addItem(kind.label, kind.value)
        self.people = self.form.add("instructors", self.tr("指导员*"), QLineEdit())
        self.people.setPlaceholderText(self.tr("姓名，两人以上用顿号分隔"))
        from app.services.field.field_identity import field_info

        field = field_info(db)  # on an instructor's laptop: the visit is theirs
        if field is not None and field.instructor:
            self.people.setText(field.instructor)
        self.content = self.form.add("content", self.tr("走访内容"), QPlainTextEdit())
        self.content.setMaximumHeight(70)
        self.met = self.form.add("people_met", self.tr("接待人员"), QLineEdit())
        self.problems = QTableWidget(3, len(PROBLEM_HEADERS))
        self.problems.setObjectName("problems")
        self.problems.setHorizontalHeaderLabels([self.tr(h) for h in PROBLEM_HEADERS])
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(PROBLEM_HEADERS)):  # each header shown whole
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        last = self.problems.horizontalHeaderItem(len(PROBLEM_HEADERS) - 1)
        last.setToolTip(self.tr(OTHER_UNITS_HINT))
        self.problems.setMinimumHeight(130)
        self.form.add("problems", self.tr("发现的问题"), self.problems)
        self.files: list[Path] = []
        self.files_label = QLabel(self.tr("无"))
        self.files_label.setObjectName("attachments")
        self.files_label.setWordWrap(True)
        add_files = QPushButton(self.tr("添加照片或扫描件…"))
        add_files.setObjectName("add_attachments")
        add_files.clicked.connect(self.choose_files)
        files_row = QWidget()
        row = QHBoxLayout(files_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.files_label, 1)
        row.addWidget(add_files)
        self.form.add("attachments", self.tr("附件"), files_row)
        self.other = error_line()
        lay_out(self, self.form, self.other, ok=self.tr("保存"), on_ok=self._save)
        self.resize(820, 560)

    @Slot()
    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择照片或扫描件"),
            str(Path.home()),
            self.tr("图片和文档 (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx);;所有文件 (*)"),
        )
        self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        self.files += [p for p in paths if p not in self.files]
        self.files_label.setText("、".join(p.name for p in self.files) or self.tr("无"))

    def _cell(self, r: int, c: int) -> str:
        item = self.problems.item(r, c)
        return item.text().strip() if item is not None else ""

    def set_problem(self, r: int, *cells: str) -> None:
        for c, text in enumerate(cells):
            self.problems.setItem(r, c, QTableWidgetItem(text))

    def draft(self) -> tuple[VisitDraft, list[FieldIssue]]:
        issues: list[FieldIssue] = []
        try:
            day = self.day.value()
        except DateError as exc:
            issues.append(FieldIssue("visited_on", str(exc), "date_invalid"))
            day = None
        names = [n for n in self.people.text().replace(",", "、").split("、") if n.strip()]
        try:
            people = visits.instructor_ids(self.db, [n.strip() for n in names], self.unit.unit_id())
        except ValidationError as exc:
            issues += exc.issues
            people = []
        problems = []
        for r in range(self.problems.rowCount()):
            text = self._cell(r, 0)
            if not text:
                continue
            deadline = parse_date(self._cell(r, 3)) if self._cell(r, 3) else None
            others = [n for n in self._cell(r, 4).replace(",", "、").split("、") if n.strip()]
            unknown = [n for n in others if n.strip() not in self._by_name]
            if unknown:
                message = self.tr("第%d个问题：没有名为“%s”的单位") % (r + 1, "、".join(unknown))
                issues.append(FieldIssue("problems", message, "unknown"))
            shared = [self._by_name[n.strip()] for n in others if n.strip() in self._by_name]
            unit = self.unit.unit_id()
            problems.append(
                ProblemDraft(
                    text,
                    bool(shared),
                    self._cell(r, 1),
                    self._cell(r, 2),
                    deadline,
                    [unit, *shared] if shared and unit is not None else [],
                )
            )
        kind = VisitKind(self.kind.currentData())
        draft = VisitDraft(
            self.unit.unit_id(),
            day,
            kind,
            people,
            self.content.toPlainText(),
            self.met.text(),
            problems,
            list(self.files),
        )
        return draft, issues

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        try:
            draft, issues = self.draft()
        except DateError as exc:
            draft, issues = None, [FieldIssue("problems", str(exc), "date_invalid")]
        try:
            if issues or draft is None:
                raise ValidationError(issues)
            self.saved_id = visits.add_visit(self.db, draft)
        except ValidationError as exc:
            self._show(exc)
            return
        except (OSError, ValueError) as exc:  # an attachment that cannot be copied in
            self.other.setText(self.tr("附件无法保存：%s") % exc)
            self.other.setVisible(True)
            return
        self.accept()

    def _show(self, exc: ValidationError) -> None:
        shown = [
            FieldIssue("problems", i.message, i.code) if i.field.startswith("problems.") else i
            for i in exc.issues
        ]
        rest = self.form.show_issues(shown)
        self.other.setText("；".join(i.message for i in rest))
        self.other.setVisible(bool(rest))


class ProblemStatusDialog(QDialog):
    """更新整改状态: the note and the date go into the problem's history whatever the
    status; 已核验 asks the verifier's note and date; a verified problem moved back is
    reopened (the verification is cleared, and the change audited)."""

    def __init__(self, db: Database, problem: object, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("更新整改状态"))
        self.db = db
        self.problem = problem
        self.form = FieldForm()
        self.status = self.form.add("status", self.tr("整改状态"), QComboBox())
        for status in ProblemStatus:
            self.status.addItem(status.label, status.value)
        self.status.setCurrentIndex(list(ProblemStatus).index(problem.status))  # type: ignore[attr-defined]
        # every note is kept in the problem's history; for 已核验 it is the verifier's
        self.note = self.form.add("note", self.tr("说明（核验时填核验意见）"), QPlainTextEdit())
        self.note.setMaximumHeight(70)
        self.on = self.form.add("on", self.tr("日期（核验时为核验日期）"), DateEdit())
        self.on.set_value(date.today())
        lay_out(self, self.form, ok=self.tr("保存"), on_ok=self._save)
        self.setMinimumWidth(440)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        to = ProblemStatus(self.status.currentData())
        try:
            on = self.on.value()
        except DateError as exc:
            self.form.show_issues([FieldIssue("on", str(exc), "date_invalid")])
            return
        try:
            pid = self.problem.id  # type: ignore[attr-defined]
            visits.set_status(self.db, pid, to, self.note.toPlainText(), on)
        except ValidationError as exc:
            self.form.show_issues(exc.issues)
            return
        self.accept()
