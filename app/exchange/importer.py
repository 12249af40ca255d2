"""Import a registry workbook: read → find the header → normalise → validate →
compare with the registry → preview; then apply all good rows in one
transaction after a backup, or nothing.

Organizations are matched by credit code, then by exact name. Blank cells
never wipe what the registry holds unless the clerk asks for it. A party
organization, instructor or cluster named in the sheet that does not exist
yet is created with the import.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from app.db.by_ids import rows_by_ids
from app.db.database import Database
from app.domain.validation import formation_fits
from app.domain.vocabulary import Formation, PartyOrgLevel
from app.exchange.columns import column_readers, read_rows
from app.exchange.fields import BY_KEY
from app.exchange.layout import Layout, find_layout
from app.exchange.reader import (
    Sheet,
    Workbook,
    WorkbookError,
    locate_errors,
    open_workbook,
    scan_xlsx_errors,
)
from app.gc_pause import collector_paused

Progress = Callable[[int, int], None]

# fields written to the organization row itself (the others are links)
ORG_FIELDS = (
    "name",
    "uscc",
    "kind",
    "social_subtype",
    "industry",
    "scale",
    "employees",
    "legal_rep",
    "investor",
    "investor_is_member",
    "address",
    "zone",
    "building",
    "contact",
    "phone",
    "founded",
    "formal_members",
    "probationary_members",
    "activists",
    "formation",
    "no_party_org_reason",
    "class_code",
    "is_cluster_leader",
    "has_union",
    "has_youth_league",
    "has_women_org",
    "status",
    "status_date",
    "in_base",
    "base_reason",
    "notes",
)
_BOOLS = (
    "investor_is_member",
    "has_union",
    "has_youth_league",
    "has_women_org",
    "in_base",
    "is_cluster_leader",
)
LINK_FIELDS = ("party_org", "instructor", "cluster")
# required or yes/no-with-a-default: a blank cell cannot mean "clear" for these
_NEVER_CLEARED = {"name", "kind", "status", "formation", "in_base", "is_cluster_leader"}

FIELD_LABELS = {f.key: f.template_header for f in BY_KEY.values()} | {
    "class_code": "分类",
    "social_subtype": "社会组织类别",
}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(slots=True)
class RowPlan:
    row: int  # as Excel shows it
    status: str  # new | changed | unchanged | bad
    name: str = ""
    uscc: str = ""
    org_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw: list[object] = field(default_factory=list)  # the cells as the sheet has them


@dataclass
class ImportPreview:
    path: Path
    file_hash: str
    sheet: str
    sheet_names: list[str]
    layout: Layout
    rows: list[RowPlan]
    new_party_orgs: dict[str, Formation] = field(default_factory=dict)
    new_instructors: list[str] = field(default_factory=list)
    new_clusters: list[str] = field(default_factory=list)
    blank_clears: bool = False
    already_imported: datetime | None = None
    own_sheets: Any = None  # OwnSheets when the file is ParkDesk's own export

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def good_rows(self) -> int:
        return sum(1 for r in self.rows if r.status != "bad")

    @property
    def writes(self) -> bool:
        """Whether applying writes anything but the log (not so for the same file
        again): only then is a backup taken first."""
        return bool(
            any(r.status in ("new", "changed") for r in self.rows)
            or self.new_party_orgs
            or self.new_instructors
            or self.new_clusters
            or self.own_sheets is not None
        )


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    bad: int
    change_id: str
    backup: Path | None


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def name_key(name: str) -> str:
    """Exact-name matching: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


_LOOSE = re.compile(r"[\s()（）·,，.。-]|有限责任公司|股份有限公司|有限公司|公司")


def loose_key(name: str) -> str:
    """For likely duplicates: the name without company forms and punctuation."""
    return _LOOSE.sub("", unicodedata.normalize("NFKC", name))


def party_org_level(name: str) -> PartyOrgLevel:
    if "总支" in name:
        return PartyOrgLevel.GENERAL_BRANCH
    if "支部" in name:
        return PartyOrgLevel.BRANCH
    if "党委" in name or name.endswith("委员会"):
        return PartyOrgLevel.COMMITTEE
    return PartyOrgLevel.BRANCH


