"""The clusters list, now read from an index and its members only when asked
(services/grouping/clusters.py, migration 0018), against the plain way: every unit read whole,
each cluster's members, leader and year's sums worked out in Python."""

from __future__ import annotations

import sqlite3
import uuid

from app.db.database import Database
from app.db.queries.grouping import CLUSTER_LIST_SQL
from app.domain.vocabulary import ClusterRecordKind as K
from app.services.grouping import clusters


def _plain(db: Database, year: int) -> dict[int, tuple]:
    with sqlite3.connect(db.path) as conn:
        units = conn.execute(
            "SELECT o.cluster_id, o.id, o.uscc, o.name, o.class_code, coalesce(p.name, ''),"
            " o.is_cluster_leader FROM organization o"
            " LEFT JOIN party_organization p ON p.id = o.party_org_id"
        ).fetchall()
        records = conn.execute(
            "SELECT cluster_id, kind, amount, second_amount FROM cluster_record WHERE year = ?",
            (year,),
        ).fetchall()
    members: dict[int, list[tuple]] = {}
    for cid, *unit in sorted(units, key=lambda u: (-u[6], u[3])):
        if cid is not None:
            members.setdefault(cid, []).append((*unit[:5], bool(unit[5])))
    sums: dict[int, dict[str, int]] = {}
    for cid, kind, amount, second in records:
        s = sums.setdefault(cid, {})
        s[kind] = s.get(kind, 0) + (amount or 0)
        s[kind + "#"] = s.get(kind + "#", 0) + 1
        s[kind + "2"] = s.get(kind + "2", 0) + (second or 0)
    out = {}
    for cid, listed in members.items():
        s = sums.get(cid, {})
        quota = s.get(K.QUOTA.value) if s.get(K.QUOTA.value + "#") else None
        figures = (
            s.get(K.DUES_RETURNED.value, 0),
            s.get(K.SPENDING.value, 0),
            quota,
            s.get(K.ALLOCATION.value, 0),
            s.get(K.ALLOCATION.value + "2", 0),
            s.get(K.AWARD.value, 0),
            s.get(K.NOMINATION.value + "#", 0),
        )
        leader = listed[0] if listed[0][5] else None
        out[cid] = (listed, leader, figures)
    return out


def _as_listed(row: clusters.ClusterRow) -> tuple:
    f = row.figures
    members = [(m.id, m.uscc, m.name, m.class_code, m.party_org, m.leader) for m in row.members]
    leader = row.leader
    return (
        members,
        (leader.id, leader.uscc, leader.name, leader.class_code, leader.party_org, True)
        if leader
        else None,
        (f.dues_returned, f.spent, f.quota, f.allocated, f.recruited, f.places, f.nominated),
    )


def test_clusters_listed_as_the_plain_way_reads_them(demo_db: Database) -> None:
    with sqlite3.connect(demo_db.path) as conn:
        # a cluster with two leaders marked (an old copy's), one with none
        first, second = (r[0] for r in conn.execute("SELECT id FROM cluster ORDER BY id LIMIT 2"))
        conn.execute("UPDATE organization SET is_cluster_leader = 1 WHERE cluster_id = ?", (first,))
        conn.execute(
            "UPDATE organization SET is_cluster_leader = 0 WHERE cluster_id = ?", (second,)
        )
        (year,) = conn.execute("SELECT max(year) FROM cluster_record").fetchone()
    expected = _plain(demo_db, year)
    assert expected and any(f[6] or f[2] for _m, _l, f in expected.values())
    lazy = clusters.list_clusters(demo_db, year)
    eager = clusters.list_clusters(demo_db, year, members=True)
    assert [r.id for r in lazy] == [r.id for r in eager]
    for row in eager:
        assert _as_listed(row) == expected[row.id]
        assert row.member_count == len(expected[row.id][0])
        assert all(m.name.casefold() in row.search_text for m in row.members)
    for row in lazy:
        assert row.member_list is None  # not read until asked
        assert _as_listed(row) == expected[row.id]


