"""Issue 22: a file ParkDesk writes never lands on a database. Every command that
writes a file (reports, workbooks, packages, a backup to a file) refuses the open
database, its -wal/-shm/-journal, a file in a backups folder and another park's
database (even renamed), in Chinese naming the file, writing nothing."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_main


@dataclass(frozen=True)
class Park:
    db: Path
    field_db: Path
    other: Path  # another park's database, renamed as a report
    instructor: str
    uscc: str

    def target(self, kind: str) -> Path:
        return {
            "db": self.db,
            "wal": self.db.with_name(self.db.name + "-wal"),
            "journal": self.db.with_name(self.db.name + "-journal"),
            "backup": self.db.parent / "backups" / self.db.stem / "季度报送.xlsx",
            "other": self.other,
        }[kind]


def _ok(*args: str) -> str:
    done = run_main(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> Park:
    home = tmp_path_factory.mktemp("park")
    db = home / "live.sqlite3"
    _ok("--db", str(db), "demo", "--size", "40")
    conn = sqlite3.connect(db)
    instructor = conn.execute(
        "SELECT i.name FROM instructor i JOIN assignment a ON a.instructor_id = i.id LIMIT 1"
    ).fetchone()[0]
    uscc = conn.execute("SELECT uscc FROM organization WHERE uscc != '' LIMIT 1").fetchone()[0]
    conn.close()
    package = home / "外业包.pdfield"
    _ok("--db", str(db), "field", "export", str(package), "--instructor", instructor)
    field_db = home / "laptop" / "外业.sqlite3"
    _ok("--db", str(field_db), "field", "open", str(package))
    other_db = home / "other" / "其他园区.sqlite3"
    _ok("--db", str(other_db), "demo", "--size", "5")
    renamed = home / "other" / "其他园区报表.pdf"  # a database whatever its name says
    shutil.copyfile(other_db, renamed)
    return Park(db, field_db, renamed, instructor, uscc)


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _command(park: Park, name: str, target: Path) -> list[str]:
    t = str(target)
    return {
        "report gaps": ["--db", str(park.db), "report", "gaps", t],
        "report registry": ["--db", str(park.db), "report", "registry", t],
        "report unit": ["--db", str(park.db), "report", "unit", park.uscc, t],
        "report overview": ["--db", str(park.db), "report", "overview", t],
        "export": ["--db", str(park.db), "export", t],
        "template": ["--db", str(park.db), "template", t],
        "assess template": ["--db", str(park.db), "assess", "template", t, "--period", "2026H1"],
        "field export": [
            "--db",
            str(park.db),
            "field",
            "export",
            t,
            "--instructor",
            park.instructor,
        ],
        "field return": ["--db", str(park.field_db), "field", "return", t],
        "backup": ["--db", str(park.db), "backup", t],
    }[name]


CASES = [
    # every command once, every kind of target at least twice
    ("report gaps", "db"),
    ("report gaps", "wal"),
    ("report gaps", "backup"),
    ("report gaps", "other"),
    ("report registry", "wal"),
    ("report unit", "backup"),
    ("report overview", "other"),
    ("export", "db"),
    ("export", "backup"),
    ("template", "db"),
    ("template", "journal"),
    ("assess template", "other"),
    ("field export", "db"),
    ("field return", "other"),
    ("backup", "db"),
    ("backup", "wal"),
    ("backup", "backup"),
    ("backup", "other"),
]


@pytest.mark.parametrize(("command", "kind"), CASES)
def test_a_file_is_never_written_over_a_database_its_files_or_its_backups(
    park: Park, command: str, kind: str
) -> None:
    target = park.target(kind)
    if kind == "backup":
        target.parent.mkdir(parents=True, exist_ok=True)
    before = _digest(target)
    done = run_main(*_command(park, command, target))
    assert done.returncode != 0, done.stdout
    assert f"没有写入“{target.name}”" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert "已保存" not in done.stdout and "已备份" not in done.stdout
    assert _digest(target) == before  # untouched (or still absent)
    assert not target.with_name(target.name + ".part").exists()
    # the park's database is whole and still opens
    assert "组织" in run_main("--db", str(park.db), "orgs", "list").stderr
    conn = sqlite3.connect(park.db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_the_guard_names_why_in_chinese(tmp_path: Path) -> None:
    from app.output_guard import ProtectedFile, refuse_protected

    db = tmp_path / "园区.sqlite3"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ProtectedFile, match="数据库文件"):
        refuse_protected(db)
    with pytest.raises(ProtectedFile, match=r"园区\.sqlite3”的工作文件"):
        refuse_protected(tmp_path / "园区.sqlite3-shm")
    backups = tmp_path / "backups" / "园区"
    backups.mkdir(parents=True)
    with pytest.raises(ProtectedFile, match="备份文件夹"):
        refuse_protected(backups / "名录.pdf")
    with pytest.raises(ProtectedFile, match="备份文件夹"):
        refuse_protected(tmp_path / "backups" / "名录.pdf")
    # a folder holding ParkDesk's backups, moved anywhere
    moved = tmp_path / "U盘"
    moved.mkdir()
    shutil.copyfile(db, moved / "parkdesk-20261201-080000-daily.sqlite3")
    with pytest.raises(ProtectedFile, match="备份文件夹"):
        refuse_protected(moved / "名录.pdf")
    # what is none of these is written: a new file, an old report, a folder named backups
    (tmp_path / "旧报表.pdf").write_bytes(b"%PDF-1.4")
    refuse_protected(tmp_path / "旧报表.pdf")
    refuse_protected(tmp_path / "新报表.pdf")
    (tmp_path / "D" / "backups" / "2026").mkdir(parents=True)
    refuse_protected(tmp_path / "D" / "backups" / "2026" / "名录.pdf")


# how a module writes a file, and the modules that may without the guard (and why)
_WRITES = re.compile(
    r'xlsxwriter\.Workbook\(|SimpleDocTemplate\(|ZipFile\([^)]*"[wax]"|\.open\("[wax]'
    r"|write_bytes\(|write_text\(|copyfile\(|copy2\(|\bwb\.save\("
)
_INTERNAL = {
    "app/services/field/attachments.py": "the database's own attachments folder, by content hash",
    "app/db/writer_lock.py": "the database's own lock file",
    "app/exchange/packages.py": "Package.extract: the field database field open creates",
    "app/db/sqlite_file.py": "copy_whole: a database merge's private copy, in its own temp folder",
}


def test_every_module_that_writes_a_file_for_the_user_goes_through_the_guard() -> None:
    """A new writer cannot forget the guard: a module that writes a file either writes
    through ``saving`` / ``backup_to`` or calls ``refuse_protected`` itself."""
    root = Path(__file__).resolve().parents[2]
    unguarded = []
    for path in [*(root / "app").rglob("*.py"), *(root / "ui").rglob("*.py")]:
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if name in _INTERNAL or name == "app/exchange/saving.py" or not _WRITES.search(text):
            continue
        if not re.search(r"\bsaving\(|\brefuse_protected\(", text):
            unguarded.append(name)
    assert unguarded == []


def test_a_field_database_is_never_made_in_a_backups_folder(park: Park) -> None:
    target = park.target("backup").with_name("外业.sqlite3")
    target.parent.mkdir(parents=True, exist_ok=True)
    package = park.db.parent / "外业包.pdfield"
    done = run_main("--db", str(target), "field", "open", str(package))
    assert done.returncode == 1
    assert "没有写入“外业.sqlite3”" in done.stderr and "备份文件夹" in done.stderr, done.stderr
    assert not target.exists()
