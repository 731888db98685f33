"""The item list's cells and row order, computed from the bulk summaries without Qt."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS
from reviewer.core.item_list.columns import ColumnRole, ItemColumn
from reviewer.core.item_list.rows import ItemRows, main_category_of
from reviewer.core.metrics import item_rate

UNDEFINED = "—"  # an item rate of errors against an empty reference
UNKNOWN_SCORE = "…"  # the suspicion ranking is not computed yet
SortKey = Callable[[int], Any]  # summaries position -> sort value; None sorts last
Scores = Callable[[], Mapping[str, float] | None]  # the suspicion scores (None: unknown yet)

_DIGITS = re.compile(r"(\d+)")
_VERDICT_ORDER = {v: n for n, v in enumerate(VERDICTS)}


def _number(part: str) -> str:
    """The significant digits of a run of decimal digits (any script's), in ASCII.

    Not ``int(part)``: Python refuses to convert more than a few thousand digits, and an
    id may hold that many.
    """
    if not part.isascii():
        part = "".join(str(unicodedata.decimal(c)) for c in part)
    return part.lstrip("0") or "0"


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that puts ``l2`` before ``l10`` (numbers by value, text casefolded)."""
    return tuple((0, len(number), number) if part.isdecimal() and (number := _number(part))
                 else (1, 0, part.casefold())
                 for part in _DIGITS.split(text) if part)


def _no_scores() -> Mapping[str, float] | None:
    return None


class ItemTable:
    """The columns of the item list over one set of rows: what each cell shows and how
    rows sort.

    Cells are addressed by a column and a *position* in the rows (project order), never
    by a displayed row: the display order is the caller's, made by :meth:`sorted_ids`.
    """

    def __init__(self, rows: ItemRows, columns: Sequence[ItemColumn],
                 category_names: Mapping[str, str], suspicion: Scores = _no_scores) -> None:
        self.rows = rows
        self.columns = tuple(columns)
        self.category_names = dict(category_names)  # category id -> display name
        self.suspicion = suspicion
        self.main_system: str | None = None  # whose main category is shown (None: worst)
        self._natural: list[int] | None = None  # positions in natural id order

    def set_rows(self, rows: ItemRows) -> None:
        """Show ``rows`` (read anew from the store)."""
        self.rows = rows
        self._natural = None

    def main_category(self, position: int) -> str:
        """The main category id shown for the item at ``position`` ('' for none)."""
        return main_category_of(self.rows, position, self.main_system)

    # -- cells ---------------------------------------------------------------------------
    def text(self, column: ItemColumn, position: int) -> str:
        """What the cell of ``column`` shows for the item at ``position``."""
        rows, role = self.rows, column.role
        item_id = rows.ids[position]
        if role is ColumnRole.ID:
            return item_id
        if role is ColumnRole.VERDICT:
            verdict = rows.verdicts.get(item_id)
            return VERDICT_NAMES.get(verdict, verdict) if verdict else ""
        if role is ColumnRole.MAIN_CATEGORY:
            main = self.main_category(position)
            return self.category_names.get(main, main)
        if role is ColumnRole.SUSPICION:
            scores = self.suspicion()
            score = None if scores is None else scores.get(item_id)
            return UNKNOWN_SCORE if score is None else f"{score:.2f}"
        system = _system(column)
        if role is ColumnRole.ERRORS:
            return str(rows.main_errors[system][position])
        rate = self.rate(system, position)
        return UNDEFINED if rate is None else f"{rate * 100:.2f}%"

    def rate(self, system: str, position: int) -> float | None:
        """The item rate of ``system`` at ``position`` (``None``: undefined)."""
        return item_rate(self.rows.main_errors[system][position],
                         self.rows.main_units[system][position])

    def counts_text(self, column: ItemColumn, position: int) -> str | None:
        """``"E errors / U units"`` behind a rate cell (``None`` for other columns)."""
        if column.role is not ColumnRole.RATE:
            return None
        system = _system(column)
        return (f"{self.rows.main_errors[system][position]} errors / "
                f"{self.rows.main_units[system][position]} units")

    # -- sorting -------------------------------------------------------------------------
    def sort_key(self, column: ItemColumn) -> SortKey:
        """A function of a position giving the value ``column`` sorts by (``None``: last)."""
        rows, role = self.rows, column.role
        if role is ColumnRole.ID:
            return lambda k: natural_key(rows.ids[k])
        if role is ColumnRole.VERDICT:
            return lambda k: _VERDICT_ORDER.get(rows.verdicts.get(rows.ids[k], ""))
        if role is ColumnRole.MAIN_CATEGORY:
            names = {c: name.casefold() for c, name in self.category_names.items()}

            def main_name(k: int) -> str | None:
                main = self.main_category(k)
                return names.get(main, main) or None

            return main_name
        if role is ColumnRole.SUSPICION:
            scores = self.suspicion() or {}
            return lambda k: scores.get(rows.ids[k])
        system = _system(column)
        if role is ColumnRole.ERRORS:
            return rows.main_errors[system].__getitem__
        return lambda k: self.rate(system, k)

    def sort_values(self, column: ItemColumn) -> Sequence[Any]:
        """Every item's sort value, in position order (built in bulk for speed)."""
        rows = self.rows
        if column.role is ColumnRole.RATE:
            system = _system(column)
            return [e / u if u else (None if e else 0.0) for e, u in
                    zip(rows.main_errors[system], rows.main_units[system], strict=True)]
        if column.role is ColumnRole.ERRORS:
            return rows.main_errors[_system(column)]
        key = self.sort_key(column)
        return [key(k) for k in range(len(rows.ids))]

    def sorted_ids(self, column: ItemColumn | None, descending: bool = False) -> list[str]:
        """The ids sorted by ``column`` (``None``: project order); undefined values last.

        Ties keep project order, in both directions.
        """
        ids = self.rows.ids
        if column is None:
            return list(ids)
        if column.role is ColumnRole.ID:
            # Ids are unique, so their order is computed once and reversed as needed.
            if self._natural is None:
                keys = [natural_key(i) for i in ids]
                self._natural = sorted(range(len(keys)), key=keys.__getitem__)
            return [ids[k] for k in (reversed(self._natural) if descending else self._natural)]
        values = self.sort_values(column)
        defined = [k for k, v in enumerate(values) if v is not None]
        undefined = [k for k, v in enumerate(values) if v is None]
        # Python's sort is stable with reverse=True too, so ties keep project order.
        defined.sort(key=values.__getitem__, reverse=descending)
        return [ids[k] for k in defined + undefined]


def _system(column: ItemColumn) -> str:
    if column.system is None:
        raise ValueError(f"a {column.role.value} column has no system")
    return column.system


def natural_text_key(text: str) -> str:
    """:func:`natural_key` as one string, ordered as the tuples are (by code point, which
    is also SQLite's binary order of UTF-8 text), so that a database can index it.

    A number part is ``\\x01``, its count of significant digits as one character, and the
    digits; a text part is ``\\x02`` and its casefolded text.
    """
    parts = []
    for part in _DIGITS.split(text):
        if not part:
            continue
        if part.isdecimal():
            digits = _number(part)
            parts.append(f"\x01{chr(len(digits))}{digits}")
        else:
            parts.append(f"\x02{part.casefold()}")
    return "".join(parts)
