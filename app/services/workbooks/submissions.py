"""The quarterly submission (季度报送), the use case: read the registry, its
figures and the last submission, write the workbook (app/exchange/export.py
writes it from that plain data), and keep what was submitted for the next
quarter's comparison."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.apart import run_reading_apart
from app.db.database import Database
from app.db.queries import workbooks as q
from app.domain.quarters import Quarter, check_submitted
from app.domain.rates import Rounding, percent_text
from app.domain.record_fields import INSTRUCTOR_FIELDS, PARTY_ORG_FIELDS, Cell, RecordField
from app.domain.vocabulary import AssignmentRole, OrgClass, OrgKind
from app.exchange import export
from app.exchange.export import COVER_ROWS, RATE_ROWS, QuarterContent, ValueTooLong
from app.exchange.importer import file_hash
from app.exchange.records import record_cells
from app.exchange.saving import saving
from app.gc_pause import collector_paused
from app.services.files import json_pieces
from app.services.grouping import clusters, pairings
from app.services.overview.figures import (
    KindFigures,
    activity_rooms_report,
    class_counts,
    party_orgs_by_kind_report,
    registry_figures,
)
from app.services.registry import instructors, party_orgs
from app.services.registry.park import get_park, get_rounding
from app.services.workbooks.registry_read import registry_records

__all__ = ["ExportResult", "ValueTooLong", "export_quarter", "export_template", "figures_of"]

Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    path: Path
    quarter: Quarter
    organizations: int
    file_hash: str
    changes: int  # rows on the "changes since the last submission" sheet
    first: bool = False  # no submission before this quarter to compare with

    def changes_text(self) -> str:
        """How the window and the command line say it, as the workbook does."""
        return "本次为首次报送" if self.first else f"较上次报送有{self.changes}处变化"


def closed_half_year(
    db: Database, quarter: Quarter
) -> tuple[str, Sequence[tuple[str, int]], list[list[Any]]] | None:
    """The newest published half-year that ended by the quarter's end, as the
    submission's 半年考核 sheet lists it (rank, total, grade, subsidy by class)."""
    from app.domain.assessment import period_end, period_is_year
    from app.services.assessment.assessment_exports import RANKING_HEADERS, ranking_rows
    from app.services.assessment.assessment_results import rank_period
    from app.services.assessment.assessments import published_codes

    for code in published_codes(db):
        if not period_is_year(code) and period_end(code) <= quarter.last_day:
            return code, RANKING_HEADERS, ranking_rows(rank_period(db, code))
    return None


def export_quarter(
    db: Database,
    path: Path,
    quarter: Quarter,
    today: date | None = None,
    progress: Progress | None = None,
    apart: bool = False,
) -> ExportResult:
    """Write the submission to ``path`` and keep what was submitted. ``apart``: the
    workbook made in a process of its own (app/apart.py: the window's, whose GUI thread
    XlsxWriter's long C calls would freeze), which only reads the database and writes
    the temporary file; it is moved to ``path``, and the submission kept, here."""
    from app.services.county.county_db import refuse_county
    from app.services.field.field_identity import refuse_field

    refuse_county(db)  # a county's own quarterly workbook would come back as a park's
    refuse_field(db, "季度报送")  # a laptop holds a part of the park under its name
    today = today or date.today()
    check_submitted(quarter, today)
    with saving(path) as tmp:  # the output guard, before anything is written
        if apart:
            made = run_reading_apart(db.path, make_workbook, (tmp, quarter, today), progress)
        else:
            made = make_workbook(db, tmp, quarter, today, progress)
    digest = file_hash(path)
    _keep_submission(db, quarter, path.name, digest, made.figures, made.snapshot)
    if progress:
        progress(6, 6)
    return ExportResult(path, quarter, made.organizations, digest, made.changes, first=made.first)


@dataclass
class _Made:
    """What writing the workbook leaves for keeping the submission (plain, picklable)."""

    figures: dict[str, Any]
    # the registry submitted, as JSON (json_pieces) in UTF-8: 15 MB at 50,000 units,
    # passed on and bound as bytes (a copy), never made text again on the window's side
    snapshot: bytes
    organizations: int
    changes: int
    first: bool


def make_workbook(
    db: Database, tmp: Path, quarter: Quarter, today: date, progress: Progress | None
) -> _Made:
    """Read what the quarter submits and write its workbook at ``tmp``."""
    with collector_paused():  # a million cells and their rows, no cycles (gc_pause.py)
        return _make_workbook(db, tmp, quarter, today, progress)


