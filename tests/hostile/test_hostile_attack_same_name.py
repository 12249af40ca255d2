"""Issue 22 attack: two instructors share a name (何红 in a park of 2000). `visits add
--instructor 何红` (and the visit dialog) silently took whichever came last, so a
visit was put down to the 何红 who never looks after the unit. The name is now the one
of them who looks after the visited unit; when that does not settle it, refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_main


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int, str, str]:
    """The database; the shared name; the first of the two and a unit only they look
    after; a unit neither looks after."""
    db = tmp_path_factory.mktemp("park") / "park.sqlite3"
    assert run_main("--db", str(db), "demo", "--size", "40").returncode == 0
    conn = sqlite3.connect(db)
    first, second = (
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT instructor_id FROM assignment ORDER BY instructor_id LIMIT 2"
        )
    )
    name = conn.execute("SELECT name FROM instructor WHERE id = ?", (first,)).fetchone()[0]
    conn.execute("UPDATE instructor SET name = ? WHERE id = ?", (name, second))
    conn.commit()
    units = (
        "SELECT uscc FROM organization WHERE uscc != '' AND id {} "
        "(SELECT organization_id FROM assignment WHERE instructor_id IN ({}))"
    )
    mine = conn.execute(
        units.format("IN", first)
        + f" AND id NOT IN (SELECT organization_id FROM assignment WHERE instructor_id = {second})"
    ).fetchone()[0]
    neither = conn.execute(units.format("NOT IN", f"{first}, {second}")).fetchone()[0]
    conn.close()
    return db, name, first, mine, neither


def _last_visit_instructors(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT instructor_id FROM visit_instructor"
                " WHERE visit_id = (SELECT max(id) FROM visit)"
            )
        ]
    finally:
        conn.close()


def test_the_shared_name_is_the_one_who_looks_after_the_unit(
    park: tuple[Path, str, int, str, str],
) -> None:
    db, name, first, mine, _neither = park
    done = run_main(
        "--db", str(db), "visits", "add", "--org", mine, "--date", "2026-11-20",
        "--instructor", name,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _last_visit_instructors(db) == [first]


def test_a_shared_name_the_unit_does_not_settle_is_refused(
    park: tuple[Path, str, int, str, str],
) -> None:
    db, name, _first, _mine, neither = park
    before = _last_visit_instructors(db)
    done = run_main(
        "--db", str(db), "visits", "add", "--org", neither, "--date", "2026-11-20",
        "--instructor", name,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"有2位指导员叫“{name}”，无法确定是哪一位" in done.stderr, done.stderr
    assert _last_visit_instructors(db) == before
