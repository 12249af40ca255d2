"""Issue 25 §2 and §3 on a park made for them: party organizations (not units) counted by
kind and formation (鹿寨 "已建立党组织34个"; a joint branch of enterprises and social
organizations counted once, as 非公企业和社会组织), the 党员活动室 figure (柳州 "90%独立
建有党组织的非公有制企业建立了党员活动室": own-branch enterprises in the base with a venue
recorded), and every number of the quarterly workbook a number (the 半年考核 totals were
text, '96', so an upper level's SUM gave 0). The expected values are computed here
from the rules, not read back from the program."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database
from app.domain.assessment import SUIXI_SIX
from app.domain.quarters import Quarter
from app.domain.rates import Rounding, percent_text
from app.domain.validation import OrganizationDraft, PartyOrgDraft
from app.domain.vocabulary import Formation, OrgKind, OrgStatus
from app.services.assessment import assessment_settings, assessments
from app.services.assessment.assessment_settings import AssessmentSettings
from app.services.assessment.assessments import ScoreEntry
from app.services.overview.figures import figure_list, registry_figures
from app.services.registry import organizations, party_orgs
from app.services.workbooks.submissions import export_quarter
from tests.conftest import run_main

E, S = OrgKind.ENTERPRISE, OrgKind.SOCIAL
# units: (name, kind, in the base)
UNITS = (
    ("企一", E, True),
    ("企二", E, True),
    ("企三", E, True),
    ("企四", E, True),
    ("企五", E, True),
    ("企六", E, True),
    ("企七", E, True),
    ("企八", E, False),  # closed: its branch still counts, not in the rooms' base
    ("会一", S, True),
    ("会二", S, True),
)
# party organizations: (name, formation, units covered, venue)
PARTY_ORGS = (
    ("企一支部", Formation.OWN, ("企一",), "三楼党员活动室"),
    ("企二支部", Formation.OWN, ("企二",), "车间会议室"),
    ("企三支部", Formation.OWN, ("企三",), "   "),  # blanks are no venue
    ("企八支部", Formation.OWN, ("企八",), "旧厂房"),
    ("会一支部", Formation.OWN, ("会一",), "协会办公室"),
    ("企业联合支部", Formation.JOINT, ("企四", "企五"), "园区党群中心"),
    ("混合联合支部", Formation.JOINT, ("企六", "会二"), ""),
)
# the half-year's totals (class B): a decimal and a tie
TOTALS = {"企一": Decimal("96"), "企二": Decimal("87.5"), "企三": Decimal("87.5")}
KIND_KEYS = {frozenset({E}): "enterprise", frozenset({S}): "social", frozenset({E, S}): "mixed"}


def _make_park(db: Database) -> dict[str, int]:
    ids = {
        name: organizations.create_organization(
            db, OrganizationDraft(name=name, kind=kind, class_code="B" if name in TOTALS else None)
        )
        for name, kind, _in in UNITS
    }
    for name, formation, units, venue in PARTY_ORGS:
        party_orgs.create_party_org(
            db,
            PartyOrgDraft(
                name=name,
                formation=formation,
                venue=venue,
                covered_ids=[ids[u] for u in units],
            ),
        )
    for name, _kind, in_base in UNITS:
        if not in_base:
            organizations.mark_status(db, ids[name], OrgStatus.CLOSED, date(2026, 3, 1))
    return ids


def _expected_by_kind() -> dict[str, dict[str, int]]:
    """Each party organization once, under the kind of all the units it covers."""
    kind_of = {name: kind for name, kind, _in in UNITS}
    out = {
        k: {"own": 0, "joint": 0, "attached": 0, "total": 0}
        for k in ("enterprise", "social", "mixed", "none", "total")
    }
    for _name, formation, units, _venue in PARTY_ORGS:
        key = KIND_KEYS[frozenset(kind_of[u] for u in units)]
        for k in (key, "total"):
            out[k][formation.value] += 1
            out[k]["total"] += 1
    return out


def _expected_rooms() -> tuple[list[str], list[str]]:
    """Own-branch enterprises in the base, with a venue recorded and without."""
    unit = {name: (kind, in_base) for name, kind, in_base in UNITS}
    with_room, without = [], []
    for _name, formation, units, venue in PARTY_ORGS:
        for u in units:
            kind, in_base = unit[u]
            if formation is Formation.OWN and kind is E and in_base:
                (with_room if venue.strip() else without).append(u)
    return sorted(with_room), sorted(without)


@pytest.fixture
def park(db: Database) -> Database:
    db.ids = _make_park(db)  # type: ignore[attr-defined]
    return db


def test_party_orgs_are_counted_once_by_their_units_kind(park: Database) -> None:
    expected = _expected_by_kind()
    # the joint branch of an enterprise and an association: once, as mixed
    assert expected["mixed"] == {"own": 0, "joint": 1, "attached": 0, "total": 1}
    assert expected["total"]["total"] == len(PARTY_ORGS)
    from app.services.overview.figures import party_orgs_by_kind_report

    assert party_orgs_by_kind_report(registry_figures(park)) == expected


def test_activity_rooms_count_own_branch_enterprises_with_a_venue(park: Database) -> None:
    with_room, without = _expected_rooms()
    assert (with_room, without) == (["企一", "企二"], ["企三"])  # 企八 closed, 企四 joint
    rooms = registry_figures(park).activity_rooms
    assert (rooms.base, rooms.with_room) == (len(with_room) + len(without), len(with_room))
    assert rooms.rate == Fraction(len(with_room), len(with_room) + len(without))
    # its list, as 总览's figure opens it
    assert sorted(r.name for r in figure_list(park, "room", E)) == with_room
    assert sorted(r.name for r in figure_list(park, "no_room", E)) == without


def test_stats_gives_both_figures_with_the_parks_rounding(park: Database) -> None:
    park.dispose()
    with_room, without = _expected_rooms()
    exact = Fraction(len(with_room), len(with_room) + len(without))  # 2/3
    for rounding in (Rounding.HALF_UP, Rounding.TRUNCATE):
        done = run_main("--db", str(park.path), "stats", "--json", "--rounding", rounding.value)
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert data["party_orgs_by_kind"] == _expected_by_kind()
        assert data["activity_rooms"] == {
            "base": len(with_room) + len(without),
            "with_room": len(with_room),
            "rate": percent_text(exact, rounding),
        }
        assert "enterprise" in data and "party_orgs" in data  # the keys kept
    assert percent_text(exact, Rounding.TRUNCATE) == "66.66"  # the two rules differ here
    text = run_main("--db", str(park.path), "stats")
    assert text.returncode == 0, text.stderr
    assert f"党组织按类型：共{len(PARTY_ORGS)}个" in text.stdout
    assert "非公企业和社会组织1个（单独组建0个、联合组建1个、挂靠组建0个）" in text.stdout
    assert "未关联单位" not in text.stdout  # every party organization here covers a unit
    shown = percent_text(exact)  # the park's default: 四舍五入
    assert f"其中登记了活动场所的{len(with_room)}个（{shown}%）" in text.stdout


def _scored(db: Database) -> dict[str, Decimal]:
    """A published half-year: totals with a decimal, a tie, and 以奖代补 by class."""
    totals, ids = TOTALS, db.ids  # type: ignore[attr-defined]
    assessments.open_period(db, "2026H1", "濉溪六项")
    for name, total in totals.items():
        rest, values = total, {}
        for indicator in SUIXI_SIX.indicators:
            take = min(indicator.maximum, rest)
            values[indicator.name], rest = str(take), rest - take
        assessments.set_scores(db, "2026H1", ids[name], ScoreEntry(values))
    assessment_settings.set_settings(db, AssessmentSettings(subsidy={"B": Decimal("2500.5")}))
    assessments.set_published(db, "2026H1", True)
    return totals


def test_the_quarterly_workbook_writes_numbers_as_numbers(park: Database, tmp_path: Path) -> None:
    totals = _scored(park)
    path = tmp_path / "报送.xlsx"
    export_quarter(park, path, Quarter(2026, 4), today=date(2026, 12, 7))
    wb = openpyxl.load_workbook(path)
    ws = wb["半年考核"]
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)]
    shown = {r["组织名称"]: r for r in rows if r["组织名称"] in totals}
    assert len(shown) == len(totals)
    for name, total in totals.items():
        row = shown[name]
        assert isinstance(row["总分"], int | float) and Decimal(str(row["总分"])) == total
        assert isinstance(row["名次"], int)
        # ranked by the rule: 1 + the units of the class with a higher total
        assert row["名次"] == 1 + sum(1 for t in totals.values() if t > total)
        # all three are 优秀 (top 3, at or above 60): the class's amount each, a number
        assert isinstance(row["以奖代补（元）"], int | float)
        assert Decimal(str(row["以奖代补（元）"])) == Decimal("2500.5")
        assert isinstance(row["统一社会信用代码"], str | None)  # a code stays text
    # an upper level's SUM over the totals column adds them
    assert sum(Decimal(str(r["总分"])) for r in shown.values()) == sum(totals.values())
    # no other sheet holds a number written as text, codes and phones apart
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.replace(".", "", 1).isdigit():
                    head = str(sheet.cell(2, cell.column).value or "")
                    assert "代码" in head or "电话" in head, (sheet.title, cell.coordinate)
    # the cover: party organizations by kind, the rooms, the rates as numbers
    cover = {r[0]: r[1:5] for r in wb["封面汇总"].iter_rows(values_only=True) if r and r[0]}
    by_kind = _expected_by_kind()
    assert cover["非公企业和社会组织"] == (0, 1, 0, 1)
    assert cover["合计"][3] == by_kind["total"]["total"]
    with_room, without = _expected_rooms()
    assert cover["其中建有党员活动室（个）"][0] == len(with_room)
    shown = percent_text(Fraction(len(with_room), len(with_room) + len(without)))
    assert cover["党员活动室建设率（%）"][0] == float(shown)
    assert isinstance(cover["党组织覆盖率（%）"][0], float)


def test_a_submitted_quarter_keeps_its_counts_for_the_overview(
    park: Database, tmp_path: Path
) -> None:
    export_quarter(park, tmp_path / "报送.xlsx", Quarter(2026, 4), today=date(2026, 12, 7))
    from app.services.overview.figures import party_orgs_by_kind_report, submitted_figures

    ((quarter, figures),) = submitted_figures(park)
    assert quarter == "2026Q4"
    assert party_orgs_by_kind_report(figures) == _expected_by_kind()
    with_room, _without = _expected_rooms()
    assert figures.activity_rooms.with_room == len(with_room)
