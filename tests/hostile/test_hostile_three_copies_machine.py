"""Three copies of one park in random order (issue 22, section 5): the office, a clerk's
laptop (a whole copy, merged both ways) and an instructor's field database (a field
package, brought back as a return package). Units edited and deleted, visits with
problems, status moves with notes, scores in a period, the period published, merges
both ways, return packages, undo and redo, on any side. After every step:

- every copy passes the database check (integrity, references, vocabulary);
- a published period's ranks, 优秀 and 以奖代补 stay as they were on publishing;
- every value the machine wrote is current in its copy or in its audit log;
- a merge (of a copy or a package) undone then done again leaves what it left;
- merged both ways with a fixed choice, the office and the laptop hold the same records,
  and the same published periods with the same results (a period published on one copy
  arrives whole on the other; published on both differently, a conflict says so)."""

from __future__ import annotations

import contextlib
import itertools
import shutil
import sqlite3
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from app.db.database import Database, open_database
from app.domain.validation import OrganizationDraft
from app.domain.visits import ProblemDraft, VisitDraft
from app.domain.vocabulary import ProblemStatus, VisitKind
from app.services.assessment import assessments
from app.services.assessment.assessment_results import rank_period
from app.services.assessment.published import PeriodPublished
from app.services.field import database_merge, field_package, package_merge, return_package, visits
from app.services.files import audit, redo
from app.services.files.integrity import check_file
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft

DAY = date(2026, 11, 20)
PERIOD = "2026H2"
UNITS = ("甲公司", "乙公司", "丙公司", "丁公司")
SIDES = ("office", "laptop", "field")
SIDE = st.sampled_from(SIDES)
COPY = st.sampled_from(("office", "laptop"))  # the two whole copies
TAKE = st.sampled_from(("ours", "theirs"))
# a unit's scores in a period entered on both copies keep each copy's uuid once merged
# (a twin: values agree, uuids do not), compared by what they hold; a visit's instructors
# and a problem's units travel with their uuids and are compared as every record is
_LINKS = ("assessment_score",)


def _records(db: Database) -> dict[str, dict[str, Any]]:
    """Every record that travels, by uuid, references by uuid, without what only says
    who saved it last: what two merged copies must agree on."""
    conn = sqlite3.connect(db.path)
    try:
        side = database_merge._Side(conn)
        out = {}
        for table in database_merge._tables():
            uuids = [u for (u,) in conn.execute(f"SELECT uuid FROM {table.name}")]
            rows = {u: database_merge._compared(r) for u, r in side.records(table, uuids).items()}
            if table.name in _LINKS:  # twins: told by what they hold
                rows = sorted(sorted(r.items(), key=str) for r in rows.values())  # type: ignore[assignment]
            out[table.name] = rows
        return out
    finally:
        conn.close()


def _ranking(db: Database) -> list[tuple[int, int | None, bool, str, str]]:
    """A period's results as published: each unit's rank, 优秀, 以奖代补 and veto."""
    ranking = rank_period(db, PERIOD)
    return sorted(
        (r.unit_id, r.rank, r.excellent, str(r.subsidy), r.veto)
        for c in ranking.classes.values()
        for r in c.rows
        if r.total is not None or r.veto  # an unscored unit deleted takes nothing from anyone
    )


def _publications(db: Database) -> list[tuple[Any, ...]]:
    """Each published period and its results as published (units by uuid: ids differ
    between copies): its scheme, 以奖代补, term vetoes, scores, and each unit's rank,
    优秀 and 以奖代补 as ranked."""
    out = []
    with db.read_connection() as conn:
        codes = [c for (c,) in conn.execute("SELECT code FROM assessment_period WHERE published")]
        uuids = dict(conn.execute("SELECT id, uuid FROM organization"))
        for code in sorted(codes):
            ranking = rank_period(db, code)
            ranks = sorted(
                (uuids[r.unit_id], r.rank, r.excellent, str(r.subsidy), r.veto)
                for c in ranking.classes.values()
                for r in c.rows
                if r.total is not None or r.veto
            )
            period = conn.execute(
                "SELECT s.name, s.version, s.definition, p.subsidy, p.term_vetoed"
                " FROM assessment_period p JOIN assessment_scheme s ON s.id = p.scheme_id"
                " WHERE p.code = ?",
                (code,),
            ).fetchone()
            scores = sorted(
                conn.execute(
                    "SELECT o.uuid, sc.class_code, sc.scores, sc.bonus, sc.total_tenths, sc.veto"
                    " FROM assessment_score sc JOIN organization o ON o.id = sc.organization_id"
                    " JOIN assessment_period p ON p.id = sc.period_id WHERE p.code = ?",
                    (code,),
                )
            )
            out.append((code, period, scores, ranks))
    return out


