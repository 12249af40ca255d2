"""The sheets of the yearly workbook (年度报表), each written from the services' own
numbers: the figures as `stats` gives them, the two half-years' rankings as published,
the party organizations' stars as `assess stars`, the class moves as `classes history`,
the visits and rectification as the 走访 page counts them. Each writer takes a YearBook
(year_book.py); yearly.YEAR_SHEETS lists them in the workbook's order."""

from __future__ import annotations

from typing import Any

from app import __version__
from app.domain.assessment import halves_of
from app.domain.vocabulary import VisitKind, class_label, demo_site_text
from app.exchange.export import figures_sheet
from app.services.workbooks.year_book import YearBook

FIGURES_SHEET = "年度数字"
HALF_SHEETS = ("上半年考核", "下半年考核")
STARS_SHEET = "星级党组织"
REVIEW_SHEET = "分类复核"
VISITS_SHEET = "走访整改"


def write_figures(book: YearBook) -> None:
    """年度数字: the coverage figures, party organizations, classes and instructors, the
    same numbers as `stats` (counts as integers, rates as shown, by the park's rule)."""
    from app.services.registry.park import get_rounding
    from app.services.workbooks.submissions import figures_of

    figures = figures_of(book.db, get_rounding(book.db))
    info = [
        ("报送单位", book.committee_name or book.park_name),
        ("所属年度", f"{book.year}年"),
        ("台账截至", book.today),  # the registry as it stands at the export
        ("生成程序", f"ParkDesk {__version__}"),
    ]
    title = f"{book.park_name}两新组织党建工作{book.year}年度数字"
    figures_sheet(book.wb, book.formats, FIGURES_SHEET, title, info, figures)


def write_first_half(book: YearBook) -> None:
    _half(book, 0)


def write_second_half(book: YearBook) -> None:
    _half(book, 1)


def _half(book: YearBook, half: int) -> None:
    """A half-year's results as published: within each class the rank, total, 优秀 and
    以奖代补, and the stars when the scheme has bands; 未发布 / 未开设 said instead."""
    from app.services.assessment.assessment_exports import (
        RANKING_HEADERS,
        STARS_HEADER,
        ranking_rows,
    )

    code = halves_of(book.year)[half]
    title = f"{book.park_name}{code}半年考核结果（分类排名）"
    state = _state(book, code)
    if state:
        why = (
            f"没有{code}考核期"
            if state == NOT_OPENED
            else f"{code}考核尚未发布：发布后再导出年度报表"
        )
        _unknown(book, HALF_SHEETS[half], title, RANKING_HEADERS, state, why)
        return
    ranking = book.ranking(code)
    stars = bool(ranking.scheme.star_bands)
    headers = (*RANKING_HEADERS, STARS_HEADER) if stars else RANKING_HEADERS
    # a blank is no cell (the ranking's "" would be an empty text in every such cell)
    rows = [[None if v == "" else v for v in row] for row in ranking_rows(ranking, stars)]
    book.table(HALF_SHEETS[half], title, headers, rows)


NOT_OPENED, NOT_PUBLISHED = "未开设", "未发布"


def _state(book: YearBook, code: str) -> str:
    """ "" for a published period, else 未开设 / 未发布 (read before ranking anything)."""
    from app.services.assessment.periods import period_row

    try:
        with book.db.read_connection() as conn:
            _pid, published, _scheme = period_row(conn, code)
    except LookupError:
        return NOT_OPENED
    return "" if published else NOT_PUBLISHED


def _unknown(book: YearBook, name: str, title: str, headers: Any, state: str, why: str) -> None:
    """A sheet whose results are not there to give: the state in its title and its row."""
    row = [state, *([None] * (len(headers) - 2)), why]
    book.table(name, f"{title}（{state}）", headers, [row])


STAR_HEADERS = (
    ("党组织名称", 34),
    ("组建方式", 10),
    ("类型", 12),
    ("年度得分", 8),
    ("星级", 6),
    ("上年星级", 8),
    ("升降", 8),
    ("一票否决", 12),
    ("单位数", 6),
    ("覆盖单位", 40),
    ("示范点", 14),
)


