"""SQLAlchemy 2 typed models. Alembic migrates an existing database (migrations/); a new one
is created from these models (app/db/schema.py), equal to what the migrations build."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.schema import CreateColumn

from app.domain.terms import BRANCH_TERM_YEARS

# Named constraints let Alembic's batch mode drop and recreate them on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Travels:
    """A record that travels (a field package and its return, a merge of copies): its id
    here and its identity everywhere, the uuid (issue 24: one declaration, not 21). The
    table says where the uuid's UNIQUE constraint stands among its others."""

    # first, as every table has them (sort_order: the mixin's columns before the class's)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-2)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid, sort_order=-1)


class TravelsUnique:
    """``Travels`` with the uuid's UNIQUE constraint beside the column."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-2)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid, sort_order=-1)


# The park a record belongs to (issue 24): a park database holds one park, its row id 1
# (made with the schema, named on first run), so every insert, the bulk ones included,
# gets it from the column's default. Declared last (sort_order) because migration 0025
# added it with ADD COLUMN, which SQLite writes after the last column; a column added
# after it needs a larger sort_order. Its reference is written in the column's own
# definition, as ADD COLUMN writes it (SQLite has no ADD CONSTRAINT, and the created
# schema must equal the migrated): the two hooks below move it there.
OWN_PARK_ID = 1
_INLINE = "inline_reference"


def park_id_column() -> Mapped[int]:
    return mapped_column(
        ForeignKey("park.id"),
        default=OWN_PARK_ID,  # for the rows written in bulk from the models' defaults
        server_default=text(str(OWN_PARK_ID)),
        sort_order=100,
        info={_INLINE: True},
    )


@compiles(CreateColumn)
def _reference_in_column(element: CreateColumn, compiler: Any, **kw: Any) -> str | None:
    sql: str | None = compiler.visit_create_column(element, **kw)
    column = element.element
    if sql and column.info.get(_INLINE):
        (fk,) = column.foreign_keys
        sql += f" REFERENCES {fk.column.table.name} ({fk.column.name})"
    return sql


@compiles(ForeignKeyConstraint)
def _no_table_constraint(constraint: ForeignKeyConstraint, compiler: Any, **kw: Any) -> str | None:
    columns = list(constraint.columns)
    if len(columns) == 1 and columns[0].info.get(_INLINE):
        return None  # written in the column (above)
    sql: str = compiler.visit_foreign_key_constraint(constraint, **kw)
    return sql


class Setting(Base):
    """Park-wide settings (park name, committee name, …) as key/value text."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Cluster(Travels, Base):
    """编组共建: units grouped under a leader unit (the member flagged 组长单位)."""

    __tablename__ = "cluster"
    park_id: Mapped[int] = park_id_column()
    # columns and constraints in the order the migrations leave them (a new database is
    # made from these: tests/db/test_schema_created.py)
    __table_args__ = (UniqueConstraint("name"), UniqueConstraint("uuid"))
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    formed_year: Mapped[int | None] = mapped_column(Integer)


