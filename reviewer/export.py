"""Cleaned benchmark exports with their manifest (DESIGN §5, §7.11).

An export keeps the items its policy names, each with its current (corrected)
reference, writes them in a table format or as the import's own format, and writes a
manifest beside them: the sources, the policy, every item's status and reason, and
each system's scores before and after cleaning with the change in their ranking.
Every file is written atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reviewer import __version__
from reviewer.core.atomic import atomic_path
from reviewer.core.errors import InputError
from reviewer.core.kinds import spec
from reviewer.core.labels import LabelState
from reviewer.core.policy import POLICIES, ExportPolicy
from reviewer.formats.folder_write import write_folder
from reviewer.formats.m2 import write_m2
from reviewer.formats.writers import TABLE_SUFFIXES, write_table
from reviewer.store.labels import all_labels
from reviewer.store.project import Project
from reviewer.store.scores import metric_names, ranking, score_project

TABLE_FORMATS = sorted(set(TABLE_SUFFIXES.values()))
CHANGE_COLUMNS = ["id", "status", "verdict", "error_type", "note", "annotator", "time",
                  "original_reference", "corrected_reference"]


@dataclass
class ExportResult:
    """What an export wrote."""

    data: Path | None
    manifest: Path | None
    changes: Path | None
    counts: dict[str, int] = field(default_factory=dict)


Row = dict[str, Any]


def item_rows(project: Project, labels: dict[str, LabelState]) -> tuple[list[str], list[Row]]:
    """Systems and one row per item: id, current reference, media, the item's metadata
    (one key per column), predictions, label and original reference."""
    systems = project.systems()
    preds: dict[str, dict[str, str]] = {s: {} for s in systems}
    for system, item_id, text in project.db.execute(
            "SELECT system, item_id, text FROM predictions"):
        preds[system][item_id] = text
    stamps = {r[0]: (r[1], r[2]) for r in project.db.execute(
        "SELECT item_id, annotator, updated_at FROM labels")}
    rows = []
    for item_id, reference, media, meta in project.db.execute(
            "SELECT id, reference, media, meta FROM items ORDER BY pos"):
        label = labels.get(item_id) or LabelState()
        annotator, time = stamps.get(item_id, (None, None))
        current = label.corrected_reference if label.corrected_reference is not None else reference
        row: dict[str, Any] = {"id": item_id, "reference": current, "image": media}
        for key, value in json.loads(meta).items():
            row[key if key not in _RESERVED else f"meta_{key}"] = value
        for system in systems:
            row[f"pred_{system}"] = preds[system].get(item_id, "")
        row.update(status=label.status, verdict=label.verdict, error_type=label.error_type,
                   note=label.note, annotator=annotator, time=time,
                   original_reference=reference, corrected_reference=label.corrected_reference)
        rows.append(row)
    return systems, rows


# Columns every exported row has (item metadata with these names gets a ``meta_`` prefix).
_RESERVED = frozenset({"id", "reference", "image", "audio", "answer", "label", "kern", "status",
                       "verdict", "error_type", "note", "annotator", "time",
                       "original_reference", "corrected_reference"})


def export_benchmark(project: Project, target: Path | None, *,
                     policy: ExportPolicy = POLICIES["lenient"], fmt: str = "auto",
                     changes: Path | None = None) -> ExportResult:
    """Export the items ``policy`` keeps to ``target`` and/or the changes to ``changes``.

    ``fmt``: ``auto`` (from the target's suffix), ``same`` (the format the benchmark was
    imported from), or a table format name (csv, tsv, jsonl, parquet).
    """
    labels = all_labels(project)
    systems, rows = item_rows(project, labels)
    kept = [r for r in rows if policy.keeps(labels.get(r["id"]))]
    result = ExportResult(None, None, None, _counts(rows, kept))
    if target is not None:
        result.data = _write_data(project, target, fmt, systems, kept)
        result.manifest = _manifest_path(result.data)
        manifest = build_manifest(project, policy, rows, {r["id"] for r in kept}, result.data)
        with atomic_path(result.manifest) as tmp:
            tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    if changes is not None:
        changed = [r for r in rows if r["status"] in ("revised", "removed")]
        write_table(changes, CHANGE_COLUMNS, changed)
        result.changes = changes
    return result


def _counts(rows: list[dict[str, Any]], kept: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"items": len(rows), "written": len(kept), "dropped": len(rows) - len(kept)}
    for row in kept:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def _write_data(project: Project, target: Path, fmt: str, systems: list[str],
                rows: list[dict[str, Any]]) -> Path:
    if fmt == "same":
        fmt = project.meta("source_format") or ""
        if not fmt:
            raise InputError(target, "the project does not record the format it was imported "
                             "from; name one with --format")
        if fmt in ("page", "alto"):
            raise InputError(target, f"writing {fmt.upper()} files is not supported; export "
                             "to a table (.jsonl, .csv, .tsv, .parquet) or a folder")
    if fmt == "folder":
        write_folder(target, rows, systems)
        return target
    if fmt in ("m2", "gec-text") or (fmt == "auto" and target.suffix.lower() == ".m2"):
        # gec: the kept items' current references are M2 blocks (S line, then A lines).
        if project.kind != "gec":
            raise InputError(target, f"M2 holds GEC edits; a {project.kind} project cannot "
                             "be written as M2")
        if target.suffix.lower() != ".m2":
            target = target / f"{project.path.stem}.m2"
        write_m2(target, [(r["id"], r["reference"]) for r in rows])
        return target
    if fmt in TABLE_FORMATS and target.suffix.lower() not in TABLE_SUFFIXES:
        target = target / f"{project.path.stem}.{fmt}"
    elif fmt not in ("auto", *TABLE_FORMATS):
        raise InputError(target, f"unknown export format {fmt!r}; choose same, folder, m2 "
                         f"(gec) or one of {', '.join(TABLE_FORMATS)}")
    # Named as the kind's table reader expects (answer for choice, audio for asr, ...), so the
    # export imports back as it is.
    kind = spec(project.kind)
    names = {"reference": kind.reference_column, "image": kind.media_column}
    has_media = any(r["image"] for r in rows)
    meta = list(dict.fromkeys(k for r in rows for k in r if k not in _RESERVED
                              and not k.startswith("pred_")))
    columns = ["id", "reference", *(["image"] if has_media else []), *meta,
               *(f"pred_{s}" for s in systems), "status", "verdict", "note",
               "original_reference"]
    named = [{names.get(k, k): row.get(k) for k in columns} for row in rows]
    write_table(target, [names.get(c, c) for c in columns], named)
    return target


def _manifest_path(data: Path) -> Path:
    if data.is_dir():
        return data / "manifest.json"
    return data.with_name(data.name + ".manifest.json")


def build_manifest(project: Project, policy: ExportPolicy, rows: list[dict[str, Any]],
                   kept: set[str], data: Path) -> dict[str, Any]:
    """The manifest of an export (see the README for its fields)."""
    before = score_project(project, "original")
    after = score_project(project, "current", only=kept)
    sources = [{"path": r[0], "sha256": r[1], "role": r[2]} for r in project.db.execute(
        "SELECT path, sha256, role FROM sources ORDER BY id")]
    return {
        "reviewer": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "project": project.name,
        "kind": project.kind,
        "data": str(data),
        "sources": sources,
        "policy": policy.as_dict(),
        "counts": _counts(rows, [r for r in rows if r["id"] in kept]),
        "scores": {
            "before": before,
            "after": after,
            "ranking": {metric: {"before": ranking(before, metric),
                                 "after": ranking(after, metric)}
                        for metric in metric_names(project.kind)},
        },
        "items": [
            {"id": r["id"], "included": r["id"] in kept, "status": r["status"],
             "verdict": r["verdict"], "error_type": r["error_type"], "reason": r["note"],
             "annotator": r["annotator"], "time": r["time"],
             "original_reference": r["original_reference"],
             "corrected_reference": r["corrected_reference"]}
            for r in rows
        ],
    }
