"""Issue 22 in the window: on a field laptop the 考核 page shows each unit's rank and
优秀 as the office published them (not ranked again among the package's few units),
says 办公室已发布, and the banner counts the units the registry lists."""

from __future__ import annotations

from datetime import date

import pytest

from app.db.database import Database, open_database
from app.services.assessment import assessment_results
from app.services.field import field_package
from app.services.files import demo
from tests.ui.conftest import wait_idle

pytestmark = pytest.mark.gui
PERIOD = "2026H1"  # published in the demo park


def test_the_assessments_page_on_a_laptop_shows_the_published_ranking(  # type: ignore[no-untyped-def]
    qtbot, gui_db: Database, tmp_path
) -> None:
    from ui.application import make_app
    from ui.main_window import MainWindow

    demo.build_demo(gui_db, 120, today=date(2026, 11, 23))
    ranking = assessment_results.rank_period(gui_db, PERIOD)
    big = max(ranking.classes.values(), key=lambda c: len(c.ranked))
    low = [r for r in big.ranked if r.rank > 4 and r.uscc][-3:]  # not 优秀 at the office
    package = tmp_path / "三个单位.pdfield"
    field_package.make_field_package(gui_db, package, usccs=[r.uscc for r in low])
    field_package.open_field_package(package, tmp_path / "laptop" / "field.sqlite3")
    field = open_database(tmp_path / "laptop" / "field.sqlite3", daily_backup=False)
    make_app()
    laptop = MainWindow(field)
    qtbot.addWidget(laptop)
    try:
        laptop.show()
        wait_idle(qtbot)
        page = laptop.show_page("assessments")
        wait_idle(qtbot)
        page.period.setCurrentText(PERIOD)
        page.reload()
        wait_idle(qtbot)
        assert "办公室已发布" in page.state.text()
        published = {r.uscc: r for c in ranking.classes.values() for r in c.rows}
        model = page.rank_model
        shown = [model.row_at(i) for i in range(model.rowCount())]
        assert {r.uscc for r in low} <= {r.uscc for r in shown}
        for row in shown:
            office = published[row.uscc]
            assert (row.rank, row.excellent, row.subsidy) == (
                office.rank,
                office.excellent,
                office.subsidy,
            )
        # the entry grid of their class: the office's rank, no 优秀
        page.entry_class.setCurrentIndex(page.entry_class.findData(big.class_code))
        grid = page.grid_model
        by_name = {grid.rows[i].name: i for i in range(len(grid.rows))}
        for r in low:
            at = by_name[r.name]
            assert (grid.text(at, "rank"), grid.grade(at)) == (str(r.rank), "")
        # the banner counts what the registry lists
        registry = laptop.show_page("registry")
        wait_idle(qtbot)
        listed = len(registry.model.all_rows)
        assert f"· {listed}个单位" in laptop.banner.text()
        assert "仅本包单位" not in registry.count_label.text()  # a list, not a count
        # the counts and warnings of a few units say so
        for name in ("gaps", "instructors", "party_orgs"):
            counted = laptop.show_page(name)
            wait_idle(qtbot)
            assert "仅本包单位" in counted.count_label.text(), name
        overview = laptop.show_page("overview")
        # its notes come with the rest of the page, read once the figures are painted
        qtbot.waitUntil(lambda: overview.loaded_once, timeout=10_000)
        wait_idle(qtbot)
        assert "仅本包单位" in overview.scope_label.text() and overview.scope_label.isVisible()
        assert "办公室已发布" in overview.assessment_label.text()
    finally:
        laptop.close()
        field.dispose()
