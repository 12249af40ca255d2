"""Broken, hostile and odd files: a clear Chinese message, quickly, and nothing written."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.db.database import Database
from app.exchange.reader import WorkbookError
from app.services.registry import org_list
from app.services.workbooks.import_apply import apply_import
from app.services.workbooks.imports import preview_import
from tests.conftest import write_xlsx

FIXTURES = Path(__file__).parent / "fixtures"


def _refused(db: Database, path: Path, words: str) -> None:
    start = time.perf_counter()
    with pytest.raises(WorkbookError, match=words):
        preview_import(db, path)
    assert time.perf_counter() - start < 10
    assert org_list.list_organizations(db) == []


_xlsx = write_xlsx


def test_text_file_is_not_a_workbook(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("组织名称,信用代码\n甲,1\n", encoding="utf-8")
    _refused(db, path, "不是 Excel 工作簿")


def test_empty_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    _refused(db, path, "文件是空的")


def test_truncated_workbook(db: Database, tmp_path: Path) -> None:
    good = _xlsx(tmp_path / "好.xlsx", [["组织名称"], ["甲公司"]])
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(db, cut, "损坏或不完整")


def test_encrypted_workbook(db: Database, tmp_path: Path) -> None:
    # an OLE2 container holding an EncryptedPackage stream is how Office stores a
    # password-protected xlsx
    path = tmp_path / "加密.xlsx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2048)
    _refused(db, path, "已加密")


def test_zip_bomb(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\x00" * (1 << 20)
            for _ in range(700):
                fh.write(block)
    assert path.stat().st_size < 5 * 1024 * 1024
    _refused(db, path, "压缩炸弹")


def test_xml_bomb_does_not_expand(db: Database, tmp_path: Path) -> None:
    good = _xlsx(tmp_path / "好.xlsx", [["组织名称", "统一社会信用代码"], ["&lol9;", ""]])
    bomb = tmp_path / "实体炸弹.xlsx"
    # billion laughs: lol9 would expand to 10^9 "lol"s
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"&amp;lol9;" in data
                data = data.replace(b"&amp;lol9;", b"&lol9;")
                data = f"<!DOCTYPE worksheet [{entities}]>".encode() + data
            dst.writestr(item, data)
    start = time.perf_counter()
    try:
        preview = preview_import(db, bomb)
    except WorkbookError:
        pass
    else:
        names = [r.name for r in preview.rows]
        assert all(len(n) < 1000 for n in names)
    assert time.perf_counter() - start < 10


def test_a_million_rows_is_refused_quickly(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "百万行.xlsx", [["组织名称"], ["甲"]])
    patched = tmp_path / "百万行2.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A1000000"', data)
            dst.writestr(item, data)
    _refused(db, patched, "超过一次最多导入")


def test_sheet_without_a_recognisable_header(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "杂表.xlsx", [["姓名", "年龄"], ["张三", 30]])
    _refused(db, path, "找不到登记表的表头")


def test_unknown_sheet_name(db: Database, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "表.xlsx", [["组织名称"], ["甲"]])
    with pytest.raises(WorkbookError, match="没有名为“汇总”的工作表"):
        preview_import(db, path, sheet="汇总")


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_formula_error_makes_the_row_bad(db: Database, fmt: str) -> None:
    preview = preview_import(db, FIXTURES / f"formula_errors.{fmt}")
    status = {r.row: r.status for r in preview.rows}
    assert status == {2: "bad", 3: "new", 4: "bad"}
    errors = preview.errors
    assert [(e.row, e.column, e.reason) for e in errors] == [
        (2, "正式党员数", "formula_error"),
        (4, "正式党员数", "formula_error"),
    ]
    good = next(r for r in preview.rows if r.row == 3)
    assert good.values["formal_members"] == 3  # a formula's value is read as Excel shows it


def test_formula_text_is_stored_as_text(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "公式文本.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["组织名称", "组织类型", "备注", "联系人"])
    ws.append(["甲公司", "企业", None, "+8613800000000"])
    ws["C2"].value = '=HYPERLINK("http://example.invalid","点我")'
    ws["C2"].data_type = "s"  # a cell holding the formula as text
    wb.save(path)
    apply_import(db, preview_import(db, path))
    from app.services.registry import organizations

    draft = organizations.get_draft(db, org_list.list_organizations(db)[0].id)
    assert draft.notes.startswith("=HYPERLINK(")
    assert draft.contact == "+8613800000000"


def test_bad_rows_write_nothing_and_good_rows_write_all(db: Database, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "混合.xlsx",
        [
            ["组织名称", "统一社会信用代码", "正式党员数"],
            ["甲公司", "91450223MA5L8X7K2E", 2],
            ["乙公司", "91450223MA5L8X7K2F", 1],
            ["丙公司", "", "-3"],
        ],
    )
    preview = preview_import(db, path)
    assert [r.status for r in preview.rows] == ["new", "bad", "bad"]
    assert [e.reason for e in preview.errors] == ["uscc_check_digit", "count_negative"]
    assert preview.errors[0].column == "统一社会信用代码" and preview.errors[0].row == 3
    apply_import(db, preview)
    assert [r.name for r in org_list.list_organizations(db)] == ["甲公司"]


def test_failed_apply_writes_nothing(db: Database, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = _xlsx(
        tmp_path / "表.xlsx", [["组织名称", "类型"], ["甲公司", "企业"], ["乙公司", "企业"]]
    )
    preview = preview_import(db, path)
    assert preview.count("new") == 2
    from app.services.files import audit

    # the organizations are inserted, then writing their audit entries fails
    def explode(self, *_args):  # type: ignore[no-untyped-def]
        raise RuntimeError("磁盘拔掉了")

    monkeypatch.setattr(audit.Change, "many", explode)
    with pytest.raises(RuntimeError):
        apply_import(db, preview)
    assert org_list.list_organizations(db) == []


def test_the_size_check_says_whether_a_sheet_holds_formulas(tmp_path: Path) -> None:
    # the size check's one pass over an xlsx sheet says whether it holds a formula or
    # an error value: the cells are looked for closely only then, and found alike
    from app.exchange.odd_cells import locate, worth_locating
    from app.exchange.reader import open_workbook

    wb = open_workbook(FIXTURES / "formula_errors.xlsx")
    assert wb.sheet(0).formulas is True
    assert worth_locating(wb.sheet(0), lambda: False)
    assert set(locate(wb, wb.sheet(0))) == {(1, 3), (3, 3)}
    clean = open_workbook(_xlsx(tmp_path / "clean.xlsx", [["组织名称"], ["甲"]]))
    assert clean.sheet(0).formulas is False
    assert not worth_locating(clean.sheet(0), lambda: True)
    ods = open_workbook(FIXTURES / "formula_errors.ods")
    assert ods.sheet(0).formulas is None  # not known: an empty cell decides
    assert worth_locating(ods.sheet(0), lambda: True)
    assert not worth_locating(ods.sheet(0), lambda: False)


def _sparse_xlsx(path: Path, far: str | tuple[str, ...], stated: str | None = None) -> Path:
    """A few-KB workbook with a header at A1, one row, and a cell (or a few) far away."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["组织名称"])
    ws.append(["甲公司"])
    for cell in (far,) if isinstance(far, str) else far:
        ws[cell] = "远处"
    wb.save(path)
    if stated is None:
        return path
    lying = path.with_name("改过范围-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(lying, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]+"', f'<dimension ref="{stated}"'.encode(), data
                )
            dst.writestr(item, data)
    return lying


