"""The party organizations a sheet names: conflicts with the formations given
and with the registry, and the party organizations, instructors and clusters
an import creates.
"""

from __future__ import annotations

from app.domain.rules import own_covers_too_many
from app.domain.validation import formation_fits
from app.domain.vocabulary import Formation, PartyOrgLevel
from app.exchange.plans import NOT_APPLIED, ImportPreview, RowError, RowPlan
from app.exchange.registry_diff import RegistryView


def party_org_level(name: str) -> PartyOrgLevel:
    if "总支" in name:
        return PartyOrgLevel.GENERAL_BRANCH
    if "支部" in name:
        return PartyOrgLevel.BRANCH
    if "党委" in name or name.endswith("委员会"):
        return PartyOrgLevel.COMMITTEE
    return PartyOrgLevel.BRANCH


def check_party_orgs(preview: ImportPreview, registry: RegistryView) -> None:
    """Conflicts between the sheet's formations and the party organizations named."""
    namers: dict[str, list[RowPlan]] = {}
    header = _header(preview)
    for plan in preview.rows:
        if plan.status in NOT_APPLIED:
            continue
        po_name = plan.values.get("party_org")
        if po_name and _names_none(plan, header, po_name):
            continue
        if po_name:
            namers.setdefault(po_name, []).append(plan)
    for po_name, plans in namers.items():
        if po_name in registry.party_orgs:
            for plan in plans:
                _check_registered(plan, header, po_name, registry)
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
        survivors = [p for p in plans if p.status not in NOT_APPLIED]
        if survivors:
            formation = (
                Formation.OWN
                if any(p.values.get("formation") is Formation.OWN for p in survivors)
                else Formation.JOINT
                if any(p.values.get("formation") is Formation.JOINT for p in survivors)
                else Formation.ATTACHED
            )
            preview.new_party_orgs[po_name] = formation


def _header(preview: ImportPreview) -> str:
    po_col = preview.layout.fields.get("party_org")
    return po_col.header if po_col else "所属党组织"


def _names_none(plan: RowPlan, header: str, po_name: str) -> bool:
    """A party organization named on a row whose formation is 未建 fails the row."""
    if plan.values.get("formation") is not Formation.NONE:
        return False
    _fail(plan, header, po_name, "formation_conflict", "组建方式为“未建”，却填写了所属党组织")
    return True


def _check_registered(plan: RowPlan, header: str, po_name: str, registry: RegistryView) -> None:
    """A row naming a registered party organization: its formation must fit, and
    an own organization covers one unit only."""
    pid, po_formation = registry.party_orgs[po_name]
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
    else:
        others = registry.own_units_of_party_org.get(pid, set()) - {plan.org_id}
        if others and own_covers_too_many(formation, 1 + len(others)):
            other = registry.name_of(next(iter(others)))
            _fail(
                plan,
                header,
                po_name,
                "party_org_conflict",
                f"本行为单独组建，但“{po_name}”已是“{other}”单独组建的党组织",
            )


def _fail(plan: RowPlan, column: str, value: str, reason: str, message: str) -> None:
    plan.errors.append(RowError(plan.row, column, value, reason, message))
    plan.status = "bad"
    plan.changes = []


def check_instructor_names(preview: ImportPreview, registry: RegistryView) -> None:
    """The 党建指导员 column names people: a name two registered instructors share
    cannot say which one looks after the unit. A name the unit already has is no
    change (and picks no one); a name it does not have stops the row, said in it."""
    ambiguous = {n for n, ids in registry.people.by_name.items() if len(ids) > 1}
    column = preview.layout.fields.get("instructor")
    if not ambiguous or column is None:
        return
    for plan in preview.rows:
        names = plan.values.get("instructor")
        if plan.status in NOT_APPLIED or not names or ambiguous.isdisjoint(names):
            continue
        have = registry.assigned.get(plan.org_id, []) if plan.org_id is not None else []
        plan.values["instructor"] = [n for n in names if n not in have or n not in ambiguous]
        for name in plan.values["instructor"]:
            if name in ambiguous:
                count = len(registry.people.by_name[name])
                _fail(
                    plan,
                    column.header,
                    name,
                    "instructor_ambiguous",
                    f"台账中有{count}名指导员叫“{name}”，无法确定是哪一位："
                    "请在“指导员”页为其中一位改名以便区分，或本列留空后在程序中指定",
                )
                break


def collect_new_links(preview: ImportPreview, registry: RegistryView) -> None:
    # dicts keep the sheet's order and look up in constant time
    instructors: dict[str, None] = {}
    clusters: dict[str, None] = {}
    for plan in preview.rows:
        if plan.status in NOT_APPLIED:
            continue
        for name in plan.values.get("instructor") or ():
            if name not in registry.instructors:
                instructors[name] = None
        cluster = plan.values.get("cluster")
        if cluster and cluster not in registry.clusters:
            clusters[cluster] = None
    preview.new_instructors = list(instructors)
    preview.new_clusters = list(clusters)
