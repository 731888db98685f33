"""SQL lives in ``reviewer.store`` only (DESIGN §3): every other module reads and writes a
project through :class:`~reviewer.store.project.Project` and the store's functions.

import-linter forbids importing sqlite3 and sqlite_utils outside the store; this test also
catches what an import check cannot see: SQL text, and queries run through a project's
``db`` or a connection handed over from the store.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import reviewer

PACKAGE = Path(reviewer.__file__).parent
STORE = PACKAGE / "store"
# Statements as reviewer's queries write them (upper-case keywords); prose says "select".
SQL = re.compile(
    r"\b(SELECT\b.*\bFROM|INSERT\s+(OR\s+[A-Z]+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(TEMP\s+)?(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX|VIEW|TRIGGER)"
    r"|ALTER\s+TABLE|PRAGMA\s+\w+|BEGIN\s+(IMMEDIATE|EXCLUSIVE)|ROLLBACK|COMMIT\b)", re.S)
QUERY_METHODS = {"execute", "executemany", "executescript", "query"}
DATABASE_NAMES = {"db", "conn", "connection", "cursor"}


def _modules_outside_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORE not in p.parents)


def _problems(source: str, name: str) -> Iterator[str]:
    """Each place in ``source`` (the module ``name``) that runs or holds SQL."""
    for node in ast.walk(ast.parse(source, filename=name)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value):
                yield f"{where}: SQL text {node.value[:60]!r}"
        elif isinstance(node, ast.Attribute):
            if node.attr == "db":
                yield f"{where}: reaches into a project's database (.db)"
            elif node.attr in QUERY_METHODS and _names_a_database(node.value):
                yield f"{where}: runs a query (.{node.attr}) outside the store"


def _names_a_database(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in DATABASE_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in DATABASE_NAMES
    return False


def test_the_scan_sees_every_module_outside_the_store() -> None:
    modules = _modules_outside_store()
    assert PACKAGE / "export.py" in modules and PACKAGE / "gui" / "session.py" in modules
    assert not any(STORE in p.parents for p in modules)


@pytest.mark.parametrize("source", [
    'rows = project.db.execute("SELECT id FROM items").fetchall()',
    'x = "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"',
    "conn.execute(query)",
    "self.conn.executemany(query, rows)",
    'sql = f"UPDATE alignments SET extra = {value}"',
    'sql = ("SELECT id "\n       "FROM items")',
])
def test_the_scan_catches_sql(source: str) -> None:
    assert list(_problems(source, "probe.py")), source


def test_the_scan_leaves_prose_alone() -> None:
    assert not SQL.search("select the rows to keep, then update the view")
    assert not SQL.search("reviewer projects (*.db)")
    assert not list(_problems("pipe = self.conn.send(payload)", "probe.py"))


def test_no_sql_outside_the_store() -> None:
    problems = [problem for path in _modules_outside_store()
                for problem in _problems(path.read_text(encoding="utf-8"),
                                         str(path.relative_to(PACKAGE.parent)))]
    assert problems == []
