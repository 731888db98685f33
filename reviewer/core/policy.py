"""Export policies: which reviewed items a cleaned benchmark keeps (DESIGN §5).

An item is described by its classes: ``revised`` when it has a corrected reference,
then its verdict, or ``unreviewed``. The first class a policy names decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.core.decisions import VERDICTS, Decision

CLASSES: tuple[str, ...] = ("revised", *VERDICTS, "unreviewed")


@dataclass(frozen=True, slots=True)
class ExportPolicy:
    """A named rule: the classes of items kept and dropped."""

    name: str
    keep: frozenset[str]
    drop: frozenset[str]

    def __post_init__(self) -> None:
        unknown = sorted((self.keep | self.drop) - set(CLASSES))
        if unknown:
            raise ValueError(f"unknown item class(es) {', '.join(unknown)}; "
                             f"choose from {', '.join(CLASSES)}")
        both = sorted(self.keep & self.drop)
        if both:
            raise ValueError(f"{', '.join(both)} cannot be both kept and dropped")

    def keeps(self, decision: Decision | None) -> bool:
        """Whether an item with ``decision`` (``None``: never decided) is exported."""
        return item_classes(decision)[0] in self.keep if decision is not None else (
            "unreviewed" in self.keep)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "keep": sorted(self.keep), "drop": sorted(self.drop)}


def item_classes(decision: Decision | None) -> list[str]:
    """The classes of an item, most specific first."""
    if decision is None:
        return ["unreviewed"]
    classes = []
    if decision.corrected_reference is not None:
        classes.append("revised")
    classes.append(decision.verdict or "unreviewed")
    return classes


def _policy(name: str, keep: set[str]) -> ExportPolicy:
    return ExportPolicy(name, frozenset(keep), frozenset(set(CLASSES) - keep))


POLICIES: dict[str, ExportPolicy] = {
    # Only what a person verified: right as it was, or corrected.
    "strict": _policy("strict", {"revised", "ok", "model_error"}),
    # Everything not removed: unreviewed items stay in.
    "lenient": _policy("lenient", {"revised", "ok", "model_error", "unreviewed"}),
}


def custom_policy(keep: list[str] | None, drop: list[str] | None) -> ExportPolicy:
    """A policy from ``--keep``/``--drop`` lists.

    With only ``drop`` every other class is kept; otherwise every class not kept is
    dropped (an unresolved reference error, if not named, is dropped).
    """
    keep_set, drop_set = set(keep or ()), set(drop or ())
    if drop and not keep:
        keep_set = set(CLASSES) - drop_set
    else:
        drop_set |= set(CLASSES) - keep_set - drop_set
    return ExportPolicy("custom", frozenset(keep_set), frozenset(drop_set))
