"""The first screen shows what it is opened for before anything else loads: the start-up
reads only the page shown (the registry's rows, the overview's figures), imports neither
SQLAlchemy nor matplotlib nor the other pages before it is painted, and a damaged file
is still refused when the quick check runs alongside the first read."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.db.database import open_database
from app.db.errors import DbProblem, DbProblemKind
from app.services.files import database_files, demo
from app.services.registry import org_list

ROOT = Path(__file__).resolve().parents[2]

# the window started as `python main.py --db PATH` starts it (bench/bench_registry.py),
# on the page used last; what is loaded when that page has painted its data
_START = """
import sys, tempfile
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication
for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, tempfile.mkdtemp())
from ui import settings
settings.save_text("main/page", {page!r})
from ui.application import Startup, make_app
from ui.main_window import MainWindow
app = make_app()
w = MainWindow(); w.show()
Startup(w, Path({db!r})).start()

def ready(obj):
    if not w.pages:
        return False
    if {page!r} == "registry":
        return obj is w.registry.table.viewport() and w.registry.model.rowCount() > 0
    return obj.objectName() == "figure_base_total"

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and ready(obj):
            print("LOADED", ",".join(sorted(m for m in sys.modules
                if m.split(".")[0] in ("sqlalchemy", "matplotlib", "openpyxl", "alembic")
                and "." not in m) or ["-"]))
            print("PAGES", ",".join(sorted(m for m in sys.modules if m.startswith("ui.pages."))))
            QTimer.singleShot(0, app.quit)
            QApplication.instance().removeEventFilter(self)
        return False

painted = Painted()
QApplication.instance().installEventFilter(painted)
QTimer.singleShot(60_000, app.quit)
app.exec()
"""

# the other pages: none of their modules is imported before the first page is shown
_OTHER_PAGES = {
    "ui.pages.assessments_page",
    "ui.pages.classes_page",
    "ui.pages.clusters_page",
    "ui.pages.exchange_page",
    "ui.pages.gaps_page",
    "ui.pages.instructors_page",
    "ui.pages.pairings_page",
    "ui.pages.party_orgs_page",
    "ui.pages.visits_page",
}


@pytest.fixture
def park(db_path: Path) -> Path:
    db = open_database(db_path)  # the day's backup is taken: nothing is due at the start
    demo.build_demo(db, 60)
    db.dispose()
    return db_path


def _start(db: Path, page: str) -> tuple[set[str], set[str]]:
    code = textwrap.dedent(_START).format(root=str(ROOT), db=str(db), page=page)
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(db.parent)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert "LOADED" in lines, done.stdout + done.stderr  # the page painted its data
    return set(lines["LOADED"].split(",")) - {"-"}, set(lines["PAGES"].split(","))


@pytest.mark.gui
def test_the_registry_paints_its_rows_before_sqlalchemy_or_another_page_is_imported(
    park: Path,
) -> None:
    libraries, pages = _start(park, "registry")
    assert libraries == set()  # field_mode imported the field package, and SQLAlchemy with it
    assert "ui.pages.organizations_page" in pages
    assert pages & _OTHER_PAGES == set()  # every page's module was imported for the first


@pytest.mark.gui
def test_the_overview_paints_its_figures_before_sqlalchemy_matplotlib_or_the_registry(
    park: Path,
) -> None:
    libraries, pages = _start(park, "overview")
    assert libraries == set()
    assert "ui.pages.overview_page" in pages
    assert pages & (_OTHER_PAGES | {"ui.pages.organizations_page"}) == set()


@pytest.mark.gui
def test_the_overview_reads_everything_it_shows_without_sqlalchemy(park: Path) -> None:
    """The worklist, clusters, assessment headline and field work of the overview read
    with sqlite3 alone: the page, opened alone, does not import SQLAlchemy for them."""
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from PySide6.QtCore import QTimer
        from ui.application import make_app
        from app.db.database import open_database
        from ui.pages.overview_page import OverviewPage
        app = make_app()
        page = OverviewPage(open_database(Path({str(park)!r})))
        page.reload()
        def check():
            if page.loaded_once:
                shown = bool(page.visits_label.text()) and hasattr(page, "gaps")
                print("SQLALCHEMY", "sqlalchemy" in sys.modules, shown)
                app.quit()
            else:
                QTimer.singleShot(10, check)
        QTimer.singleShot(0, check)
        QTimer.singleShot(60_000, app.quit)
        app.exec()
    """)
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(park.parent)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "SQLALCHEMY False True" in done.stdout, done.stdout + done.stderr


@pytest.mark.damages_database
def test_damaged_pages_are_refused_though_the_check_runs_alongside_the_first_read(
    park: Path,
) -> None:
    # a ParkDesk file of this schema with today's backup taken: nothing is due, so the
    # quick check runs while the registry is read, and the registry is not returned
    conn = sqlite3.connect(park)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(park.read_bytes())
    for i in range(8192, len(data) - 4096, 4096):
        data[i : i + 64] = b"\xff" * 64
    park.write_bytes(bytes(data))
    with pytest.raises(DbProblem) as err:
        database_files.open_and_read(park, org_list.list_organizations)
    assert err.value.kind is DbProblemKind.CORRUPT


def test_the_first_read_returns_what_opening_the_database_and_reading_it_returns(
    park: Path,
) -> None:
    db, rows = database_files.open_and_read(park, org_list.list_organizations)
    try:
        assert [r.uuid for r in rows] == [r.uuid for r in org_list.list_organizations(db)]
        assert len(rows) == 60
    finally:
        db.dispose()
