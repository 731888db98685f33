"""Bulk reads for the item list: one row of numbers per item, and the ids filters select.

Every query reads each item's *current* alignment: the ``cleaned`` variant where the
item has a corrected reference, else the ``original`` one. Nothing here parses JSON,
so a 100,000-item project loads in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from reviewer.core.metrics import item_rate
from reviewer.store.project import Project

# The variant of an item's current alignment, given ``l`` = its (left-joined) decision row.
_CURRENT_VARIANT = ("CASE WHEN l.corrected_reference IS NULL THEN 'original' "
                    "ELSE 'cleaned' END")
# Joins the strings of a concatenated column (ASCII unit separator: not in ids).
_SEP = "\x1f"


@dataclass(slots=True)
class ItemSummaries:
    """What the item list shows, per item in project order.

    The per-system lists are aligned with :attr:`ids`; an item without a stored
    alignment for a system counts as 0 errors on 0 units with no main category.
    ``main_errors`` and ``main_units`` are the stored main level's (of the kind's per-item
    metric: characters for text, words for asr, kern tokens for kern, ...).
    """

    ids: list[str]
    systems: list[str]
    verdicts: dict[str, str] = field(default_factory=dict)  # decided items only
    corrected: set[str] = field(default_factory=set)  # items with a corrected reference
    main_errors: dict[str, list[int]] = field(default_factory=dict)
    main_units: dict[str, list[int]] = field(default_factory=dict)
    main_category: dict[str, list[str]] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)  # id -> index into the lists

    def __post_init__(self) -> None:
        n = len(self.ids)
        if not self.positions:
            self.positions = dict(zip(self.ids, range(n), strict=True))
        for system in self.systems:
            self.main_errors.setdefault(system, [0] * n)
            self.main_units.setdefault(system, [0] * n)
            self.main_category.setdefault(system, [""] * n)

    def __len__(self) -> int:
        return len(self.ids)

    def rate(self, system: str, position: int) -> float | None:
        """The kind's per-item rate of one item (``None``: errors against an empty reference)."""
        return item_rate(self.main_errors[system][position], self.main_units[system][position])

    def extend(self, more: ItemSummaries) -> None:
        """Append the items of ``more`` (the next items in project order, same systems)."""
        start = len(self.ids)
        self.ids.extend(more.ids)
        self.positions.update(zip(more.ids, range(start, start + len(more.ids)), strict=True))
        self.verdicts.update(more.verdicts)
        self.corrected.update(more.corrected)
        for system in self.systems:
            self.main_errors[system].extend(more.main_errors[system])
            self.main_units[system].extend(more.main_units[system])
            self.main_category[system].extend(more.main_category[system])


def load_summaries(project: Project) -> ItemSummaries:
    """Every item's verdict and, per system, main-level errors, units and main category.

    Two queries, each returning whole columns as one concatenated string that Python
    splits at C speed: building a tuple per row would cost several times more.
    """
    db = project.db
    ids_blob, verdict_blob, flags = db.execute(
        "SELECT group_concat(id, char(31)), group_concat(verdict, char(31)), "
        "group_concat(corrected, '') FROM (SELECT i.id AS id, coalesce(l.verdict, '') AS verdict, "
        "l.corrected_reference IS NOT NULL AS corrected FROM items i "
        "LEFT JOIN labels l ON l.item_id = i.id ORDER BY i.pos)").fetchone()
    if ids_blob is None:
        return ItemSummaries([], project.systems())
    ids = ids_blob.split(_SEP)
    verdict_list = verdict_blob.split(_SEP)
    if not len(ids) == len(verdict_list) == len(flags):
        return _load_row_by_row(project)  # an id holds the separator character
    verdicts = dict(compress(zip(ids, verdict_list, strict=True), verdict_list))
    corrected = set(compress(ids, map(int, flags))) if "1" in flags else set()
    summaries = ItemSummaries(ids, project.systems(), verdicts, corrected)
    previous: list[str] | None = None
    pick: Callable[[list[Any]], list[Any]] = _drop_default
    for system, id_blob, errors_blob, units_blob, mains_blob in db.execute(
            "SELECT a.system, group_concat(a.item_id, char(31)), group_concat(a.main_errors), "
            "group_concat(a.main_units), group_concat(a.main_category, char(31)) "
            "FROM alignments a LEFT JOIN labels l ON l.item_id = a.item_id "
            f"WHERE a.variant = {_CURRENT_VARIANT} GROUP BY a.system"):
        if system not in summaries.main_errors:
            continue
        stored = id_blob.split(_SEP)
        mains = mains_blob.split(_SEP)
        if len(stored) != len(mains):
            return _load_row_by_row(project)
        if stored != previous:
            pick = _drop_default if stored == ids else _picker(stored, ids)
            previous = stored
        summaries.main_errors[system] = pick([*map(int, errors_blob.split(",")), 0])
        summaries.main_units[system] = pick([*map(int, units_blob.split(",")), 0])
        summaries.main_category[system] = pick([*mains, ""])
    return summaries


