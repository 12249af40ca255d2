"""编组共建 as use cases: keep a cluster (members, leader), record the leader's three
powers and the activity of a year, and list clusters with their figures and warnings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.database import Database
from app.db.models import Cluster, ClusterRecord, Organization
from app.db.queries import grouping as q
from app.domain.clusters import (
    allocation_issue,
    allocation_warning,
    ended_quarters,
    leader_warnings,
    nomination_issue,
    quarters_without_exchange,
    rhythm_warning,
    size_issues,
    spending_warning,
)
from app.domain.validation import FieldIssue, ValidationError
from app.domain.vocabulary import ClusterRecordKind, OrgClass
from app.gc_pause import collector_paused
from app.services.files.audit import Change, snapshot
from app.services.overview.overview_counts import ClusterCounts as ClusterCounts
from app.services.overview.overview_counts import cluster_counts
from app.services.registry.records import get_record

K = ClusterRecordKind
MONEY = (K.DUES_RETURNED, K.SPENDING)  # amounts in fen; the other kinds count


@dataclass(slots=True)
class ClusterDraft:
    name: str = ""
    formed_year: int | None = None
    notes: str = ""
    member_ids: list[int] = field(default_factory=list)
    leader_id: int | None = None


class Member(NamedTuple):
    """A cluster's member unit (a tuple: the page makes one for each of 2,891 leaders,
    a workbook one for each of 29,000 members; a frozen dataclass cost four times)."""

    id: int
    uscc: str | None
    name: str
    class_code: str | None
    party_org: str
    leader: bool

    @property
    def class_label(self) -> str:
        return OrgClass(self.class_code).label if self.class_code else ""


@dataclass(slots=True)
class YearFigures:
    """The three powers' figures of one cluster for one year."""

    dues_returned: int = 0  # fen
    spent: int = 0
    quota: int | None = None
    allocated: int = 0
    recruited: int = 0
    places: int = 0
    nominated: int = 0

    @property
    def balance(self) -> int:
        return self.dues_returned - self.spent


class _SearchNames:
    """Every cluster's member names, one per line, for the page's search: the list shows
    counts, not names, so they are read (one grouped read for all the clusters listed
    together) when a row is first searched, not with the list."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.by_cluster: dict[int, str] | None = None

    def of(self, cluster_id: int) -> str:
        if self.by_cluster is None:
            with self.db.read_connection() as conn:
                self.by_cluster = dict(conn.execute(q.NAMES_SQL).fetchall())
        return self.by_cluster.get(cluster_id, "")


@dataclass(slots=True)
class ClusterRow:
    id: int
    uuid: str
    name: str
    formed_year: int | None
    notes: str
    member_count: int
    leader: Member | None
    figures: YearFigures
    warnings: list[str]
    names: _SearchNames = field(repr=False, compare=False)
    member_list: list[Member] | None = field(default=None, repr=False, compare=False)
    # the year's places given to units without activists (the leader's warnings aside)
    allocation_warnings: list[str] = field(default_factory=list)
    search_cache: str | None = field(default=None, repr=False, compare=False)

    @property
    def members(self) -> list[Member]:
        """The members, the leader first, then by name: read when first asked (the page
        lists 2,891 clusters by their counts; it opens one at a time)."""
        if self.member_list is None:
            self.member_list = cluster_members(self.names.db, [self.id]).get(self.id, [])
        return self.member_list

    @property
    def search_text(self) -> str:
        """The name and the members' names, casefolded: read at the first search."""
        if self.search_cache is None:
            self.search_cache = f"{self.name}\n{self.names.of(self.id)}".casefold()
        return self.search_cache

    @property
    def warning_text(self) -> str:
        return "；".join(self.warnings)