def _published(db: Database) -> bool:
    with db.read_connection() as conn:
        row = conn.execute(
            "SELECT published FROM assessment_period WHERE code = ?", (PERIOD,)
        ).fetchone()
    return bool(row and row[0])


def _ids(db: Database, sql: str) -> list[int]:
    with db.read_connection() as conn:
        return [i for (i,) in conn.execute(sql)]


class ThreeCopies(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="parkdesk-three-"))
        office = open_database(self.folder / "office.sqlite3", daily_backup=False)
        who = instructors.create_instructor(office, InstructorDraft(name="王指导"))
        for name in UNITS:
            unit = organizations.create_organization(office, OrganizationDraft(name=name))
            if name != UNITS[-1]:  # one unit stays out of the field package
                instructors.assign(office, who, unit)
        assessments.ensure_period(office, PERIOD)
        with (
            sqlite3.connect(office.path) as src,
            sqlite3.connect(self.folder / "laptop.sqlite3") as dst,
        ):
            src.backup(dst)
        self.dbs: dict[str, Database] = {
            "office": office,
            "laptop": open_database(self.folder / "laptop.sqlite3", daily_backup=False),
        }
        self.old_fields: list[Database] = []  # field databases already returned
        self.counter = itertools.count(1)
        self.written: list[tuple[str, Database, str]] = []  # (where, copy, value)
        self.frozen: dict[str, list[Any]] = {}  # copy → its results on publishing
        self.packages = 0
        self._new_field()

    def _new_field(self) -> None:
        """A field package for 王指导 made at the office and opened on the laptop."""
        self.packages += 1
        package = self.folder / f"王指导{self.packages}.pdfield"
        target = self.folder / f"field{self.packages}.sqlite3"
        try:
            field_package.make_field_package(self.dbs["office"], package, instructor="王指导")
        except ValueError:  # 王指导 has no unit left: no field work until merged back
            self.dbs.pop("field", None)
            return
        field_package.open_field_package(package, target)
        self.dbs["field"] = open_database(target, daily_backup=False)

    def teardown(self) -> None:
        for db in [*getattr(self, "dbs", {}).values(), *getattr(self, "old_fields", [])]:
            db.dispose()
        shutil.rmtree(getattr(self, "folder", ""), ignore_errors=True)

    def _value(self, what: str) -> str:
        return f"{what}{next(self.counter):04d}"

    def _unit(self, side: str, n: int) -> int | None:
        ids = _ids(self.dbs[side], "SELECT id FROM organization ORDER BY id")
        return ids[n % len(ids)] if ids else None

    # -- edits on any side ------------------------------------------------------------

    @rule(side=COPY, n=st.integers(0, 3))  # a field database's registry is read-only
    def phone(self, side: str, n: int) -> None:
        db, unit = self.dbs[side], self._unit(side, n)
        if unit is not None:
            phone = self._value("0771-")
            draft = organizations.get_draft(db, unit)
            organizations.update_organization(db, unit, replace(draft, phone=phone))
            self.written.append(("organization.phone", db, phone))

    @rule(side=COPY, n=st.integers(0, 3))
    def rename(self, side: str, n: int) -> None:
        db, unit = self.dbs[side], self._unit(side, n)
        if unit is not None:
            draft = organizations.get_draft(db, unit)
            name = self._value(f"{draft.name[:3]}·")
            organizations.update_organization(db, unit, replace(draft, name=name))
            self.written.append(("organization.name", db, name))

    @rule(side=COPY, n=st.integers(0, 3))
    def delete_unit(self, side: str, n: int) -> None:
        db, unit = self.dbs[side], self._unit(side, n)
        if unit is None:
            return
        try:
            organizations.delete_organization(db, unit)
        except PeriodPublished:  # scored in a published period: part of its ranking
            assert _published(db)

    @rule(side=SIDE, n=st.integers(0, 3))
    def visit(self, side: str, n: int) -> None:
        if side not in self.dbs:
            return
        db, unit = self.dbs[side], self._unit(side, n)
        who = _ids(db, "SELECT id FROM instructor ORDER BY id")
        if unit is not None and who:
            text, problem = self._value("走访"), self._value("问题")
            draft = VisitDraft(
                unit, DAY, VisitKind.VISIT, who[:1], text, "", [ProblemDraft(problem)]
            )
            visits.add_visit(db, draft, DAY)
            self.written += [("visit.content", db, text), ("problem.text", db, problem)]

    @rule(side=SIDE, n=st.integers(0, 5), to=st.sampled_from(list(ProblemStatus)))
    def status(self, side: str, n: int, to: ProblemStatus) -> None:
        if side not in self.dbs:
            return
        db = self.dbs[side]
        ids = _ids(db, "SELECT id FROM problem ORDER BY id")
        if ids:
            note = self._value("说明")
            visits.set_status(db, ids[n % len(ids)], to, note, DAY)
            self.written.append(("problem_event.note", db, note))

    @rule(side=SIDE, n=st.integers(0, 5))
    def delete_visit(self, side: str, n: int) -> None:
        if side not in self.dbs:
            return
        db = self.dbs[side]
        ids = _ids(db, "SELECT id FROM visit ORDER BY id")
        if ids:
            visits.delete_visit(db, ids[n % len(ids)])

    @rule(side=SIDE, n=st.integers(0, 3), points=st.lists(st.integers(0, 10), min_size=6))
    def score(self, side: str, n: int, points: list[int]) -> None:
        if side not in self.dbs:
            return
        db, unit = self.dbs[side], self._unit(side, n)
        if unit is None:
            return
        if PERIOD not in assessments.period_codes(db):  # its opening undone
            return
        scheme = assessments.scheme_of(db, PERIOD)
        values = {
            i.name: str(min(p, int(i.maximum)))
            for i, p in zip(scheme.indicators, itertools.cycle(points), strict=False)
        }
        note = self._value("评分")
        try:
            assessments.set_scores(db, PERIOD, unit, assessments.ScoreEntry(values, note=note))
        except PeriodPublished:
            assert _published(db)
            return
        self.written.append(("assessment_score.note", db, note))

    @rule(side=COPY)
    def publish(self, side: str) -> None:
        db = self.dbs[side]
        if PERIOD in assessments.period_codes(db) and not _published(db):
            assessments.set_published(db, PERIOD, True)

    @rule(side=SIDE)
    def undo(self, side: str) -> None:
        if side not in self.dbs:
            return
        with contextlib.suppress(PeriodPublished):  # a published period stays as published
            audit.undo_last(self.dbs[side])

    @rule(side=SIDE)
    def redo(self, side: str) -> None:
        if side not in self.dbs:
            return
        with contextlib.suppress(PeriodPublished):
            redo.redo_last(self.dbs[side])

    @staticmethod
    def _undone(db: Database, merged: dict[str, Any]) -> bool:
        """The merge just applied undone; False when refused (it published a period or
        wrote a published period's scores), then nothing changed."""
        try:
            audit.undo_last(db)
        except PeriodPublished:
            assert _records(db) == merged, "a refused undo changed records"
            return False
        return True

    # -- merges -------------------------------------------------------------------------

    def _merge_copy(self, into: str, take: str) -> None:
        """The other copy merged into ``into``; undone and merged again, it leaves the same."""
        mine, other = self.dbs[into], self.dbs["laptop" if into == "office" else "office"]
        merge = database_merge.preview_database_merge(mine, other.path)
        database_merge.apply_database_merge(mine, merge, everywhere=take)
        merged = _records(mine)
        if not self._undone(mine, merged):
            return
        again = database_merge.preview_database_merge(mine, other.path)
        database_merge.apply_database_merge(mine, again, everywhere=take)
        assert _records(mine) == merged, "undone then merged again, the merge left other records"

    @rule(into=COPY, take=TAKE)
    def merge(self, into: str, take: str) -> None:
        self._merge_copy(into, take)

    @rule(take=TAKE, edit_on=COPY, n=st.integers(0, 3))
    def merge_both_ways(self, take: str, edit_on: str, n: int) -> None:
        """The laptop into the office (conflicts as ``take``), then the office into the
        laptop taking the office's side: both copies then hold the same records. Then a
        unit's phone edited on one copy alone arrives on the other as a plain update."""
        self._merge_copy("office", take)
        self._merge_copy("laptop", "theirs")
        office, laptop = _records(self.dbs["office"]), _records(self.dbs["laptop"])
        # a period published on one copy arrives whole on the other: both then show the
        # same published results, unless it cannot come (published on both differently,
        # or a unit of its ranking deleted on the open copy): then a conflict says so
        held = self._publication_held()
        if not held:
            assert _publications(self.dbs["office"]) == _publications(self.dbs["laptop"])
        for table in office:
            if held and table in ("assessment_period", "assessment_score", "organization"):
                continue  # nothing of that period written either way until settled
            assert office[table] == laptop[table], f"{table} differs after merging both ways"
        self._one_sided_edit(edit_on, n)

    def _publication_held(self) -> bool:
        """Whether a merge (either way) shows a published period as not merged."""
        for into, other in (("office", "laptop"), ("laptop", "office")):
            merge = database_merge.preview_database_merge(self.dbs[into], self.dbs[other].path)
            if merge.preview.as_report()["published_conflicts"]:
                return True
        return False

    def _one_sided_edit(self, edit_on: str, n: int) -> None:
        """After merging both ways, an edit on one copy merges into the other without a
        conflict, whichever side the merge takes (what a merge wrote is no edit)."""
        db, unit = self.dbs[edit_on], self._unit(edit_on, n)
        if unit is None:
            return
        into = "laptop" if edit_on == "office" else "office"
        phone = self._value("0772-")
        draft = organizations.get_draft(db, unit)
        organizations.update_organization(db, unit, replace(draft, phone=phone))
        self.written.append(("organization.phone", db, phone))
        merge = database_merge.preview_database_merge(self.dbs[into], db.path)
        assert merge.preview.as_report()["conflicts"] == [], "a one-sided edit is a conflict"
        self._merge_copy(into, "ours")
        with self.dbs[into].read_connection() as conn:
            here = conn.execute("SELECT 1 FROM organization WHERE phone = ?", (phone,))
            assert here.fetchone(), "a one-sided edit did not arrive"

    @rule(take=TAKE, keep=st.booleans())
    def return_package(self, take: str, keep: bool) -> None:
        """The field database's return package merged at the office (undone, merged
        again: the same), then a new field package for the next round — or the same
        field database kept, its next package read against what this one carried: made
        at once, it changes nothing and is no conflict."""
        if "field" not in self.dbs:
            self._new_field()
            return
        office, field = self.dbs["office"], self.dbs["field"]
        path = self.folder / f"回传{next(self.counter)}.pdreturn"
        return_package.make_return_package(field, path)
        preview = package_merge.preview_merge(office, path)
        package_merge.apply_merge(office, preview, everywhere=take)
        merged = _records(office)
        if not self._undone(office, merged):
            self.old_fields.append(field)
            self._new_field()
            return
        again = package_merge.preview_merge(office, path)
        package_merge.apply_merge(office, again, everywhere=take)
        assert _records(office) == merged, "a return package undone then merged again differs"
        if keep:
            self._same_field_again(take)
            return
        self.old_fields.append(field)
        self._new_field()

    def _same_field_again(self, take: str) -> None:
        path = self.folder / f"回传{next(self.counter)}.pdreturn"
        return_package.make_return_package(self.dbs["field"], path)
        office = self.dbs["office"]
        preview = package_merge.preview_merge(office, path)
        report = preview.as_report()
        said = (report["created"], report["updated"], report["deleted"], report["conflicts"])
        assert said == (0, 0, 0, []), "the same field database's package again is not quiet"
        merged = _records(office)
        package_merge.apply_merge(office, preview, everywhere=take)
        assert _records(office) == merged

    # -- invariants ---------------------------------------------------------------------

    @invariant()
    def every_copy_is_whole(self) -> None:
        for db in [*getattr(self, "dbs", {}).values()]:
            report = check_file(db.path)
            assert report.ok, [f.text() for f in report.faults]

    @invariant()
    def published_results_never_change(self) -> None:
        for side, db in getattr(self, "dbs", {}).items():
            if side == "field":
                continue
            if not _published(db):
                self.frozen.pop(side, None)  # undone publishing: open again
            elif side not in self.frozen:
                self.frozen[side] = _ranking(db)
            else:
                assert _ranking(db) == self.frozen[side], f"{side}: published results changed"

    @invariant()
    def nothing_written_is_lost(self) -> None:
        for where, db, value in getattr(self, "written", []):
            table, _, column = where.partition(".")
            with db.read_connection() as conn:
                here = conn.execute(
                    f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", (value,)
                ).fetchone()
                logged = conn.execute(
                    "SELECT 1 FROM audit_entry WHERE instr(coalesce(before, ''), ?)"
                    " OR instr(coalesce(after, ''), ?) LIMIT 1",
                    (value, value),
                ).fetchone()
            assert here or logged, f"{where} “{value}” is neither current nor in the audit log"


ThreeCopies.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_three_copies_edited_merged_published_undone = ThreeCopies.TestCase