def write_stars(book: YearBook) -> None:
    """星级党组织: each party organization once, rated on its units' annual totals, with
    its stars of the year before and the counts of each star level by kind."""
    from app.services.assessment import party_org_stars

    code = str(book.year)
    title = f"{book.park_name}{book.year}年度星级党组织"
    state = _state(book, code)
    if state:
        what = f"{code}年度考核"
        why = f"没有{what}期" if state == NOT_OPENED else f"{what}尚未发布：发布后再导出年度报表"
        _unknown(book, STARS_SHEET, title, STAR_HEADERS, state, why)
        return
    found = party_org_stars.year_stars(book.db, book.year)
    rows = [
        [
            p.name,
            p.formation.label,
            p.kind.label,
            p.total if p.total is not None else "未完成评分",
            p.stars or None,  # a blank is no cell
            p.previous or None,
            p.change.label if p.change else None,
            p.rating.veto or None,
            len(p.units),
            "、".join(u.name for u in p.units),
            demo_site_text(p.demo_site, p.demo_site_year) or None,
        ]
        for p in found.party_orgs
    ]
    ws = book.table(STARS_SHEET, title, STAR_HEADERS, rows)
    bands = sorted(found.counts, reverse=True)
    lines: list[list[Any]] = [["星级党组织（个）", *(f"{_numeral(b)}星级" for b in bands)]]
    for kind, counts in found.counts_by_kind.items():
        lines.append([kind.label, *(counts[b] for b in bands)])
    lines.append(["合计", *(found.counts[b] for b in bands)])
    lines += [[f"{level.label}示范点", n] for level, n in found.demo_sites.items()]
    book.lines_under(ws, len(rows), lines)


def _numeral(n: int) -> str:
    """五 for 5: 五星级党组织, as the documents count them."""
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


REVIEW_HEADERS = (
    ("组织名称", 34),
    ("统一社会信用代码", 22),
    ("原分类", 10),
    ("调整为", 10),
    ("状态", 8),
    ("日期", 11),
    ("依据", 16),
    ("理由", 30),
    ("确认人", 10),
    ("结对期间", 16),
)
DONE, PENDING = "已调整", "待确认"


def write_funds(book: YearBook) -> None:
    """经费保障: each party organization's entitlements of the year by kind, paid, balance
    (app/services/funds: the page's and `funds summary`'s own figures)."""
    from app.services.funds import funds

    funds.write_sheet(book.wb, book.db, book.year)


def write_review(book: YearBook) -> None:
    """分类复核: the year's class moves as each unit's history records them (the year's
    review, and any other basis: 脱联单建, 导入, 手工调整), then the review's proposals
    still to confirm for units it has not moved yet."""
    from app.domain.vocabulary import ClassBasis
    from app.services.grouping import classes

    moves = classes.year_moves(book.db, book.year)
    rows: list[list[Any]] = [
        [
            m.name,
            m.uscc,
            class_label(m.item.from_class.value if m.item.from_class else None),
            class_label(m.item.to_class.value if m.item.to_class else None),
            DONE,
            m.item.on,
            m.item.basis_text,
            m.item.reason or None,
            m.item.actor or None,
            f"{m.item.during_pairing}帮带期间" if m.item.during_pairing else None,
        ]
        for m in moves
    ]
    reviewed = {
        m.org_id
        for m in moves
        if m.item.basis is ClassBasis.REVIEW and m.item.basis_ref == str(book.year)
    }
    proposed = classes.proposals(book.db, book.year, book.ranked)
    pending = [r for r in proposed if r.id not in reviewed]
    for r in pending:
        assert r.proposal is not None  # proposals() lists only units with one
        was = r.current.value if r.current else None
        basis = f"{ClassBasis.REVIEW.label}（{book.year}）"
        row = [r.name, r.uscc, class_label(was), class_label(r.proposal.to.value)]
        rows.append([*row, PENDING, None, basis, r.proposal.reason, None, None])
    title = (
        f"{book.park_name}{book.year}年度分类复核（已调整{len(moves)}次，待确认{len(pending)}个）"
    )
    book.table(REVIEW_SHEET, title, REVIEW_HEADERS, rows)


def visit_headers(book: YearBook) -> tuple[tuple[str, int], ...]:
    return (
        ("指导员", 14),
        ("走访合计", 8),
        *((kind.label, 8) for kind in VisitKind),
        ("发现问题", 8),
        ("其中共性", 8),
        ("年内核验销号", 10),
        (f"逾期未整改（截至{book.as_of.month}月{book.as_of.day}日）", 12),
    )


def write_visits(book: YearBook) -> None:
    """走访整改: the year's visits by kind and its problems (raised, verified, overdue
    at the year's end) per instructor, the problems raised without a visit, the total
    (each visit once, however many instructors went)."""
    from app.services.field.visit_summary import year_visits

    found = year_visits(book.db, book.year, book.today)
    tallies = [*found.people, *([found.no_visit] if not found.no_visit.empty else []), found.total]
    rows = [
        [
            t.who,
            t.visits,
            *(t.by_kind[kind] for kind in VisitKind),
            t.raised,
            t.common,
            t.closed,
            t.overdue,
        ]
        for t in tallies
    ]
    title = f"{book.park_name}{book.year}年度走访整改情况"
    book.table(VISITS_SHEET, title, visit_headers(book), rows)
