"""Links between the two views of a kern pair: token edits and musicdiff's edits.

A token edit covers kern tokens (spans of the displayed texts); a musicdiff edit names
kern locations (line, field) on the prediction and reference sides. An edit of one view
is linked to the edits of the other that touch the same tokens, so selecting one selects
the other everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reviewer.core.items import Edit
from reviewer.core.kern.omr_ned import OmrOp
from reviewer.core.kern.tokens import KernToken, counted_tokens

Location = tuple[int, int]


@dataclass(frozen=True, slots=True)
class EditLinks:
    """Token edit index <-> musicdiff op index, and each token edit's kern locations."""

    op_edit: tuple[int | None, ...] = ()  # per musicdiff op: the token edit it falls in
    edit_ops: dict[int, tuple[int, ...]] = field(default_factory=dict)
    ref_locations: dict[int, tuple[Location, ...]] = field(default_factory=dict)
    hyp_locations: dict[int, tuple[Location, ...]] = field(default_factory=dict)


def _inside(tokens: Sequence[KernToken], span: tuple[int, int]) -> tuple[Location, ...]:
    start, end = span
    return tuple((t.line, t.field) for t in tokens if t.start >= start and t.end <= end)


def link(ref: str, hyp: str, edits: Sequence[Edit], ops: Sequence[OmrOp] = ()) -> EditLinks:
    """Links of the token ``edits`` (spans into ``ref``/``hyp``) and musicdiff ``ops``."""
    ref_tokens, hyp_tokens = counted_tokens(ref), counted_tokens(hyp)
    ref_locs = {k: _inside(ref_tokens, e.ref_span) for k, e in enumerate(edits)}
    hyp_locs = {k: _inside(hyp_tokens, e.hyp_span) for k, e in enumerate(edits)}
    ref_owner = {loc: k for k, locs in ref_locs.items() for loc in locs}
    hyp_owner = {loc: k for k, locs in hyp_locs.items() for loc in locs}
    op_edit: list[int | None] = []
    edit_ops: dict[int, list[int]] = {}
    for n, op in enumerate(ops):
        owner = next((hyp_owner[loc] for loc in op.pred if loc in hyp_owner), None)
        if owner is None:
            owner = next((ref_owner[loc] for loc in op.gt if loc in ref_owner), None)
        op_edit.append(owner)
        if owner is not None:
            edit_ops.setdefault(owner, []).append(n)
    return EditLinks(tuple(op_edit), {k: tuple(v) for k, v in edit_ops.items()}, ref_locs,
                     hyp_locs)
