"""经费保障 (柳州): for the year chosen, each party organization's entitlements by kind
(党员活动经费 "3个100元", 阵地建设启动经费, 以奖代补, 党费返还), what was paid and the
balance; payments are recorded here (登记拨付) and undone with 撤销."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QSpinBox

from app.domain.clusters import yuan_text
from app.domain.vocabulary import FundKind
from ui.pages.table_page import TablePage, day_text, detail_table, esc
from ui.table_model import Column, count_column


def _money(key: str, title: str, fen: Any, width: int = 110, warning: bool = False) -> Column:
    """A right-aligned amount in yuan, sorted by its value in fen."""
    return Column(
        key, title, lambda r: yuan_text(fen(r)), fen, numeric=True, width=width, warning=warning
    )


class FundsPage(TablePage):
    page_name = "funds"

    def columns(self) -> list[Column]:
        t = self.tr
        labels = {
            FundKind.MEMBER_ACTIVITY: t("党员活动经费"),
            FundKind.SITE_STARTUP: t("阵地建设启动经费"),
            FundKind.AWARD: t("以奖代补"),
            FundKind.STAR_AWARD: t("星级党组织奖励"),
            FundKind.DUES_RETURN: t("党费返还"),
        }
        by_kind = [
            _money(k.value, labels[k], lambda r, k=k: r.entitled[k], width=115) for k in FundKind
        ]
        # the totals and the balance first: what the clerk looks for, visible beside the
        # detail pane; the kinds after them
        return [
            Column("name", t("党组织"), lambda r: r.name, width=230),
            count_column("members", t("正式党员"), lambda r: r.formal_members, width=65),
            _money("entitled", t("应拨合计"), lambda r: r.entitled_total, width=105),
            _money("paid", t("已拨合计"), lambda r: r.paid_total, width=105),
            _money("balance", t("结余（应拨−已拨）"), lambda r: r.balance, width=125),
            *by_kind,
        ]

    def search_hint(self) -> str:
        return self.tr("搜索党组织名称")

    def build_filters(self) -> None:
        t = self.tr
        self.add_filter(
            "balance",
            [
                (t("全部党组织"), None),
                (t("尚有结余未拨"), lambda r: r.balance > 0),
                (t("已拨超出应拨"), lambda r: r.balance < 0),
                (t("有应拨经费"), lambda r: r.entitled_total > 0),
            ],
        )

    def build_actions(self) -> None:
        t = self.tr
        self.year = QSpinBox()
        self.year.setObjectName("funds_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(t(" 年度"))
        self.year.valueChanged.connect(self._year_changed)
        self.action_bar.addWidget(self.year)
        self.add_action("pay", t("登记拨付…"), self.add_payment, needs_row=False)
        self.add_action("standards", t("经费标准…"), self.edit_standards, needs_row=False)
        self.totals = QLabel()
        self.totals.setObjectName("funds_totals")
        self.totals.setWordWrap(True)
        self.layout().insertWidget(2, self.totals)
        self._year_data: Any = None
        self._loading_year = self.year.value()

    def reload(self, select_id: int | None = None) -> None:
        self._loading_year = self.year.value()  # read here, on the GUI thread
        super().reload(select_id)

    def load_rows(self) -> list[Any]:
        from app.services.funds import funds

        self._year_data = funds.year_funds(self.db, self._loading_year)
        return self._year_data.rows

    def _loaded(self, prepared: Any) -> None:
        super()._loaded(prepared)
        self._show_totals()

    def _show_totals(self) -> None:
        data = self._year_data
        if data is None or data.year != self.year.value():  # another year's read is coming
            self.totals.setText("")
            return
        t, total = self.tr, data.totals
        text = t("%d年：应拨 %s 元，已拨 %s 元，结余 %s 元") % (
            data.year,
            yuan_text(total.entitled_total),
            yuan_text(total.paid_total),
            yuan_text(total.balance),
        )
        if data.open_periods:
            text += t("；%s 尚未发布，其优秀、星级的奖励发布后计入") % "、".join(data.open_periods)
        if data.unattributed:
            text += t("；%d 项无党组织可拨（见右侧说明）") % len(data.unattributed)
        self.totals.setText(text)

    @Slot(int)
    def _year_changed(self, _year: int) -> None:
        self.reload()

    @Slot()
    def add_payment(self) -> None:
        from ui.dialogs.fund_payment_dialog import PaymentDialog

        row = self.current_row()
        dialog = PaymentDialog(self.db, self.year.value(), row.id if row else None, self)
        if dialog.exec():
            chosen = dialog.party_org.value()
            self.after_write(chosen)
            self.status_message.emit(self.tr("已登记拨付"))

    @Slot()
    def edit_current(self) -> None:
        """A double-click on a party organization: a payment to it."""
        self.add_payment()

    @Slot()
    def edit_standards(self) -> None:
        from ui.dialogs.fund_payment_dialog import StandardsDialog

        if StandardsDialog(self.db, self).exec():
            self.after_write()

    def detail_html(self, row: Any) -> str:
        from app.services.funds import funds

        t = self.tr
        parts = [f"<h3>{esc(row.name)}</h3>"]
        founded = day_text(row.founded) or t("未填")
        members, since = esc(t("正式党员")), esc(t("成立日期"))
        parts.append(f"<p>{members}：{row.formal_members}　{since}：{esc(founded)}</p>")
        lines = [
            (k.label, f"{yuan_text(row.entitled[k])} / {yuan_text(row.paid[k])}") for k in FundKind
        ]
        lines.append(
            (
                t("合计（应拨 / 已拨）"),
                f"{yuan_text(row.entitled_total)} / {yuan_text(row.paid_total)}",
            )
        )
        lines.append((t("结余"), yuan_text(row.balance)))
        parts.append(detail_table(lines, {len(lines) - 1} if row.balance < 0 else frozenset()))
        parts.append(f"<h4>{esc(t('%d年拨付记录') % self._loading_year)}</h4>")
        paid = [
            p for p in funds.list_payments(self.db, self._loading_year) if p.party_org_id == row.id
        ]
        if not paid:
            parts.append(f"<span style='color:#777'>{esc(t('无'))}</span>")
        for p in paid:
            note = f"（{esc(p.note)}）" if p.note else ""
            parts.append(
                f"<p>{day_text(p.paid_on)}　{esc(p.kind.label)}　{yuan_text(p.amount)}元　"
                f"{esc(p.payer)}{note}</p>"
            )
        data = self._year_data
        if data is not None:
            from app.services.funds.funds import rules_said

            parts.append(f"<h4>{esc(t('计算说明'))}</h4>")
            parts += [f"<p style='color:#555'>{esc(line)}</p>" for line in rules_said(data)]
        return "".join(parts)
