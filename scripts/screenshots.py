"""Render each page of the main window to PNG files (offscreen), for review.

    python scripts/screenshots.py --db PATH --out DIR [--size N]

With --size, a demo park of N organizations is generated first into PATH
when PATH does not exist yet.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--dialogs", action="store_true", help="also the add/edit dialogs")
    parser.add_argument("--workbook", type=Path, help="preview this workbook on 数据交换")
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer

    from app.db.database import open_database
    from app.services.files import demo
    from ui import tasks
    from ui.application import make_app
    from ui.main_window import MainWindow

    _app = make_app()  # held: the application lives as long as this reference
    if args.size and not args.db.exists():
        db = open_database(args.db)
        demo.build_demo(db, args.size)
    else:
        db = open_database(args.db)
    args.out.mkdir(parents=True, exist_ok=True)

    def pause(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle() -> None:
        # background work (a 10,000-row preview takes a second) and what it shows
        for _ in range(1500):
            if not tasks.busy():
                break
            pause(20)
        pause(150)

    window = MainWindow(db)
    window.resize(1440, 860)
    window.show()
    settle()
    for index, (name, _title) in enumerate(window.nav_items):  # a county's pages on a county
        page = window.show_page(name)
        settle()
        if hasattr(page, "canvases"):  # the overview: wait for its charts
            for _ in range(100):
                if page.canvases:
                    break
                settle()
            settle()
        if hasattr(page, "table"):
            page.table.selectRow(min(3, page.model.rowCount() - 1))
            settle()
        window.grab().save(str(args.out / f"{index + 1}_{page.page_name}.png"))
        tabs = getattr(page, "tabs", None)
        for tab in range(1, tabs.count() if tabs is not None else 0):
            tabs.setCurrentIndex(tab)
            for _ in range(50):  # a tab may draw charts in the background
                settle()
                if not tasks.busy():
                    break
            pause(400)
            window.grab().save(str(args.out / f"{index + 1}_{page.page_name}_{tab}.png"))
    if args.workbook:
        window.open_workbook(args.workbook)
        settle()
        window.grab().save(str(args.out / "5_exchange_preview.png"))
        window.exchange.filter_combo.setCurrentIndex(4)
        settle()
        window.grab().save(str(args.out / "6_exchange_bad_rows.png"))
    if args.dialogs:
        from ui.dialogs.organization_dialog import OrganizationDialog
        from ui.dialogs.party_org_dialog import PartyOrgDialog

        org = window.registry.model.row_at(0)
        dialog = OrganizationDialog(db, org.id, window)
        dialog.uscc.setText(org.uscc[:-1] + ("0" if org.uscc[-1] != "0" else "1"))
        dialog.show()
        settle()
        dialog.grab().save(str(args.out / "dialog_org_basic.png"))
        dialog.tabs.setCurrentIndex(2)
        settle()
        dialog.grab().save(str(args.out / "dialog_org_party.png"))
        dialog.reject()
        po = window.party_orgs_page.model.row_at(0)
        pdialog = PartyOrgDialog(db, po.id, window)
        pdialog.show()
        settle()
        pdialog.grab().save(str(args.out / "dialog_party_org.png"))
        pdialog.reject()
    window.close()
    tasks.shutdown()  # as quitting does: wait for work still running (the warm-up)
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
