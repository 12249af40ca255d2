"""编组共建: each cluster with its leader and members, the leader's three powers for
the year chosen, and the year's records (activity log included)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QSpinBox

from app.domain.clusters import yuan_text
from app.domain.vocabulary import ClusterRecordKind as K
from ui import messages
from ui.pages.table_page import TablePage, day_text, esc
from ui.table_model import Column, count_column


def _quota_text(f: Any) -> str:
    quota = "-" if f.quota is None else str(f.quota)
    return f"{f.allocated} / {quota}"


class ClustersPage(TablePage):
    page_name = "clusters"

    def columns(self) -> list[Column]:
        t = self.tr
        return [
            Column("name", t("编组名称"), lambda r: r.name, width=200),
            Column("leader", t("组长单位"), lambda r: r.leader.name if r.leader else "", width=220),
            count_column("members", t("成员单位"), lambda r: r.member_count, width=70),
            Column("year", t("组建年份"), lambda r: str(r.formed_year or ""), width=70),
            Column(
                "balance",
                t("经费结余（元）"),
                lambda r: yuan_text(r.figures.balance),
                lambda r: r.figures.balance,
                numeric=True,
                width=110,
            ),
            Column(
                "quota", t("发展指标（分配/指标）"), lambda r: _quota_text(r.figures), width=140
            ),
            Column(
                "awards",
                t("评优（推荐/名额）"),
                lambda r: f"{r.figures.nominated} / {r.figures.places}",
                width=120,
            ),
            Column("warnings", t("预警"), lambda r: r.warning_text, width=300, warning=True),
        ]

    def search_hint(self) -> str:
        return self.tr("搜索编组名称、成员单位")

    def build_filters(self) -> None:
        t = self.tr
        self.add_filter(
            "warnings",
            [(t("全部预警情况"), None), (t("有预警"), lambda r: bool(r.warnings))],
        )

    def build_actions(self) -> None:
        t = self.tr
        self.year = QSpinBox()
        self.year.setObjectName("cluster_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(t(" 年度"))
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.action_bar.addWidget(QLabel(t("年度")))
        self.action_bar.addWidget(self.year)
        self.add_record_actions(t("新增编组…"), ("record", t("记录…"), self.add_cluster_record))
        self.detail.anchorClicked.connect(self._open_link)

    def editor(self, row_id: int | None) -> Any:
        from ui.dialogs.cluster_dialog import ClusterDialog

        return ClusterDialog(self.db, row_id, self)

    def load_rows(self) -> list[Any]:
        from app.services.grouping import clusters

        return clusters.list_clusters(self.db, self.year.value())

    @Slot(QUrl)
    def _open_link(self, url: QUrl) -> None:
        """打开展示材料: the kept file, with the program the system uses for it."""
        from app.services.field import attachments

        try:
            path = attachments.path_of(self.db, url.toString().removeprefix("attachment:"))
        except LookupError as exc:
            messages.warn(self, self.tr("打开文件"), str(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def delete_question(self, row: Any) -> tuple[str, str]:
        return self.tr("删除误录的编组"), self.tr(
            "确定删除编组“%s”吗？它的%d个成员单位将不再属于任何编组，本编组的记录一并删除。删除后可撤销。"
        ) % (row.name, row.member_count)

    def delete_record(self, row_id: int) -> None:
        from app.services.grouping import clusters

        clusters.delete_cluster(self.db, row_id)

    @Slot()
    def add_cluster_record(self) -> None:
        from ui.dialogs.cluster_dialog import ClusterRecordDialog

        row = self.current_row()
        if row is None:
            return
        dialog = ClusterRecordDialog(self.db, row, self.year.value(), self)
        if dialog.exec():
            self.after_write(row.id)
            if dialog.warning:
                messages.warn(self, self.tr("已记录"), dialog.warning)

    def detail_html(self, row: Any) -> str:
        from app.services.grouping import clusters

        t, f, year = self.tr, row.figures, self.year.value()
        parts = [f"<h3>{esc(row.name)}</h3>"]
        if row.warnings:
            parts.append(f"<p style='color:#b3261e'>⚠ {esc(row.warning_text)}</p>")
        parts.append(f"<h4>{esc(t('%d年组长单位“三权”') % year)}</h4>")
        quota = "-" if f.quota is None else str(f.quota)
        lines = (
            t("经费统筹：党费返还 %s 元，支出 %s 元，结余 %s 元")
            % (yuan_text(f.dues_returned), yuan_text(f.spent), yuan_text(f.balance)),
            t("发展党员指标：指标 %s 名，已分配 %d 名，已发展 %d 名")
            % (quota, f.allocated, f.recruited),
            t("评优推荐：名额 %d 个，已推荐 %d 个") % (f.places, f.nominated),
        )
        parts += [f"<div>{esc(line)}</div>" for line in lines]
        parts.append(f"<h4>{esc(t('成员单位（%d个）') % row.member_count)}</h4>")
        for m in row.members:  # read now, for the one cluster opened
            leader = t("【组长】") if m.leader else ""
            extra = "　".join(x for x in (m.class_label, m.party_org) if x)
            parts.append(
                f"<div>{esc(leader + m.name)}<span style='color:#555'>　{esc(extra)}</span></div>"
            )
        parts.append(f"<h4>{esc(t('%d年记录') % year)}</h4>")
        records = clusters.list_records(self.db, row.id, year)
        if not records:
            parts.append(f"<span style='color:#777'>{esc(t('无'))}</span>")
        for r in records:
            amount = ""
            if r.amount is not None:
                amount = (
                    yuan_text(r.amount) + t("元")
                    if r.kind in (K.DUES_RETURNED, K.SPENDING)
                    else str(r.amount)
                )
            bits = (
                r.kind.label,
                day_text(r.dated),
                r.unit,
                r.title,
                amount,
                r.score,
                t("获表彰") if r.honoured else "",
            )
            parts.append(f"<div>{esc('　'.join(b for b in bits if b))}</div>")
            if r.text:
                parts.append(f"<div style='color:#555'>{esc(r.text)}</div>")
            if r.attachment:
                link = f"<a href='attachment:{esc(r.attachment)}'>{esc(t('打开展示材料'))}</a>"
                parts.append(f"<div>{link}</div>")
        return "".join(parts)
