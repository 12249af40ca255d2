"""Issue 22 attack: a registry row whose count is absurd (1e30 from a formula, a long
run of 9s) passed the import's preview and crashed its apply with OverflowError (too
large for SQLite); the form's check let it through as well. A count over 1000万 is
now a row message, like a negative one, and the other rows are imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.domain.validation import OrganizationDraft, check_organization
from tests.conftest import run_main, write_xlsx

HEADER = ["组织名称", "统一社会信用代码", "组织类型", "从业人员数", "正式党员数"]


def test_an_absurd_count_is_a_row_message_and_the_other_rows_arrive(
    tmp_path: Path,
) -> None:
    db = tmp_path / "park.sqlite3"
    book = write_xlsx(
        tmp_path / "登记表.xlsx",
        [
            HEADER,
            ["正常公司", "", "非公企业", 12, 3],
            ["公式公司", "", "非公企业", 10**30, 1],
            ["九九公司", "", "非公企业", "99999999999999999999999", 1],
            ["浮点公司", "", "非公企业", 5, 1e300],
        ],
    )
    done = run_main("--db", str(db), "import", str(book))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "新增1个" in done.stdout, done.stdout
    assert done.stdout.count("人数过大，不能超过1000万") == 3, done.stdout
    listed = run_main("--db", str(db), "orgs", "list")
    assert "正常公司" in listed.stdout and "公式公司" not in listed.stdout


def test_the_form_s_check_refuses_an_absurd_count() -> None:
    draft = OrganizationDraft(name="某公司", employees=10**30, formal_members=10_000_000)
    issues = check_organization(draft, date(2026, 12, 1))
    assert [(i.field, i.message) for i in issues] == [
        ("employees", "从业人员数过大，不能超过1000万")
    ]