def _issues(s: Session, draft: ClusterDraft, cluster_id: int | None) -> list[FieldIssue]:
    issues = []
    name = draft.name.strip()
    if not name:
        issues.append(FieldIssue("name", "编组名称不能为空", "name_missing"))
    clash = s.scalar(
        select(Cluster.id).where(Cluster.name == name, Cluster.id != (cluster_id or -1))
    )
    if name and clash is not None:
        issues.append(FieldIssue("name", "已有同名编组", "name_duplicate"))
    if draft.leader_id is not None and draft.leader_id not in draft.member_ids:
        issues.append(FieldIssue("leader", "组长单位须是编组成员", "leader_outside"))
    if draft.member_ids:
        elsewhere = s.execute(
            select(Organization.name, Cluster.name)
            .join(Cluster, Cluster.id == Organization.cluster_id)
            .where(Organization.id.in_(draft.member_ids), Cluster.id != (cluster_id or -1))
        ).all()
        for unit, other in elsewhere:
            message = f"“{unit}”已在编组“{other}”中（一个单位只能在一个编组）"
            issues.append(FieldIssue("members", message, "member_elsewhere"))
    return issues


def _set_members(s: Session, change: Change, cluster: Cluster, draft: ClusterDraft) -> None:
    wanted = set(draft.member_ids)
    now_in = s.scalars(select(Organization).where(Organization.cluster_id == cluster.id)).all()
    joining = s.scalars(select(Organization).where(Organization.id.in_(wanted))).all()
    for org in {*now_in, *joining}:
        before = snapshot(org)
        org.cluster_id = cluster.id if org.id in wanted else None
        org.is_cluster_leader = org.id == draft.leader_id
        change.updated(org, before)


def save_cluster(db: Database, draft: ClusterDraft, cluster_id: int | None = None) -> int:
    """Create (``cluster_id`` None) or update a cluster with its members and leader."""
    with db.session() as s:
        issues = _issues(s, draft, cluster_id)
        if issues:
            raise ValidationError(issues)
        cluster = Cluster() if cluster_id is None else get_record(s, Cluster, cluster_id)
        before = snapshot(cluster) if cluster_id is not None else None
        cluster.name, cluster.formed_year = draft.name.strip(), draft.formed_year
        cluster.notes = draft.notes.strip()
        change = Change(s, f"{'新增' if before is None else '修改'}编组“{cluster.name}”")
        if before is None:
            s.add(cluster)
            change.created(cluster)
        else:
            change.updated(cluster, before)
        _set_members(s, change, cluster, draft)
        return cluster.id


def create_cluster(db: Database, draft: ClusterDraft) -> int:
    return save_cluster(db, draft)


def update_cluster(db: Database, cluster_id: int, draft: ClusterDraft) -> None:
    save_cluster(db, draft, cluster_id)


def get_draft(db: Database, cluster_id: int) -> ClusterDraft:
    with db.reading() as s:
        c = get_record(s, Cluster, cluster_id)
        members = s.scalars(select(Organization).where(Organization.cluster_id == c.id)).all()
        leader = next((m.id for m in members if m.is_cluster_leader), None)
        return ClusterDraft(c.name, c.formed_year, c.notes, [m.id for m in members], leader)


def delete_cluster(db: Database, cluster_id: int) -> None:
    """For a cluster entered by mistake: its units leave it, its records go (undoable)."""
    with db.session() as s:
        cluster = get_record(s, Cluster, cluster_id)
        change = Change(s, f"删除编组“{cluster.name}”")
        _set_members(s, change, cluster, ClusterDraft())
        records = select(ClusterRecord).where(ClusterRecord.cluster_id == cluster.id)
        for record in sorted(s.scalars(records).all(), key=lambda r: r.parent_id is None):
            change.deleted(record)  # nominations before their awards
        change.deleted(cluster)


# -- the year's records ------------------------------------------------------------
@dataclass(slots=True)
class RecordDraft:
    kind: ClusterRecordKind
    year: int
    dated: date | None = None
    organization_id: int | None = None
    parent_id: int | None = None  # the award a nomination is for
    amount: int | None = None  # fen; members; places; by kind
    second_amount: int | None = None  # recruited; rank among clusters
    title: str = ""  # purpose; award; person nominated
    text: str = ""  # what was reported; comments
    score: str = ""
    honoured: bool = False
    attachment: str = ""  # a kept file's name (services/attachments.keep_file)


