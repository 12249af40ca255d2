"""The command line's registry import parses the sheet while the database opens (issue 23:
the whole `main.py import` process), and never takes a file saved again meanwhile as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app import cli, cli_support
from app.db.database import Database
from app.services.workbooks import imports
from tests.conftest import ROOT, write_xlsx

HEADER = ["组织名称", "统一社会信用代码", "组织类型"]


def test_the_sheet_is_read_while_the_database_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = write_xlsx(tmp_path / "名录.xlsx", [HEADER, ["甲公司", "", "非公企业"]])
    seen: list[list[str]] = []
    real_open = cli_support.open_database

    def opening(*args: object, **kwargs: object) -> Database:
        seen.append([t.name for t in threading.enumerate()])
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_support, "open_database", opening)
    assert cli.run(["--db", str(tmp_path / "园区.sqlite3"), "import", str(book)]) == 0
    assert seen and "workbook" in seen[0]


def test_a_workbook_saved_again_after_its_read_began_is_read_again(
    db: Database, tmp_path: Path
) -> None:
    book = write_xlsx(tmp_path / "名录.xlsx", [HEADER, ["甲公司", "", "非公企业"]])
    ahead = imports.read_ahead(book)
    ahead.result()
    # saved again while the command waited for the database's lock
    write_xlsx(book, [HEADER, ["乙公司", "", "非公企业"], ["丙公司", "", "非公企业"]])
    os.utime(book, ns=(0, ahead._version[1] + 10**9))  # type: ignore[index]
    preview = imports.preview_import(db, book, ahead=ahead)
    assert [p.name for p in preview.rows] == ["乙公司", "丙公司"]


def test_a_file_refused_ahead_is_refused_by_the_preview(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a zip at all")
    ahead = imports.read_ahead(bad)
    with pytest.raises(imports.WorkbookError, match="损坏"):
        imports.preview_import(db, bad, ahead=ahead)


def test_the_import_loads_no_merge_code(tmp_path: Path) -> None:
    # the report's labels of the records written come from the vocabulary: the whole
    # command once loaded the field packages' merge for them (and what it imports)
    book = write_xlsx(tmp_path / "名录.xlsx", [HEADER, ["甲公司", "", "非公企业"]])
    code = (
        "import sys; from app import cli;"
        f"cli.run(['--db', {str(tmp_path / 'p.sqlite3')!r}, 'import', {str(book)!r}]);"
        "print('MERGE', 'app.services.field.package_merge' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "MERGE False" in done.stdout


def test_the_command_line_loads_no_multiprocessing_unless_frozen() -> None:
    # freeze_support() matters only in the frozen build (app/apart.py's children)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "main.py", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert " multiprocessing\n" not in done.stderr
