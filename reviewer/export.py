"""Cleaned benchmark exports with their manifest (DESIGN §5, §7.11).

An export keeps the items its policy names, each with its current (corrected)
reference, writes them in a table format or as the import's own format, and writes a
manifest beside them: the sources, the policy, every item's status and reason, and
each system's scores before and after cleaning with the change in their ranking.

The data file and its manifest are one unit (:func:`reviewer.core.atomic.atomic_paths`):
a failed or killed export leaves the old pair, the new pair, or a data file without a
manifest, never a manifest beside data it does not describe (``data_sha256`` names the
data it does). An export never writes over the project or the benchmark's own files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reviewer import __version__
from reviewer.core.atomic import atomic_paths
from reviewer.core.decisions import Decision
from reviewer.core.errors import InputError
from reviewer.core.kinds import spec
from reviewer.core.os_errors import write_error
from reviewer.core.policy import POLICIES, ExportPolicy
from reviewer.core.relative_paths import RelativePaths
from reviewer.formats.columns import EXPORT_TRAILER, meta_column
from reviewer.formats.export_targets import (
    MANIFEST_SUFFIX,
    benchmark_roots,
    check_changes_target,
    check_targets,
    source_paths,
)
from reviewer.formats.folder_write import FolderPlan, plan_folder, write_folder
from reviewer.formats.m2 import write_m2
from reviewer.formats.writers import (
    TABLE_SUFFIXES,
    TABLE_WRITERS,
    table_format,
    write_rows,
    write_table,
)
from reviewer.store.decisions import all_decisions, decision_stamps
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
    media_left_out: list[dict[str, str]] = field(default_factory=list)  # id, media, reason


Row = dict[str, Any]
# Formats a benchmark may come from that reviewer does not write: what to use instead.
_UNWRITTEN = {"page": "PAGE", "alto": "ALTO", "trn": "trn", "stm": "STM", "ctm": "CTM",
              "kaldi": "Kaldi", "kern-folder": "kern-folder"}


def item_rows(project: Project, decisions: dict[str, Decision]) -> tuple[list[str], list[Row]]:
    """Systems and one row per item: id, current reference, media, the item's metadata
    (a dict under ``meta``), predictions, decision, original reference, and the kind's
    export marks (a dict under ``marks``: answer's platinum status and reason)."""
    systems = project.systems()
    marks = spec(project.kind).export_marks
    preds = project.predictions_by_system()
    stamps: dict[str, tuple[str | None, str | None]] = dict(decision_stamps(project))
    rows = []
    for item in project.items():
        item_id, reference = item.id, item.reference
        decision = decisions.get(item_id) or Decision()
        annotator, time = stamps.get(item_id, (None, None))
        current = (decision.corrected_reference if decision.corrected_reference is not None
                   else reference)
        row: dict[str, Any] = {"id": item_id, "reference": current, "image": item.media,
                               "meta": dict(item.meta)}
        for system in systems:
            row[f"pred_{system}"] = preds[system].get(item_id, "")
        row.update(status=decision.status, verdict=decision.verdict, error_type=decision.error_type,
                   note=decision.note, annotator=annotator, time=time,
                   original_reference=reference, corrected_reference=decision.corrected_reference,
                   marks={} if marks is None else dict(marks.values(decision)))
        rows.append(row)
    return systems, rows


def export_benchmark(project: Project, target: Path | None, *,
                     policy: ExportPolicy = POLICIES["lenient"], fmt: str = "auto",
                     changes: Path | None = None, raw_cells: bool = False) -> ExportResult:
    """Export the items ``policy`` keeps to ``target`` and/or the changes to ``changes``.

    ``fmt``: ``auto`` (from the target's suffix), ``same`` (the format the benchmark was
    imported from), ``folder``, ``m2`` (gec) or a table format name (csv, tsv, jsonl,
    parquet). CSV/TSV cells a spreadsheet would run as formulas are neutralised unless
    ``raw_cells``. Raises :class:`InputError` for a target it must not or cannot write.
    """
    try:
        return _export(project, target, policy, fmt, changes, raw_cells)
    except OSError as exc:
        raise write_error(exc, target or changes or project.path) from None


def _export(project: Project, target: Path | None, policy: ExportPolicy, fmt: str,
            changes: Path | None, raw_cells: bool) -> ExportResult:
    outputs: list[tuple[str, Path]] = []
    data: Path | None = None
    if target is not None:
        fmt, data = _plan_target(project, target, fmt)
        outputs += [("the data", data), ("the manifest", _manifest_path(data, fmt))]
    if changes is not None:
        table_format(changes)  # an unknown suffix is refused before anything is written
        check_changes_target(changes)
        outputs.append(("the changes", changes))
    sources = source_paths([s.path for s in project.sources()], project.path)
    check_targets(outputs, project.path, sources)
    decisions = all_decisions(project)
    systems, rows = item_rows(project, decisions)
    kept = [r for r in rows if policy.keeps(decisions.get(r["id"]))]
    result = ExportResult(None, None, None, _counts(rows, kept))
    if data is not None:
        result.data, result.manifest = data, _manifest_path(data, fmt)
        result.media_left_out = _write_export(project, policy, fmt, data, systems, rows,
                                              kept, sources, raw_cells)
    if changes is not None:
        changed = [r for r in rows if r["status"] in ("revised", "removed")]
        write_table(changes, CHANGE_COLUMNS, changed, raw_cells=raw_cells)
        result.changes = changes
    return result


def _write_export(project: Project, policy: ExportPolicy, fmt: str, data: Path,
                  systems: list[str], rows: list[Row], kept: list[Row], sources: list[Path],
                  raw_cells: bool) -> list[dict[str, str]]:
    """Write the data and its manifest; the media a folder export left out.

    Every path written (media, sources, the data) is relative to the manifest's folder,
    which is the data file's folder (:mod:`reviewer.core.relative_paths`).
    """
    kept_ids = {r["id"] for r in kept}
    paths = RelativePaths(_manifest_path(data, fmt).parent)
    if fmt == "folder":
        plan = plan_folder(data, kept, systems, benchmark_roots(sources))
        manifest = build_manifest(project, policy, rows, kept_ids, paths, ".", plan)
        write_folder(data, kept, systems, plan, _json(manifest))
        return plan.left_out
    written = [{**r, "image": paths(r["image"])} for r in kept]
    manifest = build_manifest(project, policy, rows, kept_ids, paths, data.name)
    with atomic_paths(data, _manifest_path(data, fmt)) as (tmp_data, tmp_manifest):
        _DATA_WRITERS[fmt](project, tmp_data, fmt, systems, written, raw_cells)
        manifest["data_sha256"] = _sha256(tmp_data)
        tmp_manifest.write_text(_json(manifest), encoding="utf-8")
    return []


def _counts(rows: list[dict[str, Any]], kept: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"items": len(rows), "written": len(kept), "dropped": len(rows) - len(kept)}
    for row in kept:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def _plan_target(project: Project, target: Path, fmt: str) -> tuple[str, Path]:
    """The format to write and the data path (a named folder gets ``<project>.<format>``)."""
    if fmt == "same":
        fmt = project.meta("source_format") or ""
        if not fmt:
            raise InputError(target, "the project does not record the format it was imported "
                             "from; name one with --format")
        if fmt in _UNWRITTEN:
            raise InputError(target, f"writing {_UNWRITTEN[fmt]} files is not supported; "
                             "export to a table (.jsonl, .csv, .tsv, .parquet), which imports "
                             f"back with --kind {project.kind}, or (text) to a folder")
    if fmt == "folder":
        return fmt, target
    if fmt in ("m2", "gec-text") or (fmt == "auto" and target.suffix.lower() == ".m2"):
        # gec: the kept items' current references are M2 blocks (S line, then A lines).
        if project.kind != "gec":
            raise InputError(target, f"M2 holds GEC edits; a {project.kind} project cannot "
                             "be written as M2")
        if target.suffix.lower() != ".m2":
            target = target / f"{project.path.stem}.m2"
        return "m2", target
    if fmt in TABLE_FORMATS and target.suffix.lower() not in TABLE_SUFFIXES:
        target = target / f"{project.path.stem}.{fmt}"
    elif fmt not in ("auto", *TABLE_FORMATS):
        raise InputError(target, f"unknown export format {fmt!r}; choose same, folder, m2 "
                         f"(gec) or one of {', '.join(TABLE_FORMATS)}")
    if target.is_dir():
        raise InputError(target, "is a folder; name a file to write (or give a folder with "
                         "--format folder or a table format)")
    return table_format(target), target


def _write_table(project: Project, path: Path, fmt: str, systems: list[str],
                 rows: list[Row], raw_cells: bool) -> None:
    # Named as the kind's table reader expects (answer for choice, audio for asr, ...), so the
    # export imports back as it is; metadata that a reader would take for one of those
    # columns goes under meta_<key>, which the table reader turns back into <key>.
    kind = spec(project.kind)
    names = {"reference": kind.reference_column, "image": kind.media_column}
    has_media = any(r["image"] for r in rows)
    marks = list(kind.export_marks.columns) if kind.export_marks is not None else []
    keys = list(dict.fromkeys(k for r in rows for k in r["meta"]))
    meta = {key: meta_column(key, [*names.values(), *marks]) for key in keys}
    columns = ["id", "reference", *(["image"] if has_media else []), *meta.values(),
               *(f"pred_{s}" for s in systems), *marks, *EXPORT_TRAILER]
    named = []
    for row in rows:
        out = {names.get(k, k): row.get(k) for k in columns}
        out.update((meta[k], v) for k, v in row["meta"].items())
        out.update(row["marks"])
        named.append(out)
    write_rows(path, fmt, [names.get(c, c) for c in columns], named, raw_cells=raw_cells)


def _write_m2(project: Project, path: Path, fmt: str, systems: list[str],
              rows: list[Row], raw_cells: bool) -> None:
    # gec: the kept items' current references are M2 blocks (S line, then A lines).
    write_m2(path, [(r["id"], r["reference"]) for r in rows])


# Format -> the writer of an export's data file (a folder export is written by write_folder)
_DATA_WRITERS: Mapping[str, Callable[[Project, Path, str, list[str], list[Row], bool], None]] = {
    "m2": _write_m2, **{fmt: _write_table for fmt in TABLE_WRITERS}}


def _manifest_path(data: Path, fmt: str) -> Path:
    if fmt == "folder":
        return data / "manifest.json"
    return data.with_name(data.name + MANIFEST_SUFFIX)


def _json(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=1, ensure_ascii=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def build_manifest(project: Project, policy: ExportPolicy, rows: list[dict[str, Any]],
                   kept: set[str], paths: RelativePaths, data: str,
                   folder: FolderPlan | None = None) -> dict[str, Any]:
    """The manifest of an export (see the README for its fields); ``paths`` writes paths
    relative to the manifest's folder, ``data`` is the data's path from there; ``folder``:
    a folder export's layout (each written item's ``file`` and ``meta``, the media left
    out)."""
    before = score_project(project, "original")
    after = score_project(project, "current", only=kept)
    sources = [{"path": paths(s.path), "sha256": s.sha256, "role": s.role}
               for s in project.sources()]
    manifest = {
        "reviewer": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "project": project.name,
        "kind": project.kind,
        "data": data,
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
        "items": [_manifest_item(r, r["id"] in kept, folder) for r in rows],
    }
    if folder is not None:
        manifest["media_left_out"] = [{**e, "media": paths(e["media"])}
                                      for e in folder.left_out]
    # Last: by now every path of the manifest and the data has been written.
    manifest["paths"] = {"relative_to": "the folder of this manifest",
                         "absolute": paths.absolute}
    return manifest


def _manifest_item(row: Row, included: bool, folder: FolderPlan | None) -> dict[str, Any]:
    entry = {"id": row["id"], "included": included, "status": row["status"],
             "verdict": row["verdict"], "error_type": row["error_type"], "reason": row["note"],
             "annotator": row["annotator"], "time": row["time"],
             "original_reference": row["original_reference"],
             "corrected_reference": row["corrected_reference"], **row["marks"]}
    if folder is not None and included:
        entry.update(file=folder.stems[row["id"]], meta=row["meta"])
    return entry