def load_summaries_after(project: Project, after_pos: int, limit: int | None = None,
                         through_pos: int | None = None) -> tuple[ItemSummaries, int]:
    """The summaries of the items after stored position ``after_pos`` in project order: at
    most ``limit`` of them, none after ``through_pos``; with the last one's position
    (``after_pos`` when there is none).

    A page of the item list, read without touching the other items: the positions are
    the items table's key and each alignment is one primary-key lookup, so a page costs
    the same in a project of any size.
    """
    bounds, args = "i.pos > ?", [after_pos]
    if through_pos is not None:
        bounds += " AND i.pos <= ?"
        args.append(through_pos)
    rows = project.db.execute(
        "SELECT i.pos, i.id, l.verdict, l.corrected_reference IS NOT NULL FROM items i "
        f"LEFT JOIN labels l ON l.item_id = i.id WHERE {bounds} ORDER BY i.pos"
        + ("" if limit is None else " LIMIT ?"), args + ([] if limit is None else [limit]))
    summaries, last = _items_of(project, rows, after_pos)
    if not summaries.ids:
        return summaries, last
    positions = summaries.positions
    for system in summaries.systems:
        errors, units = summaries.main_errors[system], summaries.main_units[system]
        mains = summaries.main_category[system]
        for item_id, n_errors, n_units, main in project.db.execute(
                # CROSS JOIN keeps items first: a page is a range of its key (SQLite would
                # otherwise scan the system's alignments).
                "SELECT a.item_id, a.main_errors, a.main_units, a.main_category FROM items i "
                "LEFT JOIN labels l ON l.item_id = i.id CROSS JOIN alignments a ON a.system = ? "
                f"AND a.item_id = i.id AND a.variant = {_CURRENT_VARIANT} "
                "WHERE i.pos > ? AND i.pos <= ?", [system, after_pos, last]):
            k = positions[item_id]
            errors[k], units[k], mains[k] = n_errors, n_units, main
    return summaries, last


def item_position(project: Project, item_id: str) -> int | None:
    """The stored position of ``item_id`` (``None``: no such item)."""
    row = project.db.execute("SELECT pos FROM items WHERE id = ?", [item_id]).fetchone()
    return None if row is None else int(row[0])


def items_between(project: Project, after_pos: int, through_pos: int) -> int:
    """How many items lie after stored position ``after_pos`` up to ``through_pos``."""
    return int(project.db.execute("SELECT count(*) FROM items WHERE pos > ? AND pos <= ?",
                                  [after_pos, through_pos]).fetchone()[0])


def _drop_default(values: list[Any]) -> list[Any]:
    return values[:-1]


def _picker(stored: list[str], ids: list[str]) -> Callable[[list[Any]], list[Any]]:
    """A function reordering values given in ``stored`` order into ``ids`` order.

    The values list carries one default appended at its end, picked for ids that are
    not in ``stored``.
    """
    where = dict(zip(stored, range(len(stored)), strict=True))
    indices = list(map(where.get, ids, repeat(len(stored))))
    if len(indices) == 1:
        k = indices[0]
        return lambda values: [values[k]]
    get = itemgetter(*indices)
    return lambda values: list(get(values))


def _items_of(project: Project, rows: Iterable[Any], last: int) -> tuple[ItemSummaries, int]:
    """Summaries (without alignment figures yet) of the ``(pos, id, verdict, corrected)``
    rows, and the last row's position (``last`` when there are none)."""
    ids: list[str] = []
    verdicts: dict[str, str] = {}
    corrected: set[str] = set()
    for pos, item_id, verdict, has_corrected in rows:
        last = pos
        ids.append(item_id)
        if verdict is not None:
            verdicts[item_id] = verdict
        if has_corrected:
            corrected.add(item_id)
    return ItemSummaries(ids, project.systems(), verdicts, corrected), last


def _load_row_by_row(project: Project) -> ItemSummaries:
    summaries, _ = _items_of(project, project.db.execute(
        "SELECT i.pos, i.id, l.verdict, l.corrected_reference IS NOT NULL FROM items i "
        "LEFT JOIN labels l ON l.item_id = i.id ORDER BY i.pos"), -1)
    positions = summaries.positions
    errors, units, mains = summaries.main_errors, summaries.main_units, summaries.main_category
    for system, item_id, n_errors, n_units, main in project.db.execute(
            "SELECT a.system, a.item_id, a.main_errors, a.main_units, a.main_category "
            "FROM alignments a LEFT JOIN labels l ON l.item_id = a.item_id "
            f"WHERE a.variant = {_CURRENT_VARIANT}"):
        k = positions.get(item_id)
        if k is not None and system in errors:
            errors[system][k] = n_errors
            units[system][k] = n_units
            mains[system][k] = main
    return summaries


