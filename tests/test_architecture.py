"""Layering and code style checks that guard the whole tree."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imported(paths: Iterable[Path], prefixes: tuple[str, ...]) -> list[str]:
    """Each module these files import (anywhere in them) whose name starts so."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith(prefixes)]
    return found


def test_app_never_imports_qt() -> None:
    assert _imported((ROOT / "app").rglob("*.py"), ("PySide6", "ui")) == []


def test_command_line_does_not_load_qt_or_heavy_libraries() -> None:
    """Reading the command line (main.py does it before it knows whether the window
    runs) loads no service: not SQLAlchemy either (the window's start and every command
    paid 0.4 s for all of them); each command loads what it uses."""
    code = (
        "import sys, main; from app import cli; cli.build_parser().parse_args(['stats']);"
        "print(','.join(m for m in ('PySide6','matplotlib','openpyxl','sqlalchemy')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def _ruff() -> list[str]:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "ruff"]


def test_ruff_lint_clean() -> None:
    done = subprocess.run(
        [*_ruff(), "check", "--no-cache", "."], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_clean() -> None:
    done = subprocess.run(
        [*_ruff(), "format", "--check", "--no-cache", "."], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_nothing_reaches_outside_the_repo() -> None:
    """A user's clone has nothing beside it: code, tests, benches and scripts keep
    what they need in the repo. No relative path climbs out ("../…"), and no path
    goes up past a file's own parents (``Path(__file__).parents[2].parent``)."""
    from tests.conftest import SAMPLES_DIR

    assert SAMPLES_DIR.resolve().is_relative_to(ROOT)
    offenders = []
    for path in ROOT.rglob("*.py"):
        # the environment, and what packaging/ builds (the Windows layout's libraries)
        if {".venv", "build"} & set(path.relative_to(ROOT).parts[:1]):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            # a path that climbs out: "../x" (the bare prefixes are this test's own)
            climbs = isinstance(text, str) and len(text) > 3 and text.startswith(("../", "..\\"))
            above = (
                isinstance(node, ast.Attribute)
                and node.attr == "parent"
                and isinstance(node.value, ast.Subscript)
                and isinstance(node.value.value, ast.Attribute)
                and node.value.value.attr == "parents"
            )
            if climbs or above:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def _imports_by_module() -> dict[str, set[str]]:
    """Every app/ and ui/ module with the app/ui modules it imports (anywhere in
    it: a function-level import is an import too), names as dotted paths."""
    out: dict[str, set[str]] = {}
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found |= {f"{node.module}.{a.name}" for a in node.names}
        out[module] = {n for n in found if n.split(".")[0] in ("app", "ui")}
    return out


def test_layers_ui_to_services_to_domain_db_exchange_and_nothing_back() -> None:
    """ui/ asks app.services (and app.domain for labels and enums); app.exchange and
    app.db never ask app.services."""
    offenders = []
    for module, names in sorted(_imports_by_module().items()):
        for name in sorted(names):
            # the package itself names the program (APP_TITLE, __version__)
            allowed = name.startswith(("app.services", "app.domain", "app.APP_", "app.__"))
            if module.startswith("ui.") and name.startswith("app.") and not allowed:
                offenders.append(f"{module} → {name}")
            if module.startswith(("app.exchange", "app.db")) and name.startswith("app.services"):
                offenders.append(f"{module} → {name}")
    assert offenders == []


def test_no_import_cycles() -> None:
    graph = _imports_by_module()
    edges = {
        m: {n if n in graph else n.rsplit(".", 1)[0] for n in names} & set(graph) - {m}
        for m, names in graph.items()
    }
    cycles = []

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(edges[node])
        return False

    for module, targets in edges.items():
        cycles += [f"{module} ↔ {t}" for t in targets if reaches(t, module) and module < t]
    assert cycles == []


def test_no_function_over_80_lines_in_app_or_ui() -> None:
    """Long functions are split into named steps."""
    long = []
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert long == []


def test_every_bench_script_loads() -> None:
    """A bench is the only measure of the speed targets: each script must at least load
    (its imports resolve) on a clean checkout, and offer ``measure(quick)``, which
    bench/run_all.py calls. Running them is the bench's job, not CI's."""
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        code = (
            "import inspect, runpy\n"
            f"ns = runpy.run_path({str(path)!r}, run_name='bench_loaded')\n"
            "assert 'measure' in ns, 'no measure(quick) for bench/run_all.py'\n"
            "assert list(inspect.signature(ns['measure']).parameters)[:1] == ['quick']\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, f"{path.name}: {done.stderr[-800:]}"


def test_no_module_imports_another_modules_private_names() -> None:
    """A name with a leading underscore is its module's own: what another module needs
    is made public where it lives (issue 24). Test helpers may reach in."""
    offenders = []
    for folder in ("app", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                    offenders += [
                        f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                        for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")
                    ]
    assert offenders == []


def test_the_command_line_asks_services_only() -> None:
    """The command line reaches the database and the workbooks through the services, as
    the window does (issue 24): one place decides what each operation does."""
    assert _imported((ROOT / "app").glob("cli*.py"), ("app.db", "app.exchange")) == []


def test_the_exchange_reads_and_writes_plain_data() -> None:
    """app/exchange turns workbooks into plain data and back (issue 24): what it needs
    of the park is handed in by the service (the registry import's ImportSource), so it
    opens no database, holds no connection or session and runs no statement."""
    paths = sorted((ROOT / "app" / "exchange").rglob("*.py"))
    offenders = _imported(paths, ("sqlite3", "sqlalchemy"))
    database = ("app.db.database", "app.db.engine", "app.db.by_ids", "app.db.models")
    offenders += [
        f"{module} → {name}"
        for module, names in sorted(_imports_by_module().items())
        if module.startswith("app.exchange")
        for name in sorted(names)
        if name.startswith(database)
    ]
    calls = ("execute", "executemany", "executescript", "read_connection", "session", "reading")
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in calls
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    offenders += [m for m in sql_outside_the_data_layer() if m.startswith("app/exchange/")]
    assert offenders == []


def test_the_window_runs_no_sql() -> None:
    """The window asks services; what it shows is read there (issue 24)."""
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.relative_to(ROOT)}: {word}"
            for word in ("read_connection(", ".execute(", "import sqlite3")
            if word in text
        ]
    assert offenders == []


_SQL = re.compile(
    r"\b(SELECT\s.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)|PRAGMA\s)",
    re.DOTALL,
)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and its functions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def sql_outside_the_data_layer() -> list[str]:
    """The modules outside app/db whose string literals (f-strings' text included) hold SQL."""
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("app/db/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):  # an f-string: its text between the values
                text = " ".join(
                    v.value for v in node.values if isinstance(v, ast.Constant) and v.value
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = "" if id(node) in skip else node.value
            else:
                continue
            if _SQL.search(text):
                found.append(rel)
                break
    return found


def test_sql_lives_in_the_data_layer() -> None:
    """Queries live under app/db (app/db/queries/<capability>.py, issue 24): no module
    outside it holds SQL text — services, exchange, command line or window."""
    assert sql_outside_the_data_layer() == []


_SQLITE_ONLY = re.compile(
    r"json_each\(|group_concat\(|ORDER BY \+|LIMIT -1|INDEXED BY|INSERT OR |PRAGMA |ATTACH |"
    r"sqlite_master|json_object\(|json_group_array\(|json_array\(|json_extract\(|json_valid\(|"
    r"instr\("
)

# the SQLite file itself (opening, the pragmas, backups, checks, the schema as created,
# a field database's guard triggers): SQLite's by nature, issue 26 gives a server its own
SQLITE_FILE_MODULES = frozenset(
    {
        "app/db/dialect.py",
        "app/db/database.py",
        "app/db/engine.py",
        "app/db/backup_check.py",
        "app/db/sqlite_file.py",
        "app/db/schema.py",
        "app/db/field_guard.py",
        "app/db/queries/files.py",  # the integrity check of a SQLite file
    }
)


def test_sqlites_own_constructs_live_in_the_dialect_module() -> None:
    """json_each, group_concat, the unary-plus sort… are written through app/db/dialect.py
    (each beside its PostgreSQL form), nowhere else but the SQLite file's own modules
    (issue 24)."""
    found = set()
    for path in sorted((ROOT / "app").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and _SQLITE_ONLY.search(node.value)
            ):
                found.add(rel)
                break
    assert sorted(found - SQLITE_FILE_MODULES) == []
