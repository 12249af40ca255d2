"""帮助 → 使用说明 (F1): the user guide inside the program (resources/help), with its
screenshots, opened at a chapter (快捷键, say)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from app.services.files.resources import USER_GUIDE

GUIDE = USER_GUIDE


class HelpDialog(QDialog):
    def __init__(self, anchor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("ParkDesk 使用说明"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide")
        self.browser.setOpenExternalLinks(False)
        # relative links and pictures resolve against the guide's own folder
        self.browser.setSource(QUrl.fromLocalFile(str(GUIDE)))
        if anchor:
            self.browser.scrollToAnchor(anchor)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        self.resize(880, 720)
