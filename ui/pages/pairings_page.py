"""结对帮带: every pairing with its direction, class at start → class now, what was
done and what came of it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox

from app.domain.pairing import RECOMMENDED
from app.domain.vocabulary import OrgClass
from ui import messages
from ui.pages.history_html import class_history_html
from ui.pages.table_page import TablePage, day_text, esc
from ui.table_model import Column, count_column


def _letter(c: OrgClass | None) -> str:
    return c.value if c is not None else "-"


class PairingsPage(TablePage):
    page_name = "pairings"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            Column("helper", t("帮带单位"), lambda r: r.helper.name, width=220),
            Column("helper_class", t("分类"), lambda r: _letter(r.helper.class_now), width=45),
            Column("helped", t("被帮带单位"), lambda r: r.helped.name, width=220),
            Column(
                "helped_class",
                t("分类（开始→现在）"),
                lambda r: f"{_letter(r.helped.class_at_start)} → {_letter(r.helped.class_now)}",
                width=120,
            ),
            Column("direction", t("帮带方向"), lambda r: r.direction, width=130),
            Column("started", t("开始"), lambda r: day_text(r.started_on), width=90),
            Column("ended", t("结束"), lambda r: day_text(r.ended_on), width=90),
            count_column("entries", t("记录"), lambda r: r.entries, width=50),
            Column("goal", t("帮带目标"), lambda r: r.goal, width=200),
            Column("outcome", t("成效"), lambda r: r.outcome, width=160),
            Column("warnings", t("提示"), lambda r: r.warning_text, width=260, warning=True),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索帮带单位、被帮带单位、信用代码")

    def build_filters(self) -> None:
        t = self.tr
        self.add_filter(
            "state",
            [
                (t("进行中"), lambda r: r.active),
                (t("已结束"), lambda r: not r.active),
                (t("全部"), None),
            ],
        )
        self.add_filter(
            "direction",
            [
                (t("全部帮带方向"), None),
                (t("推荐方向"), lambda r: (r.helper.class_now, r.helped.class_now) in RECOMMENDED),
                (t("非推荐方向"), lambda r: bool(r.warnings)),
            ],
        )

    def build_actions(self) -> None:
        from app.services.registry import park

        t = self.tr
        self.rule_box = QCheckBox(t("C、D类单位未结对的列入预警"))
        self.rule_box.setObjectName("unpaired_rule")
        self.rule_box.setChecked(park.get_unpaired_rule(self.db))
        self.rule_box.toggled.connect(self._rule_toggled)
        self.filter_bar.addWidget(self.rule_box)
        self.add_record_actions(
            t("新增结对…"),
            ("entry", t("记录帮带情况…"), self.add_entry),
            ("end", t("结束结对…"), self.end_current),
        )

    def editor(self, row_id: int | None) -> Any:
        from ui.dialogs.pairing_dialog import PairingDialog

        return PairingDialog(self.db, row_id, self)

    def load_rows(self) -> list[Any]:
        from app.services.grouping import pairings

        return pairings.list_pairings(self.db)

    def delete_question(self, row: Any) -> tuple[str, str]:
        return self.tr("删除误录的结对"), self.tr(
            "确定删除“%s”的结对及其%d条记录吗？结束的结对请用“结束结对”，以保留记录。删除后可撤销。"
        ) % (row.name, row.entries)

    def delete_record(self, row_id: int) -> None:
        from app.services.grouping import pairings

        pairings.delete_pairing(self.db, row_id)

    @Slot(bool)
    def _rule_toggled(self, on: bool) -> None:
        """A park setting: the worklist and 总览 follow it."""
        from app.services.registry import park

        park.set_unpaired_rule(self.db, on)
        self.changed.emit()

    @Slot()
    def add_entry(self) -> None:
        from ui.dialogs.pairing_dialog import EntryDialog

        row = self.current_row()
        if row is not None and EntryDialog(self.db, row.id, row.name, self).exec():
            self.after_write(row.id)

    @Slot()
    def end_current(self) -> None:
        from ui.dialogs.pairing_dialog import EndPairingDialog

        row = self.current_row()
        if row is None:
            return
        if not row.active and row.ended_on is not None:
            messages.info(self, self.tr("结束结对"), self.tr("这个结对已于%s结束") % row.ended_on)
            return
        if EndPairingDialog(self.db, row.id, row.name, self).exec():
            self.after_write(row.id)

    def detail_html(self, row: Any) -> str:
        from app.services.grouping import classes, pairings

        t = self.tr
        parts = [f"<h3>{esc(row.helper.name)} → {esc(row.helped.name)}</h3>"]
        if row.warnings:
            parts.append(f"<p style='color:#b3261e'>⚠ {esc(row.warning_text)}</p>")
        state = t("进行中") if row.active else t("%s结束") % day_text(row.ended_on)
        parts.append(f"<p>{esc(t('开始'))}：{day_text(row.started_on)}　{esc(state)}</p>")
        if row.goal:
            parts.append(f"<p><b>{esc(t('帮带目标'))}</b>：{esc(row.goal)}</p>")
        if row.outcome:
            parts.append(f"<p><b>{esc(t('成效'))}</b>：{esc(row.outcome)}</p>")
        parts.append(f"<h4>{esc(t('帮带记录'))}</h4>")
        done = pairings.entries(self.db, row.id)
        if not done:
            parts.append(f"<span style='color:#777'>{esc(t('无'))}</span>")
        for e in done:
            parts.append(f"<div>{day_text(e.done_on)}　{esc(e.text)}</div>")
        history = classes.class_history(self.db, row.helped.id)
        title = t("“%s”的分类变更") % row.helped.name
        parts.append(class_history_html(history, title, t("无")))
        return "".join(parts)
