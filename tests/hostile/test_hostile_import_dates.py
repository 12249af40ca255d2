"""A registry row founded after today is refused by the import as by the form (found by
attacking issue 22's surfaces: the import took 2099-01-01 that the form refuses)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_main, write_xlsx


def test_a_unit_founded_in_the_future_is_a_row_error_not_a_registration(
    db_path: Path, tmp_path: Path
) -> None:
    book = write_xlsx(
        tmp_path / "登记表.xlsx",
        [
            ["组织名称", "组织类型", "正式党员数", "成立日期"],
            ["未来公司", "非公企业", 5, "2099-01-01"],
            ["今天的公司", "非公企业", 1, "2020-05-01"],
        ],
    )
    run_main("--db", str(db_path), "demo", "--size", "1")
    done = run_main("--db", str(db_path), "import", str(book), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["created"] == 1
    (error,) = report["errors"]
    assert (error["row"], error["reason"], error["value"]) == (2, "date_future", "2099-01-01")
    assert error["message"] == "成立日期晚于今天" and error["column"] == "成立日期"
    names = [
        o["name"]
        for o in json.loads(run_main("--db", str(db_path), "orgs", "list", "--json").stdout)
    ]
    assert "未来公司" not in names and "今天的公司" in names
