"""The score workbook: the template round trip, a sheet written by hand, row errors
with the row and the column, the same file twice, undo, and the command line's
JSON contract."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.services.assessment import (
    assessment_exports,
    assessment_results,
    assessments,
    score_import,
)
from app.services.registry import organizations
from app.services.workbooks import imports
from tests.conftest import run_main, write_xlsx


def test_the_template_filled_and_imported_round_trips(db: Database, tmp_path: Path) -> None:
    units = _park_with_valid_codes(db)
    assessments.ensure_period(db, "2026H1")
    path = assessment_exports.export_template(db, tmp_path / "评分表.xlsx", "2026H1")
    wb = openpyxl.load_workbook(path)
    ws = wb["考核评分"]
    headers = [c.value for c in ws[2]]
    assert headers[:4] == ["统一社会信用代码", "组织名称", "分类", "组织设置（15分）"]
    assert headers[-3:] == ["特色工作加分（≤5分）", "否决", "备注"]
    assert {dv.type for dv in ws.data_validations.dataValidation} == {"decimal", "list"}
    names = [ws.cell(r, 2).value for r in range(3, ws.max_row + 1)]
    assert names == ["乙贸易有限公司", "甲科技有限公司", "丙协会"]  # by class, then name
    for r, points in ((4, [14.5, 15, 19, 15, 20, 14]), (3, [15, 15, 20, 15, 20, 15])):
        for c, value in enumerate(points, start=4):
            ws.cell(r, c).value = value
    ws.cell(4, 10).value = 2
    ws.cell(5, 4).value = 10  # 丙协会: one score, the rest to come
    ws.cell(5, 12).value = "待补"
    wb.save(path)
    preview = score_import.preview_scores(db, path, "2026H1")
    assert preview.as_report() == {
        "data_rows": 3,
        "good_rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    score_import.apply_scores(db, preview)
    ranking = assessment_results.rank_period(db, "2026H1")
    a = ranking.classes["A"]
    assert [(r.unit_id, r.total, r.rank) for r in a.ranked] == [
        (units["乙贸易有限公司"], Decimal(100), 1),
        (units["甲科技有限公司"], Decimal("99.5"), 2),  # 97.5 + 2, exactly
    ]
    assert [r.unit_id for r in ranking.classes["C"].unscored] == [units["丙协会"]]
    # the same file again changes nothing
    again = score_import.preview_scores(db, path, "2026H1")
    assert (again.count("new"), again.count("changed"), again.count("unchanged")) == (0, 0, 3)
    # a new template carries what is entered: sent out again, returned, unchanged
    second = assessment_exports.export_template(db, tmp_path / "再发.xlsx", "2026H1")
    assert score_import.preview_scores(db, second, "2026H1").count("unchanged") == 3


def _park_with_valid_codes(db: Database) -> dict[str, int]:
    out = {}
    for name, code, cls in (
        ("甲科技有限公司", "91450200MA5N6C5H2H", "A"),
        ("乙贸易有限公司", "91450200773885895T", "A"),
        ("丙协会", None, "C"),
    ):
        out[name] = organizations.create_organization(
            db, OrganizationDraft(name=name, uscc=code, class_code=cls)
        )
    return out


def test_bad_rows_say_what_and_where_and_write_nothing(db: Database, tmp_path: Path) -> None:
    _park_with_valid_codes(db)
    assessments.ensure_period(db, "2026H1")
    # written by hand: a title row, columns in another order, names without brackets
    path = write_xlsx(
        tmp_path / "手工.xlsx",
        [
            ["2026年上半年考核打分"],
            [
                "组织名称",
                "组织设置",
                "党员队伍",
                "组织生活",
                "工作保障",
                "作用发挥",
                "品牌特色",
                "加分",
                "一票否决",
                "统一社会信用代码",
            ],
            ["甲科技有限公司", 16, 15, 20, 15, 20, 15, None, None, "91450200MA5N6C5H2H"],
            ["乙贸易有限公司", 15, -1, 20, 15, 20, "好", 6, "迟到", "91450200773885895T"],
            ["丁公司", 15, 15, 20, 15, 20, 15, None, None, None],
            ["戊公司", 15, 15, 20, 15, 20, 15, None, None, "91450200MA5N6C5H3L"],
            ["丙协会", 15, 15, 20, 15, 20, 15, None, "是", None],
            ["丙协会", 14, 15, 20, 15, 20, 15, None, "否", None],
        ],
    )
    preview = score_import.preview_scores(db, path, "2026H1")
    found = {(e.row, e.column, e.reason) for e in preview.errors}
    assert found == {
        (3, "组织设置", "score_over_max"),
        (4, "党员队伍", "score_negative"),
        (4, "品牌特色", "score_not_numeric"),
        (4, "加分", "bonus_over_cap"),
        (4, "一票否决", "veto_unknown"),
        (5, "组织名称", "org_unknown"),
        (6, "统一社会信用代码", "org_unknown"),  # a code not known: never matched by name
        (7, "组织名称", "uscc_duplicate"),  # matched by name: the name column is meant
        (8, "组织名称", "uscc_duplicate"),
    }
    assert all(e.message for e in preview.errors) and preview.good_rows == 0
    score_import.apply_scores(db, preview)
    assert assessment_results.rank_period(db, "2026H1").scored == 0


def test_an_import_is_undone_from_the_log_and_a_published_period_refuses_it(
    db: Database, tmp_path: Path
) -> None:
    _park_with_valid_codes(db)
    assessments.ensure_period(db, "2026H1")
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            [
                "统一社会信用代码",
                "组织设置",
                "党员队伍",
                "组织生活",
                "工作保障",
                "作用发挥",
                "品牌特色",
            ],
            ["91450200MA5N6C5H2H", 15, 15, 20, 15, 20, 15],
        ],
    )
    score_import.apply_scores(db, score_import.preview_scores(db, path, "2026H1"))
    assert assessment_results.rank_period(db, "2026H1").scored == 1
    log = imports.list_logs(db)[0]
    assert (log.file_name, log.created) == ("s.xlsx", 1)
    imports.undo_import(db, log.id)
    assert assessment_results.rank_period(db, "2026H1").scored == 0
    assessments.set_published(db, "2026H1", True)
    preview = score_import.preview_scores(db, path, "2026H1")
    assert preview.good_rows == 0 and preview.errors[0].reason == "period_published"


def test_the_command_line_keeps_its_json_keys(db_path: Path, tmp_path: Path) -> None:
    from app.db.database import open_database

    db = open_database(db_path)
    _park_with_valid_codes(db)
    db.dispose()
    template = tmp_path / "t.xlsx"
    assert (
        run_main(
            "--db", str(db_path), "assess", "template", str(template), "--period", "2026H1"
        ).returncode
        == 0
    )
    wb = openpyxl.load_workbook(template)
    ws = wb["考核评分"]
    for r, total in ((3, 14), (4, 15)):  # 乙 then 甲, as the registry sorts names
        for c in range(4, 10):
            ws.cell(r, c).value = total if c != 6 else 20
    ws.cell(3, 11).value = "严重违纪违法"
    wb.save(template)
    out = run_main(
        "--db", str(db_path), "assess", "import", str(template), "--period", "2026H1", "--json"
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "data_rows": 3,
        "good_rows": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 1,  # 丙协会: listed, left blank
        "errors": [],
    }
    out = run_main("--db", str(db_path), "assess", "rank", "--period", "2026H1", "--json")
    data = json.loads(out.stdout)
    assert data["classes"]["A"] == [
        {
            "rank": 1,
            "uscc": "91450200MA5N6C5H2H",
            "name": "甲科技有限公司",
            "total": "95",
            "excellent": True,
            "subsidy": "0",
            "veto": "",
        },
        {
            "rank": None,
            "uscc": "91450200773885895T",
            "name": "乙贸易有限公司",
            "total": "90",
            "excellent": False,
            "subsidy": "0",
            "veto": "严重违纪违法",
        },
    ]
    assert data["unscored"] == [{"uscc": None, "name": "丙协会", "class": "C"}]
    out = run_main("--db", str(db_path), "assess", "stars", "--year", "2026", "--json")
    assert out.returncode == 1 and "没有考核期2026" in out.stderr
    out = run_main("--db", str(db_path), "assess", "schemes", "--json")
    names = [s["name"] for s in json.loads(out.stdout)]
    assert names == ["五星争创", "濉溪六项"]


def test_scores_changed_by_an_import_come_back_exactly_on_undo_and_show_in_history(
    db: Database, tmp_path: Path
) -> None:
    from app.services.files import audit

    units = _park_with_valid_codes(db)
    unit = units["甲科技有限公司"]
    assessments.ensure_period(db, "2026H1")
    assessments.set_scores(
        db,
        "2026H1",
        unit,
        assessments.ScoreEntry(
            {"组织设置": "14.5", "党员队伍": 15, "组织生活": 20, "工作保障": 15},
            bonus="1",
            note="手工录入",
        ),
    )
    before = assessment_results.unit_results(db, unit)
    headers = ["统一社会信用代码", "组织设置", "作用发挥", "品牌特色", "特色工作加分"]
    path = write_xlsx(tmp_path / "补录.xlsx", [headers, ["91450200MA5N6C5H2H", 13, 20, 14.5, 2]])
    preview = score_import.preview_scores(db, path, "2026H1")
    assert preview.as_report()["updated"] == 1
    score_import.apply_scores(db, preview)
    ranked = assessment_results.rank_period(db, "2026H1").classes["A"].ranked
    # 13 + 15 + 20 + 15 + 20 + 14.5 + 2: blank columns keep what was entered by hand
    assert [(r.unit_id, r.total) for r in ranked] == [(unit, Decimal("99.5"))]
    changes = {f: (old, new) for f, old, new in audit.history(db, "assessment_score", 1)[0].changes}
    assert [Decimal(v) for v in changes["bonus"]] == [1, 2]
    assert json.loads(changes["scores"][0])["组织设置"] == "14.5"
    imports.undo_import(db, imports.list_logs(db)[0].id)
    assert assessment_results.unit_results(db, unit) == before
    assert assessment_results.rank_period(db, "2026H1").scored == 0  # incomplete again


def test_scores_are_stored_as_json_dumps_writes_them() -> None:
    from app.domain.assessment import SUIXI_SIX

    check = score_import._Checker(SUIXI_SIX, {})
    full = {i.name: f"{n}.5" for n, i in enumerate(SUIXI_SIX.indicators)}
    for scores in (full, {"组织设置": "15"}, {**full, '外来"项': "1"}, {}):
        assert check.encode(scores) == json.dumps(scores, ensure_ascii=False, sort_keys=True)
