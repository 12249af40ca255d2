"""The registry rules in SQL, built from the domain's constants (app/domain/rules.py,
app/domain/terms.py) each time a query is made: the figures and their lists, the
worklist and the registry say the same because they ask here, and changing a
rule's number changes all of them.

Aliases: ``o`` an organization, ``a`` an assignment, ``i`` its instructor,
``p`` a party organization; ``:today`` an ISO date.
"""

from __future__ import annotations

from typing import Any

from app.domain import classes, rules, terms, visits

# the assignment is in force on :today
ASSIGNMENT_IN_FORCE = "(a.ended_on IS NULL OR a.ended_on >= :today)"
# ... and its instructor is on duty: the unit is looked after (work coverage)
LOOKED_AFTER = f"i.active = 1 AND {ASSIGNMENT_IN_FORCE}"
# a formation is recorded but not the party organization that covers the unit
PARTY_ORG_MISSING = "o.formation != 'none' AND o.party_org_id IS NULL"
# an on-duty instructor's assignment reaches organization o today
REACHED = f"""EXISTS (
    SELECT 1 FROM assignment a JOIN instructor i ON i.id = a.instructor_id
    WHERE a.organization_id = o.id AND {LOOKED_AFTER})"""


def three_plus() -> str:
    """Enough formal members for an organization of its own (probationary ones do not count)."""
    return f"coalesce(o.formal_members, 0) >= {int(rules.THREE_MEMBERS)}"


def should_set_up() -> str:
    """应建未建: enough formal members and no organization of its own."""
    return f"({three_plus()} AND o.formation != 'own')"


def joint_too_large() -> str:
    """For ``GROUP BY p.id`` over the units of joint party organization p."""
    return f"count(*) > {int(rules.JOINT_MAX_UNITS)}"


def joint_too_small() -> str:
    """The same, a joint branch left with fewer units than it joins (after a detach)."""
    return f"count(*) < {int(rules.JOINT_MIN_UNITS)}"


def election_window_days() -> int:
    """A first cut for elections due soon, a few days wider than the rule (exact
    dates are checked in Python by terms.election_status)."""
    return int(terms.DUE_SOON_DAYS) + 5


def class_may_contradict() -> str:
    """A first cut of the units whose class the facts may contradict (domain/classes.py
    decides): no class, or an own organization on the wrong side of the A/B/C line."""
    own_classes = ", ".join(f"'{c.value}'" for c in sorted(classes.OWN_ORG_CLASSES))
    return f"(o.class_code IS NULL OR (o.formation = 'own') != (o.class_code IN ({own_classes})))"


def wants_pairing() -> str:
    """A class the worklist wants paired with a helper (C and D)."""
    wanted = ", ".join(f"'{c.value}'" for c in sorted(rules.WANT_PAIRING))
    return f"o.class_code IN ({wanted})"


# a pairing pr in force on :today
_PAIRING_IN_FORCE = "pr.started_on <= :today AND (pr.ended_on IS NULL OR pr.ended_on >= :today)"
# organization o is helped by a pairing in force on :today
PAIRED = f"EXISTS (SELECT 1 FROM pairing pr WHERE pr.helped_id = o.id AND {_PAIRING_IN_FORCE})"
# the units helped by a pairing in force on :today (for "o.id IN (...)" over many units:
# one read of the pairings, where PAIRED would ask once a unit)
PAIRED_UNITS = f"SELECT pr.helped_id FROM pairing pr WHERE {_PAIRING_IN_FORCE}"


def problem_still_open(alias: str = "p") -> str:
    """A problem not yet rectified (待整改, 整改中): what 整改逾期 and the counts ask."""
    codes = ", ".join(f"'{s.value}'" for s in sorted(visits.STILL_OPEN))
    return f"{alias}.status IN ({codes})"


# -- the same rules as SQLAlchemy Core expressions, for the queries written in Core
# (app/db/queries/county.py): built from the same constants, compiled per dialect by
# SQLAlchemy; tests/unit/test_rule_agreement.py holds both forms to the same counts


def three_plus_of(formal_members: Any) -> Any:
    """``three_plus`` over a Core column of formal members."""
    from sqlalchemy import func

    return func.coalesce(formal_members, 0) >= int(rules.THREE_MEMBERS)


def should_set_up_of(formal_members: Any, formation: Any) -> Any:
    """``should_set_up`` over Core columns."""
    from sqlalchemy import and_

    return and_(three_plus_of(formal_members), formation != "own")
