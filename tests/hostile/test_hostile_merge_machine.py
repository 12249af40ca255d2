"""Two copies of one database edited in random order — phones, names, units, visits and
instructors deleted, visits with problems added, statuses set, on either side — and
merged, undone, redone (issue 22). After every merge the database is whole (integrity
and references), and a merge undone then done again leaves exactly what the merge left:
undo takes its ledger, tombstones and cascades too."""

from __future__ import annotations

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
from app.services.field import database_merge, visits
from app.services.files import audit, redo
from app.services.registry import instructors, organizations
from app.services.registry.instructors import InstructorDraft

DAY = date(2026, 11, 20)
UNITS = ("甲公司", "乙公司", "丙公司")
SIDE = st.sampled_from(("office", "laptop"))
_PHONES = itertools.count(1)


def _state(db: Database) -> dict[str, dict[str, Any]]:
    """Every record by uuid, references by uuid: what a merge is about."""
    conn = sqlite3.connect(db.path)
    try:
        side = database_merge._Side(conn)
        out = {}
        for table in database_merge._tables():
            uuids = [u for (u,) in conn.execute(f"SELECT uuid FROM {table.name}")]
            rows = side.records(table, uuids)
            out[table.name] = {
                u: {k: v for k, v in r.items() if k != "id"} for u, r in rows.items()
            }
        return out
    finally:
        conn.close()


class TwoCopies(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="parkdesk-machine-"))
        office = open_database(self.folder / "office.sqlite3", daily_backup=False)
        for name in UNITS:
            organizations.create_organization(office, OrganizationDraft(name=name))
        who = instructors.create_instructor(office, InstructorDraft(name="王指导"))
        self.who = who
        with (
            sqlite3.connect(office.path) as src,
            sqlite3.connect(self.folder / "laptop.sqlite3") as dst,
        ):
            src.backup(dst)
        self.dbs = {
            "office": office,
            "laptop": open_database(self.folder / "laptop.sqlite3", daily_backup=False),
        }

    def teardown(self) -> None:
        for db in getattr(self, "dbs", {}).values():
            db.dispose()
        shutil.rmtree(getattr(self, "folder", ""), ignore_errors=True)

    def _unit(self, side: str, n: int) -> int | None:
        with self.dbs[side].read_connection() as conn:
            ids = [i for (i,) in conn.execute("SELECT id FROM organization ORDER BY id")]
        return ids[n % len(ids)] if ids else None

    @rule(side=SIDE, n=st.integers(0, 2), phone=st.sampled_from(("1", "2", "3")))
    def phone(self, side: str, n: int, phone: str) -> None:
        unit = self._unit(side, n)
        if unit is not None:
            draft = organizations.get_draft(self.dbs[side], unit)
            organizations.update_organization(self.dbs[side], unit, replace(draft, phone=phone))

    @rule(side=SIDE, n=st.integers(0, 2))
    def rename(self, side: str, n: int) -> None:
        unit = self._unit(side, n)
        if unit is not None:
            draft = organizations.get_draft(self.dbs[side], unit)
            new = replace(draft, name=f"{draft.name}·{side[0]}")
            organizations.update_organization(self.dbs[side], unit, new)

    @rule(side=SIDE, n=st.integers(0, 2))
    def visit(self, side: str, n: int) -> None:
        unit = self._unit(side, n)
        with self.dbs[side].read_connection() as conn:
            who = conn.execute("SELECT id FROM instructor").fetchone()
        if unit is not None and who is not None:
            found = [ProblemDraft(f"问题{side}")]
            draft = VisitDraft(unit, DAY, VisitKind.VISIT, [who[0]], f"走访{side}", "", found)
            visits.add_visit(self.dbs[side], draft, DAY)

    @rule(side=SIDE, n=st.integers(0, 3), to=st.sampled_from(list(ProblemStatus)))
    def status(self, side: str, n: int, to: ProblemStatus) -> None:
        with self.dbs[side].read_connection() as conn:
            ids = [i for (i,) in conn.execute("SELECT id FROM problem ORDER BY id")]
        if ids:
            visits.set_status(self.dbs[side], ids[n % len(ids)], to, "核验", DAY)

    @rule(side=SIDE, n=st.integers(0, 3))
    def delete_visit(self, side: str, n: int) -> None:
        with self.dbs[side].read_connection() as conn:
            ids = [i for (i,) in conn.execute("SELECT id FROM visit ORDER BY id")]
        if ids:
            visits.delete_visit(self.dbs[side], ids[n % len(ids)])

    @rule(side=SIDE)
    def delete_instructor(self, side: str) -> None:
        with self.dbs[side].read_connection() as conn:
            found = conn.execute("SELECT id FROM instructor").fetchone()
        if found is not None:
            instructors.delete_instructor(self.dbs[side], found[0])

    @rule(side=SIDE, n=st.integers(0, 2))
    def delete(self, side: str, n: int) -> None:
        unit = self._unit(side, n)
        if unit is not None:
            organizations.delete_organization(self.dbs[side], unit)

    @rule(take=st.sampled_from(("ours", "theirs")))
    def merge_undo_merge(self, take: str) -> None:
        office, laptop = self.dbs["office"], self.dbs["laptop"]
        merge = database_merge.preview_database_merge(office, laptop.path)
        database_merge.apply_database_merge(office, merge, everywhere=take)
        merged = _state(office)
        audit.undo_last(office)
        again = database_merge.preview_database_merge(office, laptop.path)
        assert [(i.entity, i.uuid, i.outcome) for i in again.preview.items] == [
            (i.entity, i.uuid, i.outcome) for i in merge.preview.items
        ]
        database_merge.apply_database_merge(office, again, everywhere=take)
        assert _state(office) == merged
        audit.undo_last(office)
        redo.redo_last(office)  # redone: the same again
        assert _state(office) == merged

    @rule(take=st.sampled_from(("ours", "theirs")), edit_on=SIDE, n=st.integers(0, 2))
    def both_ways_then_one_edit(self, take: str, edit_on: str, n: int) -> None:
        """Merged both ways, then a phone edited on one copy: the other takes it as a
        plain update, whichever side its conflicts would take (there are none)."""
        for into, choice in (("office", take), ("laptop", "theirs")):
            other = self.dbs["laptop" if into == "office" else "office"]
            merge = database_merge.preview_database_merge(self.dbs[into], other.path)
            database_merge.apply_database_merge(self.dbs[into], merge, everywhere=choice)
        unit = self._unit(edit_on, n)
        if unit is None:
            return
        phone = f"9{next(_PHONES)}"  # never the value it had: an edit the log records
        self.phone(edit_on, n, phone)
        into = "laptop" if edit_on == "office" else "office"
        merge = database_merge.preview_database_merge(self.dbs[into], self.dbs[edit_on].path)
        assert merge.preview.as_report()["conflicts"] == [], "a one-sided edit is a conflict"
        database_merge.apply_database_merge(self.dbs[into], merge, everywhere="ours")
        with self.dbs[into].read_connection() as conn:
            here = conn.execute("SELECT 1 FROM organization WHERE phone = ?", (phone,))
            assert here.fetchone(), "a one-sided edit did not arrive"

    @invariant()
    def whole(self) -> None:
        if not hasattr(self, "dbs"):
            return
        with self.dbs["office"].read_connection() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


TwoCopies.TestCase.settings = settings(
    max_examples=6,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_two_copies_merged_undone_and_redone = TwoCopies.TestCase
