"""The decision model (DESIGN §5): verdicts, the decision on an item, what export makes of it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

Verdict = Literal["ok", "model_error", "reference_error", "ambiguous", "unusable"]
VERDICTS: tuple[str, ...] = get_args(Verdict)

VERDICT_NAMES: dict[str, str] = {
    "ok": "OK",
    "model_error": "Model error",
    "reference_error": "Reference error",
    "ambiguous": "Ambiguous",
    "unusable": "Unusable",
}

Status = Literal["kept", "revised", "removed", "unreviewed"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The current decision on one item."""

    verdict: str | None = None
    error_type: str | None = None
    corrected_reference: str | None = None
    note: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise ValueError(
                f"unknown verdict {self.verdict!r}; choose one of {', '.join(VERDICTS)}")

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "error_type": self.error_type,
                "corrected_reference": self.corrected_reference, "note": self.note,
                "tags": list(self.tags)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        return cls(data.get("verdict"), data.get("error_type"), data.get("corrected_reference"),
                   data.get("note") or "", tuple(data.get("tags") or ()))

    def updated(self, **changes: Any) -> Decision:
        """A copy with ``changes`` applied (``tags`` may be any iterable)."""
        if "tags" in changes and changes["tags"] is not None:
            changes["tags"] = tuple(changes["tags"])
        return replace(self, **changes)

    @property
    def status(self) -> Status:
        """What a cleaned export does with the item."""
        if self.verdict is None and self.corrected_reference is None:
            return "unreviewed"
        if self.corrected_reference is not None:
            return "revised"
        if self.verdict in ("ok", "model_error"):
            return "kept"
        return "removed"


def corrected_from_edits(reference: str, prediction: str,
                         spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> str:
    """The reference with the prediction's side taken at each ``(ref_span, hyp_span)``."""
    out: list[str] = []
    pos = 0
    for (rs, re_), (hs, he) in sorted(spans):
        out.append(reference[pos:rs])
        out.append(prediction[hs:he])
        pos = re_
    out.append(reference[pos:])
    return "".join(out)


def default_annotator(given: str | None = None) -> str:
    """The annotator's name: given, else $REVIEWER_ANNOTATOR, else the login name."""
    import getpass
    import os

    if given:
        return given
    try:
        return os.environ.get("REVIEWER_ANNOTATOR") or getpass.getuser()
    except (KeyError, OSError):
        return "annotator"
