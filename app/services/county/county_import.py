"""Reading parks' quarterly submissions into a county database: preview, apply, undo.

A park is known by the uuid its ParkDesk workbooks carry, else by its name; a park
never appears twice. A newer submission of a park's quarter replaces the one in force
(kept, marked replaced), and the preview says what changed unit by unit. The whole
command is one transaction and one change: 撤销 takes it back, replaced quarters
included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.db.database import Database
from app.db.queries import county as q
from app.domain.org_fields import LABELS
from app.domain.quarters import Quarter, check_submitted
from app.domain.vocabulary import ParkLevel
from app.exchange.submission_read import SubmissionRead, SubmittedUnit, read_submission
from app.services.county.county_db import name_problem, require_county

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Progress = Callable[[int, int], None]

# the unit's facts a diff compares, in UNIT_FACTS' order, with their labels
_FACTS = (
    "uscc",
    "name",
    "kind",
    "formation",
    "party_org",
    "in_base",
    "formal_members",
    "probationary_members",
    "activists",
    "investor_is_member",
    "looked_after",
    "class_code",
)
_FACT_LABELS = {**LABELS, "looked_after": "党建指导员（在岗）"}
SHOWN_CHANGES = 200  # the preview lists this many unit changes per file, and counts all
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True, slots=True)
class UnitChange:
    change: str  # added | removed | changed
    name: str
    uscc: str
    what: str  # the facts changed, in Chinese (changed only)


@dataclass
class FilePlan:
    read: SubmissionRead
    park_id: int | None = None  # the park it matched; None: a new park
    renamed_from: str = ""  # the park's name until now, when its workbook names it anew
    replaces: int | None = None  # the submission of that park's quarter in force
    replaced_imported_at: datetime | None = None
    same_file: bool = False  # exactly this file is in force already: nothing to do
    added: int = 0
    removed: int = 0
    changed: int = 0
    changes: list[UnitChange] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.same_file:
            return "unchanged"
        return "replace" if self.replaces is not None else "new"

    def as_dict(self) -> dict[str, Any]:
        r = self.read
        return {
            "file": str(r.path),
            "park": r.park,
            "new_park": self.park_id is None,
            "renamed_from": self.renamed_from or None,
            "quarter": r.quarter.code,
            "source": r.source.value,
            "sheet": r.sheet,
            "status": self.status,
            "units": len(r.units),
            "errors": [e.as_dict() for e in r.errors],
            "notes": list(r.notes),
            "assessment_period": r.assessment_period or None,
            "excellent": r.excellent,
            "replaces": None
            if self.replaces is None
            else {
                "imported_at": _stamp(self.replaced_imported_at),
                "added": self.added,
                "removed": self.removed,
                "changed": self.changed,
                "changes": [
                    {"change": c.change, "name": c.name, "uscc": c.uscc, "what": c.what}
                    for c in self.changes
                ],
            },
        }


@dataclass
class CountyPreview:
    files: list[FilePlan]

    @property
    def writes(self) -> bool:
        return any(p.status != "unchanged" for p in self.files)


def _stamp(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    return text[:19]


def preview_county_import(
    db: Database,
    paths: Sequence[Path],
    park: str | None = None,
    quarter: Quarter | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> CountyPreview:
    """What importing ``paths`` would do. Writes nothing. A file that cannot be read
    stops the whole preview with its name (nothing is half imported)."""
    require_county(db)
    if park is not None and len(paths) > 1:
        raise ValueError("--park 只能用于一个文件：每个园区的登记表请分别导入")
    reads = _read_all([Path(p) for p in paths], park, quarter, today, progress)
    for read in reads:
        _check_read(read, today or date.today())
    _refuse_twice(reads)
    with db.session() as s:
        return CountyPreview([_plan(s, read) for read in reads])


def _read_all(
    paths: list[Path],
    park: str | None,
    quarter: Quarter | None,
    today: date | None,
    progress: Progress | None,
) -> list[SubmissionRead]:
    """Each file read, two at a time: calamine parses one without the GIL while this
    reads the other's cells (a third less time for 20 files on two cores). The first
    file that cannot be read, in the order given, is the one reported."""
    from concurrent.futures import ThreadPoolExecutor

    done = [0]

    def read(path: Path) -> SubmissionRead:
        out = read_submission(path, park, quarter, today)
        done[0] += 1
        if progress is not None:
            progress(done[0], len(paths))
        return out

    if len(paths) == 1:
        return [read(paths[0])]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="submission") as pool:
        return list(pool.map(read, paths))


def park_key(name: str) -> str:
    """A park's name as compared: a space or a full-width letter more does not make
    another park (the names are typed by hand, in --park and in each park's settings;
    two parks so named would split one park's quarters and count its units twice)."""
    text = unicodedata.normalize("NFKC", name)
    # spaces and invisible format characters (a zero-width space pasted from a web page)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def _check_read(read: SubmissionRead, today: date) -> None:
    """What a tampered or careless file would put into the county: refused, named."""
    where = f"《{read.path.name}》"
    problem = name_problem(read.park) or ("为空" if not park_key(read.park) else None)
    if problem:
        raise ValueError(f"{where}的园区名称{problem}，无法汇总：请核对园区名称")
    if read.park_uuid and not _UUID.match(read.park_uuid):
        raise ValueError(f"{where}的园区识别码“{read.park_uuid[:40]}”无效，文件可能被改动过")
    if not read.units:
        # an empty submission would replace the park's quarter with nothing
        bad = f"（{len(read.errors)}行有问题）" if read.errors else ""
        raise ValueError(f"{where}的“{read.sheet}”表中没有可汇总的单位{bad}，没有导入")
    try:
        check_submitted(read.quarter, today)
    except ValueError as exc:
        raise ValueError(f"{where}：{exc}") from None


def _refuse_twice(reads: list[SubmissionRead]) -> None:
    seen: dict[tuple[str, str], Path] = {}
    named: dict[str, SubmissionRead] = {}  # a park's name (park_key) → its first file
    for r in reads:
        first = named.setdefault(park_key(r.park), r)
        if first.park_uuid and r.park_uuid and first.park_uuid != r.park_uuid:
            raise ValueError(
                f"《{first.path.name}》和《{r.path.name}》同名为“{r.park}”，但来自两个园区数据库"
                "（识别码不同）：同名的两个园区不会合并，请核对园区名称"
            )
        key = (r.park_uuid or park_key(r.park), r.quarter.code)
        if key in seen:
            raise ValueError(
                f"《{seen[key].name}》和《{r.path.name}》都是“{r.park}”{r.quarter.label}的报送："
                "同一园区同一季度一次只能导入一份"
            )
        seen[key] = r.path


def _plan(s: Session, read: SubmissionRead) -> FilePlan:
    plan = FilePlan(read)
    by_uuid = s.execute(q.park_by_source(read.park_uuid)).first() if read.park_uuid else None
    key = park_key(read.park)
    found = next((r for r in s.execute(q.park_names()) if park_key(r[3]) == key), None)
    if found is not None and found[3] != read.park and not read.park_uuid:
        # a name typed by hand (--park, a plain sheet): the park keeps the name the county
        # knows it by; a ParkDesk workbook names its own park (a spelling is a renaming)
        read.notes.append(f"园区名称“{read.park}”按汇总库中的“{found[3]}”汇总")
        read.park = found[3]
    by_name = found[:3] if found is not None else None
    if by_name is not None and by_name[2] != ParkLevel.PARK.value:
        raise ValueError(f"《{read.path.name}》的园区名称“{read.park}”与本区县汇总库同名，无法汇总")
    if by_uuid is not None:
        plan.park_id = by_uuid[0]
        if by_uuid[1] != read.park:
            if by_name is not None and by_name[0] != by_uuid[0]:
                raise ValueError(
                    f"《{read.path.name}》来自原名“{by_uuid[1]}”的园区，现名“{read.park}”"
                    "已是汇总库中另一个园区的名称：请先核对两个园区"
                )
            latest = s.execute(q.latest_quarter(by_uuid[0])).scalar()
            if latest and latest > read.quarter.code:
                # an older quarter's file, sent late, does not take back the park's name
                read.notes.append(
                    f"园区名称“{read.park}”是旧名，按{latest}报送中的“{by_uuid[1]}”汇总"
                )
                read.park = by_uuid[1]
            else:
                plan.renamed_from = by_uuid[1]
    elif by_name is not None:
        if by_name[1] and read.park_uuid and by_name[1] != read.park_uuid:
            raise ValueError(
                f"《{read.path.name}》名为“{read.park}”，但来自另一个园区数据库（识别码不同）："
                "同名的两个园区不会合并，请核对园区名称"
            )
        if found is not None and found[3] != read.park:
            plan.renamed_from = found[3]
        plan.park_id = by_name[0]
    elsewhere = s.execute(
        q.same_file_elsewhere(read.file_hash, -1 if plan.park_id is None else plan.park_id)
    ).fetchone()
    if elsewhere is not None:
        # one park's registry given again under another's name: its units counted twice
        raise ValueError(
            f"《{read.path.name}》与已汇总的“{elsewhere[0]}”{elsewhere[1]}报送是同一个文件，"
            f"不能再作为“{read.park}”的报送：请核对园区"
        )
    if plan.park_id is None:
        return plan
    current = s.execute(q.current_submission(plan.park_id, read.quarter.code)).first()
    if current is None:
        return plan
    if current[1] == read.file_hash and not plan.renamed_from:
        plan.same_file = True
        return plan
    plan.replaces, plan.replaced_imported_at = current[0], current[2]
    _diff(plan, [tuple(r) for r in s.execute(q.unit_facts(current[0]))])
    return plan


def _key(uscc: str, name: str) -> str:
    return uscc or f"名称:{name}"


def _facts(unit: SubmittedUnit) -> tuple[Any, ...]:
    return tuple(getattr(unit, k) for k in _FACTS)


def _stored(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # booleans as SQLite gives them back (0/1) compared as booleans
    return tuple(
        bool(v) if k in ("in_base", "looked_after", "investor_is_member") and v is not None else v
        for k, v in zip(_FACTS, row, strict=True)
    )


def _diff(plan: FilePlan, old_rows: list[tuple[Any, ...]]) -> None:
    old = {_key(r[0], r[1]): _stored(tuple(r)) for r in old_rows}
    new = {_key(u.uscc, u.name): _facts(u) for u in plan.read.units}
    changes: list[UnitChange] = []
    for key, facts in new.items():
        before = old.get(key)
        if before is None:
            plan.added += 1
            changes.append(UnitChange("added", facts[1], facts[0], ""))
        elif before != facts:
            plan.changed += 1
            what = "；".join(
                f"{_FACT_LABELS.get(k, k)}：{_shown(a)} → {_shown(b)}"
                for k, a, b in zip(_FACTS, before, facts, strict=True)
                if a != b
            )
            changes.append(UnitChange("changed", facts[1], facts[0], what))
    for key, facts in old.items():
        if key not in new:
            plan.removed += 1
            changes.append(UnitChange("removed", facts[1], facts[0], ""))
    plan.changes = changes[:SHOWN_CHANGES]


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass(frozen=True, slots=True)
class CountyImportResult:
    summary: str
    imported: int  # submissions written
    units: int


def apply_county_import(db: Database, preview: CountyPreview) -> CountyImportResult:
    """Write what the preview showed, planned again against the database as it is now
    (another import may have come between): one transaction, one change to undo."""
    from app.db.models import CountySubmission, CountyUnit
    from app.services.files.audit import Change, snapshot
    from app.services.workbooks.bulk_writes import insert_logged, next_id

    require_county(db)
    written = units = 0
    with db.session() as s:
        plans = [_plan(s, p.read) for p in preview.files]
        # oldest quarter first: a park renamed in between ends named as its newest names it
        todo = sorted((p for p in plans if p.status != "unchanged"), key=lambda p: p.read.quarter)
        if not todo:
            return CountyImportResult("没有需要导入的新报送", 0, 0)
        names = "、".join(f"{p.read.park}{p.read.quarter.code}" for p in todo)
        change = Change(s, f"汇总导入报送：{names}"[:300])
        made: dict[str, Any] = {}  # the parks new in this command, by identity
        for plan in todo:
            r = plan.read
            park = _park_of(s, change, plan, made)
            if plan.replaces is not None:
                old = s.get(CountySubmission, plan.replaces)
                assert old is not None
                before = snapshot(old)
            submission = CountySubmission(
                park_id=park.id,
                quarter=r.quarter.code,
                source=r.source.value,
                file_name=r.path.name[:300],
                file_hash=r.file_hash,
                sheet=r.sheet[:100],
                exported_at=r.exported_at,
                units=len(r.units),
                assessment_period=r.assessment_period,
                excellent=r.excellent,
            )
            s.add(submission)
            change.created(submission)
            if plan.replaces is not None:
                old.replaced_by = submission.id
                change.updated(old, before)
            table = CountyUnit.__table__
            start = next_id(s, table)
            rows = [
                (
                    start + i,
                    submission.id,
                    u.sheet_row,
                    u.uscc,
                    u.name,
                    u.kind,
                    u.formation,
                    u.party_org,
                    int(u.in_base),
                    u.formal_members,
                    u.probationary_members,
                    u.activists,
                    None if u.investor_is_member is None else int(u.investor_is_member),
                    int(u.looked_after),
                    u.class_code,
                )
                for i, u in enumerate(r.units)
            ]
            insert_logged(s, change, table, list(q.UNIT_COLUMNS), rows)
            written += 1
            units += len(rows)
    return CountyImportResult(f"已汇总{written}份报送，共{units}个单位：{names}", written, units)


def _park_of(s: Any, change: Any, plan: FilePlan, made: dict[str, Any]) -> Any:
    """The park ``plan``'s submission is written to: the one it matched, renamed as its
    file names it, or a new one, made once for all its quarters in this command (the
    plans come oldest quarter first: a park ends named as its newest quarter names it)."""
    from sqlalchemy import select

    from app.db.models import Park
    from app.services.files.audit import snapshot

    r = plan.read
    key = r.park_uuid or park_key(r.park)
    if plan.park_id is None and key not in made:
        park = Park(
            name=r.park,
            reporting_unit=r.reporting_unit[:200],
            level=ParkLevel.PARK.value,
            source_uuid=r.park_uuid,
        )
        s.add(park)
        change.created(park)
        made[key] = park
        return park
    if plan.park_id is None:
        park = made[key]
    else:
        park = s.scalars(select(Park).where(Park.id == plan.park_id)).one()
    before = snapshot(park)
    park.name = r.park
    park.reporting_unit = r.reporting_unit[:200] or park.reporting_unit
    if r.park_uuid and not park.source_uuid:
        park.source_uuid = r.park_uuid
    change.updated(park, before)
    return park
