"""The benchmark as shared: the project's benchmark tables, row by row, as JSON arrays.

A shared project stores on the server every row of the tables below (the alignments
against the original references only; the cleaned ones follow from the decisions) with
the columns it had, so ``join`` rebuilds the same tables, byte for byte, and scoring a
joined copy gives what scoring the shared file gave. The project settings travel in
``meta`` too, except the ones that belong to one person's copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

TABLES = ("meta", "sources", "items", "systems", "predictions", "alignments")
# The tables a re-share may change (a new system's predictions); items stay as they were.
SYSTEM_TABLES = ("sources", "systems", "predictions", "alignments")
PERSONAL_META = ("annotator",)
PERSONAL_PREFIXES = ("last_item:",)
CHUNK = 5_000


def columns(conn: Any, table: str) -> list[str]:
    """The columns of a local table, in order."""
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def local_rows(conn: Any, table: str) -> Iterator[list[Any]]:
    """The rows of a local benchmark table to share, as lists in column order."""
    names = ", ".join(columns(conn, table))
    where = {"alignments": " WHERE variant = 'original'", "meta": ""}.get(table, "")
    cur = conn.execute(f"SELECT {names} FROM {table}{where} ORDER BY rowid"
                       if table not in ("predictions", "alignments")
                       else f"SELECT {names} FROM {table}{where}")
    while chunk := cur.fetchmany(CHUNK):
        for row in chunk:
            if table == "meta" and _personal(row[0]):
                continue
            yield list(row)


def encode(row: list[Any]) -> str:
    """A row as stored on the server."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def insert_rows(conn: Any, table: str, names: list[str], rows: Iterator[str]) -> None:
    """Insert server rows (JSON arrays in ``names`` order) into a local table."""
    have = set(columns(conn, table))
    keep = [i for i, n in enumerate(names) if n in have]
    sql = (f"INSERT OR REPLACE INTO {table} ({', '.join(names[i] for i in keep)}) "
           f"VALUES ({', '.join('?' * len(keep))})")
    batch: list[list[Any]] = []
    for text in rows:
        row = json.loads(text)
        batch.append([row[i] for i in keep])
        if len(batch) >= CHUNK:
            conn.executemany(sql, batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)


def _personal(key: str) -> bool:
    return key in PERSONAL_META or key.startswith(PERSONAL_PREFIXES)