def _sum(s: Session, cluster_id: int, year: int, kind: ClusterRecordKind, **where: object) -> int:
    stmt = select(func.coalesce(func.sum(ClusterRecord.amount), 0)).where(
        ClusterRecord.cluster_id == cluster_id,
        ClusterRecord.year == year,
        ClusterRecord.kind == kind.value,
    )
    for column, value in where.items():
        stmt = stmt.where(getattr(ClusterRecord, column) == value)
    return int(s.scalar(stmt) or 0)


def _record_issues(s: Session, cluster_id: int, d: RecordDraft) -> tuple[list[FieldIssue], str]:
    """What refuses the record, and a warning to say with it (spending past the balance)."""
    issues: list[FieldIssue] = []
    if d.kind in (K.DUES_RETURNED, K.SPENDING, K.QUOTA, K.AWARD) and not (d.amount or 0) > 0:
        issues.append(FieldIssue("amount", "请填写大于0的数额", "amount_missing"))
    issues += size_issues(d.kind in MONEY, d.amount, d.second_amount)
    if issues:  # a number past the limits is not summed with the year's (it would overflow)
        return issues, ""
    if d.kind in (K.ALLOCATION, K.NOMINATION) and d.organization_id is None:
        issues.append(FieldIssue("organization", "请选择编组内的单位", "unit_missing"))
    if d.organization_id is not None:
        org = get_record(s, Organization, d.organization_id)
        if org.cluster_id != cluster_id:
            issues.append(FieldIssue("organization", f"“{org.name}”不是本编组成员", "unit_outside"))
    warning = ""
    if d.kind is K.QUOTA and d.amount:
        allocated = _sum(s, cluster_id, d.year, K.ALLOCATION)
        if d.amount < allocated:
            message = f"本编组当年已分配{allocated}名，指标不能少于已分配的名额"
            issues.append(FieldIssue("amount", message, "quota_below_allocated"))
    if d.kind is K.SPENDING and d.amount:
        balance = _sum(s, cluster_id, d.year, K.DUES_RETURNED) - _sum(
            s, cluster_id, d.year, K.SPENDING
        )
        warning = spending_warning(balance, d.amount)
    if d.kind is K.ALLOCATION and d.organization_id is not None:
        quota_row = s.scalar(
            select(ClusterRecord.amount).where(
                ClusterRecord.cluster_id == cluster_id,
                ClusterRecord.year == d.year,
                ClusterRecord.kind == K.QUOTA.value,
            )
        )
        others = _sum(s, cluster_id, d.year, K.ALLOCATION) - _sum(
            s, cluster_id, d.year, K.ALLOCATION, organization_id=d.organization_id
        )
        issue = allocation_issue(quota_row, others, d.amount or 0)
        if issue is not None:
            issues.append(issue)
        unit = get_record(s, Organization, d.organization_id)
        warning = allocation_warning(unit.name, d.amount, unit.activists)
    if d.kind is K.NOMINATION:
        award = get_record(s, ClusterRecord, d.parent_id) if d.parent_id else None
        if award is None or award.kind != K.AWARD.value:
            issues.append(FieldIssue("award", "请选择推荐的奖项", "award_missing"))
        else:
            nominated = s.scalar(
                select(func.count())
                .select_from(ClusterRecord)
                .where(ClusterRecord.parent_id == award.id)
            )
            issue = nomination_issue(award.amount or 0, int(nominated or 0))
            if issue is not None:
                issues.append(issue)
    return issues, warning