# -- choosing the sheet ------------------------------------------------------


def _pick_sheet(wb: Workbook, wanted: str | None) -> tuple[Sheet, Layout]:
    if wanted is not None:
        if wanted not in wb.sheet_names:
            names = "、".join(wb.sheet_names)
            raise WorkbookError(f"工作簿中没有名为“{wanted}”的工作表（有：{names}）")
        sheet = wb.sheet(wb.sheet_names.index(wanted))
        layout = find_layout(sheet)
        if layout is None:
            raise WorkbookError(f"工作表“{wanted}”里找不到登记表的表头（至少要有组织名称一列）")
        return sheet, layout
    best: tuple[int, Sheet, Layout] | None = None
    for index, _name in enumerate(wb.sheet_names):
        sheet = wb.sheet(index)
        layout = find_layout(sheet)
        if layout is None:
            continue
        score = len(layout.fields) * 10_000 + len(layout.data_rows)
        if best is None or score > best[0]:
            best = (score, sheet, layout)
    if best is None:
        raise WorkbookError(
            f"“{wb.path.name}”的各工作表中都找不到登记表的表头（需要有“组织名称”或“单位名称”等列）"
        )
    return best[1], best[2]


# -- the registry as it is now -------------------------------------------------


_ORG_COLUMNS = (*ORG_FIELDS, "id", "party_org_id", "cluster_id")
_AT = {name: i for i, name in enumerate(_ORG_COLUMNS)}
_DATE_AT = {key: _AT[key] for key in ("founded", "status_date")}
_PLAIN_AT = {key: at for key, at in _AT.items() if key not in _DATE_AT}


@dataclass
class _Registry:
    """The registry as the import compares against it.

    Rows are kept as sqlite3 gave them and turned into dicts only for the
    organizations the sheet matches: most rows of a big import are new.
    """

    by_uscc: dict[str, int]
    by_name: dict[str, int]
    names: dict[int, str]
    formations: dict[int, str]
    po_names: dict[int, str]
    cluster_names: dict[int, str]
    assigned: dict[int, list[str]]
    party_orgs: dict[str, tuple[int, Formation]]
    units_of_party_org: dict[int, set[int]]
    own_units_of_party_org: dict[int, set[int]]
    instructors: dict[str, int]
    clusters: dict[str, int]
    db: Database
    _rows: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    _orgs: dict[int, dict[str, Any]] = field(default_factory=dict)
    _loose: dict[str, str] | None = None

    def fetch(self, ids: list[int]) -> None:
        """Read the full rows of the organizations the sheet matched, in one go."""
        wanted = [i for i in ids if i not in self._rows]
        if not wanted:
            return
        sql = f"SELECT {', '.join(_ORG_COLUMNS)} FROM organization"
        with self.db.read_connection() as conn:
            if len(wanted) > len(self.names) // 4:
                found = conn.execute(sql).fetchall()  # most of them: one scan is quicker
            else:
                found = list(rows_by_ids(conn, "organization", list(_ORG_COLUMNS), wanted))
            at_id = _AT["id"]
            self._rows.update((row[at_id], row) for row in found)

    def fetch_all(self) -> None:
        self.fetch(list(self.names))

    def org(self, org_id: int) -> dict[str, Any]:
        """One organization as import values: booleans, dates, link names."""
        hit = self._orgs.get(org_id)
        if hit is not None:
            return hit
        if org_id not in self._rows:
            self.fetch([org_id])
        row = dict(zip(_ORG_COLUMNS, self._rows[org_id], strict=True))
        for key in _BOOLS:
            if row[key] is not None:
                row[key] = bool(row[key])
        for key in ("founded", "status_date"):
            if row[key]:
                row[key] = date.fromisoformat(row[key])
        row["party_org"] = self.po_names.get(row["party_org_id"], "")
        row["cluster"] = self.cluster_names.get(row["cluster_id"], "")
        row["instructor"] = self.assigned.get(org_id, [])
        self._orgs[org_id] = row
        return row

    def stored_row(self, org_id: int) -> tuple[Any, ...]:
        """The organization's row as sqlite3 gave it (columns as ``_ORG_COLUMNS``)."""
        if org_id not in self._rows:
            self.fetch([org_id])
        return self._rows[org_id]

    def differs(self, org_id: int, key: str, new: Any) -> bool:
        """Whether ``new`` differs from what the registry holds for the organization,
        compared with the stored row as it is (booleans as 0/1 and str enums as their
        codes compare equal; dates are stored as ISO text): a re-import of 10,000
        unchanged rows then builds no dicts."""
        row = self.stored_row(org_id)
        at = _PLAIN_AT.get(key)
        if at is not None:  # most values: stored as they are
            return bool(new != row[at])
        if key in _DATE_AT:
            return bool(row[_DATE_AT[key]] != new.isoformat())
        if key == "party_org":
            return self.po_names.get(row[_AT["party_org_id"]], "") != new
        if key == "cluster":
            return self.cluster_names.get(row[_AT["cluster_id"]], "") != new
        if key == "instructor":  # one more instructor named is a change; fewer is not
            have = self.assigned.get(org_id, [])
            return any(name not in have for name in new)
        return bool(_comparable(key, new) != _comparable(key, self.org(org_id).get(key)))

    def name_of(self, org_id: int) -> str:
        return self.names[org_id]

    def formation_of(self, org_id: int) -> str:
        return self.formations[org_id]

    def similar_name(self, name: str) -> str | None:
        """A registered name equal to ``name`` without company forms and punctuation."""
        if self._loose is None:
            self._loose = {loose_key(n): n for n in self.names.values()}
        return self._loose.get(loose_key(name))


