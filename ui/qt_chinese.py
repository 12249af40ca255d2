"""Qt's own widgets in Chinese: the translations shipped with PySide6
(qtbase_zh_CN.qm) and the few strings of this Qt they do not have yet (the file
dialog's "&Look in:" and "Files of &type:" gained their accelerators after the
Chinese file was last updated)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class _Supplement(QTranslator):
    """Strings qtbase_zh_CN.qm lacks; installed after it, so asked first."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) lets Qt ask the next translator; "" would be an answer
        return _MISSING.get((context, source))

    def isEmpty(self) -> bool:
        return False


def install(app: QCoreApplication) -> bool:
    """Load Qt's Chinese; False when the translations folder has none."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    loaded = qtbase.load("qtbase_zh_CN", folder)
    if loaded:
        app.installTranslator(qtbase)
    app.installTranslator(_Supplement(app))
    return loaded