def add_record(db: Database, cluster_id: int, draft: RecordDraft) -> str:
    """Record one of the year's three powers or activities; a quota or an allocation
    replaces the one before (one quota a year, one allocation a unit). Returns a
    warning to show (spending past the balance, a place to a unit without activists),
    empty when there is none."""
    with db.session() as s:
        cluster = get_record(s, Cluster, cluster_id)
        issues, warning = _record_issues(s, cluster_id, draft)
        if issues:
            raise ValidationError(issues)
        change = Change(s, f"编组“{cluster.name}”{draft.year}年：{draft.kind.label}")
        if draft.kind in (K.QUOTA, K.ALLOCATION):
            replaced = select(ClusterRecord).where(
                ClusterRecord.cluster_id == cluster_id,
                ClusterRecord.year == draft.year,
                ClusterRecord.kind == draft.kind.value,
                ClusterRecord.organization_id.is_(draft.organization_id)
                if draft.organization_id is None
                else ClusterRecord.organization_id == draft.organization_id,
            )
            for old in s.scalars(replaced).all():
                change.deleted(old)
        record = ClusterRecord(cluster_id=cluster_id, **{**asdict(draft), "kind": draft.kind.value})
        s.add(record)
        change.created(record)
        return warning


@dataclass(frozen=True, slots=True)
class RecordRow:
    id: int
    kind: ClusterRecordKind
    dated: date | None
    unit: str
    amount: int | None
    second_amount: int | None
    title: str
    text: str
    score: str
    honoured: bool
    parent_id: int | None
    attachment: str


def list_records(db: Database, cluster_id: int, year: int) -> list[RecordRow]:
    """A cluster's records of one year, by kind and date."""
    with db.read_connection() as conn:
        rows = conn.execute(q.CLUSTER_RECORDS_SQL, (cluster_id, year)).fetchall()
    return [
        RecordRow(
            r[0],
            K(r[1]),
            date.fromisoformat(r[2]) if r[2] else None,
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            bool(r[9]),
            r[10],
            r[11],
        )
        for r in rows
    ]


def delete_record(db: Database, record_id: int) -> None:
    """A record entered by mistake (an award takes its nominations with it); undoable."""
    with db.session() as s:
        record = get_record(s, ClusterRecord, record_id)
        change = Change(s, f"删除编组记录：{K(record.kind).label}")
        for child in s.scalars(
            select(ClusterRecord).where(ClusterRecord.parent_id == record.id)
        ).all():
            change.deleted(child)
        change.deleted(record)


def cluster_members(db: Database, cluster_ids: list[int]) -> dict[int, list[Member]]:
    """The members of these clusters, the leader first, then by name."""
    out: dict[int, list[Member]] = {}
    with db.read_connection() as conn:
        for cid, *member in conn.execute(q.MEMBERS_SQL, (json.dumps(cluster_ids),)):
            member[-1] = bool(member[-1])
            out.setdefault(cid, []).append(Member(*member))
    return out


def list_clusters(
    db: Database, year: int | None = None, members: bool = False, today: date | None = None
) -> list[ClusterRow]:
    """Every cluster with its member count, its leader, the year's figures and warnings;
    the members themselves read when a row is first asked for them, or here for every
    cluster with ``members`` (a workbook, the command line: one read, not one a cluster)."""
    year = year or date.today().year
    with db.read_connection() as conn:
        listed = conn.execute(q.CLUSTER_LIST_SQL).fetchall()
        # cluster → (its year's figures in YearFigures' order, first dated, exchanges)
        sums = {row[0]: row[1:] for row in conn.execute(q.CLUSTER_YEAR_SQL, (year,))}
        unready: dict[int, list[str]] = {}
        for cid, unit, places, activists in conn.execute(
            q.ALLOCATIONS_WITHOUT_ACTIVISTS_SQL, (year,)
        ):
            unready.setdefault(cid, []).append(allocation_warning(unit, places, activists))
    rhythm = _rhythm(year, {row[0]: row[3] for row in listed}, sums, today or date.today())
    out: list[ClusterRow] = []
    names = _SearchNames(db)
    # 2,891 rows and their parts made, no cycles among them (gc_pause.py)
    member = Member._make  # tuple.__new__: the leader's columns as they come
    with collector_paused():
        for cid, uid, name, formed, notes, n, leader_id, *leading in listed:
            # the leader's uscc, name, class, party organization (then has one, dual)
            leader = None if leader_id is None else member((leader_id, *leading[:4], True))
            if out and out[-1].id == cid:  # another leader marked: the first by name leads
                _leads_instead(out[-1], leader, leading)
                continue
            s = sums.get(cid)
            f = YearFigures(*s[:7]) if s else YearFigures()  # none recorded that year
            later = unready.get(cid, []) + rhythm.get(cid, [])
            row = ClusterRow(cid, uid, name, formed, notes, n, leader, f, [], names, None, later)
            row.warnings = _warnings(row, leading)
            out.append(row)
    if members:
        every = cluster_members(db, [r.id for r in out])
        for row in out:
            row.member_list = every.get(row.id, [])
    return out


