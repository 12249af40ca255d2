"""A record's visits and problems as its detail panel shows them (a unit's page, an
instructor's page): the latest few visits, then the problems, overdue ones in red."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ui.pages.table_page import day_text, esc

SHOWN = 10  # visits listed on a record's page; the 走访整改 page has them all


def visits_html(
    seen: Sequence[Any], found: Sequence[Any], tr: Callable[[str], str], with_unit: bool
) -> str:
    parts = [f"<h4>{esc(tr('走访记录'))}</h4>"]
    if not seen:
        parts.append(f"<p>{esc(tr('无'))}</p>")
    for v in seen[:SHOWN]:
        who = f"（{v.unit}）" if with_unit else ""
        parts.append(
            f"<p>{esc(day_text(v.visited_on))} {esc(v.kind.label)}{esc(who)}"
            f" {esc(v.instructors)}<br><span style='color:#555'>{esc(v.content)}</span></p>"
        )
    if len(seen) > SHOWN:
        parts.append(f"<p>{esc(tr('另有%d次，见“走访整改”页') % (len(seen) - SHOWN))}</p>")
    parts.append(f"<h4>{esc(tr('问题整改'))}</h4>")
    if not found:
        parts.append(f"<p>{esc(tr('无'))}</p>")
    for p in found:
        late = f" <span style='color:#b3261e'>{esc(tr('逾期'))}</span>" if p.overdue else ""
        unit = f"{p.unit}：" if with_unit else ""
        due = f"（{tr('期限')}{day_text(p.deadline)}）" if p.deadline else ""
        parts.append(f"<p>{esc(unit + p.text)} — {esc(p.status.label)}{esc(due)}{late}</p>")
    return "".join(parts)
