"""Compact text encoding of edits, for the cached alignments in the project database."""

from __future__ import annotations

import json

from reviewer.core.items import Edit, EditOp

_OP_CODE: dict[str, str] = {"substitute": "S", "insert": "I", "delete": "D"}
_CODE_OP: dict[str, EditOp] = {"S": "substitute", "I": "insert", "D": "delete"}


def encode_edits(edits: tuple[Edit, ...] | list[Edit]) -> str:
    """JSON list of ``[op, ref_start, ref_end, hyp_start, hyp_end, category, nref, nhyp]``.

    Built by hand rather than with ``json.dumps``: category ids are plain identifiers, and
    this runs once per stored pair.
    """
    return "[" + ",".join(
        edit_entry(_OP_CODE[e.op], *e.ref_span, *e.hyp_span, e.category, e.ref_units,
                   e.hyp_units)
        for e in edits
    ) + "]"


def edit_entry(code: str, ref_start: int, ref_end: int, hyp_start: int, hyp_end: int,
               category: str, ref_units: int, hyp_units: int) -> str:
    """One edit of :func:`encode_edits`, from its op code (``S``, ``I`` or ``D``) and numbers;
    ``"[" + ",".join(entries) + "]"`` is the list."""
    return (f'["{code}",{ref_start},{ref_end},{hyp_start},{hyp_end},"{category}",'
            f'{ref_units},{hyp_units}]')


def encode_counts(counts: dict[str, int]) -> str:
    """JSON object of category id -> count (ids are plain identifiers)."""
    return "{" + ",".join(f'"{k}":{v}' for k, v in counts.items()) + "}"


def decode_counts(blob: str) -> dict[str, int]:
    """Inverse of :func:`encode_counts`."""
    return dict(json.loads(blob))


def decode_edits(blob: str, ref: str, hyp: str) -> tuple[Edit, ...]:
    """Edits back from :func:`encode_edits`, their texts cut from the displayed strings."""
    return tuple(
        Edit(_CODE_OP[op], (rs, re_), (hs, he), ref[rs:re_], hyp[hs:he], cat, nr, nh)
        for op, rs, re_, hs, he, cat, nr, nh in json.loads(blob)
    )