class ClusterRecord(TravelsUnique, Base):
    """One record of a cluster's year: the leader's three powers and the activity log.

    ``kind`` says which (ClusterRecordKind): dues returned and spending (经费统筹,
    ``amount`` in fen: exact), the year's quota for new members and each unit's
    allocation and recruits (发展党员指标), an award's places and each nomination
    (评优推荐), and the quarterly exchange, the half-year presentation and the
    year-end evaluation (activity)."""

    __tablename__ = "cluster_record"
    # the clusters page reads a year's amounts from the index alone (migration 0018), and
    # since 0024 the dates (the rhythm's 每季交流) and the allocations' units too
    __table_args__ = (
        Index(
            "ix_cluster_record_year",
            "cluster_id",
            "year",
            "kind",
            "amount",
            "second_amount",
            "dated",
            "organization_id",
        ),
    )
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    dated: Mapped[date | None] = mapped_column(Date)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    # the award a nomination is for
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster_record.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int | None] = mapped_column(Integer)  # fen, places, members: by kind
    second_amount: Mapped[int | None] = mapped_column(Integer)  # recruited; rank
    title: Mapped[str] = mapped_column(String(200), default="")  # purpose, award, person
    text: Mapped[str] = mapped_column(Text, default="")  # report, comments
    # a file kept with it (the presentation), by its name in attachments/ (services/attachments)
    attachment: Mapped[str] = mapped_column(String(300), default="", server_default="")
    score: Mapped[str] = mapped_column(String(10), default="")  # exact decimal text
    honoured: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class PartyOrganization(Travels, Base):
    __tablename__ = "party_organization"
    park_id: Mapped[int] = park_id_column()
    # columns and constraints in the order the migrations leave them
    __table_args__ = (
        ForeignKeyConstraint(["parent_id"], ["party_organization.id"], ondelete="SET NULL"),
        UniqueConstraint("name"),
        UniqueConstraint("uuid"),
    )
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    formation: Mapped[str] = mapped_column(String(20))
    secretary: Mapped[str] = mapped_column(String(100), default="")
    secretary_phone: Mapped[str] = mapped_column(String(50), default="")
    founded: Mapped[date | None] = mapped_column(Date)
    last_election: Mapped[date | None] = mapped_column(Date)
    term_years: Mapped[int] = mapped_column(Integer, default=BRANCH_TERM_YEARS)
    postponed_until: Mapped[date | None] = mapped_column(Date)
    postponement_approval: Mapped[str] = mapped_column(String(200), default="")
    # indexed: deleting a party organization looks for the ones under it
    parent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    # 市级以上双重管理 (Quzhou's cluster leaders all are)
    dual_managed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    # 示范点: its level (vocabulary.DemoSiteLevel) and the year named; migration 0022
    demo_site: Mapped[str] = mapped_column(String(20), default="none", server_default="none")
    demo_site_year: Mapped[int | None] = mapped_column(Integer)

    units: Mapped[list[Organization]] = relationship(back_populates="party_org")


class Organization(Travels, Base):
    __tablename__ = "organization"
    park_id: Mapped[int] = park_id_column()
    # the coverage figures read only these columns: scanning this narrow index instead
    # of the wide rows takes 50,000 organizations from 65 ms to 15 ms
    __table_args__ = (
        Index(
            "ix_organization_figures",
            "in_base",
            "kind",
            "formation",
            "formal_members",
            "probationary_members",
            "activists",
            "investor_is_member",
        ),
        # the overview's first figures count the base by class and kind from this index
        # alone: 40 ms → 2 ms at 10,000 (migration 0020)
        Index("ix_organization_class", "in_base", "class_code", "kind"),
        # each party organization's units, their kind, base and formation: the figures
        # count the organizations by kind and the 党员活动室 from this index alone
        # (migration 0026); a lookup by party organization uses its first column
        Index("ix_organization_party_org", "party_org_id", "kind", "in_base", "formation"),
        # the clusters page counts each cluster's units and reads its leader (and the
        # search its names) from this index alone; only units in a cluster are in it
        # (migrations 0018, 0019)
        Index(
            "ix_organization_cluster",
            "cluster_id",
            "is_cluster_leader",
            "name",
            "uscc",
            "class_code",
            "formation",
            "party_org_id",
            sqlite_where=text("cluster_id IS NOT NULL"),
        ),
        # constraints in the order the migrations leave them
        ForeignKeyConstraint(["cluster_id"], ["cluster.id"], ondelete="SET NULL"),
        ForeignKeyConstraint(["party_org_id"], ["party_organization.id"], ondelete="SET NULL"),
        # NULL uscc when not known yet; several NULLs are allowed by SQLite's UNIQUE
        UniqueConstraint("uscc"),
        UniqueConstraint("uuid"),
    )
    uscc: Mapped[str | None] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    social_subtype: Mapped[str | None] = mapped_column(String(30))
    industry: Mapped[str] = mapped_column(String(100), default="")
    scale: Mapped[str | None] = mapped_column(String(10))
    employees: Mapped[int | None] = mapped_column(Integer)
    legal_rep: Mapped[str] = mapped_column(String(100), default="")
    investor: Mapped[str] = mapped_column(String(100), default="")
    investor_is_member: Mapped[bool | None] = mapped_column(Boolean)
    address: Mapped[str] = mapped_column(String(300), default="")
    zone: Mapped[str] = mapped_column(String(100), default="")
    building: Mapped[str] = mapped_column(String(100), default="")
    contact: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    founded: Mapped[date | None] = mapped_column(Date)
    formal_members: Mapped[int | None] = mapped_column(Integer)
    probationary_members: Mapped[int | None] = mapped_column(Integer)
    activists: Mapped[int | None] = mapped_column(Integer)
    has_union: Mapped[bool | None] = mapped_column(Boolean)
    has_youth_league: Mapped[bool | None] = mapped_column(Boolean)
    has_women_org: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20), default="active")
    status_date: Mapped[date | None] = mapped_column(Date)
    in_base: Mapped[bool] = mapped_column(Boolean, default=True)
    base_reason: Mapped[str] = mapped_column(String(200), default="")
    formation: Mapped[str] = mapped_column(String(20), default="none")
    no_party_org_reason: Mapped[str | None] = mapped_column(String(40))
    party_org_id: Mapped[int | None] = mapped_column(Integer)
    class_code: Mapped[str | None] = mapped_column(String(1))
    cluster_id: Mapped[int | None] = mapped_column(Integer)
    # the cluster's leader unit (组长单位) holds its three powers
    is_cluster_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)

    party_org: Mapped[PartyOrganization | None] = relationship(back_populates="units")