def _rhythm(
    year: int, formed: dict[int, int | None], sums: dict[int, tuple[Any, ...]], today: date
) -> dict[int, list[str]]:
    """Each cluster's ended quarters of ``year`` without its 每季交流 (衢州's rhythm): a
    cluster formed that year from its first record on, one formed later not at all.
    ``sums``: the year's grouped read, its first dated record and its exchanges' dates
    last. Clusters alike (most: formed before, no exchange yet) share one answer, worked
    out once: 2,891 clusters asked one by one were a third of the page's read."""
    out: dict[int, list[str]] = {}
    ended = ended_quarters(year, today)
    if not ended:
        return out
    answers: dict[tuple[str | None, str | None], list[str]] = {}
    for cid, formed_year in formed.items():
        if formed_year is not None and formed_year > year:
            continue
        first, exchanged = sums[cid][-2:] if cid in sums else (None, None)
        start = first if formed_year == year else None
        if formed_year == year and start is None:
            continue  # formed this year with nothing recorded yet: no rhythm to ask of it
        answer = answers.get((start, exchanged))
        if answer is None:
            days = [date.fromisoformat(d) for d in exchanged.split(",")] if exchanged else []
            active_from = date.fromisoformat(start) if start else None
            missing = quarters_without_exchange(year, days, active_from, ended)
            answer = answers[(start, exchanged)] = (
                [rhythm_warning(year, missing)] if missing else []
            )
        if answer:
            out[cid] = answer
    return out


def _warnings(row: ClusterRow, leading: list[Any]) -> list[str]:
    """The leadership's warnings (``leading``: the leader's columns, whether it has a
    party organization and its dual management last), a balance spent past zero and
    the year's places given to units without activists."""
    warnings = leader_warnings(row.leader is not None, bool(leading[-2]), bool(leading[-1]))
    if row.figures.balance < 0:
        warnings.append("组长单位支出超过党费返还结余")
    return [*warnings, *row.allocation_warnings]


def _leads_instead(row: ClusterRow, other: Member | None, leading: list[Any]) -> None:
    """Of two leaders marked in one cluster, the first by name (then the first entered)."""
    now = row.leader
    if other is not None and now is not None and (other.name, other.id) < (now.name, now.id):
        row.leader = other
        row.warnings = _warnings(row, leading)


_MONEY_KINDS = (K.DUES_RETURNED.value, K.SPENDING.value)


def record_cells(db: Database) -> list[list[Any]]:
    """Every record of every year as the 编组记录 sheet's cells (money in yuan)."""
    with db.read_connection() as conn:
        rows = conn.execute(q.RECORD_CELLS_SQL).fetchall()
    out = []
    for name, year, kind, on, unit, code, amount, second, *rest in rows:
        title, award, text, score, honoured = rest
        if amount is not None and kind in _MONEY_KINDS:
            amount = amount / 100
        day = date.fromisoformat(on) if on else None
        cells = [name, year, K(kind).label, day, unit, code, amount, second, title or None]
        out.append([*cells, award or None, text or None, score or None, "是" if honoured else None])
    return out


# 总览's figures, read with sqlite3 alone (app/services/overview/overview_counts.py)
counts = cluster_counts
