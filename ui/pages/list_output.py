"""Every list leaves the program: a page's 导出与打印 menu saves what the page shows —
its filter, its order, its columns as arranged — as a workbook, or prints it (preview,
print, PDF) through app/reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from ui.list_export import save_list
from ui.table_model import Column

if TYPE_CHECKING:
    from app.services.reports.pdf import Printed
    from ui.printing import MakePdf

# each list's name on paper and in a file name
LIST_TITLES = {
    "organizations": "组织名录",
    "party_orgs": "党组织及换届情况",
    "instructors": "党建指导员",
    "classes": "分类管理",
    "clusters": "编组",
    "pairings": "结对帮带",
    "visit_list": "走访记录",
    "problem_list": "问题整改",
    "gaps": "预警清单",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("list_output", text)


def shown_columns(page: Any) -> list[Column]:
    """The columns as the page shows them: in the header's order, hidden ones left out."""
    header = page.table.horizontalHeader()
    out = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if not header.isSectionHidden(logical):
            out.append(page.model.columns[logical])
    return out


def shown_rows(page: Any) -> list[Any]:
    """The rows as the page shows them: filtered, in their order."""
    return page.model.visible_rows()


def title_of(page: Any) -> str:
    return tr(LIST_TITLES.get(page.page_name, "列表"))


def list_report(page: Any) -> MakePdf:
    """The page's list as printed by app/reports/table.py (a page may print otherwise)."""
    return table_report(page.db, title_of(page), shown_columns(page), shown_rows(page))


def table_report(db: Any, title: str, columns: Sequence[Column], rows: Sequence[Any]) -> MakePdf:
    """Rows as the window's columns show them (texts read now, on the GUI thread's
    model), printed later in a worker."""
    from app.services.reports.table import table_pdf

    cells = [[c.text(r) for c in columns] for r in rows]
    numeric = [n for n, c in enumerate(columns) if c.numeric]
    headers, widths = [c.title for c in columns], [c.width for c in columns]

    def make(path: Path, _progress: Callable[[int, int], None]) -> Printed:
        return table_pdf(db, path, title, headers, cells, widths, numeric)

    return make


def add_output_menu(
    page: Any, extra: list[tuple[str, str, Callable[[], None]]] = ()
) -> QToolButton:  # type: ignore[assignment]
    """导出与打印 ▾ on the page's action bar."""
    button = QToolButton(page)
    button.setObjectName("output")
    button.setText(tr("导出与打印"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    items: list[tuple[str, str, Callable[[], None]]] = [
        ("export", tr("导出为工作簿…"), lambda: export_workbook(page)),
        ("preview", tr("打印预览…"), lambda: print_with(page, _printing().preview)),
        ("print", tr("打印…"), lambda: print_with(page, _printing().print_directly)),
        ("pdf", tr("保存为PDF…"), lambda: print_with(page, _printing().save_pdf)),
        *extra,
    ]
    for name, text, slot in items:
        action = menu.addAction(text)
        action.setObjectName(f"output_{name}")
        action.triggered.connect(slot)
    button.setMenu(menu)
    page.action_bar.addWidget(button)
    return button


def _printing() -> ModuleType:
    """ui/printing.py, and Qt's print support with it: imported when something is
    printed, not with every page."""
    from ui import printing

    return printing


def print_with(page: Any, how: Callable[[QWidget, str, MakePdf], None]) -> None:
    make = page.report()  # a page may ask first (the register: which columns)
    if make is not None:
        how(page, title_of(page), make)


def export_workbook(page: QWidget) -> None:
    title = title_of(page)
    path, _ = QFileDialog.getSaveFileName(
        page, tr("导出为工作簿"), str(Path.home() / f"{title}.xlsx"), tr("Excel 工作簿 (*.xlsx)")
    )
    if path:
        save_list(page, Path(path), title, shown_columns(page), shown_rows(page))
