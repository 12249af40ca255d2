"""编组: name, year formed, members and the leader among them; and the records of
a year (the leader's three powers, the activity log)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.clusters import parse_yuan
from app.domain.dates import DateError
from app.domain.validation import ValidationError
from app.domain.vocabulary import ClusterRecordKind as K
from app.services.files.database_files import Database
from app.services.grouping import clusters
from app.services.registry import org_list
from ui.dialogs.form import FieldForm, lay_out
from ui.dialogs.record_dialog import RecordDialog
from ui.widgets.inputs import DateEdit, EnumCombo
from ui.widgets.unit_picker import UnitPicker

ID_ROLE = 0x0100  # Qt.ItemDataRole.UserRole


class ClusterDialog(RecordDialog):
    def __init__(
        self, db: Database, cluster_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            db, cluster_id, parent, (self.tr("新增编组"), self.tr("编辑编组")), width=560
        )
        units = org_list.unit_choices(db)
        self._names = {r.id: r.name for r in units}
        self.form = FieldForm()
        self.name = self.form.add("name", self.tr("编组名称*"), QLineEdit())
        self.year = self.form.add("formed_year", self.tr("组建年份"), QSpinBox())
        self.year.setRange(2000, 2100)
        self.members = QListWidget()
        self.members.setMaximumHeight(160)
        self.picker = UnitPicker([(r.id, r.name, r.uscc) for r in units if r.in_base])
        add, remove = QPushButton(self.tr("加入")), QPushButton(self.tr("移出所选"))
        add.clicked.connect(self._add_member)
        remove.clicked.connect(self._remove_member)
        row = QHBoxLayout()
        for w in (self.picker, add, remove):
            row.addWidget(w)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.members)
        column.addLayout(row)
        self.form.add("members", self.tr("成员单位"), box)
        self.leader = self.form.add("leader", self.tr("组长单位"), QComboBox())
        self.notes = self.form.add("notes", self.tr("备注"), QPlainTextEdit())
        self.notes.setMaximumHeight(60)
        draft = clusters.get_draft(db, cluster_id) if cluster_id else clusters.ClusterDraft()
        self.name.setText(draft.name)
        self.year.setValue(draft.formed_year or date.today().year)
        self.notes.setPlainText(draft.notes)
        for mid in draft.member_ids:
            self._put(mid)
        self._refresh_leaders(draft.leader_id)
        lay_out(self, self.form, ok=self.tr("保存"), on_ok=self._save)

    def member_ids(self) -> list[int]:
        return [self.members.item(i).data(ID_ROLE) for i in range(self.members.count())]

    def _put(self, unit_id: int) -> None:
        item = QListWidgetItem(self._names.get(unit_id, str(unit_id)))
        item.setData(ID_ROLE, unit_id)
        self.members.addItem(item)

    def _refresh_leaders(self, keep: int | None) -> None:
        self.leader.clear()
        self.leader.addItem(self.tr("（未定）"), None)
        for mid in self.member_ids():
            self.leader.addItem(self._names.get(mid, str(mid)), mid)
        index = self.leader.findData(keep)
        self.leader.setCurrentIndex(max(index, 0))

    @Slot()
    def _add_member(self) -> None:
        self.form.clear_errors()
        unit = self.picker.unit_id()
        if unit is None:
            self.form.set_error("members", self.tr("请从列表中选择一个在册单位"))
            return
        if unit not in self.member_ids():
            self._put(unit)
            self._refresh_leaders(self.leader.currentData())
        self.picker.clear()

    @Slot()
    def _remove_member(self) -> None:
        for item in self.members.selectedItems():
            self.members.takeItem(self.members.row(item))
        self._refresh_leaders(self.leader.currentData())

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        draft = clusters.ClusterDraft(
            self.name.text(),
            self.year.value(),
            self.notes.toPlainText(),
            self.member_ids(),
            self.leader.currentData(),
        )
        self.save(draft, clusters.create_cluster, clusters.update_cluster, self.form.show_issues)


# which fields each kind of record asks for, and what its amount is
_MONEY = (K.DUES_RETURNED, K.SPENDING)
_FIELDS: dict[K, tuple[str, ...]] = {
    K.DUES_RETURNED: ("on", "amount"),
    K.SPENDING: ("on", "amount", "title"),
    K.QUOTA: ("amount",),
    K.ALLOCATION: ("organization", "amount", "second"),
    K.AWARD: ("title", "amount"),
    K.NOMINATION: ("award", "organization", "title"),
    K.EXCHANGE: ("on", "text", "comments"),
    K.PRESENTATION: ("on", "text", "file", "comments"),
    K.EVALUATION: ("on", "score", "second", "honoured", "comments"),
    K.OBSERVATION: ("on", "organization", "text", "comments"),  # 一季一观摩: the unit visited
}
_AMOUNT_LABELS = {
    K.DUES_RETURNED: "金额（元）*",
    K.SPENDING: "金额（元）*",
    K.QUOTA: "指标（名）*",
    K.ALLOCATION: "分配名额*",
    K.AWARD: "本编组名额*",
}
_SECOND_LABELS = {K.ALLOCATION: "实际发展（名）", K.EVALUATION: "编组间排名"}
_TITLE_LABELS = {K.SPENDING: "用途", K.AWARD: "奖项名称*", K.NOMINATION: "推荐人选（个人时填写）"}


class ClusterRecordDialog(QDialog):
    """记录… one of the year's records; the fields follow the kind chosen."""

    def __init__(self, db: Database, row: Any, year: int, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.db, self.cluster_id, self.year_value = db, row.id, year
        self.warning = ""
        self.setWindowTitle(self.tr("%s：%d年记录") % (row.name, year))
        self.setMinimumWidth(500)
        self.form = FieldForm()
        self.kind = self.form.add("kind", self.tr("记录什么"), EnumCombo(K))
        self.on = self.form.add("on", self.tr("日期"), DateEdit())
        self.on.set_value(date.today())
        self.unit = self.form.add("organization", self.tr("成员单位"), QComboBox())
        for m in row.members:
            self.unit.addItem(m.name, m.id)
        self.award = self.form.add("award", self.tr("奖项"), QComboBox())
        for r in clusters.list_records(db, row.id, year):
            if r.kind is K.AWARD:
                self.award.addItem(f"{r.title}（{r.amount}个名额）", r.id)
        self.amount = self.form.add("amount", self.tr("数额"), QLineEdit())
        self.second = self.form.add("second", self.tr("第二数额"), QLineEdit())
        self.title = self.form.add("title", self.tr("名称"), QLineEdit())
        self.score = self.form.add("score", self.tr("评价得分"), QLineEdit())
        self.honoured = self.form.add("honoured", self.tr("表彰"), QCheckBox(self.tr("获评表彰")))
        self.text = self.form.add("text", self.tr("组长单位汇报 / 展示材料"), QPlainTextEdit())
        self.file_button = QPushButton(self.tr("选择文件…"))
        self.file_button.clicked.connect(self._choose_file)
        self.file = self.form.add("file", self.tr("展示材料文件"), self.file_button)
        self.chosen: Path | None = None
        self.comments = self.form.add("comments", self.tr("指导员意见"), QPlainTextEdit())
        for box in (self.text, self.comments):
            box.setMaximumHeight(70)
        self.kind.currentIndexChanged.connect(self._show_fields)
        self._show_fields()
        lay_out(self, self.form, ok=self.tr("记录"), on_ok=self._save)

    @Slot()
    def _show_fields(self) -> None:
        kind: K = self.kind.value()
        wanted = _FIELDS[kind]
        for name in ("on", "organization", "award", "amount", "second", "title", "score"):
            self.form.set_visible(name, name in wanted)
        for name in ("honoured", "text", "file", "comments"):
            self.form.set_visible(name, name in wanted)
        self.form.set_label("amount", self.tr(_AMOUNT_LABELS.get(kind, "数额")))
        self.form.set_label("second", self.tr(_SECOND_LABELS.get(kind, "")))
        self.form.set_label("title", self.tr(_TITLE_LABELS.get(kind, "名称")))

    @Slot()
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择展示材料"), str(Path.home()))
        if path:
            self.choose(Path(path))

    def choose(self, path: Path) -> None:
        self.chosen = path
        self.file_button.setText(path.name)

    def _count(self, box: QLineEdit, field: str) -> int | None:
        text = box.text().strip()
        if not text:
            return None
        if not text.isdigit():
            raise _Bad(field, self.tr("请填写整数"))
        return int(text)

    def _draft(self) -> clusters.RecordDraft:
        kind: K = self.kind.value()
        wanted = _FIELDS[kind]
        try:
            on = self.on.value() if "on" in wanted else None
        except DateError as exc:
            raise _Bad("on", str(exc)) from None
        if kind in _MONEY:
            try:
                amount = parse_yuan(self.amount.text())
            except ValueError as exc:
                raise _Bad("amount", str(exc)) from None
        else:
            amount = self._count(self.amount, "amount") if "amount" in wanted else None
        comments = self.comments.toPlainText().strip()
        return clusters.RecordDraft(
            kind,
            self.year_value,
            dated=on,
            organization_id=self.unit.currentData() if "organization" in wanted else None,
            parent_id=self.award.currentData() if "award" in wanted else None,
            amount=amount,
            second_amount=self._count(self.second, "second") if "second" in wanted else None,
            title=self.title.text() if "title" in wanted else "",
            text="\n\n".join(
                t
                for t in (self.text.toPlainText().strip(), comments and f"指导员意见：{comments}")
                if t
            ),
            score=self.score.text().strip() if "score" in wanted else "",
            honoured=self.honoured.isChecked() if "honoured" in wanted else False,
            attachment=self._kept() if "file" in wanted else "",
        )

    def _kept(self) -> str:
        """The chosen file copied into the data folder (before the record is written:
        a file kept for a record refused is harmless, found again by its hash)."""
        from app.services.field import attachments

        if self.chosen is None:
            return ""
        try:
            return attachments.keep_file(self.db, self.chosen)
        except (OSError, ValueError) as exc:
            raise _Bad("file", str(exc)) from None

    @Slot()
    def _save(self) -> None:
        self.form.clear_errors()
        try:
            draft = self._draft()
            self.warning = clusters.add_record(self.db, self.cluster_id, draft)
        except _Bad as bad:
            self.form.set_error(bad.field, bad.message)
            return
        except ValidationError as exc:
            rest = self.form.show_issues(exc.issues)
            if rest:
                self.form.set_error("kind", "；".join(i.message for i in rest))
            return
        self.accept()


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message
