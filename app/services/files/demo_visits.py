"""The demo park's visits and rectifications: most looked-after units visited by their
instructor in the past year (some long ago, so 长期未走访 shows), problems found on
about one visit in three, a few shared by several units (共性), at every step of
rectification, some past their deadline. Drawn from a random sequence of their own,
so the rest of the park is the same as without them."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.db.models import Problem, ProblemUnit, Visit, VisitInstructor
from app.domain.vocabulary import ProblemStatus, VisitKind

_SEEN = (
    "查看党员活动室和党建阵地，查阅“三会一课”记录",
    "与支部书记座谈，了解党员发展和组织生活情况",
    "参加支部主题党日活动，听取党员意见",
    "了解企业生产经营情况，宣讲党的政策",
)
_PROBLEMS = (
    ("“三会一课”记录不全", "补齐会议记录，按月开展组织生活"),
    ("党员活动室未正常使用", "明确活动室管理人，每月开放"),
    ("党费收缴不及时", "按月收缴党费并公示"),
    ("发展党员工作停滞", "确定入党积极分子培养计划"),
)
_COMMON = ("党建阵地标识不统一", "按园区统一样式更换阵地标识")


def demo_visits(
    s: Session, size: int, assignments: list[dict[str, Any]], today: date, seed: int
) -> None:
    rng = random.Random(seed + 3 * size)
    visits: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    stamp = datetime(today.year, today.month, today.day)
    # the demo's kinds and their weights as they always were (观摩, added later, is not
    # drawn: the demo park stays the same park)
    kinds = [
        k.value
        for k in (
            VisitKind.VISIT,
            VisitKind.UNANNOUNCED,
            VisitKind.THREE_VISITS,
            VisitKind.FORUM,
            VisitKind.OTHER,
        )
    ]
    for a in assignments:
        if rng.random() < 0.2:
            continue  # never visited
        for _ in range(rng.choice((1, 1, 2, 3))):
            vid = len(visits) + 1
            on = today - timedelta(days=rng.randint(1, 400))
            visits.append(
                {
                    "id": vid,
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "organization_id": a["organization_id"],
                    "visited_on": on,
                    "kind": rng.choices(kinds, weights=(6, 2, 2, 1, 1))[0],
                    "content": rng.choice(_SEEN),
                    "people_met": "支部书记",
                    "changed_by": "演示数据",
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            links.append({"visit_id": vid, "instructor_id": a["instructor_id"]})
            if rng.random() < 0.35:
                text, asked = rng.choice(_PROBLEMS)
                _problem(problems, units, rng, vid, on, text, asked, [a["organization_id"]], stamp)
    # one common problem found on the first visit, shared by a handful of units
    if visits:
        first = visits[0]
        shared = sorted({a["organization_id"] for a in assignments[:5]})
        _problem(problems, units, rng, first["id"], first["visited_on"], *_COMMON, shared, stamp)
    for table, rows in ((Visit, visits), (VisitInstructor, links)):
        if rows:
            s.execute(insert(table), rows)
    if problems:
        s.execute(insert(Problem), problems)
        s.execute(insert(ProblemUnit), units)


def _problem(
    problems: list[dict[str, Any]],
    units: list[dict[str, Any]],
    rng: random.Random,
    visit_id: int,
    on: date,
    text: str,
    asked: str,
    unit_ids: list[int],
    stamp: datetime,
) -> None:
    today = stamp.date()
    pid = len(problems) + 1
    status = rng.choice(list(ProblemStatus))
    verified = status is ProblemStatus.VERIFIED
    problems.append(
        {
            "id": pid,
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "visit_id": visit_id,
            "text": text,
            "common": len(unit_ids) > 1,
            "rectification": asked,
            "responsible": "支部书记",
            "deadline": on + timedelta(days=rng.choice((30, 60, 90))),
            "status": status.value,
            "raised_on": on,
            "verified_on": min(on + timedelta(days=rng.randint(10, 60)), today)
            if verified
            else None,
            "verify_note": "经现场核验已整改到位" if verified else "",
            "source": "",
            "changed_by": "演示数据",
            "created_at": stamp,
            "updated_at": stamp,
        }
    )
    units += [{"problem_id": pid, "organization_id": oid} for oid in unit_ids]
