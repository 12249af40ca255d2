"""分类管理's rows, now asking the domain only of the units whose class the facts may
contradict (rule_sql's first cut), against the plain way: every unit asked."""

from __future__ import annotations

import sqlite3

from app.db.database import Database
from app.domain.classes import UnitFacts, propose_class
from app.domain.sorting import natural_key
from app.domain.vocabulary import Formation, OrgKind, class_of
from app.services.grouping import classes


def test_review_rows_as_the_plain_way_makes_them(demo_db: Database) -> None:
    with sqlite3.connect(demo_db.path) as conn:
        # classes against the facts both ways, none at all, names that sort by number
        conn.execute("UPDATE organization SET class_code = 'A' WHERE id % 7 = 0")
        conn.execute("UPDATE organization SET class_code = 'E' WHERE id % 11 = 0")
        conn.execute("UPDATE organization SET class_code = NULL WHERE id % 13 = 0")
        conn.execute("UPDATE organization SET name = '第' || (id % 12) || '号厂' WHERE id % 5 = 0")
        units = conn.execute(
            "SELECT id, uscc, name, kind, formation, class_code, formal_members,"
            " probationary_members, activists FROM organization WHERE status = 'active'"
        ).fetchall()
    expected = []
    for rank, unit in enumerate(sorted(units, key=lambda u: natural_key(u[2]))):
        oid, code, name, kind, formation, current, formal, prob, activists = unit
        facts = UnitFacts(current, Formation(formation), formal, prob, activists)
        expected.append(
            (
                oid,
                code,
                name,
                OrgKind(kind),
                facts.formation,
                class_of(current),
                propose_class(facts),
                rank,
                f"{name} {code or ''}".casefold(),
            )
        )
    assert any(e[6] for e in expected) and not all(e[6] for e in expected)
    got = [
        (
            r.id,
            r.uscc,
            r.name,
            r.kind,
            r.formation,
            r.current,
            r.proposal,
            r.name_rank,
            r.search_text,
        )
        for r in classes.review_rows(demo_db)
    ]
    assert got == expected
