"""Issue 22: the laptop shows wrong published results. A field database holds a few
units: ranked again among themselves, a unit the office published as E类第19名 came
out 第2名，优秀，2000元; a joint branch whose other units stayed home was 覆盖不足2个单位;
the banner said 5 units over a list of 10. The office's published results travel in
the package (office.json) and the laptop shows them as published; what it counts
itself is labelled 仅本包单位 and limited to the package's units."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal

import pytest

from app.db.database import Database, open_database
from app.domain.rules import Rule
from app.domain.vocabulary import ResultBasis
from app.exchange.packages import PackageError
from app.services.assessment import assessment_results, headline, party_org_stars
from app.services.field import field_office, field_package
from app.services.overview import gaps
from app.services.registry import org_list, party_orgs
from tests.conftest import run_main

PERIOD = "2026H1"  # published in the demo park


def _rows(ranking: assessment_results.PeriodRanking) -> dict[str, tuple]:
    return {
        r.uscc: (r.class_code, r.rank, r.excellent, r.subsidy, r.total, r.veto)
        for c in ranking.classes.values()
        for r in c.rows
    }


def _chosen(office: Database) -> list[str]:
    """Units the office did not make 优秀, from the bottom of a large class (ranked
    among themselves the best would be 第1名, 优秀), and one unit of a joint branch
    whose other units stay at the office."""
    ranking = assessment_results.rank_period(office, PERIOD)
    big = max(ranking.classes.values(), key=lambda c: len(c.ranked))
    low = [r.uscc for r in big.ranked if r.rank > 4 and r.uscc][-3:]
    assert len(low) == 3 and all(r.subsidy == 0 for r in big.ranked if r.uscc in low)
    joint = next(
        p
        for p in party_orgs.list_party_orgs(office)
        if p.formation.value == "joint" and p.units >= 2
    )
    with office.read_connection() as conn:
        (member,) = conn.execute(
            "SELECT uscc FROM organization WHERE party_org_id = ? AND uscc IS NOT NULL"
            " ORDER BY id LIMIT 1",
            (joint.id,),
        ).fetchone()
    return [*low, member]


@pytest.fixture
def laptop(demo_db: Database, field_laptop):  # type: ignore[no-untyped-def]
    made = field_laptop(demo_db, usccs=_chosen(demo_db), name="几个单位.pdfield")
    return demo_db, made.field, made.package, made.target


def test_the_laptop_shows_each_unit_as_the_office_published_it(laptop) -> None:  # type: ignore[no-untyped-def]
    office, field, _package, _target = laptop
    published = _rows(assessment_results.rank_period(office, PERIOD))
    shown = assessment_results.rank_period(field, PERIOD)
    assert shown.basis is ResultBasis.OFFICE and "办公室已发布" in shown.note
    rows = _rows(shown)
    assert rows and all(rows[code] == published[code] for code in rows)
    assert shown.office is not None and shown.office.subsidy > shown.subsidy  # the park's
    # each unit's page says the same, with the office's 以奖代补
    with field.read_connection() as conn:
        ids = dict(conn.execute("SELECT uscc, id FROM organization"))
    for code, (_cls, rank, excellent, subsidy, _total, _veto) in rows.items():
        (result,) = [
            r for r in assessment_results.unit_results(field, ids[code]) if r.period == PERIOD
        ]
        assert (result.rank, result.excellent, result.subsidy) == (rank, excellent, subsidy)
        assert "办公室已发布" in result.note
    # the year's stars and the overview's headline: the office's
    # (of the party organizations whose units all travelled: each as the office rates it)
    office_stars = {p.uuid: p.stars for p in party_org_stars.year_stars(office, 2025).party_orgs}
    field_stars = party_org_stars.year_stars(field, 2025).party_orgs
    assert field_stars and all(office_stars[p.uuid] == p.stars for p in field_stars)
    mine, theirs = headline.headline(field), headline.headline(office)
    assert (mine.scored, mine.excellent, mine.subsidy, mine.stars) == (
        theirs.scored,
        theirs.excellent,
        theirs.subsidy,
        theirs.stars,
    )
    assert "办公室已发布" in mine.note


def test_the_command_line_on_the_laptop_says_what_the_office_published(laptop) -> None:  # type: ignore[no-untyped-def]
    office, _field, _package, target = laptop
    ask = ("assess", "rank", "--period", PERIOD, "--json")
    theirs = json.loads(run_main("--db", str(office.path), *ask).stdout)
    out = run_main("--db", str(target), *ask)
    mine = json.loads(out.stdout)
    assert mine["basis"] == "office" and "办公室已发布" in mine["note"]
    published = {r["uscc"]: r for rows in theirs["classes"].values() for r in rows}
    listed = [r for rows in mine["classes"].values() for r in rows]
    assert listed and all(r == published[r["uscc"]] for r in listed)
    assert "办公室已发布" in out.stderr


def test_an_open_period_ranked_on_the_laptop_is_labelled_and_makes_no_award(laptop) -> None:  # type: ignore[no-untyped-def]
    _office, field, _package, _target = laptop
    ranking = assessment_results.rank_period(field, "2026H2")  # open in the demo
    assert ranking.basis is ResultBasis.PACKAGE and "仅本包单位" in ranking.note
    assert not any(r.excellent or r.subsidy for c in ranking.classes.values() for r in c.rows)


def test_no_warning_comes_from_units_left_at_the_office(laptop) -> None:  # type: ignore[no-untyped-def]
    office, field, _package, target = laptop
    found = gaps.find_gaps(field)
    assert not [g for g in found if g.rule is Rule.JOINT_TOO_SMALL]
    for row in party_orgs.list_party_orgs(field):
        assert Rule.JOINT_TOO_SMALL not in {w.rule for w in row.warnings}
    out = run_main("--db", str(target), "check")
    assert "联合党支部覆盖不足" not in out.stdout and "仅本包单位" in out.stderr
    # every unit warned of is one of the package's own
    info = field_package.field_info(field)
    with field.read_connection() as conn:
        own = {
            i
            for (i,) in conn.execute("SELECT id FROM organization")
            if field_office.field_view(field).in_scope(i)  # type: ignore[union-attr]
        }
    assert info is not None and len(own) == info.units
    assert {g.record_id for g in found if g.record == "organization"} <= own
    assert field_office.warnings_note(field) and field_office.figures_note(office) is None


def test_the_banner_counts_the_units_the_laptop_lists(laptop) -> None:  # type: ignore[no-untyped-def]
    from ui.field_mode import banner_text

    _office, field, _package, _target = laptop
    listed = org_list.list_organizations(field)
    info = field_package.field_info(field)
    assert info is not None and info.units < len(listed)  # pairing partners travel too
    text = banner_text(field)
    assert text is not None and f"· {len(listed)}个单位（外业包{info.units}个" in text


def _changed(change):  # type: ignore[no-untyped-def]
    """office.json with ``change`` made to it (the package's sums remade by ``repack``)."""

    def edit(raw: bytes) -> bytes:
        data = json.loads(raw)
        change(data)
        return json.dumps(data).encode()

    return edit


def _first_result(data: dict) -> dict:
    return next(iter(data["periods"][PERIOD]["results"].values()))


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda d: _first_result(d).update(rank="第1名"), "rank应为"),
        (lambda d: _first_result(d).update(excellent=True, rank=None), "不能是优秀"),
        (lambda d: _first_result(d).update(subsidy="-2000"), "subsidy"),
        (lambda d: d["periods"].update({"hacked": {}}), "考核期“hacked”"),
        (lambda d: d.update(units={"a": 1}), "units应为"),
        (lambda d: d.pop("party_orgs"), "缺少party_orgs"),
    ],
)
def test_a_tampered_office_file_is_refused_and_leaves_nothing(laptop, repack, change, said) -> None:  # type: ignore[no-untyped-def]
    _office, _field, package, target = laptop
    bad = repack(package, target.parent / "bad.pdfield", field_office.FILE, _changed(change))
    other = target.parent / "other.sqlite3"
    with pytest.raises(PackageError, match=said) as caught:
        field_package.open_field_package(bad, other)
    assert "office.json" in str(caught.value)
    assert not other.exists() and not list(target.parent.glob("other*"))


