"""Cleaned benchmark exports: current references, removed items left out (DESIGN §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer.formats.writers import write_table
from reviewer.store.labels import all_labels
from reviewer.store.project import Project


def cleaned_rows(project: Project, *,
                 include_removed: bool = False) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of the cleaned benchmark, each item with its current reference.

    Columns: ``id``, ``reference``, ``image`` (when any item has media), one
    ``pred_<system>`` per system, then ``status``, ``verdict``, ``note`` and
    ``original_reference``, so that importing the file gives back the same items.
    """
    labels = all_labels(project)
    systems = project.systems()
    preds: dict[str, dict[str, str]] = {s: {} for s in systems}
    for system, item_id, text in project.db.execute(
            "SELECT system, item_id, text FROM predictions"):
        preds[system][item_id] = text
    rows: list[dict[str, Any]] = []
    has_media = False
    for pos_id, reference, media in project.db.execute(
            "SELECT id, reference, media FROM items ORDER BY pos"):
        label = labels.get(pos_id)
        status = label.status if label else "unreviewed"
        if status == "removed" and not include_removed:
            continue
        current = (label.corrected_reference
                   if label and label.corrected_reference is not None else reference)
        row: dict[str, Any] = {"id": pos_id, "reference": current, "image": media}
        has_media = has_media or bool(media)
        for system in systems:
            row[f"pred_{system}"] = preds[system].get(pos_id, "")
        row.update(status=status, verdict=label.verdict if label else None,
                   note=label.note if label else "", original_reference=reference)
        rows.append(row)
    columns = ["id", "reference", *(["image"] if has_media else []),
               *(f"pred_{s}" for s in systems), "status", "verdict", "note", "original_reference"]
    return columns, rows


def export_cleaned(project: Project, target: Path) -> dict[str, int]:
    """Write the cleaned benchmark to ``target`` (format from its suffix); returns counts."""
    columns, rows = cleaned_rows(project)
    write_table(target, columns, rows)
    counts: dict[str, int] = {"written": len(rows), "removed": project.item_count() - len(rows)}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts
