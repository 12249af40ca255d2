"""导入园区报送: what each file would do before anything is written — the park (new,
renamed), the quarter, new or replacing the one in force (with the units added, removed
and changed), the rows left out and why."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

CHANGE_LABELS = {"added": "新增", "removed": "减少", "changed": "变化"}


class CountyImportDialog(QDialog):
    def __init__(self, preview: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入园区报送：预览"))
        self.preview = preview
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.browser = QTextBrowser()
        self.browser.setObjectName("plan")
        self.browser.setHtml(self._html())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("apply")
        self.ok.setText(self.tr("导入"))
        self.ok.setEnabled(preview.writes)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        todo = sum(1 for p in preview.files if p.status != "unchanged")
        self.summary.setText(
            self.tr("共%d个文件，%d份将导入；导入后可用“编辑 → 撤销”整体撤回。")
            % (len(preview.files), todo)
            if todo
            else self.tr("这些报送都已导入过，没有需要导入的内容。")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(820, 560)

    def _html(self) -> str:
        t = self.tr
        parts = []
        for plan in self.preview.files:
            r = plan.read
            park = escape(r.park)
            if plan.park_id is None:
                park += escape(t("（新园区）"))
            if plan.renamed_from:
                park += escape(t("（原名%s）") % plan.renamed_from)
            status = {
                "new": t("新报送"),
                "replace": t("替换已导入的同季度报送"),
                "unchanged": t("与已导入的相同，跳过"),
            }[plan.status]
            parts.append(
                f"<h3>{escape(r.path.name)}</h3><p><b>{park}</b>　{escape(r.quarter.label)}"
                f"　{escape(r.source.label)}　{len(r.units)}{escape(t('个单位'))}"
                f"　<span style='color:#1a5e20'>{escape(status)}</span></p>"
            )
            if plan.replaces is not None:
                parts.append(
                    "<p>"
                    + escape(
                        t("较%s导入的报送：新增%d个、减少%d个、变化%d个单位")
                        % (
                            str(plan.replaced_imported_at)[:16],
                            plan.added,
                            plan.removed,
                            plan.changed,
                        )
                    )
                    + "</p><ul>"
                    + "".join(
                        f"<li>{escape(CHANGE_LABELS[c.change])} {escape(c.name)} "
                        f"{escape(c.uscc)} {escape(c.what)}</li>"
                        for c in plan.changes
                    )
                    + "</ul>"
                )
            for note in r.notes:
                parts.append(f"<p style='color:#5c4400'>{escape(note)}</p>")
            if r.errors:
                left_out = escape(t("%d行有问题，不计入：") % len(r.errors))
                parts.append(
                    f"<p style='color:#b3261e'>{left_out}</p><ul>"
                    + "".join(
                        f"<li>{escape(t('第%d行') % e.row)} [{escape(e.column)}] "
                        f"“{escape(e.value)}”：{escape(e.message)}</li>"
                        for e in r.errors[:200]
                    )
                    + "</ul>"
                )
        return "".join(parts)
