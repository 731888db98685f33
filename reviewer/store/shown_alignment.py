"""The alignment an item is shown with: fstalign's path for NLP calls, else the stored one.

An asr prediction of an NLP reference keeps the path fstalign's counting took at import
(:mod:`reviewer.core.lattice_path`); the window, ``reviewer show`` and the report's items
draw that path, so a normalised span read as one of its verbalisations shows as matched
and the highlighted errors are the ones the fstalign WER counts. Once the reference is
corrected the path no longer applies (it was made on the NLP tokens, their tags and
sidecars, which a free-text correction does not carry): the item is shown with the
preset's alignment against the corrected reference, and :func:`lattice_note` says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reviewer.core.align import Alignment
from reviewer.core.decisions import Decision
from reviewer.core.lattice_path import (
    PATH_KEY,
    LatticeAlignment,
    PathMismatch,
    kept_path,
    lattice_alignment,
)
from reviewer.core.lattice_summary import SUMMARY_KEY
from reviewer.core.pair_text import display_text
from reviewer.core.tokenize import CharMode
from reviewer.store.decisions import get_decision
from reviewer.store.project import Project

CORRECTED_NOTE = ("The reference was corrected: the fstalign-style alignment belongs to the "
                  "NLP tokens as imported, so the preset's alignment is shown (restore the "
                  "original reference to see fstalign's)")


def lattice_from_meta(meta: Mapping[str, Any], reference: str, hyp: str | None,
                      mode: CharMode = "grapheme") -> LatticeAlignment | None:
    """The fstalign-style alignment kept in a prediction's metadata, drawn on the stored
    ``reference`` and ``hyp``; ``None`` when none was kept for this reference or it does
    not fit the texts."""
    kept = kept_path(meta, reference)
    if kept is None:
        return None
    try:
        return lattice_alignment(display_text(reference, mode), display_text(hyp or "", mode),
                                 kept)
    except (PathMismatch, KeyError, TypeError, ValueError):
        return None


def lattice_of(project: Project, system: str, item_id: str,
               decision: Decision | None = None) -> LatticeAlignment | None:
    """The fstalign-style alignment of ``system`` on ``item_id``; ``None`` for an item that
    has none (not an NLP call, or its reference was corrected)."""
    if project.kind != "asr":
        return None
    decision = decision if decision is not None else get_decision(project, item_id)
    if decision.corrected_reference is not None:
        return None
    meta = _path_meta(project, system, item_id)
    if PATH_KEY not in meta:
        return None
    return lattice_from_meta(meta, project.item(item_id).reference,
                             project.prediction(system, item_id), project.char_mode)


def _path_meta(project: Project, system: str, item_id: str) -> dict[str, Any]:
    """The path and counts of a prediction's metadata, without the rest: an NLP
    hypothesis keeps every word's times there too, ten times the path's size."""
    row = project.db.execute(
        f"SELECT json_extract(meta, '$.{PATH_KEY}'), json_extract(meta, '$.{SUMMARY_KEY}') "
        "FROM predictions WHERE system = ? AND item_id = ? AND json_valid(meta)",
        [system, item_id]).fetchone()
    if row is None or row[0] is None or row[1] is None:
        return {}
    try:
        return {PATH_KEY: json.loads(row[0]), SUMMARY_KEY: json.loads(row[1])}
    except json.JSONDecodeError:
        return {}


def has_lattice_paths(project: Project) -> bool:
    """Whether any prediction of the project kept an fstalign-style path (one query)."""
    if project.kind != "asr":
        return False
    row = project.db.execute("SELECT 1 FROM predictions WHERE meta LIKE ? LIMIT 1",
                             [f'%"{PATH_KEY}"%']).fetchone()
    return row is not None


def shown_alignment(project: Project, system: str, item_id: str) -> Alignment:
    """The alignment to show ``system`` on ``item_id`` with: fstalign's path where there is
    one (:func:`lattice_of`), else the stored alignment against the current reference."""
    found = lattice_of(project, system, item_id)
    return found if found is not None else project.alignment(system, item_id)


MISMATCH_NOTE = ("The fstalign-style path kept at import does not fit this item's texts; "
                 "the preset's alignment is shown")


def lattice_note(kept: bool, corrected: bool, drawn: bool) -> str:
    """Why an item is shown with the preset's alignment rather than fstalign's (``""``: it
    is not): ``kept`` says a path was kept at import for one of its predictions,
    ``corrected`` that its reference was corrected since, ``drawn`` that every kept path
    was drawn."""
    if not kept:
        return ""
    if corrected:
        return CORRECTED_NOTE
    return "" if drawn else MISMATCH_NOTE
