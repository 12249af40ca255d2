"""Every sample workbook against its MANIFEST.json and expected/*.csv."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from app.db.database import Database
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import
from tests.conftest import SAMPLES_DIR

SAMPLES = SAMPLES_DIR
MANIFEST = json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))
FILES = MANIFEST["files"]
FORMATION_LABEL = {"own": "单独组建", "joint": "联合组建", "attached": "挂靠组建", "none": "未建"}
KIND_LABEL = {"enterprise": "非公企业", "social": "社会组织"}


def _ids(f: dict) -> str:  # type: ignore[type-arg]
    return f["file"]


@pytest.mark.parametrize("sample", FILES, ids=_ids)
def test_preview_matches_the_manifest(db: Database, sample: dict) -> None:  # type: ignore[type-arg]
    preview = preview_import(db, SAMPLES / sample["file"])
    assert preview.sheet == sample["registry_sheet"]
    assert preview.layout.header_rows == sample["header_rows"]
    assert len(preview.rows) == sample["data_rows"]
    assert preview.good_rows == sample["good_rows"]
    bad = [(r.row, [e.reason for e in r.errors]) for r in preview.rows if r.status == "bad"]
    assert bad == [(b["row"], [b["reason"]]) for b in sample["bad_rows"]]
    good = [r for r in preview.rows if r.status != "bad"]
    kinds = Counter(r.values["kind"].value for r in good)
    formations = Counter(FORMATION_LABEL[(r.values.get("formation") or "none")] for r in good)
    check = sample["check"]
    assert kinds["enterprise"] == check["enterprises"]
    assert kinds["social"] == check["social_organizations"]
    assert sum(r.values.get("formal_members", 0) for r in good) == check["formal_members_sum"]
    assert (
        sum(r.values.get("probationary_members", 0) for r in good)
        == check["probationary_members_sum"]
    )
    assert (
        sum(1 for r in good if r.values.get("formal_members", 0) >= 3)
        == check["orgs_with_3plus_formal"]
    )
    assert {k: v for k, v in formations.items() if v} == {
        k: v for k, v in check["formation"].items() if v
    }


def _expected_value(plan_values: dict, column: str) -> str:  # type: ignore[type-arg]
    v = plan_values
    if column == "kind":
        return KIND_LABEL[v["kind"].value]
    if column == "formation":
        return FORMATION_LABEL[(v.get("formation") or "none")]
    key = {
        "formal": "formal_members",
        "probationary": "probationary_members",
        "investor_member": "investor_is_member",
        "union": "has_union",
        "youth": "has_youth_league",
    }.get(column, column)
    value = v.get(key)
    if value is None:
        return "0" if key in ("formal_members", "probationary_members") else ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if key == "scale":
        return {"above": "规上", "below": "规下"}[value.value]
    if key == "founded":
        return value.isoformat()
    return str(value)


@pytest.mark.parametrize("sample", FILES, ids=_ids)
def test_good_rows_match_expected_csv_value_by_value(db: Database, sample: dict) -> None:  # type: ignore[type-arg]
    preview = preview_import(db, SAMPLES / sample["file"])
    by_row = {r.row: r for r in preview.rows if r.status != "bad"}
    with (SAMPLES / sample["expected_records"]).open(encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh))
    assert sorted(by_row) == [int(e["row"]) for e in expected]
    mismatches = []
    for e in expected:
        plan = by_row[int(e["row"])]
        for column, want in e.items():
            if column == "row":
                continue
            got = _expected_value(plan.values, column)
            if got != want:
                mismatches.append((e["row"], column, want, got))
    assert mismatches == []


@pytest.mark.parametrize("sample", FILES, ids=_ids)
def test_apply_then_the_same_file_changes_nothing(db: Database, sample: dict) -> None:  # type: ignore[type-arg]
    from app.services.registry import org_list, party_orgs

    first = preview_import(db, SAMPLES / sample["file"])
    result = apply_import(db, first)
    assert result.created == sample["good_rows"] and result.bad == len(sample["bad_rows"])
    rows = org_list.list_organizations(db)
    assert len(rows) == sample["good_rows"]
    # party organizations named in the sheet came with it, covering their units
    named = {
        r.values["party_org"] for r in first.rows if r.status != "bad" and r.values.get("party_org")
    }
    assert {p.name for p in party_orgs.list_party_orgs(db)} == named
    assert sum(1 for r in rows if r.party_org) == sum(
        1 for r in first.rows if r.status != "bad" and r.values.get("party_org")
    )
    again = preview_import(db, SAMPLES / sample["file"])
    assert (again.count("new"), again.count("changed")) == (0, 0)
    assert again.count("unchanged") == sample["good_rows"]
    assert again.already_imported is not None
