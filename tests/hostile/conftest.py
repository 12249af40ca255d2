"""What the hostile cases share: a demo park made once per module through the command
line, a laptop (a field database opened from a field package the office made), a copy
of a database, a package tampered with as an attacker would (its sums made to match),
a small or read-only disk, the units a database holds (checked whole), and a unit with
one problem raised on a visit."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.db.database import Database, open_database
from app.domain import uscc
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import VisitKind
from app.services.assessment import assessment_settings, assessments
from app.services.field import visits
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft
from tests.conftest import ROOT, run_main

DAY = date(2026, 11, 20)
CODE = uscc.make_valid("91450200MA5N6C5H2")


def problem_on_a_visit(db: Database) -> tuple[int, str]:
    """甲公司 (CODE), visited by 王指导 (assigned to it), one problem raised on the visit:
    the problem's id and uuid."""
    org = organizations.create_organization(db, OrganizationDraft(name="甲公司", uscc=CODE))
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    instructors.assign(db, who, org)
    draft = VisitDraft(org, DAY, VisitKind.VISIT, [who], "座谈", "", [ProblemDraft("记录不全")])
    visits.add_visit(db, draft, DAY)
    (problem,) = visits.list_problems(db, DAY)
    return problem.id, problem.uuid


@pytest.fixture(scope="module")
def park(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo park made once per module by ``demo`` (a module may set PARK_SIZE)."""
    size = getattr(request.module, "PARK_SIZE", 8)
    db = tmp_path_factory.mktemp("park") / "live.sqlite3"
    done = run_main("--db", str(db), "demo", "--size", str(size))
    assert done.returncode == 0, done.stderr
    return db


def _org_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM organization").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def org_count() -> Callable[[Path], int]:
    """The units a database file holds, the file checked whole first."""
    return _org_count


@dataclass(frozen=True, slots=True)
class Laptop:
    field: Database  # the field database, open
    package: Path  # the field package it was opened from
    target: Path  # the field database's file


@pytest.fixture
def field_laptop(tmp_path: Path) -> Iterator[Callable[..., Laptop]]:
    """Make a field package at ``office`` (an instructor's units, or those named) and open
    it as a laptop would: ``field_laptop(office, instructor="王指导")``."""
    from app.services.field import field_package

    opened: list[Database] = []

    def make(
        office: Database,
        *,
        instructor: str | None = None,
        usccs: list[str] | None = None,
        name: str = "王指导.pdfield",
        folder: str = "laptop",
    ) -> Laptop:
        package = tmp_path / name
        field_package.make_field_package(office, package, instructor=instructor, usccs=usccs)
        target = tmp_path / folder / "field.sqlite3"
        field_package.open_field_package(package, target)
        field = open_database(target, daily_backup=False)
        opened.append(field)
        return Laptop(field, package, target)

    yield make
    for field in opened:
        field.dispose()


@pytest.fixture
def db_copy() -> Iterator[Callable[[Database, Path], Database]]:
    """A whole copy of a database at ``path`` (as a clerk copies the file to a laptop),
    opened: ``db_copy(office, tmp_path / "laptop.sqlite3")``."""
    opened: list[Database] = []

    def make(db: Database, path: Path) -> Database:
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(db.path) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        copy = open_database(path, daily_backup=False)
        opened.append(copy)
        return copy

    yield make
    for copy in opened:
        copy.dispose()


def _repacked(
    path: Path,
    out: Path,
    member: str,
    edit: Callable[[bytes], bytes],
    extra: dict[str, bytes] | None = None,
) -> Path:
    from app.exchange.packages import sha256_of

    with zipfile.ZipFile(path) as src:
        manifest = json.loads(src.read("manifest.json"))
        members = {n: src.read(n) for n in src.namelist() if n != "manifest.json"}
    members[member] = edit(members[member])
    members |= extra or {}
    manifest["files"] = {n: sha256_of(b) for n, b in members.items()}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for name, body in members.items():
            zf.writestr(name, body)
    return out


@pytest.fixture
def repack() -> Callable[..., Path]:
    """The package with one member rewritten and the manifest's sha256 recomputed, as an
    attacker would (and extra members listed with their sums):
    ``repack(path, out, "changes.json", edit)``."""
    return _repacked


@pytest.fixture
def in_namespace(tmp_path: Path) -> Callable[[str], subprocess.CompletedProcess[str]]:
    """Run ``script`` (sh) with a 3 MB tmpfs at $MNT, in a mount namespace of its own
    (a small or, remounted, a read-only disk); skipped where namespaces are not allowed."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        pytest.skip("needs Linux namespaces to make a small or read-only disk")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=3m tmpfs {mnt}"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")

    def run(script: str) -> subprocess.CompletedProcess[str]:
        full = f"MNT={mnt}\nmount -t tmpfs -o size=3m tmpfs $MNT\n{script}"
        return subprocess.run(
            ["unshare", "-rm", "sh", "-c", full], capture_output=True, text=True, cwd=ROOT
        )

    return run


# the published-results tests' park: five A units, 甲 best … 戊 last
SCORED_NAMES = ("甲公司", "乙公司", "丙公司", "丁公司", "戊公司")
_SIX = {"组织设置": 15, "党员队伍": 15, "组织生活": 20, "工作保障": 15, "作用发挥": 20}


def score_entry(brand: int, bonus: int = 0) -> assessments.ScoreEntry:
    """The 濉溪六项 scores, full but for 品牌特色 (``brand``): the units' order by it."""
    return assessments.ScoreEntry({**_SIX, "品牌特色": brand}, bonus=bonus)


def five_scored_units(db: Database, period: str) -> tuple[dict[str, int], int]:
    """SCORED_NAMES as A units scored in ``period`` (甲 best … 戊 last), all assigned to
    王指导, 4,000 元 per 优秀 unit; their ids by name and the instructor's."""
    ids = {
        n: organizations.create_organization(db, OrganizationDraft(name=n, class_code="A"))
        for n in SCORED_NAMES
    }
    who = instructors.create_instructor(db, InstructorDraft(name="王指导"))
    for unit in ids.values():
        instructors.assign(db, who, unit)
    settings = assessment_settings.get_settings(db)
    assessment_settings.set_settings(db, replace(settings, subsidy={"A": Decimal(4000)}))
    assessments.ensure_period(db, period)
    for n, brand in zip(SCORED_NAMES, (15, 14, 13, 12, 11), strict=True):
        assessments.set_scores(db, period, ids[n], score_entry(brand))
    return ids, who