class Instructor(TravelsUnique, Base):
    __tablename__ = "instructor"
    park_id: Mapped[int] = park_id_column()
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # how many organizations this person can look after; NULL = not set
    capacity: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class Assignment(Travels, Base):
    """Instructor ↔ organization, with a role and the dates it holds."""

    __tablename__ = "assignment"
    # covering indexes: "is this unit looked after today?" and "how many units does this
    # instructor have today?" are answered from the index alone (the worklist asks 50,000 times)
    __table_args__ = (
        Index("ix_assignment_organization", "organization_id", "ended_on", "instructor_id"),
        Index("ix_assignment_instructor", "instructor_id", "ended_on"),
        # constraints in the order the migrations leave them
        ForeignKeyConstraint(["instructor_id"], ["instructor.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="CASCADE"),
        UniqueConstraint("uuid"),
    )
    instructor_id: Mapped[int] = mapped_column(Integer)
    organization_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(30), default="guide")
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class ClassChange(TravelsUnique, Base):
    """One change of a unit's class (分类管理): from, to, why and on what basis."""

    __tablename__ = "class_change"
    park_id: Mapped[int] = park_id_column()
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    changed_on: Mapped[date] = mapped_column(Date)
    from_class: Mapped[str | None] = mapped_column(String(1))  # NULL: 未分类
    to_class: Mapped[str | None] = mapped_column(String(1))
    reason: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(String(20))  # a ClassBasis
    # the review's year, the assessment's period, the import's file
    basis_ref: Mapped[str] = mapped_column(String(200), default="")
    actor: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class Pairing(TravelsUnique, Base):
    """结对帮带: a unit with its own party organization helps another."""

    __tablename__ = "pairing"
    helper_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    helped_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # the classes when the pairing began: "class at start → class now"
    helper_class_at_start: Mapped[str | None] = mapped_column(String(1))
    helped_class_at_start: Mapped[str | None] = mapped_column(String(1))
    goal: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class PairingEntry(TravelsUnique, Base):
    """What was done in a pairing, dated (a visit, a joint activity, a lesson)."""

    __tablename__ = "pairing_entry"
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairing.id", ondelete="CASCADE"), index=True
    )
    done_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class AssessmentScheme(TravelsUnique, Base):
    """A version of an assessment scheme; its dimensions, indicators, bonus, vetoes and
    star bands as JSON (app/domain/assessment.py reads and writes it). A version
    scores were entered against is never changed: a change makes a new version."""

    __tablename__ = "assessment_scheme"
    __table_args__ = (UniqueConstraint("name", "version"),)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class AssessmentPeriod(TravelsUnique, Base):
    """2026H1, 2026H2 or 2026, scored against one scheme version; published = locked."""

    __tablename__ = "assessment_period"
    code: Mapped[str] = mapped_column(String(10), unique=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("assessment_scheme.id"))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    # 以奖代补 per class as it was on publishing (JSON): a later change of the settings
    # never changes what a published period paid (migration 0017)
    subsidy: Mapped[str | None] = mapped_column(Text)
    # the units the term rule (未按期换届) vetoed on publishing (JSON list of uuids): a
    # later correction of an election date never changes a published ranking
    term_vetoed: Mapped[str | None] = mapped_column(Text)
    # the pass line 优秀 needed on publishing (decimal text): NULL for a period published
    # before the line existed, ranked as it was published (migration 0022)
    pass_line: Mapped[str | None] = mapped_column(Text)