def _load_registry(db: Database) -> _Registry:
    with db.read_connection() as conn:
        po = {
            name: (pid, Formation(formation))
            for pid, name, formation in conn.execute(
                "SELECT id, name, formation FROM party_organization"
            )
        }
        clusters = dict(conn.execute("SELECT name, id FROM cluster"))
        instructors: dict[str, int] = {}
        for iid, name in conn.execute("SELECT id, name FROM instructor ORDER BY active DESC, id"):
            instructors.setdefault(name, iid)
        assigned: dict[int, list[str]] = {}
        for org_id, name in conn.execute(
            "SELECT a.organization_id, i.name FROM assignment a JOIN instructor i"
            " ON i.id = a.instructor_id WHERE a.ended_on IS NULL OR a.ended_on >= ?",
            (date.today().isoformat(),),
        ):
            assigned.setdefault(org_id, []).append(name)
        keys = conn.execute(
            "SELECT id, uscc, name, formation, party_org_id FROM organization"
        ).fetchall()
    units: dict[int, set[int]] = {}
    own_units: dict[int, set[int]] = {}
    own = Formation.OWN.value
    for org_id, _code, _name, formation, pid in keys:
        if pid:
            units.setdefault(pid, set()).add(org_id)
            if formation == own:
                own_units.setdefault(pid, set()).add(org_id)
    return _Registry(
        by_uscc={code: i for i, code, _n, _f, _p in keys if code},
        by_name={name_key(name): i for i, _c, name, _f, _p in keys},
        names={i: name for i, _c, name, _f, _p in keys},
        formations={i: formation for i, _c, _n, formation, _p in keys},
        po_names={pid: name for name, (pid, _f) in po.items()},
        cluster_names={cid: name for name, cid in clusters.items()},
        assigned=assigned,
        party_orgs=po,
        units_of_party_org=units,
        own_units_of_party_org=own_units,
        instructors=instructors,
        clusters=clusters,
        db=db,
    )


# -- reading the rows ---------------------------------------------------------


def _comparable(key: str, value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, date):
        return value.value  # enums compare by code
    return value