def _make_workbook(
    db: Database, tmp: Path, quarter: Quarter, today: date, progress: Progress | None
) -> _Made:
    park = get_park(db)
    records = registry_records(db)
    figures = figures_of(db, get_rounding(db))
    snapshot = export.snapshot(records)
    previous = _previous_submission(db, quarter)
    people, assignments = instructor_records(db, today)
    content = QuarterContent(
        park_name=park.park_name,
        park_uuid=park.uuid,
        committee_name=park.committee_name,
        quarter=quarter,
        today=today,
        figures=figures,
        records=records,
        party_orgs=party_org_records(db, today),
        instructors=people,
        assignments=assignments,
        pairings=pairing_records(db, today),
        clusters=cluster_records(db, quarter.year),
        cluster_records=clusters.record_cells(db),
        previous_quarter=previous[0] if previous else None,
        changes=export.changes_since(previous[1] if previous else None, snapshot),
        assessment=closed_half_year(db, quarter),
        visits=visit_records(db, quarter, today),
    )
    export.write_workbook(tmp, content, progress)
    return _Made(
        figures,
        json_pieces.dumps(snapshot).encode(),
        len(records),
        len(content.changes),
        previous is None,
    )


def export_template(path: Path) -> Path:
    """The blank import template (no data of the park in it)."""
    return export.export_template(path)


def _previous_submission(db: Database, quarter: Quarter) -> tuple[str, Any] | None:
    """The latest quarter submitted before ``quarter`` and its registry snapshot."""
    with db.read_connection() as conn:
        prev = conn.execute(q.PREVIOUS_SUBMISSION, (quarter.code,)).fetchone()
    return (prev[0], json_pieces.loads(prev[1])) if prev else None


def _keep_submission(
    db: Database,
    quarter: Quarter,
    file_name: str,
    digest: str,
    figures: dict[str, Any],
    snapshot: bytes,
) -> None:
    from sqlalchemy import text, update

    from app.db.models import Submission

    with db.session() as s:
        row = Submission(
            quarter=quarter.code,
            file_name=file_name,
            file_hash=digest,
            figures=json.dumps(figures, ensure_ascii=False),
            snapshot="",
        )
        s.add(row)
        s.flush()
        # stored as text, made so by SQLite (the GIL free): binding 15 MB of str
        # encoded it under the GIL, the window waiting 100 ms (bench_stalls.py)
        s.execute(text(q.SNAPSHOT_AS_TEXT), {"snapshot": snapshot, "id": row.id})
        # the quarter's newest export is what was submitted: earlier exports of the
        # same quarter keep their file name, hash and figures, not the whole registry
        # again (10,000 organizations make a 7 MB snapshot)
        s.execute(
            update(Submission)
            .where(Submission.quarter == quarter.code, Submission.id < row.id)
            .values(snapshot="")
        )


def figures_of(db: Database, rounding: Rounding = Rounding.HALF_UP) -> dict[str, Any]:
    """The cover's figures: counts as integers, rates as the text every view shows."""
    counts = registry_figures(db)

    def as_dict(k: KindFigures) -> dict[str, Any]:
        out: dict[str, Any] = {key: getattr(k, key) for _label, key in COVER_ROWS}
        for _label, key in RATE_ROWS:
            out[key] = percent_text(getattr(k, key), rounding)
        return out

    return {
        "enterprise": as_dict(counts.by_kind[OrgKind.ENTERPRISE]),
        "social": as_dict(counts.by_kind[OrgKind.SOCIAL]),
        "total": as_dict(counts.total),
        "party_orgs": {f"{lv.value}/{fm.value}": n for (lv, fm), n in counts.party_orgs.items()},
        "instructors_active": counts.instructors_active,
        "party_orgs_by_kind": party_orgs_by_kind_report(counts),
        "activity_rooms": activity_rooms_report(counts, rounding),
        "classes": class_counts(db),
        "rounding": rounding.label,
    }


def _stored_values(
    db: Database, table: str, fields: tuple[RecordField, ...]
) -> dict[int, dict[str, Any]]:
    """Each record's stored fields (the link excepted) by id, as the table holds them."""
    keys = [f.key for f in fields if f.stored and f.cell is not Cell.LINK]
    with db.read_connection() as conn:
        return {
            rid: dict(zip(keys, values, strict=True))
            for rid, *values in conn.execute(q.stored_values(table, keys))
        }


def _rows(
    listing: list[Any], stored: dict[int, dict[str, Any]], fields: tuple[RecordField, ...]
) -> list[list[Any]]:
    """The sheet's rows in the listing's order: stored fields from the table, the
    link and the derived fields (next election, units covered…) from the listing."""
    return [
        record_cells(fields, lambda key, r=r: stored[r.id].get(key, getattr(r, key, None)))
        for r in listing
    ]


