"""The assessments' queries: the periods and their schemes, a period's ranking and
entry grid, a unit's results, what publishing freezes, the term rule's veto, the
score workbook in and out, and the park's assessment settings.

Plain text, no SQLAlchemy: the overview's headline and the rankings read the periods
before SQLAlchemy is loaded (start-up time; app/services/assessment/periods.py).
Aliases: ``o`` an organization, ``sc`` its score in a period, ``p`` a period,
``s`` a scheme. ``ids_in`` takes a JSON list of ids or codes; SQLite's own words come
from app/db/dialect.py."""

from __future__ import annotations

from app.db.dialect import days_after, ids_in, indexed_by, later_date, same_as, years_after
from app.db.queries.registry import SETTING_SQL

# -- the periods ----------------------------------------------------------------

# (id, published, scheme name, version, definition) of a period, by its code
PERIOD_ROW = (
    "SELECT p.id, p.published, s.name, s.version, s.definition FROM assessment_period p"
    " JOIN assessment_scheme s ON s.id = p.scheme_id WHERE p.code = ?"
)
PERIOD_ID = "SELECT id FROM assessment_period WHERE code = ?"
PERIOD_CODES = "SELECT code FROM assessment_period"
PUBLISHED_CODES = "SELECT code FROM assessment_period WHERE published"
# id → (code, uuid) of every published period
PUBLISHED_PERIODS = "SELECT id, code, uuid FROM assessment_period WHERE published"
# the scheme's name of a period, by its code
PERIOD_SCHEME_NAME = (
    "SELECT s.name FROM assessment_period p JOIN assessment_scheme s"
    " ON s.id = p.scheme_id WHERE p.code = ?"
)
# a scheme's newest version, by its name
NEWEST_SCHEME = (
    "SELECT version, definition FROM assessment_scheme WHERE name = ? ORDER BY version DESC LIMIT 1"
)
# the 以奖代补 a published period kept (JSON: class → yuan)
PERIOD_SUBSIDY = "SELECT subsidy FROM assessment_period WHERE id = ?"
PERIOD_PASS_LINE = "SELECT pass_line FROM assessment_period WHERE id = ?"

# -- a period's ranking and its entry grid ------------------------------------------

# while a period is open a unit is ranked in the class it has now, once published in the
# class it had then (o: the organization, sc: its score in the period, if any)
RANKED_CLASS = (
    "CASE WHEN :published AND sc.organization_id IS NOT NULL"
    " THEN sc.class_code ELSE o.class_code END"
)
# the score's period, unit, total, class and veto: a period's ranking read from the index
_RANKING_INDEX = "ix_assessment_score_ranking"
# every unit on the register, with its score in the period if any: class by class,
# best first (the ranking counts as the rows come)
RANKING_UNITS = f"""
SELECT o.id, o.uscc, o.name, {RANKED_CLASS},
       sc.total_tenths, coalesce(sc.veto, ''), o.party_org_id
FROM organization o
LEFT JOIN {indexed_by("assessment_score sc", _RANKING_INDEX)}
     ON sc.organization_id = o.id AND sc.period_id = :period
WHERE o.status = 'active' OR sc.organization_id IS NOT NULL
ORDER BY 4, sc.total_tenths DESC, o.id
"""
# a laptop's units, for the results the office carried
UNITS_BY_ID = "SELECT id, uscc, name FROM organization ORDER BY id"
# each unit on the register's class now (the yearly review's proposals)
ACTIVE_CLASSES = "SELECT id, class_code FROM organization WHERE status = 'active'"
# every unit to score in the period, what is stored for it (the entry grid)
GRID_ROWS = (
    "SELECT o.id, o.uscc, o.name,"
    f" {RANKED_CLASS},"
    " sc.scores, sc.bonus, sc.veto, sc.note, o.party_org_id, sc.entered_by"
    " FROM organization o LEFT JOIN assessment_score sc"
    " ON sc.organization_id = o.id AND sc.period_id = :period"
    " WHERE o.status = 'active' OR sc.id IS NOT NULL"
)
# the units rank_period lists (active, or scored) whose total is missing, by class
UNSCORED_BY_CLASS = (
    "SELECT o.class_code, count(*) FROM organization o LEFT JOIN assessment_score sc"
    " ON sc.organization_id = o.id AND sc.period_id = ?"
    " WHERE (o.status = 'active' OR sc.organization_id IS NOT NULL)"
    " AND sc.total_tenths IS NULL"
    " GROUP BY o.class_code ORDER BY o.class_code IS NULL, o.class_code"
)

# -- one unit's results ---------------------------------------------------------------

# the class a unit is ranked in: the one stored with the score once published
_EFFECTIVE_CLASS = "CASE WHEN p.published THEN sc.class_code ELSE o.class_code END"
# a unit's scores over the periods, each with its period and scheme
UNIT_SCORES = (
    f"SELECT p.id, p.code, p.published, s.name, s.version, s.definition,"
    f" {_EFFECTIVE_CLASS}, sc.total_tenths, sc.veto, o.party_org_id"
    " FROM assessment_score sc JOIN assessment_period p ON p.id = sc.period_id"
    " JOIN assessment_scheme s ON s.id = p.scheme_id"
    " JOIN organization o ON o.id = sc.organization_id WHERE sc.organization_id = ?"
)