@collector_paused()
def preview_import(
    db: Database,
    path: Path,
    sheet: str | None = None,
    mapping: dict[str, str | None] | None = None,
    blank_clears: bool = False,
    progress: Progress | None = None,
) -> ImportPreview:
    """What importing ``path`` would do, row by row. Writes nothing."""
    path = Path(path)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook") as pool:
        # calamine parses the sheet without holding the GIL (0.2 s for 10,000 rows):
        # meanwhile this thread reads what does not depend on the sheet
        reading = pool.submit(_read_and_pick, path, sheet)
        registry = _load_registry(db)
        if _worth_prefetching(path, registry):
            registry.fetch_all()
        # (given up as soon as the reading failed: a hostile file is told at once)
        errors_of = scan_xlsx_errors(
            path, lambda: reading.done() and reading.exception() is not None
        )
        wb, chosen, layout = reading.result()  # first: it says what is wrong with the file
    digest = file_hash(path)
    if mapping is None:
        mapping = load_mapping(db, layout.signature)
    if mapping:
        for col in layout.columns:
            if col.letter in mapping:
                col.field = mapping[col.letter] or None
    if "name" not in layout.fields:
        raise WorkbookError(f"工作表“{chosen.name}”没有对应“组织名称”的列，无法导入")
    from app.exchange.own_sheets import read_own_sheets

    own = read_own_sheets(wb)
    if own is not None:
        # assignments come with their dates from the 联系分工 sheet instead
        for col in layout.columns:
            if col.field == "instructor":
                col.field = None
    if errors_of is not None:
        errors_at = errors_of.get(chosen.index, set())
    else:
        errors_at = locate_errors(wb, chosen) if _may_hold_errors(chosen, layout) else set()
    preview = ImportPreview(
        path=path,
        file_hash=digest,
        sheet=chosen.name,
        sheet_names=wb.sheet_names,
        layout=layout,
        rows=[],
        blank_clears=blank_clears,
        already_imported=_already_imported(db, digest),
        own_sheets=own,
    )
    readers = column_readers(layout, registry.by_uscc)
    seen_codes: dict[str, int] = {}
    total = len(layout.data_rows)
    cells = read_rows(chosen.rows, layout.data_rows, readers, errors_at, progress)
    for r, (values, errors, bad_code) in zip(layout.data_rows, cells, strict=True):
        problems = [RowError(r + 1, header, e.shown, e.reason, e.message) for header, e in errors]
        code = values.get("uscc", "")
        plan = RowPlan(
            row=r + 1,
            status="bad",
            name=values.get("name", ""),
            uscc=code or bad_code,
            values=values,
            raw=chosen.rows[r],
        )
        if code and not problems:
            if code in seen_codes:
                col = layout.fields["uscc"]
                problems.append(
                    RowError(
                        r + 1,
                        col.header,
                        code,
                        "uscc_duplicate",
                        f"统一社会信用代码与第{seen_codes[code]}行重复（以第一行为准）",
                    )
                )
            else:
                seen_codes[code] = r + 1
        if not problems and "kind" not in values:
            from app.domain.uscc import kind_from_code

            implied = kind_from_code(code) if code else None
            if implied is None and not _existing(registry, values):
                problems.append(
                    RowError(
                        r + 1, "组织类型", "", "kind_unknown", "没有组织类型，也无法从信用代码判断"
                    )
                )
            elif implied is not None:
                values["kind"] = implied
        plan.errors = problems
        if not problems:
            plan.org_id = _existing(registry, values)
        preview.rows.append(plan)
    registry.fetch([p.org_id for p in preview.rows if p.org_id is not None])
    for plan in preview.rows:
        if not plan.errors:
            _plan_against_registry(plan, registry, blank_clears)
    _check_party_orgs(preview, registry)
    _collect_new_links(preview, registry)
    if progress is not None:
        progress(total, total)
    return preview


def _read_and_pick(path: Path, wanted: str | None) -> tuple[Workbook, Sheet, Layout]:
    wb = open_workbook(path)
    chosen, layout = _pick_sheet(wb, wanted)
    return wb, chosen, layout


# bytes of an xlsx per registry row, at least (30 columns compress to ~200 bytes)
_BYTES_PER_ROW = 100


