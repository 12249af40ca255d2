"""The registry as an import compares against it, and each row's difference
from it: new, changed (with old → new) or unchanged. Organizations are matched
by credit code, then by exact name (NFKC, no spaces); a new one without a code
whose name differs only in company forms and punctuation is flagged as a
likely duplicate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from app.domain.vocabulary import CodeConflictChoice, Formation
from app.exchange.import_source import ORG_KEY_COLUMNS, ORG_ROW_COLUMNS, ImportSource
from app.exchange.own_sheets import People
from app.exchange.plans import (
    BOOL_FIELDS,
    DATE_FIELDS,
    LINK_FIELDS,
    NEVER_CLEARED,
    ORG_FIELDS,
    CodeConflict,
    RowError,
    RowPlan,
)


def name_key(name: str) -> str:
    """Exact-name matching: NFKC, no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


_LOOSE = re.compile(r"[\s()（）·,，.。-]|有限责任公司|股份有限公司|有限公司|公司")


def loose_key(name: str) -> str:
    """For likely duplicates: the name without company forms and punctuation."""
    return _LOOSE.sub("", unicodedata.normalize("NFKC", name))


_AT = {name: i for i, name in enumerate(ORG_ROW_COLUMNS)}
_DATE_AT = {key: _AT[key] for key in DATE_FIELDS}
_PLAIN_AT = {key: at for key, at in _AT.items() if key not in _DATE_AT}


@dataclass
class RegistryView:
    """The registry as the import compares against it.

    Rows are kept as the database gave them and turned into dicts only for the
    organizations the sheet matches: most rows of a big import are new. The rows
    matched are read through ``rows_of`` (the service's, handed in).
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
    rows_of: Callable[[list[int]], Iterable[tuple[Any, ...]]]
    people: People = field(default_factory=lambda: People({}, {}))
    _rows: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    _orgs: dict[int, dict[str, Any]] = field(default_factory=dict)
    _loose: dict[str, str] | None = None

    def fetch(self, ids: list[int]) -> None:
        """Read the full rows of the organizations the sheet matched, in one go."""
        wanted = [i for i in ids if i not in self._rows]
        if not wanted:
            return
        at_id = _AT["id"]
        self._rows.update((row[at_id], row) for row in self.rows_of(wanted))

    def org(self, org_id: int) -> dict[str, Any]:
        """One organization as import values: booleans, dates, link names."""
        hit = self._orgs.get(org_id)
        if hit is not None:
            return hit
        if org_id not in self._rows:
            self.fetch([org_id])
        row = dict(zip(ORG_ROW_COLUMNS, self._rows[org_id], strict=True))
        for key in BOOL_FIELDS:
            if row[key] is not None:
                row[key] = bool(row[key])
        for key in DATE_FIELDS:
            if row[key]:
                row[key] = date.fromisoformat(row[key])
        row["party_org"] = self.po_names.get(row["party_org_id"], "")
        row["cluster"] = self.cluster_names.get(row["cluster_id"], "")
        row["instructor"] = self.assigned.get(org_id, [])
        self._orgs[org_id] = row
        return row

    def stored_row(self, org_id: int) -> tuple[Any, ...]:
        """The organization's row as the database gave it (columns as ``ORG_ROW_COLUMNS``)."""
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


# an organization's keys, picked from its full row
_KEYS = itemgetter(*(_AT[k] for k in ORG_KEY_COLUMNS))


