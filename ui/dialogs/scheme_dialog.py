"""考核方案: a scheme's dimensions and indicators (name, maximum, guidance), its bonus
item and cap, its veto items and its star bands, edited as a table. A scheme already
used by a period is saved as a new version (its scores stay tied to the old one)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.domain.assessment import (
    PASS_LINE_DEFAULT,
    Dimension,
    Indicator,
    Scheme,
    StarBand,
    decimal_text,
    scheme_issues,
)
from app.domain.validation import FieldIssue
from app.services.assessment import assessments
from app.services.files.database_files import Database
from ui.dialogs.form import FieldForm, error_line, lay_out

HEADERS = ("维度", "指标", "满分", "评分说明")


class SchemeDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("考核方案"))
        self.db = db
        self.saved_version = 0
        self.schemes = {s.name: s for s in assessments.list_schemes(db)}
        self.form = FieldForm()
        self.choice = self.form.add("choice", self.tr("方案"), QComboBox())
        self.choice.addItems(list(self.schemes))
        self.choice.addItem(self.tr("（新方案）"), "")
        self.name = self.form.add("name", self.tr("方案名称*"), QLineEdit())
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("indicators")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(240)
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        add, remove = QPushButton(self.tr("添加指标")), QPushButton(self.tr("删除所选指标"))
        add.clicked.connect(lambda: self._add_row("", "", "10", ""))
        remove.clicked.connect(self._remove_rows)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.form.add("indicators", self.tr("指标"), self.table, buttons)
        self.bonus_name = self.form.add("bonus_name", self.tr("加分项"), QLineEdit())
        self.bonus_cap = self.form.add("bonus_cap", self.tr("加分上限"), QLineEdit())
        self.vetoes = self.form.add("vetoes", self.tr("一票否决项"), QLineEdit())
        self.vetoes.setPlaceholderText(self.tr("用顿号分隔，如 未按期换届、严重违纪违法"))
        self.stars = self.form.add("star_bands", self.tr("星级分数线"), QLineEdit())
        self.stars.setPlaceholderText(
            self.tr("五星、四星、三星的最低分，如 90、80、70；不评星级留空")
        )
        self.pass_line = self.form.add("pass_line", self.tr("及格线"), QLineEdit())
        self.pass_line.setPlaceholderText(self.tr("优秀须不低于此分（同类前3名中）"))
        self.other = error_line()
        self.choice.currentIndexChanged.connect(self._show_chosen)
        self._show_chosen()
        lay_out(self, self.form, self.other, ok=self.tr("保存方案"), on_ok=self._save)
        self.resize(760, 620)

    def _show_chosen(self) -> None:
        scheme = self.schemes.get(self.choice.currentText())
        self.table.setRowCount(0)
        self.name.setReadOnly(scheme is not None)
        if scheme is None:
            self.name.clear()
            self.bonus_name.setText("特色工作加分")
            self.bonus_cap.setText("0")
            self.vetoes.clear()
            self.stars.clear()
            self.pass_line.setText(decimal_text(PASS_LINE_DEFAULT))
            return
        self.name.setText(scheme.name)
        for d in scheme.dimensions:
            for i in d.indicators:
                self._add_row(d.name, i.name, decimal_text(i.maximum), i.guidance)
        self.bonus_name.setText(scheme.bonus_name)
        self.bonus_cap.setText(decimal_text(scheme.bonus_cap))
        self.vetoes.setText("、".join(scheme.vetoes))
        self.stars.setText("、".join(decimal_text(b.at_least) for b in scheme.star_bands))
        self.pass_line.setText(decimal_text(scheme.pass_line))

    def _add_row(self, *cells: str) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, text in enumerate(cells):
            self.table.setItem(r, c, QTableWidgetItem(text))

    def _remove_rows(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)

    def _cell(self, r: int, c: int) -> str:
        item = self.table.item(r, c)
        return item.text().strip() if item is not None else ""

    def scheme(self) -> tuple[Scheme | None, list[FieldIssue]]:
        """The scheme as the dialog shows it, or the reasons it cannot be one."""
        issues: list[FieldIssue] = []
        dimensions: dict[str, list[Indicator]] = {}
        for r in range(self.table.rowCount()):
            name = self._cell(r, 1)
            maximum = _number(self._cell(r, 2))
            if maximum is None:
                message = self.tr("第%d行的满分“%s”不是数") % (r + 1, self._cell(r, 2))
                issues.append(FieldIssue("indicators", message, "invalid"))
                continue
            dimension = self._cell(r, 0) or name
            dimensions.setdefault(dimension, []).append(Indicator(name, maximum, self._cell(r, 3)))
        cap = _number(self.bonus_cap.text() or "0")
        if cap is None:
            issues.append(FieldIssue("bonus_cap", self.tr("请填写分数"), "invalid"))
        levels = [_number(x) for x in _split(self.stars.text())]
        if any(x is None for x in levels) or len(levels) > 3:
            message = self.tr("最多三档，依次为五星、四星、三星的最低分")
            issues.append(FieldIssue("star_bands", message, "invalid"))
        line = _number(self.pass_line.text() or decimal_text(PASS_LINE_DEFAULT))
        if line is None:
            issues.append(FieldIssue("pass_line", self.tr("请填写分数"), "invalid"))
        if issues:
            return None, issues
        scheme = Scheme(
            self.name.text().strip(),
            0,
            tuple(Dimension(d, tuple(i)) for d, i in dimensions.items()),
            self.bonus_name.text().strip() or "特色工作加分",
            cap or Decimal(0),
            tuple(_split(self.vetoes.text())),
            tuple(StarBand(5 - n, x) for n, x in enumerate(levels) if x is not None),
            pass_line=line or Decimal(0),
        )
        return scheme, scheme_issues(scheme)

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        scheme, issues = self.scheme()
        new = self.choice.currentText() not in self.schemes
        if not issues and new and scheme is not None and scheme.name in self.schemes:
            issues = [FieldIssue("name", self.tr("已有同名方案，请换一个名称"), "duplicate")]
        if issues or scheme is None:
            rest = self.form.show_issues(issues)
            self.other.setText("；".join(i.message for i in rest))
            self.other.setVisible(bool(rest))
            return
        self.saved_version = assessments.save_scheme(self.db, scheme)
        self.accept()


def _split(text: str) -> list[str]:
    for mark in ("，", ",", "；", ";", " "):
        text = text.replace(mark, "、")
    return [x.strip() for x in text.split("、") if x.strip()]


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().removesuffix("分"))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
