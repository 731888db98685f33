"""The columns of the item list, described by what they show rather than by a tag string."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class ColumnRole(Enum):
    """What a column of the item list shows."""

    ID = "id"
    VERDICT = "verdict"
    SUSPICION = "suspicion"  # how likely the reference is wrong
    RATE = "rate"  # a system's item error rate (CER, WER, SER, ... as the kind measures)
    ERRORS = "errors"  # a system's error count on the item
    MAIN_CATEGORY = "main_category"  # the category with the most errors


PER_SYSTEM = frozenset({ColumnRole.RATE, ColumnRole.ERRORS})
NUMERIC = frozenset({ColumnRole.SUSPICION, ColumnRole.RATE, ColumnRole.ERRORS})


@dataclass(frozen=True, slots=True)
class ItemColumn:
    """One column: its role and, for the per-system roles, whose numbers it shows."""

    role: ColumnRole
    system: str | None = None

    def __post_init__(self) -> None:
        if (self.system is not None) != (self.role in PER_SYSTEM):
            raise ValueError(f"a {self.role.value} column "
                             + ("needs a system" if self.role in PER_SYSTEM else "has no system"))

    @property
    def numeric(self) -> bool:
        """Whether the column shows numbers (aligned right)."""
        return self.role in NUMERIC


def item_columns(systems: Sequence[str], *, suspicion: bool) -> tuple[ItemColumn, ...]:
    """Id, verdict, suspicion (when the kind ranks items), rate and errors per system, and
    the main category, in that order."""
    columns = [ItemColumn(ColumnRole.ID), ItemColumn(ColumnRole.VERDICT)]
    if suspicion:
        columns.append(ItemColumn(ColumnRole.SUSPICION))
    for system in systems:
        columns += [ItemColumn(ColumnRole.RATE, system), ItemColumn(ColumnRole.ERRORS, system)]
    columns.append(ItemColumn(ColumnRole.MAIN_CATEGORY))
    return tuple(columns)


def title(column: ItemColumn, metric: str) -> str:
    """The header of ``column``; ``metric`` names the kind's item rate (CER, WER, ...).

    Two lines for the per-system columns keep the table narrow enough for a dock.
    """
    role, system = column.role, column.system
    if role is ColumnRole.RATE:
        return f"{system}\n{metric}"
    if role is ColumnRole.ERRORS:
        return f"{system}\nerrors"
    return _TITLES[role]


def tooltip(column: ItemColumn, metric: str) -> str:
    """What ``column`` shows, in one sentence (plain text: system names are not markup)."""
    role, system = column.role, column.system
    if role is ColumnRole.RATE:
        return f"{metric} of {system} against the current reference"
    if role is ColumnRole.ERRORS:
        return f"Errors of {system}"
    return _TOOLTIPS[role]


_TITLES = {ColumnRole.ID: "Id", ColumnRole.VERDICT: "Verdict",
           ColumnRole.SUSPICION: "Suspicion", ColumnRole.MAIN_CATEGORY: "Main category"}
_TOOLTIPS = {
    ColumnRole.ID: "Item id",
    ColumnRole.VERDICT: "Your verdict on the item",
    ColumnRole.SUSPICION: "How likely the reference is wrong (0 to 1), from how the systems "
                          "agree against it",
    ColumnRole.MAIN_CATEGORY: "The error category with the most errors",
}
