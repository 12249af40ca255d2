"""Property: whatever text a registry holds, export → import into an empty
database → export gives the same registry cells (hypothesis)."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db.database import open_database
from app.domain.quarters import Quarter
from app.domain.validation import OrganizationDraft
from app.domain.vocabulary import OrgKind
from app.exchange.fields import match_header
from app.exchange.registry_diff import name_key
from app.services.registry import organizations
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import
from app.services.workbooks.registry_read import registry_records
from app.services.workbooks.submissions import export_quarter
from tests.conftest import TODAY

# awkward but legal cell text: formula-looking starts, full-width forms, CJK,
# inner line breaks, long runs; no control characters (XML cannot hold them)
_CHARS = st.sampled_from(
    list("=+-@＝＋－＠ＡＢ１２３ \u3000甲乙丙丁公司有限广西（）()《》·,.'\"&<>#%\n测试e")
)
_TEXT = st.text(_CHARS, min_size=1, max_size=60).map(str.strip).filter(bool)
# up to the longest name allowed (app/domain/limits.py)
_LONG = st.text(st.sampled_from(list("组织名称很长的单位")), min_size=150, max_size=200)
_NAME = st.one_of(_TEXT, _LONG).filter(
    lambda n: not n.startswith("填表说明") and match_header(n) is None
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(_NAME, min_size=1, max_size=6, unique_by=name_key),
    notes=st.lists(_TEXT, min_size=6, max_size=6),
)
def test_export_import_export_loses_nothing(names: list[str], notes: list[str]) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        first_db = open_database(folder / "一.sqlite3", daily_backup=False)
        for name, note in zip(names, notes, strict=False):
            organizations.create_organization(
                first_db,
                OrganizationDraft(name=name, notes=note, contact=note[:20], kind=OrgKind.SOCIAL),
                TODAY,
            )
        before = [{k: v for k, v in r.items() if k != "_uuid"} for r in registry_records(first_db)]
        export_quarter(first_db, folder / "一.xlsx", Quarter(2026, 4), today=TODAY)
        second_db = open_database(folder / "二.sqlite3", daily_backup=False)
        preview = preview_import(second_db, folder / "一.xlsx")
        assert preview.count("bad") == 0, [e.message for e in preview.errors]
        apply_import(second_db, preview)
        after = [{k: v for k, v in r.items() if k != "_uuid"} for r in registry_records(second_db)]
        assert after == before
        # and the same file into the first database changes nothing
        again = preview_import(first_db, folder / "一.xlsx")
        assert again.count("unchanged") == len(names)
        first_db.dispose()
        second_db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_full_width_names_are_kept_as_written() -> None:
    assert unicodedata.normalize("NFKC", "ＡＢ公司") == "AB公司"
    assert name_key("ＡＢ 公司") == name_key("AB公司")
