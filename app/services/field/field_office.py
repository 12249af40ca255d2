"""What the office knows and a field laptop cannot work out: the one place that decides
how a field database answers for rankings, figures and warnings.

A field database holds only the units of its package (and the units they are paired
with), so anything counted across units would be counted over the package as if it
were the park: a unit published as E类第19名 would come out 第2名，优秀. The office
therefore puts into the field package, beside the database, ``office.json``:

    {
      "version": 1,
      "as_of": "2026-12-07T10:30:00",          # when the office read these (ISO)
      "units": ["<organization uuid>", ...],    # the package's own units (not partners)
      "party_orgs": {"<party org uuid>": 4},    # units each party organization covers
      "periods": {                              # the published periods only
        "2026H1": {
          "scored": 118, "subsidy": "30000",    # the whole park, as published
          "excellent": {"A": 3, "": 0},         # 优秀 per class ("" 未分类)
          "stars": {"5": 3},                    # party organizations per star level (a year)
          "ties": ["E"],                        # classes where a tie crosses third place
          "results": {"<organization uuid>": {"class": "E", "total": "78.5", "rank": 19,
                      "excellent": false, "veto": "", "subsidy": "0", "stars": 0}}
        }
      }
    }

``field_office_make.collect`` writes it; ``check`` checks every key and value (the
field package's opening calls it before anything is written) and ``store`` keeps it
in the field database's settings (``field_office``), outside the tables a published
period freezes. ``view`` is what rank_period, unit_results, headline, the worklist and the
party organizations consult: None in the office's database (the park itself);
on a laptop, the office's published results, and the package's own units, to which
anything the laptop counts itself is limited (and labelled 仅本包单位).
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.db.database import Database
from app.db.queries import field as q
from app.domain.vocabulary import OrgClass, ResultBasis
from app.exchange.packages import PackageError
from app.services.field.field_identity import FIELD_SETTING

FILE = "office.json"  # its name inside a field package
SETTING = "field_office"  # where a field database keeps it
VERSION = 1
_PERIOD = re.compile(r"^\d{4}(H[12])?$")
_CLASSES = {"", *(c.value for c in OrgClass)}
_MAX_UNITS = 200_000  # far above any park: a bigger file is not one ParkDesk wrote
_MAX_AMOUNT = Decimal(10**9)


@dataclass(frozen=True, slots=True)
class Carried:
    """One unit's result in a published period, as the office published it."""

    class_code: str | None
    total: Decimal | None
    rank: int | None
    excellent: bool
    veto: str
    subsidy: Decimal
    stars: int


@dataclass(frozen=True, slots=True)
class CarriedPeriod:
    """A published period as the office published it: the park's totals, and the
    results of the units in the field database (by their id there)."""

    scored: int
    subsidy: Decimal
    excellent: dict[str | None, int]
    stars: dict[int, int]
    ties: frozenset[str | None]
    results: dict[int, Carried]


@dataclass(frozen=True, slots=True)
class FieldView:
    """How a field database answers: the office's results (as of ``as_of``), the
    package's own units, and how many units each party organization covers."""

    as_of: str
    units: frozenset[int] | None  # None: a package from before this was carried
    party_units: dict[int, int]
    periods: dict[str, CarriedPeriod]

    @property
    def date(self) -> str:
        return self.as_of[:10]

    def basis(self, code: str, published: bool) -> ResultBasis:
        """The office's results for a published period it carried; else the package's."""
        return ResultBasis.OFFICE if published and code in self.periods else ResultBasis.PACKAGE

    def note(self, basis: ResultBasis) -> str:
        if basis is ResultBasis.OFFICE:
            return f"{basis.label}，截至{self.date}"
        if basis is ResultBasis.PACKAGE:
            return f"{basis.label}：名次只在本包单位中排，优秀和以奖代补以办公室发布为准"
        return ""

    def in_scope(self, unit_id: int) -> bool:
        return self.units is None or unit_id in self.units


# -- the laptop: checked on opening, stored, read --------------------------------------


