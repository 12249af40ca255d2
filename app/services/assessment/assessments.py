"""Half-year assessments as use cases (issue 12, first part): schemes stored as
versioned data, periods opened against a version, scores entered (checked, exact,
audited), the ranking within each class, publish and reopen."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db.database import Database
from app.db.models import AssessmentPeriod, AssessmentScheme, AssessmentScore, Organization
from app.domain.assessment import (
    PRESETS,
    Scheme,
    UnitScores,
    parse_score,
    period_issue,
    scheme_from_json,
    scheme_to_json,
    tenths,
    total_of,
)
from app.domain.validation import FieldIssue, ValidationError
from app.services.assessment.periods import period_codes as period_codes
from app.services.assessment.periods import period_row as period_row
from app.services.assessment.periods import published_codes as published_codes
from app.services.assessment.published import refuse_if_published
from app.services.assessment.term_rule import vetoed_on_publishing
from app.services.files.audit import Change, snapshot
from app.services.registry.records import get_record


def _ensure_presets(s: Session) -> None:
    """The two presets, written the first time schemes are asked for (editable after)."""
    known = set(s.scalars(select(AssessmentScheme.name)))
    for scheme in PRESETS:
        if scheme.name not in known:
            s.add(AssessmentScheme(name=scheme.name, version=1, definition=scheme_to_json(scheme)))


def list_schemes(db: Database) -> list[Scheme]:
    """Every scheme's newest version, by name."""
    with db.session() as s:
        _ensure_presets(s)
        s.flush()
        newest = (
            select(AssessmentScheme.name, func.max(AssessmentScheme.version))
            .group_by(AssessmentScheme.name)
            .subquery()
        )
        rows = s.execute(
            select(AssessmentScheme).join(
                newest,
                (newest.c.name == AssessmentScheme.name)
                & (newest.c[1] == AssessmentScheme.version),
            )
        ).scalars()
        return sorted(
            (scheme_from_json(r.name, r.version, r.definition) for r in rows), key=lambda x: x.name
        )


def save_scheme(db: Database, scheme: Scheme) -> int:
    """Store a scheme edited in the window: in place while no period uses its newest
    version, else as a new version (scores stay tied to what they were entered against).
    Returns the version now current."""
    with db.session() as s:
        _ensure_presets(s)
        s.flush()
        current = s.scalars(
            select(AssessmentScheme)
            .where(AssessmentScheme.name == scheme.name)
            .order_by(AssessmentScheme.version.desc())
        ).first()
        used = current is not None and s.scalar(
            select(func.count())
            .select_from(AssessmentPeriod)
            .where(AssessmentPeriod.scheme_id == current.id)
        )
        change = Change(s, f"修改考核方案“{scheme.name}”")
        if current is not None and not used:
            before = snapshot(current)
            current.definition = scheme_to_json(scheme)
            change.updated(current, before)
            return current.version
        version = (current.version + 1) if current is not None else 1
        row = AssessmentScheme(name=scheme.name, version=version, definition=scheme_to_json(scheme))
        s.add(row)
        change.created(row)
        return version


def open_period(db: Database, code: str, scheme_name: str) -> int:
    """A period (2026H1, 2026H2, 2026) scored against the scheme's newest version."""
    issue = period_issue(code)
    if issue is not None:
        raise ValidationError([issue])
    code = code.strip().upper()
    with db.session() as s:
        _ensure_presets(s)
        s.flush()
        if s.scalar(select(AssessmentPeriod.id).where(AssessmentPeriod.code == code)):
            raise ValidationError([FieldIssue("period", f"考核期{code}已存在", "period_exists")])
        scheme = s.scalars(
            select(AssessmentScheme)
            .where(AssessmentScheme.name == scheme_name)
            .order_by(AssessmentScheme.version.desc())
        ).first()
        if scheme is None:
            raise ValidationError(
                [FieldIssue("scheme", f"没有考核方案“{scheme_name}”", "scheme_unknown")]
            )
        period = AssessmentPeriod(code=code, scheme_id=scheme.id)
        s.add(period)
        Change(s, f"开始{code}考核（{scheme_name}）").created(period)
        return period.id


def _period(s: Session, code: str) -> tuple[AssessmentPeriod, Scheme]:
    period = s.scalars(
        select(AssessmentPeriod).where(AssessmentPeriod.code == code.upper())
    ).first()
    if period is None:
        raise LookupError(f"没有考核期{code}")
    row = get_record(s, AssessmentScheme, period.scheme_id)
    return period, scheme_from_json(row.name, row.version, row.definition)


def scheme_of(db: Database, code: str) -> Scheme:
    with db.reading() as s:
        return _period(s, code)[1]


@dataclass(slots=True)
class ScoreEntry:
    """What the grid or a workbook row gives for one unit (cells as typed)."""

    scores: Mapping[str, object]
    bonus: object = ""
    veto: str = ""
    note: str = ""


