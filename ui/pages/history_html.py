"""The change history of a record, for the detail panes."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from app.domain.org_fields import LABELS
from app.domain.record_fields import INSTRUCTOR_FIELDS, PARTY_ORG_FIELDS
from app.domain.vocabulary import UNCLASSIFIED

if TYPE_CHECKING:
    from app.services.files.audit import HistoryItem
    from app.services.grouping.classes import ClassHistoryItem

# field names shown in the history, in Chinese, from the field tables (an
# organization's win where a key is shared); "name" is any record's 名称
FIELD_LABELS = (
    {f.column: f.label for f in (*PARTY_ORG_FIELDS, *INSTRUCTOR_FIELDS)}
    | LABELS
    | {
        "name": "名称",
        "party_org_id": "所属党组织",
        "cluster_id": "编组",
        "started_on": "开始",
        "ended_on": "结束",
    }
)


def _value(v: object) -> str:
    if v is None or v == "":
        return "空"
    if v is True:
        return "是"
    if v is False:
        return "否"
    return str(v)


def history_html(items: list[HistoryItem], title: str) -> str:
    out = [f"<h4>{html.escape(title)}</h4>"]
    if not items:
        out.append("<span style='color:#777'>无</span>")
    for item in items[:30]:
        style = "color:#999;text-decoration:line-through" if item.undone else ""
        line = f"{item.at:%Y-%m-%d %H:%M} {item.summary}"
        out.append(f"<div style='{style}'>{html.escape(line)}</div>")
        if item.action == "update":
            changes = "；".join(
                f"{FIELD_LABELS.get(k, k)}：{_value(old)} → {_value(new)}"
                for k, old, new in item.changes[:8]
            )
            out.append(
                f"<div style='color:#555;margin-left:12px;{style}'>{html.escape(changes)}</div>"
            )
    return "".join(out)


def _paired(h: ClassHistoryItem) -> str:
    if not h.during_pairing:
        return ""
    text = f"（结对帮带期间，帮带单位：{h.during_pairing}）"
    return f"<br><span style='color:#1a5fb4'>{html.escape(text)}</span>"


def class_history_html(items: list[ClassHistoryItem], title: str, none: str) -> str:
    """A unit's changes of class, newest first: date, from → to, basis, reason."""
    out = [f"<h4>{html.escape(title)}</h4>"]
    if not items:
        out.append(f"<span style='color:#777'>{html.escape(none)}</span>")
    for h in items:
        before = h.from_class.label if h.from_class else UNCLASSIFIED
        after = h.to_class.label if h.to_class else UNCLASSIFIED
        out.append(
            f"<div>{h.on:%Y-%m-%d} {html.escape(before)} → <b>{html.escape(after)}</b>"
            f"　{html.escape(h.basis_text)}"
            f"<br><span style='color:#555'>{html.escape(h.reason)}</span>{_paired(h)}</div>"
        )
    return "".join(out)
