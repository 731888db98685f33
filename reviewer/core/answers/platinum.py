"""What a cleaned ("platinum") short-answer benchmark does with each item, and why.

The platinum-benchmarks work revised benchmarks item by item: an item is **kept** as it was,
**revised** (its gold answer corrected) or **removed**, and a flawed item is given one of
four reasons (:data:`PLATINUM_REASONS`), which the review window records as the error type
of a "reference error" verdict.

* ``platinum``: ``revised`` when the item has a corrected gold answer; ``removed`` when its
  verdict is a reference error, "ambiguous" or "unusable" without a correction (a wrong or
  unanswerable question with no better gold); else ``kept`` (verdict OK or model error, or
  not reviewed: a gold nobody questioned stands, as in the platinum work, where only the
  items some model failed were looked at).
* ``platinum_reason``: the reason of a reference-error verdict; the window's general
  verdicts "ambiguous" and "unusable" read as the reasons ``ambiguous`` and
  ``invalid_question``; ``mislabeled`` for a corrected gold without a reason; else empty.
"""

from __future__ import annotations

from reviewer.core.decisions import Decision

# The reasons of a reference-error verdict, as the platinum-benchmarks paper sorts the
# errors it found: reason id -> (display name, key in the review window).
PLATINUM_REASONS: dict[str, tuple[str, str]] = {
    "mislabeled": ("Mislabeled", "M"),
    "ambiguous": ("Ambiguous or ill-posed", "A"),
    "poorly_worded": ("Poorly worded", "P"),
    "invalid_question": ("Invalid question", "I"),
}
# The reason a corrected gold answer stands for: the gold was wrong.
REVISING_REASON = "mislabeled"
# The window's general verdicts that name a platinum reason themselves.
VERDICT_REASONS: dict[str, str] = {"ambiguous": "ambiguous", "unusable": "invalid_question"}
# The columns a table export adds (and the keys each item of its manifest gets).
PLATINUM_COLUMNS: tuple[str, ...] = ("platinum", "platinum_reason")


def platinum_status(decision: Decision) -> str:
    """``kept``, ``revised`` or ``removed`` (see the module docstring)."""
    if decision.corrected_reference is not None:
        return "revised"
    if decision.verdict in ("reference_error", *VERDICT_REASONS):
        return "removed"
    return "kept"


def platinum_reason(decision: Decision) -> str:
    """The reason id of a flawed item, ``""`` for none (see the module docstring)."""
    if decision.verdict == "reference_error" and decision.error_type in PLATINUM_REASONS:
        return decision.error_type
    if decision.verdict in VERDICT_REASONS:
        return VERDICT_REASONS[decision.verdict]
    return REVISING_REASON if decision.corrected_reference is not None else ""


def platinum_marks(decision: Decision) -> dict[str, str]:
    """The values of :data:`PLATINUM_COLUMNS` for an item with ``decision``."""
    return {"platinum": platinum_status(decision), "platinum_reason": platinum_reason(decision)}