def _worth_prefetching(path: Path, registry: _Registry) -> bool:
    """Whether the sheet is likely to match so many organizations that their rows
    are read in one scan anyway (see ``_Registry.fetch``)."""
    try:
        rows_at_most = path.stat().st_size // _BYTES_PER_ROW
    except OSError:
        return False
    return bool(registry.names) and rows_at_most > len(registry.names) // 4


def _may_hold_errors(sheet: Sheet, layout: Layout) -> bool:
    """Only worth a second look at the file when a mapped cell came back empty."""
    cols = [c.index for c in layout.columns if c.field]
    for r in layout.data_rows:
        row = sheet.rows[r]
        if any(c < len(row) and row[c] == "" for c in cols):
            return True
    return False


def _existing(registry: _Registry, values: dict[str, Any]) -> int | None:
    code = values.get("uscc")
    if code and code in registry.by_uscc:
        return registry.by_uscc[code]
    name = values.get("name")
    if name:
        return registry.by_name.get(name_key(name))
    return None


def _picker(items: list[Any]) -> Callable[[Any], Any]:
    """A tuple of the items (itemgetter, whatever their number)."""
    if not items:
        return lambda _x: ()
    if len(items) == 1:
        one = items[0]
        return lambda x: (x[one],)
    return itemgetter(*items)


@lru_cache(maxsize=256)
def _comparers(
    keys: tuple[str, ...],
) -> tuple[Callable[[Any], Any], Callable[[Any], Any], tuple[str, ...]]:
    """For rows giving ``keys``: the values stored as they are, picked from the
    row's values and from the stored row (compared as two tuples, in C), and the
    keys to compare one by one. Rows of one sheet mostly give the same keys."""
    plain = [k for k in keys if k in _PLAIN_AT]
    others = tuple(k for k in keys if k not in _PLAIN_AT)
    return _picker(plain), _picker([_PLAIN_AT[k] for k in plain]), others


def _plan_against_registry(plan: RowPlan, registry: _Registry, blank_clears: bool) -> None:
    values = plan.values
    org_id = plan.org_id
    if org_id is None:
        plan.status = "new"
        if not plan.uscc:
            similar = registry.similar_name(plan.name)
            if similar is not None:
                plan.warnings.append(
                    f"可能与已登记的“{similar}”是同一组织（名称写法不同，且没有信用代码）"
                )
        return
    current: dict[str, Any] | None = None  # the record as values, built on a difference only
    stored = registry.stored_row(org_id)
    sheet_side, stored_side, others = _comparers(tuple(values))
    if sheet_side(values) == stored_side(stored):
        # every value stored as it is (most of them) is unchanged: the rest one by one
        maybe = [(key, values[key]) for key in others]
    else:
        plain = _PLAIN_AT
        maybe = [
            (key, new)
            for key, new in values.items()
            if (at := plain.get(key)) is None or new != stored[at]
        ]
    for key, new in maybe:
        if not registry.differs(org_id, key, new):
            continue
        if current is None:
            current = registry.org(org_id)
        old = current.get(key)
        if key == "instructor":
            plan.changes.append((key, "、".join(old), "、".join(new)))
        else:
            plan.changes.append((key, old, _comparable(key, new)))
    if blank_clears:
        current = registry.org(org_id)
        for key in (*ORG_FIELDS, *LINK_FIELDS):
            if key in values or key in _NEVER_CLEARED:
                continue
            if current.get(key) not in (None, "", []):
                plan.changes.append((key, current.get(key), None))
    plan.status = "changed" if plan.changes else "unchanged"