def check(raw: bytes, package: str) -> dict[str, Any]:
    """``office.json`` read and checked whole (every key, type and value); PackageError
    naming the package and the place otherwise. The packages' validator calls this."""
    where = f"“{package}”中的办公室考核结果（{FILE}）"
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise PackageError(f"{where}无法读出") from exc
    try:
        _check(data)
    except _Bad as exc:
        raise PackageError(f"{where}有误：{exc}") from None
    return data  # type: ignore[no-any-return]


class _Bad(ValueError):
    pass


def _check(data: object) -> None:
    top = _dict(data, "", {"version", "as_of", "units", "party_orgs", "periods"})
    if top["version"] != VERSION:
        raise _Bad(f"版本{top['version']!r}不是本程序能读的{VERSION}")
    _stamp(top["as_of"])
    units = _list(top["units"], "units")
    for n, u in enumerate(units):
        _uuid(u, f"units第{n + 1}项")
    if len(set(units)) != len(units):
        raise _Bad("units中有重复的单位")
    for key, n in _dict(top["party_orgs"], "party_orgs").items():
        _uuid(key, "party_orgs")
        _count(n, f"party_orgs.{key}")
    periods = _dict(top["periods"], "periods")
    if len(periods) > 1000:
        raise _Bad("periods过多")
    for code, period in periods.items():
        if not _PERIOD.match(str(code)):
            raise _Bad(f"考核期“{code}”不是2026H1、2026H2或2026这样的写法")
        _period(period, f"periods.{code}")


def _period(data: object, at: str) -> None:
    keys = {"scored", "subsidy", "excellent", "stars", "ties", "results"}
    p = _dict(data, at, keys)
    _count(p["scored"], f"{at}.scored")
    _amount(p["subsidy"], f"{at}.subsidy")
    for cls, n in _dict(p["excellent"], f"{at}.excellent").items():
        _class(cls, f"{at}.excellent")
        _count(n, f"{at}.excellent.{cls}")
    for stars, n in _dict(p["stars"], f"{at}.stars").items():
        if stars not in {"1", "2", "3", "4", "5"}:
            raise _Bad(f"{at}.stars的“{stars}”不是1至5星")
        _count(n, f"{at}.stars.{stars}")
    for cls in _list(p["ties"], f"{at}.ties"):
        _class(cls, f"{at}.ties")
    results = _dict(p["results"], f"{at}.results")
    for key, r in results.items():
        _uuid(key, f"{at}.results")
        _result(r, f"{at}.results.{key}")


def _result(data: object, at: str) -> None:
    keys = {"class", "total", "rank", "excellent", "veto", "subsidy", "stars"}
    r = _dict(data, at, keys)
    _class(r["class"], f"{at}.class")
    if r["total"] is not None:
        _amount(r["total"], f"{at}.total")
    if r["rank"] is not None and (_count(r["rank"], f"{at}.rank") < 1):
        raise _Bad(f"{at}.rank应为正整数")
    if not isinstance(r["excellent"], bool):
        raise _Bad(f"{at}.excellent应为true或false")
    if not isinstance(r["veto"], str) or len(r["veto"]) > 200:
        raise _Bad(f"{at}.veto应为不超过200字的文字")
    _amount(r["subsidy"], f"{at}.subsidy")
    if _count(r["stars"], f"{at}.stars") > 5:
        raise _Bad(f"{at}.stars应为0至5")
    if r["excellent"] and (r["rank"] is None or r["veto"] or r["total"] is None):
        raise _Bad(f"{at}：没有名次、未评分或被否决的单位不能是优秀")