def units_above(published: bool) -> str:
    """The units of a class (``IS ?``: 未分类 too) scored above a total and not vetoed
    by an entered veto: a published period ranks by the class stored with the score
    (the covering index answers without the organization's row)."""
    where = "sc.class_code" if published else "o.class_code"
    return (
        f"SELECT o.id, o.party_org_id FROM {indexed_by('assessment_score sc', _RANKING_INDEX)}"
        " JOIN organization o ON o.id = sc.organization_id"
        f" WHERE sc.period_id = ? AND {same_as(where, '?')}"
        " AND sc.total_tenths > ? AND sc.veto = ''"
    )


# -- the term rule's veto (未按期换届) -----------------------------------------------


def overdue_elections(among: bool) -> str:
    """Party organizations whose election may be overdue on a day (?): a generous first
    cut (a few days' margin) that terms.election_status decides; ``among``: of the ids
    given as a JSON list (a second parameter)."""
    only = f" AND {ids_in('id')}" if among else ""
    due = later_date(years_after("last_election", "term_years"), "postponed_until")
    return (
        "SELECT id, last_election, term_years, postponed_until FROM party_organization"
        f" WHERE last_election IS NOT NULL AND {due} < {days_after('?', 5)}{only}"
    )


# the uuids of a period's scored units whose party organization is among those given
SCORED_UNITS_OF_PARTY_ORGS = (
    "SELECT o.uuid FROM assessment_score sc JOIN organization o ON o.id = sc.organization_id"
    f" WHERE sc.period_id = ? AND {ids_in('o.party_org_id')}"
    " ORDER BY o.uuid"
)
# the units the rule vetoed on publishing (uuids, JSON), kept with the period
TERM_VETOED = "SELECT term_vetoed FROM assessment_period WHERE id = ?"
UNITS_BY_UUID = f"SELECT id FROM organization WHERE {ids_in('uuid')}"

# -- a published period frozen --------------------------------------------------------

# the periods, by code, in which a unit's scores are published
UNIT_PUBLISHED_CODES = (
    "SELECT p.code FROM assessment_score sc JOIN assessment_period p ON p.id = sc.period_id"
    " WHERE sc.organization_id = ? AND p.published ORDER BY p.code"
)
# the schemes a published period was ranked by: id → period code
PUBLISHED_SCHEMES = (
    "SELECT s.id, p.code FROM assessment_scheme s"
    " JOIN assessment_period p ON p.scheme_id = s.id WHERE p.published"
)
PUBLISHED_SCHEME_UUIDS = (
    "SELECT s.uuid FROM assessment_scheme s"
    " JOIN assessment_period p ON p.scheme_id = s.id WHERE p.published"
)
# the units (uuids) scored in a published period
PUBLISHED_SCORED_UNITS = (
    "SELECT o.uuid FROM organization o JOIN assessment_score sc"
    " ON sc.organization_id = o.id JOIN assessment_period p ON p.id = sc.period_id"
    " WHERE p.published"
)
# the periods of a range of scores created in bulk, and of one score
SCORE_RANGE_PERIODS = "SELECT DISTINCT period_id FROM assessment_score WHERE id BETWEEN ? AND ?"
SCORE_PERIOD = "SELECT period_id FROM assessment_score WHERE id = ?"
PERIOD_BY_ID = "SELECT * FROM assessment_period WHERE id = ?"

# -- the score workbook -----------------------------------------------------------

# the template to fill: every unit on the register with what is entered so far
TEMPLATE_ROWS = (
    "SELECT o.uscc, o.name, o.class_code, sc.scores, sc.bonus, sc.veto, sc.note"
    " FROM organization o LEFT JOIN assessment_score sc"
    " ON sc.organization_id = o.id AND sc.period_id = ?"
    " WHERE o.status = 'active'"
)
# the units on the register a score sheet may name
REGISTER = "SELECT id, uscc, name, class_code FROM organization WHERE status = 'active'"
# ... of the credit codes, or the names, given (a JSON list)
REGISTER_BY_USCC = REGISTER + f" AND {ids_in('uscc')}"
REGISTER_BY_NAME = REGISTER + f" AND {ids_in('name')}"
# a period's stored scores, all of them or of the units given (a JSON list)
_SCORES = (
    "SELECT id, organization_id, scores, bonus, veto, note, total_tenths FROM assessment_score"
)
PERIOD_SCORES = _SCORES + " WHERE period_id = ?"
PERIOD_SCORES_OF = _SCORES + f" WHERE period_id = ? AND {ids_in('organization_id')}"


def update_scores(columns: tuple[str, ...]) -> str:
    """One score row's ``columns`` set by id, a new version of the row (field packages
    tell conflicts by it)."""
    sets = ", ".join(f"{c} = ?" for c in columns)
    return f"UPDATE assessment_score SET {sets}, row_version = row_version + 1 WHERE id = ?"


# -- the settings -------------------------------------------------------------------

# one setting's value, by its key
SETTING_VALUE = SETTING_SQL  # one setting read, written once (registry.py)