def _check_party_orgs(preview: ImportPreview, registry: _Registry) -> None:
    """Conflicts between the sheet's formations and the party organizations named."""
    namers: dict[str, list[RowPlan]] = {}
    layout = preview.layout
    po_col = layout.fields.get("party_org")
    header = po_col.header if po_col else "所属党组织"
    for plan in preview.rows:
        if plan.status == "bad":
            continue
        po_name = plan.values.get("party_org")
        formation = plan.values.get("formation")
        if not po_name:
            continue
        if formation is Formation.NONE:
            _fail(
                plan, header, po_name, "formation_conflict", "组建方式为“未建”，却填写了所属党组织"
            )
            continue
        namers.setdefault(po_name, []).append(plan)
    for po_name, plans in namers.items():
        existing = registry.party_orgs.get(po_name)
        if existing is not None:
            pid, po_formation = existing
            for plan in plans:
                formation = plan.values.get("formation") or Formation(
                    registry.formation_of(plan.org_id) if plan.org_id else "none"
                )
                if formation is not Formation.NONE and not formation_fits(formation, po_formation):
                    _fail(
                        plan,
                        header,
                        po_name,
                        "formation_conflict",
                        f"“{po_name}”是{po_formation.label}的党组织，与本行组建方式“{formation.label}”不符",
                    )
                elif formation is Formation.OWN:
                    others = registry.own_units_of_party_org.get(pid, set()) - {plan.org_id}
                    if others:
                        other = registry.name_of(next(iter(others)))
                        _fail(
                            plan,
                            header,
                            po_name,
                            "party_org_conflict",
                            f"本行为单独组建，但“{po_name}”已是“{other}”单独组建的党组织",
                        )
            continue
        own = [p for p in plans if p.values.get("formation") is Formation.OWN]
        joint = [p for p in plans if p.values.get("formation") is Formation.JOINT]
        for extra in own[1:]:
            _fail(
                extra,
                header,
                po_name,
                "party_org_conflict",
                f"“{po_name}”已由第{own[0].row}行单独组建，不能再单独组建另一个单位",
            )
        if own and joint:
            for plan in joint:
                _fail(
                    plan,
                    header,
                    po_name,
                    "formation_conflict",
                    f"“{po_name}”在表中既是单独组建又是联合组建",
                )
        elif len(joint) == 1 and len(plans) == 1:
            # the other units may simply not be registered yet: a gap, not an error
            joint[0].warnings.append(
                f"联合党支部“{po_name}”在本表中只覆盖这一个单位，请补全它覆盖的其他单位"
            )
        survivors = [p for p in plans if p.status != "bad"]
        if survivors:
            formation = (
                Formation.OWN
                if any(p.values.get("formation") is Formation.OWN for p in survivors)
                else Formation.JOINT
                if any(p.values.get("formation") is Formation.JOINT for p in survivors)
                else Formation.ATTACHED
            )
            preview.new_party_orgs[po_name] = formation


def _fail(plan: RowPlan, column: str, value: str, reason: str, message: str) -> None:
    plan.errors.append(RowError(plan.row, column, value, reason, message))
    plan.status = "bad"
    plan.changes = []


def _collect_new_links(preview: ImportPreview, registry: _Registry) -> None:
    # dicts keep the sheet's order and look up in constant time
    instructors: dict[str, None] = {}
    clusters: dict[str, None] = {}
    for plan in preview.rows:
        if plan.status == "bad":
            continue
        for name in plan.values.get("instructor") or ():
            if name not in registry.instructors:
                instructors[name] = None
        cluster = plan.values.get("cluster")
        if cluster and cluster not in registry.clusters:
            clusters[cluster] = None
    preview.new_instructors = list(instructors)
    preview.new_clusters = list(clusters)


def _already_imported(db: Database, digest: str) -> datetime | None:
    with db.read_connection() as conn:
        row = conn.execute(
            "SELECT at FROM import_log WHERE file_hash = ? AND undone = 0 ORDER BY id DESC LIMIT 1",
            (digest,),
        ).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


# -- column mappings the clerk fixed -------------------------------------------


def load_mapping(db: Database, signature: str) -> dict[str, str | None]:
    with db.read_connection() as conn:
        row = conn.execute(
            "SELECT mapping FROM import_mapping WHERE signature = ?", (signature,)
        ).fetchone()
    return json.loads(row[0]) if row else {}


def save_mapping(db: Database, layout: Layout) -> None:
    from app.db.models import ImportMapping

    mapping = {c.letter: c.field or "" for c in layout.columns}
    with db.session() as s:
        row = s.get(ImportMapping, layout.signature)
        if row is None:
            s.add(ImportMapping(signature=layout.signature, mapping=json.dumps(mapping)))
        else:
            row.mapping = json.dumps(mapping)
            row.updated_at = datetime.now()
