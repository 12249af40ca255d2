"""A realistic, deterministic demo park of any size (for first runs and benchmarks).

The same size and ``today`` give the same park. Elections are placed relative
to ``today`` so the demo always shows overdue and nearly-due elections.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.db.bulk import ORGANIZATION_DEFAULTS
from app.db.database import Database
from app.db.models import (
    Assignment,
    AuditEntry,
    Cluster,
    ClusterRecord,
    Instructor,
    Organization,
    Pairing,
    PairingEntry,
    PartyOrganization,
)
from app.domain.terms import BRANCH_TERM_YEARS, add_years, default_term_years
from app.domain.uscc import make_valid
from app.domain.vocabulary import (
    AssignmentRole,
    Formation,
    InstructorRole,
    NoPartyOrgReason,
    OrgKind,
    OrgStatus,
    PartyOrgLevel,
    Scale,
    SocialSubtype,
)
from app.services.files.demo_scores import demo_scores
from app.services.files.demo_size import DEFAULT_SIZE, MAX_SIZE
from app.services.files.demo_visits import demo_visits
from app.services.registry.park import write_park

SEED = 20261123

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_BRAND = (
    "华泰鑫盛源宏达恒通瑞丰嘉禾永信聚德昌隆金辉天成新兴汇佳安博远大中科凯利广和宝立明阳志诚润泽"
)
_TRADES = [
    ("制造业", ["机械", "电子", "精密", "汽车零部件", "新材料", "智能装备", "电气"]),
    ("信息技术", ["软件", "信息技术", "数据科技", "网络科技"]),
    ("批发零售", ["商贸", "贸易", "供应链"]),
    ("建筑业", ["建设工程", "建材", "装饰工程"]),
    ("物流运输", ["物流", "运输"]),
    ("食品加工", ["食品", "农产品加工"]),
    ("医药", ["生物医药", "医疗器械"]),
]
_FORMS = ["有限公司", "股份有限公司", "科技有限公司"]
_SOCIAL = [
    (SocialSubtype.ASSOCIATION, ["商会", "行业协会", "企业家联合会", "科技协会"]),
    (SocialSubtype.PRIVATE_NON_ENTERPRISE, ["职业培训学校", "社会工作服务中心", "养老服务中心"]),
    (SocialSubtype.FOUNDATION, ["公益基金会"]),
]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红云飞"
_ZONES = ["东区", "西区"]


DEFAULT_PARK = "示范工业园区"


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _code(rng: random.Random, prefix: str) -> str:
    body = "".join(rng.choice(_ALPHABET[:10]) for _ in range(8)) + rng.choice(_ALPHABET)
    return make_valid(prefix + "450200" + body)


@dataclass
class DemoSummary:
    organizations: int
    party_orgs: int
    instructors: int
    assignments: int
    clusters: int


def build_demo(
    db: Database,
    size: int = DEFAULT_SIZE,
    today: date | None = None,
    park_name: str = DEFAULT_PARK,
    committee_name: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty registry with a demo park of ``size`` organizations. Another
    park's name gives another park (other units, other codes): a county's demo."""
    from app.services.county.county_db import refuse_county

    refuse_county(db)
    committee_name = committee_name or f"{park_name}两新工委"
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"演示园区规模应在1到{MAX_SIZE}之间")
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(Organization)):
            raise ValueError("数据库里已有组织，演示园区只能生成在空数据库中")
        park = _DemoPark(size, today or date.today(), park_name, progress)
        park.build()
        park.write(s, committee_name)
        if progress:
            progress(size * 2, size * 2)
    counts = (park.orgs, park.pos, park.instructors, park.assignments, park.clusters)
    return DemoSummary(*map(len, counts))