def checked_scores(
    scheme: Scheme, entry: ScoreEntry
) -> tuple[dict[str, str], Decimal, list[FieldIssue]]:
    issues: list[FieldIssue] = []
    values: dict[str, str] = {}
    for indicator in scheme.indicators:
        value, issue = parse_score(
            entry.scores.get(indicator.name), indicator.maximum, indicator.name
        )
        if issue is not None:
            issues.append(issue)
        elif value is not None:
            values[indicator.name] = str(value)
    bonus, issue = parse_score(entry.bonus, scheme.bonus_cap, "bonus", scheme.bonus_name)
    if issue is not None:
        issues.append(issue)
    if entry.veto and entry.veto not in scheme.vetoes:
        message = f"“{entry.veto}”不是本方案的否决项（{'、'.join(scheme.vetoes) or '无'}）"
        issues.append(FieldIssue("veto", message, "veto_unknown"))
    return values, bonus or Decimal(0), issues


def total_tenths(scheme: Scheme, values: Mapping[str, str], bonus: Decimal) -> int | None:
    """The total SQLite ranks by (tenths of a point), None while a score is missing."""
    total, _missing = total_of(
        scheme, UnitScores(0, None, {k: Decimal(v) for k, v in values.items()}, bonus)
    )
    return None if total is None else tenths(total)


def set_scores(db: Database, code: str, org_id: int, entry: ScoreEntry) -> None:
    """One unit's scores in a period, checked as a whole (nothing saved if any cell is
    wrong); refused while the period is published."""
    set_many(db, code, {org_id: entry})


def set_many(db: Database, code: str, entries: Mapping[int, ScoreEntry]) -> None:
    """Several units' scores (a block pasted into the grid) as one undoable change:
    every entry is checked first and nothing is saved if any is wrong."""
    with db.session() as s:
        period, scheme = _period(s, code)
        refuse_if_published(period.published, period.code)
        checked = {}
        for org_id, entry in entries.items():
            values, bonus, issues = checked_scores(scheme, entry)
            if issues:
                raise ValidationError(issues)
            checked[org_id] = (values, bonus, entry)
        orgs = {
            o.id: o for o in s.scalars(select(Organization).where(Organization.id.in_(checked)))
        }
        rows = {
            r.organization_id: r
            for r in s.scalars(
                select(AssessmentScore).where(
                    AssessmentScore.period_id == period.id,
                    AssessmentScore.organization_id.in_(checked),
                )
            )
        }
        names = "、".join(orgs[i].name for i in list(checked)[:3] if i in orgs)
        more = f"等{len(checked)}个单位" if len(checked) > 3 else ""
        change = Change(s, f"{period.code}考核评分：“{names}”{more}")
        for org_id, (values, bonus, entry) in checked.items():
            org = orgs.get(org_id) or get_record(s, Organization, org_id)
            _write(s, change, period, scheme, org, rows.get(org_id), values, bonus, entry)


def _write(
    s: Session,
    change: Change,
    period: AssessmentPeriod,
    scheme: Scheme,
    org: Organization,
    row: AssessmentScore | None,
    values: dict[str, str],
    bonus: Decimal,
    entry: ScoreEntry,
) -> None:
    before = snapshot(row) if row is not None else None
    row = row or AssessmentScore(period_id=period.id, organization_id=org.id)
    row.class_code = org.class_code
    row.scores = json.dumps(values, ensure_ascii=False, sort_keys=True)
    row.bonus, row.veto, row.note = str(bonus), entry.veto, entry.note.strip()
    row.total_tenths = total_tenths(scheme, values, bonus)
    row.entered_by, row.updated_at = change.actor, datetime.now()
    row.changed_by = change.actor
    if before is None:
        s.add(row)
        change.created(row)
    else:
        row.row_version = (row.row_version or 1) + 1  # a field package's conflicts are told by it
        change.updated(row, before)


def set_published(db: Database, code: str, published: bool) -> None:
    """发布 (locked: no edits) or 重新打开, both audited."""
    with db.session() as s:
        period, scheme = _period(s, code)
        before = snapshot(period)
        # the class each unit has on publishing is written while the period is still
        # open: once published its scores are frozen (app/db/published_guard.py)
        if published and not period.published:  # ranked from now on in that class
            s.execute(
                update(AssessmentScore)
                .where(AssessmentScore.period_id == period.id)
                .values(
                    class_code=select(Organization.class_code)
                    .where(Organization.id == AssessmentScore.organization_id)
                    .scalar_subquery()
                )
            )
        if published and not period.published:  # 以奖代补 as it is on publishing
            from app.services.assessment.assessment_settings import get_settings

            amounts = get_settings(db).subsidy
            period.subsidy = json.dumps({k: str(v) for k, v in sorted(amounts.items())})
            conn = s.connection().connection.driver_connection
            period.term_vetoed = vetoed_on_publishing(conn, period.id, scheme, period.code)
            period.pass_line = str(scheme.pass_line)  # 优秀's line as published
        period.published = published
        Change(s, f"{'发布' if published else '重新打开'}{period.code}考核").updated(period, before)


def ensure_period(db: Database, code: str) -> None:
    """Open ``code`` with the scheme the park's settings give its kind, unless it is open."""
    from app.services.assessment.assessment_settings import get_settings

    issue = period_issue(code)
    if issue is not None:
        raise ValidationError([issue])
    if code.strip().upper() not in period_codes(db):
        open_period(db, code, get_settings(db).scheme_for(code))