def load_registry(source: ImportSource, rows_at_most: int = 0) -> RegistryView:
    """The registry as ``source`` gives it; whole rows too when a sheet of up to
    ``rows_at_most`` rows may match most organizations: their keys are then picked
    from the one scan rather than read by a scan of their own."""
    stored = source.registry(rows_at_most)
    po = {name: (pid, Formation(formation)) for pid, name, formation in stored.party_orgs}
    clusters = dict(stored.clusters)
    instructors: dict[str, int] = {}
    people = People({}, {})
    for iid, uuid, name in stored.instructors:
        instructors.setdefault(name, iid)
        people.by_uuid[uuid] = iid
        people.by_name.setdefault(name, []).append(iid)
    assigned: dict[int, list[str]] = {}
    for org_id, name in stored.assigned:
        assigned.setdefault(org_id, []).append(name)
    full = stored.organizations if stored.whole else []
    keys = list(map(_KEYS, full)) if stored.whole else stored.organizations
    units: dict[int, set[int]] = {}
    own_units: dict[int, set[int]] = {}
    own = Formation.OWN.value
    for org_id, _code, _name, formation, pid in keys:
        if pid:
            units.setdefault(pid, set()).add(org_id)
            if formation == own:
                own_units.setdefault(pid, set()).add(org_id)
    return RegistryView(
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
        rows_of=source.organization_rows,
        people=people,
        _rows={row[_AT["id"]]: row for row in full},
    )


def _comparable(key: str, value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, date):
        return value.value  # enums compare by code
    return value


def existing_id(registry: RegistryView, values: dict[str, Any]) -> int | None:
    """The registered organization a row describes: by credit code, else by name
    (whether or not the codes agree: see ``code_conflict``)."""
    code = values.get("uscc")
    if code and code in registry.by_uscc:
        return registry.by_uscc[code]
    name = values.get("name")
    if name:
        return registry.by_name.get(name_key(name))
    return None


def code_conflict(
    registry: RegistryView, values: dict[str, Any], org_id: int
) -> CodeConflict | None:
    """A row matched by name to an organization registered with another credit
    code. A code is an identity: a name is no reason to replace it. (A code match
    with another name is a rename; a registered organization without a code may
    take the sheet's.)"""
    code = values.get("uscc")
    if not code:
        return None
    stored = registry.stored_row(org_id)[_AT["uscc"]]
    if not stored or stored == code:
        return None
    return CodeConflict(org_id, registry.name_of(org_id), stored, code)


def conflict_error(plan: RowPlan, column: str) -> RowError:
    c = plan.conflict
    assert c is not None
    return RowError(
        plan.row,
        column,
        c.sheet_uscc,
        "uscc_conflict",
        f"已登记 {c.stored_uscc}，表中 {c.sheet_uscc}：名称与已登记的“{c.stored_name}”相同"
        "而信用代码不同，请确认是否同一组织",
    )


def settle_conflict(
    plan: RowPlan, registry: RegistryView, choice: CodeConflictChoice, blank_clears: bool
) -> None:
    """Plan a conflict row as the clerk decided: the registered organization
    keeps its code or takes the sheet's (a change shown old → new), or the row
    is another organization."""
    c = plan.conflict
    assert c is not None
    choice = c.choice = CodeConflictChoice(choice)
    plan.errors = []
    if choice is CodeConflictChoice.SEPARATE:
        plan.org_id = None
        plan.status = "new"
        plan.warnings.append(f"与已登记的“{c.stored_name}”（{c.stored_uscc}）同名，按另一组织登记")
        return
    plan.org_id = c.org_id
    if choice is CodeConflictChoice.KEEP_STORED:
        del plan.values["uscc"]
        plan.uscc = c.stored_uscc
    plan_against_registry(plan, registry, blank_clears)
    if choice is CodeConflictChoice.KEEP_STORED:
        plan.warnings.append(f"表中的代码 {c.sheet_uscc} 未采用，保留已登记的 {c.stored_uscc}")


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


def plan_against_registry(plan: RowPlan, registry: RegistryView, blank_clears: bool) -> None:
    """Mark a good row new, changed (with each field's old and new value) or
    unchanged; a blank cell counts as a change only when ``blank_clears``."""
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
            if key in values or key in NEVER_CLEARED:
                continue
            if current.get(key) not in (None, "", []):
                plan.changes.append((key, current.get(key), None))
    plan.status = "changed" if plan.changes else "unchanged"