class _DemoPark:
    """The demo park made step by step; the steps draw from one random sequence in
    a fixed order, so a size always makes the same park."""

    def __init__(
        self,
        size: int,
        today: date,
        park_name: str,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.size, self.today, self.park_name, self.progress = size, today, park_name, progress
        # the default park stays as it always was; another name draws other units
        self.seed = SEED if park_name == DEFAULT_PARK else SEED + zlib.crc32(park_name.encode())
        self.rng = random.Random(self.seed + size)
        self.orgs: list[dict] = []
        self.pos: list[dict] = []
        self.clusters: list[dict] = []
        self.instructors: list[dict] = []
        self.assignments: list[dict] = []
        self.pairings: list[dict] = []
        self.pairing_entries: list[dict] = []
        self.cluster_records: list[dict] = []

    def build(self) -> None:
        self._organizations()
        own_hosts = self._own_organizations()
        self._joint_and_attached(own_hosts)
        self._elections_and_committee()
        self._classes_and_reasons()
        self._leaving_the_base()
        self._clusters()
        self._instructors()
        self._assignments()
        self._pairings()
        self._cluster_years()
        if self.progress:
            self.progress(self.size, self.size * 2)

    def _organizations(self) -> None:
        rng, today, size, progress = self.rng, self.today, self.size, self.progress
        orgs = self.orgs
        names, codes = set(), set()
        n_social = max(1, size * 15 // 100)
        for i in range(size):
            social = i % 7 == 3 and n_social > 0
            if social:
                n_social -= 1
                subtype, words = rng.choice(_SOCIAL)
                brand = rng.choice(_BRAND) + rng.choice(_BRAND)
                name = f"柳州市{brand}{rng.choice(words)}"
                prefix = {"association": "51", "private_non_enterprise": "52"}.get(
                    subtype.value, "53"
                )
                kind, industry = OrgKind.SOCIAL, "社会服务"
            else:
                industry, words = rng.choice(_TRADES)
                brand = rng.choice(_BRAND) + rng.choice(_BRAND)
                name = f"广西{brand}{rng.choice(words)}{rng.choice(_FORMS)}"
                prefix, kind, subtype = "91", OrgKind.ENTERPRISE, None
            base_name, n = name, 2
            while name in names:
                name = f"{base_name}（{n}）"
                n += 1
            names.add(name)
            code = _code(rng, prefix)
            while code in codes:
                code = _code(rng, prefix)
            codes.add(code)
            r = rng.random()
            formal = 0 if r < 0.38 else rng.randint(1, 2) if r < 0.62 else rng.randint(3, 40)
            if formal >= 3 and rng.random() < 0.04:
                formal = rng.randint(50, 160)
            employees = max(formal * 4, rng.randint(5, 600))
            zone = _ZONES[i % 2]
            orgs.append(
                ORGANIZATION_DEFAULTS
                | {
                    "id": i + 1,
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "uscc": code,
                    "name": name,
                    "kind": kind.value,
                    "social_subtype": subtype.value if subtype else None,
                    "industry": industry,
                    "scale": (Scale.ABOVE if employees > 300 else Scale.BELOW).value
                    if kind is OrgKind.ENTERPRISE
                    else None,
                    "employees": employees,
                    "legal_rep": _person(rng),
                    "investor": _person(rng),
                    "investor_is_member": rng.random() < 0.12,
                    "address": f"{zone}{rng.choice('一二三四五六七八')}路{rng.randint(1, 300)}号",
                    "zone": zone,
                    "building": f"{rng.randint(1, 30)}号楼" if rng.random() < 0.4 else "",
                    "contact": _person(rng),
                    "phone": _phone(rng),
                    "founded": today - timedelta(days=rng.randint(400, 9000)),
                    "formal_members": formal,
                    "probationary_members": rng.randint(0, 2) if formal else 0,
                    "activists": rng.randint(0, 3),
                    "has_union": rng.random() < 0.6,
                    "has_youth_league": rng.random() < 0.3,
                    "has_women_org": rng.random() < 0.25,
                    "created_at": datetime.now(),
                    "updated_at": datetime.now(),
                }
            )
            if progress and i % 1000 == 0:
                progress(i, size * 2)

    def _new_po(self, name: str, level: PartyOrgLevel, formation: Formation) -> dict:
        rng, today, pos = self.rng, self.today, self.pos

        term = default_term_years(level)
        # spread elections over the term and a little past it
        last = today - timedelta(days=rng.randint(30, term * 365 + 240))
        po = {
            "id": len(pos) + 1,
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "name": name,
            "level": level.value,
            "formation": formation.value,
            "secretary": _person(rng),
            "secretary_phone": _phone(rng),
            "founded": last - timedelta(days=rng.randint(0, 2000)),
            "last_election": last,
            "term_years": term,
            "postponed_until": None,
            "postponement_approval": "",
            "parent_id": None,
            "venue": rng.choice(["独立活动室", "共用会议室", "园区党群服务中心"]),
            "notes": "",
            "created_at": datetime.now(),
            "updated_at": datetime.now(),
        }
        pos.append(po)
        return po

    def _own_organizations(self) -> list[dict]:
        orgs, new_po = self.orgs, self._new_po
        eligible = [o for o in orgs if o["formal_members"] >= 3]
        own_hosts: list[dict] = []
        for k, o in enumerate(eligible):
            if k % 9 == 4:  # 应建未建: meets the conditions, not yet set up
                o["no_party_org_reason"] = NoPartyOrgReason.ELIGIBLE_NOT_SET_UP.value
                continue
            m = o["formal_members"]
            level = (
                PartyOrgLevel.COMMITTEE
                if m >= 100
                else PartyOrgLevel.GENERAL_BRANCH
                if m >= 50
                else PartyOrgLevel.BRANCH
            )
            short = o["name"].removeprefix("广西")
            suffix = {"committee": "委员会", "general_branch": "总支部委员会"}.get(
                level.value, "支部委员会"
            )
            po = new_po(f"中共{short}{suffix}", level, Formation.OWN)
            o["formation"], o["party_org_id"] = Formation.OWN.value, po["id"]
            own_hosts.append(o)
        return own_hosts

    def _joint_and_attached(self, own_hosts: list[dict]) -> None:
        rng, new_po = self.rng, self._new_po
        small = [o for o in self.orgs if 1 <= o["formal_members"] < 3]
        # joint branches of 3-5 small units by zone; the first one covers 6 (over the limit)
        rng.shuffle(small)
        k, joint_no, attach_left = 0, 1, max(1, len(small) // 10)
        while k < len(small):
            if attach_left and own_hosts:
                host = rng.choice(own_hosts)
                small[k]["formation"] = Formation.ATTACHED.value
                small[k]["party_org_id"] = host["party_org_id"]
                attach_left -= 1
                k += 1
                continue
            group = small[k : k + (6 if joint_no == 1 else rng.randint(3, 5))]
            k += len(group)
            if len(group) < 2:
                group[0]["no_party_org_reason"] = NoPartyOrgReason.FEW_FORMAL_MEMBERS.value
                continue
            if joint_no == 3:
                # a joint formation reported without the branch recorded: a gap to complete
                for o in group:
                    o["formation"] = Formation.JOINT.value
                joint_no += 1
                continue
            po = new_po(
                f"中共{group[0]['zone']}第{joint_no}联合支部委员会",
                PartyOrgLevel.BRANCH,
                Formation.JOINT,
            )
            joint_no += 1
            for o in group:
                o["formation"], o["party_org_id"] = Formation.JOINT.value, po["id"]

    def _elections_and_committee(self) -> None:
        today, pos, park_name, new_po = self.today, self.pos, self.park_name, self._new_po
        # elections: make sure the demo shows overdue, nearly due and a postponement
        branches = [p for p in pos if p["term_years"] == BRANCH_TERM_YEARS]
        for idx, p in enumerate(branches[:5]):
            due_offset = [-200, -20, 30, 75, -40][idx]
            p["last_election"] = add_years(today, -3) + timedelta(days=due_offset)
            if idx == 4:
                p["postponed_until"] = today + timedelta(days=200)
                p["postponement_approval"] = "园区党工委批复〔2026〕3号"
        committee = new_po(
            f"中共{park_name}非公企业综合党委", PartyOrgLevel.COMMITTEE, Formation.ATTACHED
        )
        for p in pos:
            if p is not committee and p["level"] != PartyOrgLevel.COMMITTEE.value:
                p["parent_id"] = committee["id"]
            p["founded"] = min(p["founded"], p["last_election"])

    def _classes_and_reasons(self) -> None:
        rng = self.rng
        # a few classes the yearly review has yet to catch up with: a branch set up this
        # year still recorded 孵化类, a unit whose branch was dissolved still 成长类
        # (drawn apart, so the rest of the park is the same as without them)
        behind = random.Random(self.seed - self.size)
        for o in self.orgs:
            if o["formation"] == Formation.NONE.value and o["no_party_org_reason"] is None:
                o["no_party_org_reason"] = (
                    NoPartyOrgReason.FEW_FORMAL_MEMBERS.value
                    if o["formal_members"]
                    else NoPartyOrgReason.NO_MEMBERS.value
                )
            if o["formation"] == Formation.OWN.value:
                o["class_code"] = rng.choices("ABC", weights=(2, 3, 5))[0]
            else:
                o["class_code"] = "D" if o["formal_members"] else "E"
            if behind.random() < 0.02:
                o["class_code"] = "D" if o["formation"] == Formation.OWN.value else "C"

    def _leaving_the_base(self) -> None:
        rng, today, size, orgs = self.rng, self.today, self.size, self.orgs
        # a few units leave the base: closed, moved out, or below the local threshold
        uncovered = [o for o in orgs if o["formation"] == Formation.NONE.value]
        for k, o in enumerate(uncovered[3 :: max(2, len(uncovered) // max(2, size // 50))]):
            o["status"] = (OrgStatus.CLOSED if k % 2 == 0 else OrgStatus.MOVED_OUT).value
            o["status_date"] = today - timedelta(days=rng.randint(10, 300))
            o["in_base"] = False
            o["base_reason"] = f"{o['status_date']:%Y-%m-%d}{OrgStatus(o['status']).label}"
        small_staff = [o for o in uncovered if o["status"] == OrgStatus.ACTIVE.value]
        for o in small_staff[1 :: max(3, len(small_staff) // max(1, size // 60))]:
            o["employees"] = rng.randint(3, 9)
            o["in_base"] = False
            o["base_reason"] = "从业人员不足10人，不纳入统计"

    def _clusters(self) -> None:
        rng, clusters, orgs = self.rng, self.clusters, self.orgs
        # clusters of about 10 covered units, led by their strongest unit
        covered = [o for o in orgs if o["party_org_id"] is not None]
        for c in range(0, len(covered), 10):
            members = covered[c : c + 10]
            cid = len(clusters) + 1
            clusters.append(
                {
                    "id": cid,
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "name": f"第{cid}编组",
                    "formed_year": self.today.year - cid % 4,  # not drawn: the park stays the same
                    "notes": "",
                }
            )
            for o in members:
                o["cluster_id"] = cid
            leader = min(
                members, key=lambda o: ("ABCDE".index(o["class_code"]), -o["formal_members"])
            )
            leader["is_cluster_leader"] = True

    def _instructors(self) -> None:
        rng, size = self.rng, self.size
        # instructors: each looks after about eight units; some units have none
        n_inst = max(15, size // 8)
        roles = list(InstructorRole)
        self.instructors = [
            {
                "id": j + 1,
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "name": _person(rng),
                "role": roles[j % len(roles)].value
                if j % 3 == 0
                else InstructorRole.INSTRUCTOR.value,
                "unit": rng.choice(
                    ["园区党工委", "园区管委会经济发展局", "园区组织人事部", "市场监管所"]
                ),
                "phone": _phone(rng),
                "active": j % 17 != 16,
                "capacity": 10,
                "notes": "",
                "created_at": datetime.now(),
                "updated_at": datetime.now(),
            }
            for j in range(n_inst)
        ]

    def _assignments(self) -> None:
        rng, today, instructors = self.rng, self.today, self.instructors
        n_inst = len(instructors)
        for o in self.orgs:
            if o["status"] != OrgStatus.ACTIVE.value or rng.random() < 0.15:
                continue
            inst = instructors[rng.randrange(n_inst)]
            start = today - timedelta(days=rng.randint(30, 900))
            self.assignments.append(
                {
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "instructor_id": inst["id"],
                    "organization_id": o["id"],
                    "role": AssignmentRole.GUIDE.value,
                    "started_on": start,
                    "ended_on": None,
                    "notes": "",
                }
            )

    def _pairings(self) -> None:
        """Some C and D units paired with an A or B helper (A→C, B→D), a few ended;
        drawn apart, so the rest of the park is the same as without them."""
        rng, today = random.Random(self.seed + 2 * self.size), self.today
        active = [o for o in self.orgs if o["status"] == OrgStatus.ACTIVE.value]
        helpers = {c: [o for o in active if o["class_code"] == c] for c in "AB"}
        for o in active:
            wanted = {"C": "A", "D": "B"}.get(o["class_code"] or "")
            if wanted is None or not helpers[wanted] or rng.random() < 0.5:
                continue
            start = today - timedelta(days=rng.randint(60, 800))
            ended = start + timedelta(days=365) if rng.random() < 0.2 else None
            pid = len(self.pairings) + 1
            self.pairings.append(
                {
                    "id": pid,
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "helper_id": rng.choice(helpers[wanted])["id"],
                    "helped_id": o["id"],
                    "started_on": start,
                    "ended_on": ended if ended and ended < today else None,
                    "helper_class_at_start": wanted,
                    "helped_class_at_start": o["class_code"],
                    "goal": "规范组织生活，一年内达到上一类"
                    if wanted == "A"
                    else "帮助发展党员、建立党组织",
                    "outcome": "组织生活规范，已达到目标" if ended and ended < today else "",
                }
            )
            for n in range(rng.randint(0, 3)):
                if start + timedelta(days=30 * (n + 1)) > today:
                    break
                self.pairing_entries.append(
                    {
                        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "pairing_id": pid,
                        "done_on": start + timedelta(days=30 * (n + 1)),
                        "text": rng.choice(
                            ("联合开展主题党日", "结对座谈", "共同学习", "上门指导")
                        ),
                    }
                )

    def _cluster_years(self) -> None:
        """This year's dues, spending and new-member quotas of each cluster (drawn apart)."""
        rng, year = random.Random(self.seed + 3 * self.size), self.today.year
        members: dict[int, list[dict]] = {}
        for o in self.orgs:
            if o.get("cluster_id"):
                members.setdefault(o["cluster_id"], []).append(o)
        for c in self.clusters:
            returned = rng.randint(20, 80) * 10_000  # fen: 2,000–8,000 yuan
            spent = rng.randint(10, 90) * 10_000
            quota = rng.randint(2, 6)
            unit = rng.choice(members[c["id"]])["id"]
            for kind, amount, extra in (
                ("dues_returned", returned, {"dated": date(year, 3, 31)}),
                ("spending", spent, {"dated": date(year, 6, 30), "title": "联合主题党日"}),
                ("quota", quota, {}),
                ("allocation", min(2, quota), {"organization_id": unit, "second_amount": 1}),
            ):
                record = {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
                record |= {"cluster_id": c["id"], "year": year, "kind": kind, "amount": amount}
                self.cluster_records.append(record | extra)

    def write(self, s: Session, committee_name: str) -> None:
        pos, clusters, orgs = self.pos, self.clusters, self.orgs
        instructors, assignments = self.instructors, self.assignments
        # parents before the branches that point at them
        # (an empty list would insert one row of defaults: a tiny park may have no clusters)
        if pos:
            s.execute(
                insert(PartyOrganization), sorted(pos, key=lambda p: p["parent_id"] is not None)
            )
        if clusters:
            s.execute(insert(Cluster), clusters)
        s.execute(insert(Instructor), instructors)
        s.execute(insert(Organization), orgs)
        if assignments:
            s.execute(insert(Assignment), assignments)
        if self.pairings:
            s.execute(insert(Pairing), self.pairings)
        if self.pairing_entries:
            s.execute(insert(PairingEntry), self.pairing_entries)
        if self.cluster_records:
            s.execute(insert(ClusterRecord), self.cluster_records)
        demo_scores(s, orgs, self.today, self.rng)
        demo_visits(s, self.size, assignments, self.today, self.seed)
        write_park(s, self.park_name, committee_name)
        s.add(
            AuditEntry(
                change_id=str(uuid.uuid4()),
                action="demo",
                summary=f"生成演示园区（{self.size}个组织）",
                entity="park",
                entity_id=0,
                undone=True,  # generation is not an edit to undo
            )
        )
