"""Issue 23 (speed): 编组页 read all 2,891 clusters in 53 ms (target 20): the rhythm's
records (每季交流) read one by one and asked cluster by cluster, the allocations'
records read from their rows. Now one grouped read of the year from an index
(migration 0026), clusters alike answered once. What must not change: each cluster's
rhythm warning on the awkward cases, worked out here by the rule from the records; and
what must stay fast: no statement of the page reads a cluster record's row."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from app.db.database import Database
from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import ClusterRecordKind as K
from app.services.grouping import clusters
from app.services.grouping.clusters import ClusterDraft, RecordDraft
from app.services.registry import organizations

TODAY = date(2026, 11, 23)  # the 1st to 3rd quarters of 2026 have ended
RULE = "（衢州：编组每季交流、半年汇报、年终考核）"
# cluster: (formed, [(kind, dated)] of 2026's records)
CLUSTERS = {
    "早建无记录甲": (2024, []),
    "早建无记录乙": (None, []),  # no year formed: the whole year asked
    "早建有交流": (2025, [(K.EXCHANGE, date(2026, 2, 1)), (K.EXCHANGE, date(2026, 8, 30))]),
    "交流记在上年": (2025, [(K.EXCHANGE, date(2025, 12, 30))]),  # the 2026 record, dated 2025
    "观摩不算交流": (2025, [(K.OBSERVATION, date(2026, 4, 2))]),
    "今年建自二季度": (2026, [(K.OBSERVATION, date(2026, 5, 6))]),
    "今年建自三季度有交流": (2026, [(K.EXCHANGE, date(2026, 9, 30))]),
    "今年建无记录": (2026, []),
    "明年才建": (2027, []),
}


def _expected(formed: int | None, records: list[tuple[K, date]]) -> list[str]:
    """The rule by hand: the ended quarters without an exchange dated in them, from the
    quarter of the first record for a cluster formed this year (none recorded: nothing
    asked), nothing for a cluster formed later."""
    if formed is not None and formed > 2026:
        return []
    start = 1
    if formed == 2026:
        if not records:
            return []
        first = min(d for _k, d in records)
        start = (first.month - 1) // 3 + 1 if first.year == 2026 else 1
    held = {(d.month - 1) // 3 + 1 for k, d in records if k is K.EXCHANGE and d.year == 2026}
    missing = [q for q in (1, 2, 3) if q >= start and q not in held]
    if not missing:
        return []
    return [f"2026年{'、'.join(f'第{q}季度' for q in missing)}没有每季交流{RULE}"]


@pytest.fixture
def park(db: Database) -> Database:
    for n, (name, (formed, records)) in enumerate(CLUSTERS.items()):
        unit = organizations.create_organization(db, OrganizationDraft(name=f"单位{n}"), TODAY)
        cid = clusters.create_cluster(db, ClusterDraft(name, formed, "", [unit], None))
        for kind, day in records:
            clusters.add_record(db, cid, RecordDraft(kind, 2026, dated=day, text="记录"))
    return db


def test_each_clusters_rhythm_is_the_rules(park: Database) -> None:
    rows = {r.name: r for r in clusters.list_clusters(park, 2026, today=TODAY)}
    assert set(rows) == set(CLUSTERS)
    for name, (formed, records) in CLUSTERS.items():
        rhythm = [w for w in rows[name].warnings if "每季交流" in w]
        assert rhythm == _expected(formed, records), name
    # what the park holds: each kind of answer present, two clusters sharing one
    assert rows["早建无记录甲"].warnings == rows["早建无记录乙"].warnings
    assert rows["早建无记录甲"].allocation_warnings is not rows["早建无记录乙"].allocation_warnings
    assert _expected(*CLUSTERS["交流记在上年"]) == _expected(2024, [])
    assert "第1季度" not in rows["今年建自二季度"].warning_text
    assert _expected(*CLUSTERS["今年建自三季度有交流"]) == []
    # a year without an ended quarter asks nothing
    early = clusters.list_clusters(park, 2026, today=date(2026, 3, 31))
    assert all("每季交流" not in r.warning_text for r in early)


def test_no_statement_of_the_page_reads_a_cluster_records_row(
    park: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The year's records are read from ix_cluster_record_year alone (a record's row
    holds its texts: reading 11,500 of them was a fifth of the page)."""
    statements: list[str] = []
    connect = park._connect

    def traced() -> sqlite3.Connection:
        conn = connect()
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(park, "_connect", traced)
    clusters.list_clusters(park, 2026, today=TODAY)
    monkeypatch.undo()
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    with sqlite3.connect(park.path) as conn:
        on_records = [
            row[3]
            for sql in reads
            if "cluster_record" in sql
            for row in conn.execute("EXPLAIN QUERY PLAN " + sql.replace("?", "2026"))
            if row[3].split(" ")[1:2] in (["r"], ["cluster_record"])
        ]
    assert on_records
    assert [s for s in on_records if "COVERING INDEX" not in s] == []