def test_the_list_reads_no_member_names_until_the_first_search(demo_db: Database) -> None:
    """The page shows each cluster's count, not its members' names: the names the search
    needs are read at the first search, for every cluster in one read."""
    rows = clusters.list_clusters(demo_db)
    assert rows and rows[0].names.by_cluster is None
    assert all(r.search_cache is None for r in rows)
    with sqlite3.connect(demo_db.path) as conn:
        (cid, member) = conn.execute(
            "SELECT cluster_id, name FROM organization WHERE cluster_id IS NOT NULL LIMIT 1"
        ).fetchone()
    row = next(r for r in rows if r.id == cid)
    assert member.casefold() in row.search_text
    assert rows[0].names.by_cluster is not None  # read once, for all of them
    assert rows[0].name.casefold() in rows[0].search_text


def test_each_leader_is_read_from_the_index_not_the_units_table(demo_db: Database) -> None:
    """2,891 leaders read from the wide organization rows cost a third of the list: the
    index of migration 0019 carries what the list shows of a leader."""
    with sqlite3.connect(demo_db.path) as conn:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + CLUSTER_LIST_SQL)]
    leader = [step for step in plan if step.startswith("SEARCH l ")]
    assert leader == [
        "SEARCH l USING COVERING INDEX ix_organization_cluster"
        " (cluster_id=? AND is_cluster_leader=?) LEFT-JOIN"
    ]


def test_of_two_leaders_of_one_name_the_first_entered_leads(demo_db: Database) -> None:
    with sqlite3.connect(demo_db.path) as conn:
        (cid,) = conn.execute("SELECT id FROM cluster ORDER BY id LIMIT 1").fetchone()
        first, second = (
            r[0]
            for r in conn.execute(
                "SELECT id FROM organization WHERE cluster_id = ? ORDER BY id LIMIT 2", (cid,)
            )
        )
        # the second has a code the first lacks: an index ordered by code would pick it
        conn.execute("UPDATE organization SET is_cluster_leader = 0 WHERE cluster_id = ?", (cid,))
        conn.execute(
            "UPDATE organization SET is_cluster_leader = 1, name = '同名组长',"
            " uscc = CASE id WHEN ? THEN NULL ELSE uscc END WHERE id IN (?, ?)",
            (second, first, second),
        )
        conn.execute("UPDATE organization SET uscc = '91000000000000001X' WHERE id = ?", (first,))
    (row,) = [r for r in clusters.list_clusters(demo_db) if r.id == cid]
    assert row.leader is not None and row.leader.id == first


def test_the_list_sorts_nothing_a_cluster(demo_db: Database) -> None:
    """Which of two marked leaders leads is picked as the rows come, not by a sorted
    subquery run for each of 2,891 clusters (a quarter of the statement's work)."""
    with sqlite3.connect(demo_db.path) as conn:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + CLUSTER_LIST_SQL)]
    assert not [step for step in plan if "TEMP B-TREE" in step], plan


def test_a_quota_recorded_without_its_number_counts_naught(demo_db: Database) -> None:
    """No quota that year: none (shown "-"); a quota row without its number (an old
    copy's): 0, as the quota and its sum were read apart before."""
    with sqlite3.connect(demo_db.path) as conn:
        (year,) = conn.execute("SELECT max(year) FROM cluster_record").fetchone()
        first, second = (r[0] for r in conn.execute("SELECT id FROM cluster ORDER BY id LIMIT 2"))
        conn.execute(
            "DELETE FROM cluster_record WHERE kind = 'quota' AND cluster_id IN (?, ?)",
            (first, second),
        )
        conn.execute(
            "INSERT INTO cluster_record (uuid, cluster_id, year, kind, amount, title, text,"
            " attachment, score, honoured, created_at)"
            " VALUES (?, ?, ?, 'quota', NULL, '', '', '', '', 0, '2026-01-01')",
            (str(uuid.uuid4()), first, year),
        )
    by_id = {r.id: r.figures.quota for r in clusters.list_clusters(demo_db, year)}
    assert by_id[first] == 0
    assert by_id[second] is None