def refresh_item(project: Project, summaries: ItemSummaries, item_id: str) -> int | None:
    """Re-read one item after its decision changed; returns its index (``None``: unknown id)."""
    k = summaries.positions.get(item_id)
    if k is None:
        return None
    row = project.db.execute(
        "SELECT verdict, corrected_reference IS NOT NULL FROM labels WHERE item_id = ?",
        [item_id]).fetchone()
    verdict, has_corrected = row if row else (None, False)
    if verdict is None:
        summaries.verdicts.pop(item_id, None)
    else:
        summaries.verdicts[item_id] = verdict
    if has_corrected:
        summaries.corrected.add(item_id)
    else:
        summaries.corrected.discard(item_id)
    variant = "cleaned" if has_corrected else "original"
    for system in summaries.systems:
        summaries.main_errors[system][k] = 0
        summaries.main_units[system][k] = 0
        summaries.main_category[system][k] = ""
        # One primary-key lookup per system (the key starts with the system).
        row = project.db.execute(
            "SELECT main_errors, main_units, main_category FROM alignments "
            "WHERE system = ? AND item_id = ? AND variant = ?",
            [system, item_id, variant]).fetchone()
        if row is not None:
            summaries.main_errors[system][k] = row[0]
            summaries.main_units[system][k] = row[1]
            summaries.main_category[system][k] = row[2]
    return k


def ids_matching_text(project: Project, text: str) -> set[str]:
    """Items whose reference, corrected reference or any prediction contains ``text``;
    ``key:value`` (for example ``speaker:spk07``) matches item metadata instead, where items
    carry ``key``.

    Case-insensitive. SQLite's ``lower`` folds ASCII only, so a needle with other
    letters is matched with Python's ``casefold`` instead (slower, but right).
    """
    if not text:
        return set(project.item_ids())
    field = meta_field(project, text)
    if field is not None:
        return ids_with_meta(project, *field)
    test, needle = contains_test(project, text)
    sql = (f"SELECT id FROM items WHERE {test.format('reference')} "
           f"UNION SELECT item_id FROM labels WHERE corrected_reference IS NOT NULL "
           f"AND {test.format('corrected_reference')} "
           f"UNION SELECT item_id FROM predictions WHERE {test.format('text')}")
    return {r[0] for r in project.db.execute(sql, [needle, needle, needle])}


def contains_test(project: Project, text: str) -> tuple[str, str]:
    """An SQL test (a template with ``{}`` for the column) that a text contains ``text``,
    case-insensitively, and the needle to bind to its ``?``.

    SQLite's ``lower`` folds ASCII only, so a needle with other letters is matched with
    Python's ``casefold`` instead (slower, but right).
    """
    if text.isascii():
        return "instr(lower({}), lower(?)) > 0", text
    project.db.conn.create_function("reviewer_contains", 2, _contains, deterministic=True)
    return "reviewer_contains({}, ?)", text.casefold()


def meta_field(project: Project, text: str) -> tuple[str, str] | None:
    """``(key, value)`` when ``text`` is ``key:value`` and items carry metadata ``key``."""
    key, sep, value = text.partition(":")
    key = key.strip()
    if not sep or not key or not key.replace("_", "").isalnum():
        return None
    present = project.db.execute(
        "SELECT 1 FROM items WHERE json_type(meta, '$.' || ?) IS NOT NULL LIMIT 1",
        [key]).fetchone()
    return (key, value.strip()) if present else None


def ids_with_meta(project: Project, key: str, value: str) -> set[str]:
    """Items whose metadata ``key`` contains ``value`` (case-insensitive; empty: any value)."""
    rows = project.db.execute(
        "SELECT id, json_extract(meta, '$.' || ?) FROM items "
        "WHERE json_type(meta, '$.' || ?) IS NOT NULL", [key, key])
    needle = value.casefold()
    return {item_id for item_id, found in rows if needle in str(found).casefold()}


def ids_with_category(project: Project, category_id: str, system: str | None = None) -> set[str]:
    """Items whose current alignment (of ``system``, or of any system) has ``category_id``."""
    # The categories column is a JSON object keyed by quoted ids; instr is an exact,
    # case-sensitive substring test (LIKE would fold case and treat "_" as a wildcard).
    sql = ("SELECT DISTINCT a.item_id FROM alignments a "
           "LEFT JOIN labels l ON l.item_id = a.item_id "
           f"WHERE a.variant = {_CURRENT_VARIANT} AND instr(a.categories, ?) > 0")
    args = [f'"{category_id}"']
    if system is not None:
        sql += " AND a.system = ?"
        args.append(system)
    return {r[0] for r in project.db.execute(sql, args)}


def verdict_counts(project: Project) -> dict[str, int]:
    """Number of items with each verdict (verdicts no item has are left out)."""
    return {r[0]: r[1] for r in project.db.execute(
        "SELECT verdict, count(*) FROM labels WHERE verdict IS NOT NULL GROUP BY verdict")}


def _contains(haystack: str | None, needle: str) -> bool:
    return haystack is not None and needle in haystack.casefold()