class AssessmentScore(TravelsUnique, Base):
    """One unit's scores in a period: points per indicator (exact decimal text, JSON),
    the bonus, the veto that applies, the class it was ranked in, who entered it."""

    __tablename__ = "assessment_score"
    park_id: Mapped[int] = park_id_column()
    __table_args__ = (
        UniqueConstraint("period_id", "organization_id"),
        # covers what ranking reads (migration 0013)
        Index(
            "ix_assessment_score_ranking",
            "period_id",
            "organization_id",
            "total_tenths",
            "class_code",
            "veto",
        ),
    )
    period_id: Mapped[int] = mapped_column(ForeignKey("assessment_period.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    class_code: Mapped[str | None] = mapped_column(String(1))
    scores: Mapped[str] = mapped_column(Text, default="{}")
    bonus: Mapped[str] = mapped_column(String(10), default="0")
    veto: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    # indicators + bonus in tenths of a point; NULL while a score is missing (SQL ranks it)
    total_tenths: Mapped[int | None] = mapped_column(Integer)
    # scores are entered in the field too: versioned like visits (migration 0015)
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    changed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")


class Visit(TravelsUnique, Base):
    """An instructor's visit to a unit (走访, 暗访, 三访三问三讲, 座谈): written in the
    field, so it carries a row version and who changed it last (field packages)."""

    __tablename__ = "visit"
    park_id: Mapped[int] = park_id_column()
    __table_args__ = (Index("ix_visit_organization_id", "organization_id", "visited_on"),)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text, default="")
    people_met: Mapped[str] = mapped_column(Text, default="")
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class VisitInstructor(TravelsUnique, Base):
    """An instructor on a visit (a visit may be made by two)."""

    __tablename__ = "visit_instructor"
    __table_args__ = (UniqueConstraint("visit_id", "instructor_id"),)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    instructor_id: Mapped[int] = mapped_column(
        ForeignKey("instructor.id", ondelete="CASCADE"), index=True
    )


class VisitAttachment(TravelsUnique, Base):
    """A photo or scan of a visit, kept under its content hash (services/field/attachments.py)."""

    __tablename__ = "visit_attachment"
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))  # as the user's file was called
    stored: Mapped[str] = mapped_column(String(100))  # hash + suffix in attachments/


class Problem(TravelsUnique, Base):
    """A problem found (on a visit or from the worklist) and its rectification:
    共性 (common: linked to each unit sharing it) or 个性; 待整改 → 整改中 → 已整改 →
    已核验 (with the verifier's note and date)."""

    __tablename__ = "problem"
    __table_args__ = (Index("ix_problem_status", "status", "deadline"),)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    common: Mapped[bool] = mapped_column(Boolean, default=False)
    rectification: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(100), default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    raised_on: Mapped[date] = mapped_column(Date)
    verified_on: Mapped[date | None] = mapped_column(Date)
    verify_note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(40), default="")  # a worklist rule, or ""
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class ProblemEvent(TravelsUnique, Base):
    """One step in a rectification's history: the status it moved from and to (the same
    for a note on progress), the note typed, the day it happened and who recorded it.
    Every note is kept here, whatever the status (migration 0016); a record that never
    changes once written, so it travels between the office and a laptop by its uuid."""

    __tablename__ = "problem_event"
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    happened_on: Mapped[date] = mapped_column(Date)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class ProblemUnit(TravelsUnique, Base):
    """A unit a problem belongs to (one for 个性, several for 共性)."""

    __tablename__ = "problem_unit"
    __table_args__ = (UniqueConstraint("problem_id", "organization_id"),)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )


