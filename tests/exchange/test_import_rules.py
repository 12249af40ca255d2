"""Importing into a registry that already holds data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database
from app.domain.uscc import make_valid
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation, OrgKind
from app.services.files import audit
from app.services.registry import org_list, organizations, party_orgs
from app.services.workbooks import imports
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import, save_mapping
from tests.conftest import SAMPLES_DIR, write_xlsx

A = make_valid("91450223MA5LTXT01")
B = make_valid("91450223MA5LTXT02")
C = make_valid("91450223MA5LTXT03")


_xlsx = write_xlsx


def _org(db: Database, name: str, code: str = "", **kw: object) -> int:
    return organizations.create_organization(
        db,
        OrganizationDraft(name=name, uscc=code, **kw),  # type: ignore[arg-type]
    )


def test_changed_rows_show_old_and_new_and_blank_cells_do_not_wipe(
    db: Database, tmp_path: Path
) -> None:
    org = _org(db, "甲公司", A, formal_members=1, phone="0772-1234567", industry="制造业")
    path = _xlsx(
        tmp_path / "更新.xlsx",
        [
            ["单位名称", "信用代码", "类型", "正式党员（人）", "电话", "行业"],
            ["甲公司", A.lower(), "企业", "4人", None, "制造业"],
        ],
    )
    preview = preview_import(db, path)
    plan = preview.rows[0]
    assert (plan.status, plan.org_id) == ("changed", org)
    assert plan.changes == [("formal_members", 1, 4)]
    apply_import(db, preview)
    draft = organizations.get_draft(db, org)
    assert draft.formal_members == 4 and draft.phone == "0772-1234567"
    # asking for it, a blank cell does clear
    preview = preview_import(db, path, blank_clears=True)
    assert ("phone", "0772-1234567", None) in preview.rows[0].changes
    apply_import(db, preview)
    assert organizations.get_draft(db, org).phone == ""


def test_matched_by_exact_name_when_no_code(db: Database, tmp_path: Path) -> None:
    org = _org(db, "乙商贸有限公司")
    path = _xlsx(
        tmp_path / "名称.xlsx",
        [["组织名称", "类型", "正式党员数"], [" 乙商贸有限公司 ", "企业", 2]],
    )
    plan = preview_import(db, path).rows[0]
    assert (plan.status, plan.org_id) == ("changed", org)


def test_zero_and_no_typed_as_numbers_or_false_are_values_not_blanks(
    db: Database, tmp_path: Path
) -> None:
    org = _org(db, "丁公司", formal_members=2, activists=1)
    path = _xlsx(
        tmp_path / "零.xlsx",
        [
            ["组织名称", "类型", "正式党员数", "入党积极分子", "是否建立工会"],
            ["丁公司", "企业", 0, 0.0, False],
        ],
    )
    plan = preview_import(db, path).rows[0]
    assert plan.status == "changed"
    assert dict((k, new) for k, _old, new in plan.changes) == {
        "formal_members": 0,
        "activists": 0,
        "has_union": False,
    }
    assert org == plan.org_id


def test_likely_duplicate_is_flagged(db: Database, tmp_path: Path) -> None:
    _org(db, "广西丙科技有限公司")
    path = _xlsx(tmp_path / "相似.xlsx", [["组织名称", "类型"], ["广西丙科技公司", "企业"]])
    plan = preview_import(db, path).rows[0]
    assert plan.status == "new"
    assert plan.warnings and "广西丙科技有限公司" in plan.warnings[0]


def test_own_formation_naming_a_taken_party_org_is_a_conflict(db: Database, tmp_path: Path) -> None:
    owner = _org(db, "甲公司", A, formal_members=5)
    party_orgs.create_party_org(
        db, PartyOrgDraft(name="中共甲公司支部委员会", formation=Formation.OWN, covered_ids=[owner])
    )
    path = _xlsx(
        tmp_path / "冲突.xlsx",
        [
            ["组织名称", "信用代码", "组织类型", "组建方式", "所属党组织"],
            ["乙公司", B, "企业", "单建", "中共甲公司支部委员会"],
            ["丙公司", C, "企业", "挂靠", "中共甲公司支部委员会"],
            ["丁公司", "", "企业", "未建", "中共甲公司支部委员会"],
        ],
    )
    preview = preview_import(db, path)
    assert [r.status for r in preview.rows] == ["bad", "new", "bad"]
    assert [e.reason for e in preview.errors] == ["party_org_conflict", "formation_conflict"]
    apply_import(db, preview)
    rows = {r.name: r for r in org_list.list_organizations(db)}
    assert rows["丙公司"].party_org == "中共甲公司支部委员会"
    assert rows["丙公司"].formation is Formation.ATTACHED


def test_full_registry_into_an_empty_database_builds_coverage(db: Database, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "全量.xlsx",
        [
            [
                "组织名称",
                "信用代码",
                "组织类型",
                "正式党员数",
                "组建方式",
                "所属党组织",
                "党建指导员",
                "分类",
                "编组",
            ],
            ["甲公司", A, "企业", 5, "单独组建", "中共甲公司支部委员会", "王芳", "A", "第一编组"],
            ["乙公司", B, "企业", 1, "联合组建", "第一联合党支部", "王芳", "D", "第一编组"],
            [
                "丙协会",
                make_valid("51450223MA5LTXT04"),
                "社会团体",
                2,
                "联合组建",
                "第一联合党支部",
                "",
                "",
                "",
            ],
            ["丁公司", C, "企业", 0, "联合组建", "", "", "", ""],
        ],
    )
    preview = preview_import(db, path)
    assert preview.new_party_orgs == {
        "中共甲公司支部委员会": Formation.OWN,
        "第一联合党支部": Formation.JOINT,
    }
    assert preview.new_instructors == ["王芳"] and preview.new_clusters == ["第一编组"]
    apply_import(db, preview)
    rows = {r.name: r for r in org_list.list_organizations(db)}
    assert rows["乙公司"].party_org == rows["丙协会"].party_org == "第一联合党支部"
    assert rows["丙协会"].kind is OrgKind.SOCIAL
    assert rows["甲公司"].instructors == "王芳" and rows["甲公司"].class_code == "A"
    assert rows["甲公司"].cluster == "第一编组"
    # a formation without a party organization name is kept, as a gap to complete
    assert rows["丁公司"].formation is Formation.JOINT and rows["丁公司"].party_org == ""
    assert "党组织未录入" in rows["丁公司"].warning_text
    joint = next(p for p in party_orgs.list_party_orgs(db) if p.name == "第一联合党支部")
    assert joint.units == 2 and joint.formation is Formation.JOINT


def test_import_is_logged_and_can_be_undone(db: Database, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "撤销.xlsx",
        [["组织名称", "类型", "所属党组织", "组建方式"], ["甲公司", "企业", "甲支部", "单建"]],
    )
    apply_import(db, preview_import(db, path))
    log = imports.list_logs(db)[0]
    assert (log.file_name, log.created, log.undone) == ("撤销.xlsx", 1, False)
    imports.undo_import(db, log.id)
    assert org_list.list_organizations(db) == []
    assert party_orgs.list_party_orgs(db) == []
    assert imports.list_logs(db)[0].undone
    with pytest.raises(imports.UndoRefused):
        imports.undo_import(db, log.id)


def test_undoing_an_import_restores_changed_dates_flags_and_counts(
    db: Database, tmp_path: Path
) -> None:
    org = _org(db, "戊公司", A, formal_members=2, founded=date(2015, 6, 1), has_union=True)
    before = organizations.get_draft(db, org)
    path = _xlsx(
        tmp_path / "改动.xlsx",
        [
            ["组织名称", "信用代码", "类型", "正式党员数", "成立日期", "是否建立工会"],
            ["戊公司", A, "企业", 5, "2016年3月", "否"],
        ],
    )
    preview = preview_import(db, path)
    assert {k for k, _o, _n in preview.rows[0].changes} == {
        "formal_members",
        "founded",
        "has_union",
    }
    apply_import(db, preview)
    changed = organizations.get_draft(db, org)
    assert (changed.formal_members, changed.founded, changed.has_union) == (
        5,
        date(2016, 3, 1),
        False,
    )
    # the history shows the change the way the window words it
    history = audit.history(db, "organization", org)
    assert ("has_union", True, False) in history[0].changes
    assert {field for field, _old, _new in history[0].changes} == {
        "formal_members",
        "founded",
        "has_union",
    }
    imports.undo_import(db, imports.list_logs(db)[0].id)
    assert organizations.get_draft(db, org) == before


def test_undo_refused_after_later_edits(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "表.xlsx", [["组织名称", "类型"], ["甲公司", "企业"]])
    apply_import(db, preview_import(db, path))
    _org(db, "后来录入的公司")
    with pytest.raises(imports.UndoRefused, match="又有修改"):
        imports.undo_import(db, imports.list_logs(db)[0].id)


def test_a_fixed_mapping_is_remembered(db: Database, tmp_path: Path) -> None:
    rows = [["组织名称", "类型", "联系人"], ["甲公司", "企业", "张三"]]
    first = preview_import(db, _xlsx(tmp_path / "一.xlsx", rows))
    contact = next(c for c in first.layout.columns if c.field == "contact")
    contact.field = None  # the clerk ignores this column
    save_mapping(db, first.layout)
    second = preview_import(db, _xlsx(tmp_path / "二.xlsx", rows))
    assert "contact" not in second.layout.fields
    assert "contact" not in second.rows[0].values


def test_cli_import_json_and_dry_run(tmp_path: Path) -> None:
    samples = SAMPLES_DIR
    root = Path(__file__).resolve().parents[2]
    db = str(tmp_path / "cli.sqlite3")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(root / "main.py"), "--db", db, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=root,
            timeout=120,
        )

    dry = run(
        "import", str(samples / "p2_title_unit_rows_text_numbers.xlsx"), "--dry-run", "--json"
    )
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["header_rows"] == [3] and report["data_rows"] == 120
    assert report["good_rows"] == 117 and report["created"] == 117
    assert [(e["row"], e["reason"]) for e in report["errors"]] == [
        (16, "uscc_duplicate"),
        (74, "count_negative"),
        (112, "uscc_check_digit"),
    ]
    assert set(report["errors"][0]) >= {"row", "column", "value", "reason", "message"}
    # a preview compares with an empty registry and creates no database where --db points
    assert not Path(db).exists()
    assert "数据库文件不存在" in run("orgs", "list", "--json").stderr
    done = run("import", str(samples / "p2_title_unit_rows_text_numbers.xlsx"), "--json")
    assert json.loads(done.stdout)["created"] == 117
    again = json.loads(
        run("import", str(samples / "p2_title_unit_rows_text_numbers.xlsx"), "--json").stdout
    )
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 117)
    bad = run("import", str(tmp_path / "不存在.xlsx"))
    assert bad.returncode != 0 and "无法打开文件" in bad.stderr


def test_bad_rows_are_saved_with_what_to_fix(db: Database, tmp_path: Path) -> None:
    from app.exchange.bad_rows import save_bad_rows

    samples = SAMPLES_DIR
    preview = preview_import(db, samples / "p5_mixed_hidden_columns.xlsx")
    out = tmp_path / "问题行.xlsx"
    assert save_bad_rows(preview, out) == 7
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(1, ws.max_column).value == "问题"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [88, 107, 118, 149, 202, 258, 266]
    assert "校验位" in rows[-1][-1]
    # fixed by the sender and imported again: the header is recognised, 原行号 is ignored
    again = preview_import(db, out)
    assert len(again.rows) == 7 and "原行号" not in again.layout.fields


def test_a_bad_code_is_shown_as_written(db: Database, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "码.xlsx",
        [["组织名称", "信用代码", "类型"], ["甲", "9145 0223 ma5l8x7k2z", "企业"]],
    )
    plan = preview_import(db, path).rows[0]
    assert plan.status == "bad" and plan.uscc == "9145 0223 ma5l8x7k2z"


def test_undoing_an_import_with_the_edit_menu_marks_its_log(db: Database, tmp_path: Path) -> None:
    from app.services.files import audit

    path = _xlsx(tmp_path / "表.xlsx", [["组织名称", "类型"], ["甲公司", "企业"]])
    apply_import(db, preview_import(db, path))
    assert audit.undo_last(db) == "导入《表.xlsx》（Sheet）"
    assert org_list.list_organizations(db) == []
    assert imports.list_logs(db)[0].undone


def test_a_row_the_registry_holds_is_unchanged_and_any_one_difference_is_seen(
    db: Database, tmp_path: Path
) -> None:
    header = [
        "组织名称",
        "信用代码",
        "类型",
        "正式党员数",
        "成立日期",
        "是否建立工会",
        "所属党组织",
        "组建方式",
        "编组",
        "党建指导员",
    ]
    row = ["己公司", C, "企业", 0, "2018-05-04", "是", "己公司党支部", "单独组建", "一组", "王芳"]
    apply_import(db, preview_import(db, _xlsx(tmp_path / "首次.xlsx", [header, row])))
    again = preview_import(db, _xlsx(tmp_path / "再次.xlsx", [header, row]))
    assert [(p.status, p.changes) for p in again.rows] == [("unchanged", [])]
    for column, value, key in (
        (3, 1, "formal_members"),
        (4, "2018-05-05", "founded"),
        (5, "否", "has_union"),
        (8, "二组", "cluster"),
        (9, "王芳、李强", "instructor"),
    ):
        changed = list(row)
        changed[column] = value
        plan = preview_import(db, _xlsx(tmp_path / f"改{column}.xlsx", [header, changed])).rows[0]
        assert plan.status == "changed" and [k for k, _o, _n in plan.changes] == [key]


def test_each_imported_record_shows_the_import_in_its_history(db: Database, tmp_path: Path) -> None:
    rows = [["组织名称", "类型", "所属党组织", "组建方式"]] + [
        [f"庚{i}公司", "企业", f"庚{i}公司党支部", "单独组建"] for i in range(3)
    ]
    apply_import(db, preview_import(db, _xlsx(tmp_path / "庚.xlsx", rows)))
    orgs = {r.name: r.id for r in org_list.list_organizations(db)}
    for name in ("庚0公司", "庚1公司", "庚2公司"):
        created = [h for h in audit.history(db, "organization", orgs[name]) if h.action == "create"]
        assert len(created) == 1 and "庚.xlsx" in created[0].summary
    middle = party_orgs.list_party_orgs(db)[1]
    assert [h.action for h in audit.history(db, "party_organization", middle.id)] == ["create"]
    # one entry per table for the whole import, and undo removes every row again
    with db.read_connection() as conn:
        entries = conn.execute(
            "SELECT entity, count(*) FROM audit_entry GROUP BY entity"
        ).fetchall()
    assert dict(entries) == {"organization": 1, "party_organization": 1}
    imports.undo_import(db, imports.list_logs(db)[0].id)
    assert org_list.list_organizations(db) == [] and party_orgs.list_party_orgs(db) == []
    assert all(h.undone for h in audit.history(db, "organization", orgs["庚1公司"]))


def test_import_leaves_garbage_collection_as_it_found_it(db: Database, tmp_path: Path) -> None:
    # the import pauses the collector while it works (app/gc_pause.py)
    import gc

    path = write_xlsx(tmp_path / "a.xlsx", [["组织名称", "组织类型"], ["甲公司", "非公企业"]])
    was_enabled = gc.isenabled()  # a window made by an earlier test switches it off
    try:
        gc.enable()
        apply_import(db, preview_import(db, path))
        assert gc.isenabled()
        gc.disable()  # as the window has it (ui/gc_guard.py)
        apply_import(db, preview_import(db, path))
        assert not gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_the_backup_holds_the_registry_as_it_was_before_the_import(
    db: Database, tmp_path: Path
) -> None:
    # the backup is copied while the rows are written: it must not see them
    import sqlite3

    _org(db, "甲公司", A)
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [["组织名称", "组织类型"], *[[f"新{i}公司", "非公企业"] for i in range(2000)]],
    )
    result = apply_import(db, preview_import(db, path))
    assert result.backup is not None and result.backup.exists()
    with sqlite3.connect(result.backup) as saved:
        assert saved.execute("SELECT name FROM organization").fetchall() == [("甲公司",)]
    assert len(org_list.list_organizations(db)) == 2001


def test_a_failed_backup_writes_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.db.errors import DbProblem
    from app.services.workbooks import import_apply as apply

    def no_room(*_args: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(apply, "take_backup", no_room)
    path = write_xlsx(tmp_path / "a.xlsx", [["组织名称", "组织类型"], ["甲公司", "非公企业"]])
    with pytest.raises(DbProblem, match="磁盘空间已满"):
        apply_import(db, preview_import(db, path))
    assert org_list.list_organizations(db) == []
    assert imports.list_logs(db) == []


def test_rows_written_in_bulk_name_every_column_of_their_table() -> None:
    # the import writes these tables as plain tuples: a column added to a model
    # later must be added there too, or it would silently stay empty (but the park's
    # id: the database fills it, bulk.written_columns)
    from app.db.bulk import written_columns
    from app.db.models import Assignment, Instructor, PartyOrganization
    from app.services.workbooks import import_apply as apply

    for columns, model in (
        (apply._INSTRUCTOR_COLUMNS, Instructor),
        (apply._PARTY_ORG_COLUMNS, PartyOrganization),
        (apply.ASSIGNMENT_COLUMNS, Assignment),
    ):
        assert sorted(columns) == sorted(written_columns(model.__table__))


def test_importing_the_same_file_again_takes_no_backup(db: Database, tmp_path: Path) -> None:
    # nothing to write but the log: a backup would only push an older one out
    from app.db.backup import list_backups

    path = write_xlsx(tmp_path / "a.xlsx", [["组织名称", "组织类型"], ["甲公司", "非公企业"]])
    first = apply_import(db, preview_import(db, path))
    assert first.backup is not None
    taken = len(list_backups(db.path))
    again = apply_import(db, preview_import(db, path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert again.backup is None and len(list_backups(db.path)) == taken
    assert len(imports.list_logs(db)) == 2  # still logged


def test_a_row_of_group_names_above_the_fields_is_part_of_the_header(
    db: Database, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某园区两新组织登记表"])
    ws.append(["序号", "基本信息", None, None, "党组织情况", None, "党员情况", None, "备注"])
    ws.append([None, "组织名称", "统一社会信用代码", "组织类型", "组建方式", "所属党组织"])
    ws["G3"], ws["H3"] = "正式党员数", "预备党员数"
    for cells in ("A2:A3", "B2:D2", "E2:F2", "G2:H2", "I2:I3"):
        ws.merge_cells(cells)
    ws.append([1, "甲公司", A, "企业", "单独组建", "甲公司党支部", 4, 1, "新登记"])
    path = tmp_path / "分组表头.xlsx"
    wb.save(path)
    preview = preview_import(db, path)
    assert preview.layout.header_rows == [2, 3]
    assert preview.layout.fields["notes"].letter == "I"  # 备注, merged down from row 2
    plan = preview.rows[0]
    assert (plan.row, plan.status, plan.values["notes"]) == (4, "new", "新登记")
    assert plan.values["formal_members"] == 4
