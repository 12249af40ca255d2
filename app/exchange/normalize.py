"""Cell values as clerks type them, turned into registry values.

Each function takes the raw cell (str, int, float, date, datetime, bool) and
returns the value, or raises CellProblem with a reason code and a Chinese
message. Blank cells never get here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar, cast

from app.domain import uscc as uscc_rules
from app.domain.dates import DateError, parse_date
from app.domain.validation import count_too_large
from app.domain.vocabulary import (
    Formation,
    LabeledEnum,
    NoPartyOrgReason,
    OrgClass,
    OrgKind,
    OrgStatus,
    Scale,
    SocialSubtype,
    parse_yes_no,
)
from app.exchange.fields import ValueKind
from app.exchange.reader import ERROR_VALUES

_EXCEL_EPOCH = date(1899, 12, 30)
# 18 upper-case letters and digits: what uscc.normalize would give back unchanged
_PLAIN_CODE = re.compile(r"[0-9A-Z]{18}")
E = TypeVar("E", bound=LabeledEnum)


class CellProblem(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def cell_text(value: object) -> str:
    """A cell as text; whole numbers without “.0” (phone numbers typed as numbers)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _nfkc(value: object) -> str:
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def norm_text(value: object) -> str:
    return cell_text(value)


def norm_name(value: object) -> str:
    name = cell_text(value).strip()
    if not name:
        raise CellProblem("name_missing", "组织名称为空")
    return name


def norm_uscc(value: object) -> str:
    # a code as the registry stores it (most cells) needs no normalising
    if value.__class__ is str and _PLAIN_CODE.fullmatch(value):  # type: ignore[arg-type]
        code = cast(str, value)
    else:
        code = uscc_rules.normalize(cell_text(value))
    problem = uscc_rules.check(code)
    if problem is None:
        return code
    if problem.code == "check_char":
        raise CellProblem("uscc_check_digit", problem.message)
    raise CellProblem("uscc_format", problem.message)


def norm_kind(value: object) -> tuple[OrgKind, SocialSubtype | None]:
    text = _nfkc(value)
    kind = OrgKind.from_text(text)
    if kind is None:
        raise CellProblem(
            "kind_unknown",
            f"组织类型“{text}”无法识别，应为非公企业或社会组织（社会团体、民办非企业单位、基金会）",
        )
    return kind, SocialSubtype.from_text(text)  # type: ignore[return-value]


def norm_count(value: object) -> int:
    count = _count(value)
    too_large = count_too_large(count)
    if too_large:
        raise CellProblem("count_too_large", f"人数{too_large}")
    return count


def _count(value: object) -> int:
    if isinstance(value, bool):
        raise CellProblem("count_not_numeric", f"“{value}”不是人数")
    if isinstance(value, int | float):
        if value < 0:
            raise CellProblem("count_negative", f"人数不能为负数（{cell_text(value)}）")
        if not float(value).is_integer():
            raise CellProblem("count_not_numeric", f"人数应为整数（{value}）")
        return int(value)
    text = _nfkc(value)
    if text in ERROR_VALUES:
        raise CellProblem("formula_error", f"公式结果为错误值 {text}")
    text = re.sub(r"\s*(人|名|个)$", "", text)
    if re.fullmatch(r"-\s*\d+(\.0+)?", text):
        raise CellProblem("count_negative", f"人数不能为负数（{cell_text(value)}）")
    if not re.fullmatch(r"\d+(\.0+)?", text):
        raise CellProblem("count_not_numeric", f"“{cell_text(value)}”不是人数，请填写整数")
    return int(float(text))


def norm_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if 1900 <= number < 2100 and not number.is_integer():
            # 2019.3 typed as a number: year and month (2019.1 may be October: taken as January)
            year = int(number)
            month = round((number - year) * 100)
            month = month // 10 if month % 10 == 0 else month
            if 1 <= month <= 12:
                return date(year, month, 1)
        if 1 <= number < 2958466 and number.is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(number))  # an Excel serial day
        raise CellProblem("date_invalid", f"“{cell_text(value)}”不是日期")
    text = _nfkc(value)
    if text in ERROR_VALUES:
        raise CellProblem("formula_error", f"公式结果为错误值 {text}")
    try:
        parsed = parse_date(text)
    except DateError as exc:
        reason = (
            "date_impossible" if re.match(r"^\d{4}\D+\d{1,2}\D+\d{1,2}", text) else "date_invalid"
        )
        raise CellProblem(reason, str(exc)) from exc
    assert parsed is not None
    return parsed


def norm_yes_no(value: object) -> bool:
    answer = parse_yes_no(_nfkc(value))
    if answer is None:
        raise CellProblem("yes_no_unknown", f"“{cell_text(value)}”应为是或否")
    return answer


def norm_scale(value: object) -> Scale:
    text = _nfkc(value)
    scale = Scale.from_text(text)
    if scale is None:
        answer = parse_yes_no(text)
        if answer is not None:
            return Scale.ABOVE if answer else Scale.BELOW
        raise CellProblem("scale_unknown", f"企业规模“{text}”应为规上或规下")
    return scale  # type: ignore[return-value]


def _member(enum: type[E], value: object, reason: str, what: str, expected: str) -> E:
    """The member of ``enum`` a cell names (by label or alias), or a CellProblem
    saying what the column expects."""
    text = _nfkc(value)
    member = enum.from_text(text)
    if member is None:
        raise CellProblem(reason, f"{what}“{text}”应为{expected}")
    return cast(E, member)


def norm_formation(value: object) -> Formation:
    expected = "单独组建、联合组建、挂靠组建或未建"
    return _member(Formation, value, "formation_unknown", "组建方式", expected)


def norm_class(value: object) -> str:
    text = _nfkc(value).upper()
    member = OrgClass.from_text(text) or OrgClass.from_text(text[:1])
    if member is None:
        raise CellProblem("class_unknown", f"分类“{text}”应为A、B、C、D、E之一")
    return member.value


def norm_subtype(value: object) -> str:
    expected = "社会团体、民办非企业单位或基金会"
    return _member(SocialSubtype, value, "subtype_unknown", "社会组织类别", expected).value


def norm_reason(value: object) -> str:
    expected = "：" + "、".join(NoPartyOrgReason.labels())
    return _member(NoPartyOrgReason, value, "reason_unknown", "未建党组织原因", expected).value


NAME_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def norm_names(value: object) -> list[str]:
    return [n for n in NAME_SEPARATORS.split(cell_text(value)) if n]


def norm_status(value: object) -> OrgStatus:
    return _member(OrgStatus, value, "status_unknown", "状态", "在册、注销或迁出")


NORMALIZERS: dict[ValueKind, Callable[[object], object]] = {
    ValueKind.TEXT: norm_text,
    ValueKind.NAME: norm_name,
    ValueKind.USCC: norm_uscc,
    ValueKind.ORG_KIND: norm_kind,
    ValueKind.COUNT: norm_count,
    ValueKind.DATE: norm_date,
    ValueKind.YES_NO: norm_yes_no,
    ValueKind.SCALE: norm_scale,
    ValueKind.FORMATION: norm_formation,
    ValueKind.CLASS: norm_class,
    ValueKind.STATUS: norm_status,
    ValueKind.SOCIAL_SUBTYPE: norm_subtype,
    ValueKind.NO_ORG_REASON: norm_reason,
    ValueKind.NAMES: norm_names,
}