class FundPayment(TravelsUnique, Base):
    """经费保障: a payment made to a party organization in a year (柳州 000) against one
    of its entitlements (FundKind): when, how much (fen: exact), who paid, a note.
    Migration 0024."""

    __tablename__ = "fund_payment"
    park_id: Mapped[int] = park_id_column()
    # the funds page sums a year's payments per party organization and purpose
    __table_args__ = (Index("ix_fund_payment_year", "year", "party_org_id", "kind", "amount"),)
    year: Mapped[int] = mapped_column(Integer)
    party_org_id: Mapped[int] = mapped_column(
        ForeignKey("party_organization.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # FundKind
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)  # fen
    payer: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class AuditEntry(Base):
    """One changed row. Entries of one user action share a ``change_id``."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete
    summary: Mapped[str] = mapped_column(String(300), default="")
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    entity_uuid: Mapped[str] = mapped_column(String(36), default="")
    before: Mapped[str | None] = mapped_column(Text)  # JSON of the row, NULL on create
    after: Mapped[str | None] = mapped_column(Text)  # JSON of the row, NULL on delete
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    # rows created in bulk (an import) with ids entity_id..last_entity_id: one entry
    # for all of them, not one each (10,000 organizations, 20,000 entries)
    last_entity_id: Mapped[int | None] = mapped_column(Integer)


Index("ix_audit_entity", AuditEntry.entity, AuditEntry.entity_id)
# the few range entries, for a record's history: which bulk creation made it
Index(
    "ix_audit_ranges",
    AuditEntry.entity,
    AuditEntry.entity_id,
    AuditEntry.last_entity_id,
    sqlite_where=AuditEntry.last_entity_id.is_not(None),
)


class ImportLog(Base):
    """One applied import: what file, what it did, and the audit change to undo it."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    file_name: Mapped[str] = mapped_column(String(300))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    sheet: Mapped[str] = mapped_column(String(200))
    data_rows: Mapped[int] = mapped_column(Integer)
    good_rows: Mapped[int] = mapped_column(Integer)
    bad_rows: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    change_id: Mapped[str] = mapped_column(String(36), default="")
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class ImportMapping(Base):
    """How the clerk matched the columns of a sheet, remembered by its headers."""

    __tablename__ = "import_mapping"
    signature: Mapped[str] = mapped_column(String(2000), primary_key=True)
    mapping: Mapped[str] = mapped_column(Text)  # JSON: column letter → field key or ""
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class Submission(Base):
    """A quarterly submission as it was sent: its figures, its file's hash, and a
    snapshot of the registry so the next quarter can say what changed since."""

    __tablename__ = "submission"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[str] = mapped_column(String(6), index=True)
    exported_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    file_name: Mapped[str] = mapped_column(String(300))
    file_hash: Mapped[str] = mapped_column(String(64))
    figures: Mapped[str] = mapped_column(Text)  # JSON
    snapshot: Mapped[str] = mapped_column(Text)  # JSON: uuid → the registry columns


class Park(TravelsUnique, Base):
    """A park: a park database's one row, or in a county database the county itself
    (level county) and each park it adds up. ``source_uuid``: in a county, the uuid of
    the park's own database row, as its ParkDesk workbooks name it (a plain sheet has none)."""

    __tablename__ = "park"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    reporting_unit: Mapped[str] = mapped_column(String(200), default="")  # 党工委
    level: Mapped[str] = mapped_column(String(10), default="park")  # ParkLevel
    source_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class CountySubmission(TravelsUnique, Base):
    """A park's quarterly submission as a county read it. A newer one of the same park
    and quarter replaces it (``replaced_by``); the figures are always computed from its
    units, never taken from the file."""

    __tablename__ = "county_submission"
    __table_args__ = (Index("ix_county_submission_park_quarter", "park_id", "quarter"),)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    quarter: Mapped[str] = mapped_column(String(6))
    source: Mapped[str] = mapped_column(String(10))  # SubmissionSource
    file_name: Mapped[str] = mapped_column(String(300))
    file_hash: Mapped[str] = mapped_column(String(64))
    sheet: Mapped[str] = mapped_column(String(100), default="")
    exported_at: Mapped[datetime | None] = mapped_column(DateTime)  # the park's, if it says
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    units: Mapped[int] = mapped_column(Integer, default=0)
    # the newest published half-year the workbook carries (半年考核), and its 优秀 count
    assessment_period: Mapped[str] = mapped_column(String(6), default="")
    excellent: Mapped[int | None] = mapped_column(Integer)
    replaced_by: Mapped[int | None] = mapped_column(Integer)


class CountyUnit(Base):
    """One unit of a park's submission: what the figures count, as the park reported it."""

    __tablename__ = "county_unit"
    __table_args__ = (
        Index("ix_county_unit_figures", "submission_id", "in_base", "kind", "formation"),
        Index("ix_county_unit_uscc", "uscc"),
        Index("ix_county_unit_name", "name"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("county_submission.id", ondelete="CASCADE")
    )
    sheet_row: Mapped[int] = mapped_column(Integer)
    uscc: Mapped[str] = mapped_column(String(18), default="")
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    formation: Mapped[str] = mapped_column(String(10))
    party_org: Mapped[str] = mapped_column(String(200), default="")
    in_base: Mapped[bool] = mapped_column(Boolean, default=True)
    formal_members: Mapped[int | None] = mapped_column(Integer)
    probationary_members: Mapped[int | None] = mapped_column(Integer)
    activists: Mapped[int | None] = mapped_column(Integer)
    investor_is_member: Mapped[bool | None] = mapped_column(Boolean)
    # an on-duty instructor named in the sheet: the work reaches a unit without an organization
    looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    class_code: Mapped[str | None] = mapped_column(String(1))


class Tombstone(Base):
    """A deleted record that travels (a visit, a problem, scores): its uuid and the
    version it had, so a field package's return, or the other side of a merge,
    learns of the deletion and an edit made meanwhile shows as a conflict."""

    __tablename__ = "tombstone"
    __table_args__ = (UniqueConstraint("entity", "uuid"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    uuid: Mapped[str] = mapped_column(String(36))
    row_version: Mapped[int] = mapped_column(Integer)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    deleted_by: Mapped[str] = mapped_column(String(100), default="")


class PackageLedger(Base):
    """A field package made here, or a return package merged here: which, when, from
    where, and the audit change that undoes the merge. A package merged once is known
    by its id the second time."""

    __tablename__ = "package_ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # field (made here) | return (merged here)
    file_name: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    instructor: Mapped[str] = mapped_column(String(100), default="")
    device: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    summary: Mapped[str] = mapped_column(Text, default="")  # JSON counts
    change_id: Mapped[str] = mapped_column(String(36), default="")


class Correction(TravelsUnique, Base):
    """A correction to the registry suggested in the field (the field database's
    registry is read-only): the unit, the field, the value proposed, a note. It
    travels back in the return package for the clerk to accept or dismiss."""

    __tablename__ = "correction"
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")  # open|accepted|dismissed
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)


class FieldBase(Base):
    """In a field database: each travelling record as it was when the field package
    was made (its version and its values), so the return package carries what the
    instructor changed and the merge can tell a change from a conflict field by field."""

    __tablename__ = "field_base"
    __table_args__ = (UniqueConstraint("entity", "uuid"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    uuid: Mapped[str] = mapped_column(String(36))
    row_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)  # JSON, as a return package writes a record
