"""Import a benchmark into a project: score every pair, then write it all in one transaction."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from reviewer.core.errors import ProjectError
from reviewer.core.evaluate import score_chunks
from reviewer.core.items import Benchmark
from reviewer.core.normalize import check_preset
from reviewer.core.progress import NullProgress, Progress
from reviewer.core.tokenize import CharMode
from reviewer.store.db import write_transaction
from reviewer.store.labels import all_labels
from reviewer.store.project import Project, now


def import_benchmark(
    project: Project,
    bench: Benchmark,
    *,
    name: str | None = None,
    replace: bool = False,
    char_mode: CharMode | None = None,
    normalize: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, int]:
    """Add ``bench`` to ``project``; returns the number of items and of pairs scored.

    A project holds one benchmark: a second import must bring the same items and
    reference texts, and may add systems. A system already in the project is replaced
    only with ``replace``. Nothing is written unless everything succeeds.
    """
    progress = progress or NullProgress()
    if normalize is not None:
        check_preset(normalize)
    existing = project.item_count()
    if existing:
        _check_same_items(project, bench)
        if project.kind != bench.kind:
            raise ProjectError(f"{project.path}: holds a {project.kind} benchmark, "
                               f"not {bench.kind}")
        mode = project.char_mode
        if char_mode is not None and char_mode != mode:
            raise ProjectError(f"{project.path}: scored in {mode} mode; cannot add "
                               f"{char_mode} scores")
        preset = project.normalize
        if normalize is not None and normalize != preset:
            raise ProjectError(f"{project.path}: scored with normalisation {preset!r}; "
                               f"rescore it with `reviewer score --normalize {normalize}`")
    else:
        mode = char_mode or "grapheme"
        preset = normalize or "none"
    clash = sorted(set(bench.predictions) & set(project.systems()))
    if clash and not replace:
        raise ProjectError(
            f"{project.path}: already has system(s) {', '.join(clash)}; "
            "pass --replace to replace them")

    labels = all_labels(project) if existing else {}
    corrected = {k: v.corrected_reference for k, v in labels.items()
                 if v.corrected_reference is not None}
    keys: list[tuple[str, str, str]] = []
    pairs: list[tuple[str, str]] = []
    for system, preds in bench.predictions.items():
        for item in bench.items:
            hyp = preds.get(item.id, "")
            keys.append((system, item.id, "original"))
            pairs.append((item.reference, hyp))
            if item.id in corrected:
                keys.append((system, item.id, "cleaned"))
                pairs.append((corrected[item.id], hyp))
    progress.status(f"Aligning {len(pairs):,} pairs")
    stamp = now()
    with write_transaction(project.db):
        conn = project.db.conn
        if not existing:
            conn.executemany(
                "INSERT INTO items (pos, id, reference, media, meta) VALUES (?, ?, ?, ?, ?)",
                [(pos, it.id, it.reference, it.media, json.dumps(dict(it.meta)))
                 for pos, it in enumerate(bench.items)])
            project.set_meta("kind", bench.kind)
            project.set_meta("char_mode", mode)
            project.set_meta("normalize", preset)
            project.set_meta("name", name or project.path.stem)
            project.set_meta("created_at", stamp)
            if bench.source_format:
                project.set_meta("source_format", bench.source_format)
        for system in clash:
            conn.execute("DELETE FROM systems WHERE name = ?", [system])
        first = conn.execute("SELECT coalesce(max(pos) + 1, 0) FROM systems").fetchone()[0]
        conn.executemany(
            "INSERT INTO systems (name, pos, source, imported_at) VALUES (?, ?, ?, ?)",
            [(s, first + k, None, stamp) for k, s in enumerate(bench.predictions)])
        meta = bench.prediction_meta
        conn.executemany(
            "INSERT INTO predictions (system, item_id, text, meta) VALUES (?, ?, ?, ?)",
            [(s, item_id, text, json.dumps(meta.get(s, {}).get(item_id, {})))
             for s, preds in bench.predictions.items() for item_id, text in preds.items()])
        # Each chunk is written while the worker processes score the next one.
        written = 0
        for chunk in score_chunks(pairs, mode, bench.kind, progress=progress, workers=workers,
                                  normalize=preset):
            chunk_keys = keys[written:written + len(chunk)]
            project.write_alignments([(*k, *c) for k, c in zip(chunk_keys, chunk, strict=True)])
            written += len(chunk)
        conn.executemany(
            "INSERT INTO sources (path, sha256, role, system, imported_at) VALUES (?, ?, ?, ?, ?)",
            [(src, _digest(Path(src)), "benchmark", None, stamp) for src in bench.sources])
    progress.set(1.0)
    return {"items": len(bench.items), "pairs": len(pairs)}


def _check_same_items(project: Project, bench: Benchmark) -> None:
    stored = dict(project.db.execute("SELECT id, reference FROM items").fetchall())
    incoming = {it.id: it.reference for it in bench.items}
    if stored.keys() != incoming.keys():
        missing = sorted(stored.keys() - incoming.keys())[:3]
        extra = sorted(incoming.keys() - stored.keys())[:3]
        raise ProjectError(
            f"{project.path}: holds another benchmark (ids differ: missing {missing}, "
            f"new {extra}); import into a new project file")
    changed = [k for k, v in incoming.items() if stored[k] != v]
    if changed:
        raise ProjectError(
            f"{project.path}: the references of {len(changed)} item(s) differ from the "
            f"project's (first: {changed[0]!r}); import into a new project file")


def _digest(path: Path) -> str:
    if not path.is_file():
        return ""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
