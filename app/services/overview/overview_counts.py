"""The overview's counts of clusters and of the field work, read with sqlite3 alone:
the overview opens first and reads without importing SQLAlchemy (start-up time;
bench/). ``clusters.counts`` and ``visits.counts`` are these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.db.database import Database
from app.db.queries import overview as q
from app.domain.quarters import Quarter
from app.domain.vocabulary import ProblemStatus


@dataclass(frozen=True, slots=True)
class ClusterCounts:
    clusters: int
    units_in: int  # units in the base that belong to a cluster
    units_out: int  # units in the base in none


def cluster_counts(db: Database) -> ClusterCounts:
    """总览's cluster figures, over the units in the statistical base."""
    with db.read_connection() as conn:
        (n,) = conn.execute(q.CLUSTERS_SQL).fetchone()
        inside, outside = conn.execute(q.UNITS_CLUSTERED_SQL).fetchone()
    return ClusterCounts(n, inside, outside)


@dataclass(frozen=True, slots=True)
class VisitCounts:
    """What 总览 shows of the field work."""

    this_quarter: int  # visits since the quarter began
    open: int  # problems not yet rectified (待整改, 整改中)
    overdue: int  # of those, past their deadline
    common: int  # 共性 problems not yet verified


def visit_counts(db: Database, today: date | None = None) -> VisitCounts:
    today = today or date.today()
    first = Quarter.of(today).first_day.isoformat()
    with db.read_connection() as conn:
        (visited,) = conn.execute(q.VISITS_BETWEEN_SQL, (first, today.isoformat())).fetchone()
        opened, late = conn.execute(q.open_problems_sql(), (today.isoformat(),)).fetchone()
        (common,) = conn.execute(q.COMMON_PROBLEMS_SQL, (ProblemStatus.VERIFIED.value,)).fetchone()
    return VisitCounts(visited, opened, late, common)