def _ods(path: Path, rows_repeated: int, columns_repeated: int) -> Path:
    """An ODS whose second row, one cell with a value, repeats as told."""
    table = (
        '<table:table table:name="登记表">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>组织名称</text:p>'
        "</table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows_repeated}">'
        f'<table:table-cell table:number-columns-repeated="{columns_repeated}" '
        'office:value-type="string"><text:p>甲公司</text:p></table:table-cell></table:table-row>'
        "</table:table>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{table}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def _preview_in_child(db_path: Path, workbook: Path) -> tuple[str, float, float]:
    """Preview in a process of its own: what it said, its seconds and its peak MB."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    # the peak from VmHWM, which starts afresh at exec (ru_maxrss would carry the
    # test process's own peak into the child)
    code = (
        "import sys, time; from pathlib import Path\n"
        "def peak():\n"
        "    with open('/proc/self/status') as f:\n"
        "        return next(int(x.split()[1]) for x in f if x.startswith('VmHWM:')) / 1024\n"
        "from app.db.database import open_database\n"
        "from app.services.workbooks.imports import preview_import\n"
        "from app.exchange.reader import WorkbookError\n"
        "db = open_database(Path(sys.argv[1]), daily_backup=False)\n"
        "base = peak(); t = time.perf_counter()\n"
        "try:\n    preview_import(db, Path(sys.argv[2])); said = 'read'\n"
        "except WorkbookError as exc:\n    said = str(exc)\n"
        "took = time.perf_counter() - t\n"
        "print(repr((said, took, peak() - base)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path), str(workbook)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    said, took, peak = eval(done.stdout.strip())
    return said, took, peak


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory from Linux /proc")
@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("A1 与 XFD20000", "第16384列"),
        ("A1 与 XFD2000", "第16384列"),
        ("范围写成 A1:A2，单元格在 XFD20000", "第16384列"),
        ("一行有内容的行在第 500000 行", "500000行"),
        # two letters only, each within the fast pass's old reach (AAA, row 100,000)
        ("ZZ1 与 A99999", "第702列"),
        ("SF1 与 A99999，范围写成 A1:A2", "单元格过多"),
        ("ODS 一个单元格重复 20000 × 1000 次", "单元格过多|列"),
        ("ODS 重复 300000 行", "300001行"),
    ],
)
def test_a_sheet_too_large_to_be_a_registry_is_refused_before_it_is_read(
    db: Database, tmp_path: Path, kind: str, words: str
) -> None:
    builders = {
        "A1 与 XFD20000": lambda: _sparse_xlsx(tmp_path / "稀疏.xlsx", "XFD20000"),
        "A1 与 XFD2000": lambda: _sparse_xlsx(tmp_path / "稀疏.xlsx", "XFD2000"),
        "范围写成 A1:A2，单元格在 XFD20000": lambda: _sparse_xlsx(
            tmp_path / "稀疏.xlsx", "XFD20000", "A1:A2"
        ),
        "一行有内容的行在第 500000 行": lambda: _sparse_xlsx(tmp_path / "远行.xlsx", "B500000"),
        "ZZ1 与 A99999": lambda: _sparse_xlsx(tmp_path / "宽.xlsx", ("ZZ1", "A99999")),
        "SF1 与 A99999，范围写成 A1:A2": lambda: _sparse_xlsx(
            tmp_path / "宽.xlsx", ("SF1", "A99999"), "A1:A2"
        ),
        "ODS 一个单元格重复 20000 × 1000 次": lambda: _ods(tmp_path / "重复.ods", 20_000, 1_000),
        "ODS 重复 300000 行": lambda: _ods(tmp_path / "重复行.ods", 300_000, 1),
    }
    workbook = builders[kind]()
    assert workbook.stat().st_size < 20_000
    db.dispose()
    said, took, peak = _preview_in_child(db.path, workbook)
    assert re.search(words, said), said
    assert took < 2 and peak < 300, (took, peak)
