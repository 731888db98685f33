"""What the item list reads per item: the shape of the store's bulk summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class ItemRows(Protocol):
    """Per item, in project order: its verdict and, per system, errors, units and main category.

    The per-system sequences are aligned with :attr:`ids`; ``positions`` maps an id to its
    index in them. The store's ``ItemSummaries`` is one; a test may build its own.
    ``main_errors`` and ``main_units`` are the stored main level's, the one of the kind's
    per-item metric (characters for text, words for asr, kern tokens for kern, ...).
    """

    @property
    def ids(self) -> Sequence[str]: ...

    @property
    def systems(self) -> Sequence[str]: ...

    @property
    def verdicts(self) -> Mapping[str, str]: ...

    @property
    def main_errors(self) -> Mapping[str, Sequence[int]]: ...

    @property
    def main_units(self) -> Mapping[str, Sequence[int]]: ...

    @property
    def main_category(self) -> Mapping[str, Sequence[str]]: ...

    @property
    def positions(self) -> Mapping[str, int]: ...


def main_category_of(rows: ItemRows, position: int, system: str | None = None) -> str:
    """The main category of the item at ``position`` ('' when it has none).

    Of ``system`` when given (and known), else of the system with the most errors there;
    a tie goes to the first system.
    """
    if system is not None and system in rows.main_category:
        return rows.main_category[system][position]
    best, best_errors = "", 0
    for name in rows.systems:
        errors = rows.main_errors[name][position]
        if errors > best_errors:
            best, best_errors = rows.main_category[name][position], errors
    return best