def _dict(value: object, at: str, keys: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{at or '内容'}应为对象")
    if keys is not None and set(value) != keys:
        missing, extra = keys - set(value), set(value) - keys
        what = f"缺少{'、'.join(sorted(missing))}" if missing else f"多出{'、'.join(sorted(extra))}"
        raise _Bad(f"{at or '内容'}{what}")
    if len(value) > _MAX_UNITS:
        raise _Bad(f"{at}的项数过多")
    return value


def _list(value: object, at: str) -> list[Any]:
    if not isinstance(value, list) or len(value) > _MAX_UNITS:
        raise _Bad(f"{at}应为不超过{_MAX_UNITS}项的列表")
    return value


def _uuid(value: object, at: str) -> None:
    try:
        ok = isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        ok = False
    if not ok:
        raise _Bad(f"{at}的“{str(value)[:40]}”不是记录的标识（UUID）")


def _count(value: object, at: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_UNITS:
        raise _Bad(f"{at}应为0至{_MAX_UNITS}的整数")
    return value


def _amount(value: object, at: str) -> Decimal:
    try:
        number = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= _MAX_AMOUNT:
        raise _Bad(f"{at}的“{str(value)[:40]}”不是0至{_MAX_AMOUNT}的数")
    return number


def _class(value: object, at: str) -> None:
    if value not in _CLASSES:
        raise _Bad(f"{at}的“{str(value)[:40]}”不是分类（A至E，或空为未分类）")


def _stamp(value: object) -> None:
    try:
        datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Bad(f"as_of的“{str(value)[:40]}”不是日期时间") from None


def store(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    """Keep what ``check`` passed in the field database (in the caller's transaction)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    conn.execute(q.SETTING_PUT, (SETTING, text))


def view(conn: sqlite3.Connection) -> FieldView | None:
    """How this database answers: None in the office's; on a laptop, what the office
    carried (none in a package from before it was carried: then only the package's)."""
    found = dict(conn.execute(q.SETTINGS_TWO, (FIELD_SETTING, SETTING)))
    if FIELD_SETTING not in found:
        return None
    if SETTING not in found:
        made = json.loads(found[FIELD_SETTING]).get("made_at", "")
        return FieldView(str(made), None, {}, {})
    data = json.loads(found[SETTING])
    units = dict(conn.execute(q.ORGANIZATION_IDS_BY_UUID))
    party = dict(conn.execute(q.PARTY_ORG_IDS_BY_UUID))
    return FieldView(
        data["as_of"],
        frozenset(units[u] for u in data["units"] if u in units),
        {party[u]: n for u, n in data["party_orgs"].items() if u in party},
        {code: _carried(p, units) for code, p in data["periods"].items()},
    )


def _carried(p: dict[str, Any], units: dict[str, int]) -> CarriedPeriod:
    return CarriedPeriod(
        p["scored"],
        Decimal(p["subsidy"]),
        {c or None: n for c, n in p["excellent"].items()},
        {int(s): n for s, n in p["stars"].items()},
        frozenset(c or None for c in p["ties"]),
        {
            units[u]: Carried(
                r["class"] or None,
                None if r["total"] is None else Decimal(r["total"]),
                r["rank"],
                r["excellent"],
                r["veto"],
                Decimal(r["subsidy"]),
                r["stars"],
            )
            for u, r in p["results"].items()
            if u in units
        },
    )


def field_view(db: Database) -> FieldView | None:
    with db.read_connection() as conn:
        return view(conn)


def _sizes(db: Database) -> tuple[int, int] | None:
    """(units in the field database, the package's own among them); None: the park."""
    found = field_view(db)
    if found is None:
        return None
    with db.read_connection() as conn:
        shown = conn.execute(q.ORGANIZATION_COUNT).fetchone()[0]
    return shown, shown if found.units is None else len(found.units)


def figures_note(db: Database) -> str | None:
    """What the figures on a laptop count (None: the park's figures)."""
    sizes = _sizes(db)
    if sizes is None:
        return None
    shown, own = sizes
    partners = f"（外业包{own}个，另{shown - own}个为结对单位）" if shown > own else ""
    return f"{ResultBasis.PACKAGE.label}：只统计本机的{shown}个单位{partners}，不是全园的数字"


def warnings_note(db: Database) -> str | None:
    """What the worklist on a laptop lists (None: the park's)."""
    sizes = _sizes(db)
    if sizes is None:
        return None
    return (
        f"{ResultBasis.PACKAGE.label}：只列外业包中{sizes[1]}个单位的预警；"
        "联合党支部覆盖的单位数按办公室的台账"
    )