def test_the_office_file_says_only_what_the_office_published(laptop) -> None:  # type: ignore[no-untyped-def]
    office, _field, package, _target = laptop
    with zipfile.ZipFile(package) as zf:
        data = field_office.check(zf.read(field_office.FILE), package.name)
    assert set(data["periods"]) == {"2025", PERIOD}  # 2026H2 is open: not carried
    assert (
        Decimal(data["periods"][PERIOD]["subsidy"])
        == assessment_results.rank_period(office, PERIOD).subsidy
    )


def test_the_printed_overview_and_worklist_of_a_laptop_say_what_they_count(laptop) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from app.services.reports import gaps as gaps_report
    from app.services.reports import overview

    office, field, _package, target = laptop
    for make in (overview.overview_pdf, gaps_report.gaps_pdf):
        mine, theirs = target.parent / "laptop.pdf", target.parent / "office.pdf"
        make(field, mine)
        make(office, theirs)
        assert "仅本包单位" in PdfReader(mine).pages[0].extract_text()
        assert "仅本包单位" not in PdfReader(theirs).pages[0].extract_text()


def test_a_package_from_before_results_travelled_labels_its_own_counts(laptop) -> None:  # type: ignore[no-untyped-def]
    _office, _field, package, target = laptop
    with zipfile.ZipFile(package) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if n != field_office.FILE}
    manifest = json.loads(files["manifest.json"])
    del manifest["files"][field_office.FILE]
    files["manifest.json"] = json.dumps(manifest).encode()
    older = target.parent / "older.pdfield"
    with zipfile.ZipFile(older, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    field_package.open_field_package(older, target.parent / "older.sqlite3")
    field = open_database(target.parent / "older.sqlite3", daily_backup=False)
    try:
        ranking = assessment_results.rank_period(field, PERIOD)
        assert ranking.basis is ResultBasis.PACKAGE and "仅本包单位" in ranking.note
        assert not any(r.excellent or r.subsidy for c in ranking.classes.values() for r in c.rows)
        assert headline.headline(field).period is None  # no park figures to show
        assert not [g for g in gaps.find_gaps(field) if g.rule is Rule.JOINT_TOO_SMALL]
        ask = ("assess", "rank", "--period", PERIOD)
        out = run_main("--db", str(target.parent / "older.sqlite3"), *ask)
        assert out.returncode == 0 and "仅本包单位" in out.stderr
    finally:
        field.dispose()


def test_the_ranking_exported_on_a_laptop_is_titled_as_the_office_published_it(laptop) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from app.services.assessment import assessment_exports

    _office, field, _package, target = laptop
    out = assessment_exports.export_ranking(field, target.parent / "排名.xlsx", PERIOD, "示范园")
    title = next(c for c in openpyxl.load_workbook(out).active.iter_rows(values_only=True))[0]
    assert "办公室已发布" in str(title)