def party_org_records(db: Database, today: date) -> list[list[Any]]:
    listing = party_orgs.list_party_orgs(db, today)
    stored = _stored_values(db, "party_organization", PARTY_ORG_FIELDS)
    return _rows(listing, stored, PARTY_ORG_FIELDS)


def cluster_records(db: Database, year: int) -> list[list[Any]]:
    """The 编组 sheet's rows: each cluster, its leader first among its members, and the
    leader's three powers for ``year`` (money in yuan, exact to the fen)."""
    rows = []
    for c in clusters.list_clusters(db, year, members=True):
        f, leader = c.figures, c.leader
        rows.append(
            [
                c.name,
                c.formed_year,
                leader.name if leader else None,
                leader.uscc if leader else None,
                c.member_count,
                "、".join(m.name for m in c.members) or None,
                f.dues_returned / 100,
                f.spent / 100,
                f.balance / 100,
                f.quota,
                f.allocated,
                f.recruited,
                f.places,
                f.nominated,
                c.warning_text or None,
                c.notes or None,
            ]
        )
    return rows


def visit_records(db: Database, quarter: Quarter, today: date) -> list[list[Any]]:
    """The 走访整改 sheet's rows (records.VISIT_HEADERS)."""
    from app.domain.vocabulary import ProblemStatus
    from app.services.field import visits

    first = quarter.first_day
    last = quarter.last_day

    def problem_cells(p: Any) -> list[Any]:
        return [
            p.text,
            "共性" if p.common else "个性",
            p.rectification or None,
            p.responsible or None,
            p.deadline,
            p.status.label,
            p.verified_on,
            p.verify_note or None,
            p.uuid,
            "、".join(u.uscc or u.name for u in p.units) or None,
        ]

    rows: list[list[Any]] = []
    listed: set[int] = set()
    for v in sorted(visits.list_visits(db, today), key=lambda v: (v.visited_on, v.id)):
        if not first <= v.visited_on <= last:
            continue
        head = [
            v.visited_on,
            v.org.name,
            v.org.uscc,
            v.kind.label,
            "、".join(v.instructors),
            v.content or None,
        ]
        for p in v.problems:
            listed.add(p.id)
            rows.append([*head, *problem_cells(p), v.uuid])
        if not v.problems:
            rows.append([*head, *([None] * 10), v.uuid])
    for p in visits.list_problems(db, today):
        closed_before = p.verified_on is not None and p.verified_on < first
        if p.id in listed or p.raised_on > last or closed_before:
            continue
        if p.status is ProblemStatus.VERIFIED and p.verified_on is None:
            continue
        names = "、".join(u.name for u in p.units)
        codes = "、".join(u.uscc or "" for u in p.units)
        rows.append([p.raised_on, names, codes or None, None, None, None, *problem_cells(p), None])
    return rows


def pairing_records(db: Database, today: date) -> list[list[Any]]:
    """The 结对帮带 sheet's rows: the pairings in force first, then the ended ones."""
    rows = pairings.list_pairings(db, today)
    rows.sort(key=lambda r: not r.active)  # stable: the newest first within each
    done = pairings.all_entries(db)

    def letter(c: OrgClass | None) -> str | None:
        return c.value if c is not None else None

    return [
        [
            r.helper.name,
            r.helper.uscc,
            letter(r.helper.class_at_start),
            letter(r.helper.class_now),
            r.helped.name,
            r.helped.uscc,
            letter(r.helped.class_at_start),
            letter(r.helped.class_now),
            r.direction or None,
            r.started_on,
            r.ended_on,
            r.goal or None,
            r.outcome or None,
            "\n".join(f"{e.done_on:%Y-%m-%d} {e.text}" for e in done.get(r.id, [])) or None,
        ]
        for r in rows
    ]


def instructor_records(db: Database, today: date) -> tuple[list[list[Any]], list[list[Any]]]:
    listing = instructors.list_instructors(db, today)
    people = _rows(listing, _stored_values(db, "instructor", INSTRUCTOR_FIELDS), INSTRUCTOR_FIELDS)
    for row, person in zip(people, listing, strict=True):
        row.append(person.uuid)  # the hidden 指导员编号: the identity a read-back matches
    with db.read_connection() as conn:
        assignments = [
            [
                name,
                org,
                code,
                AssignmentRole(role).label,
                date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None,
                uuid,
            ]
            for name, org, code, role, start, end, uuid in conn.execute(q.ASSIGNMENT_ROWS)
        ]
    return people, assignments
