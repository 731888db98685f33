"""Import a benchmark into a project: score every pair, then write it in one short transaction.

A new project is built under a hidden temporary name beside the target and linked into
place only when the import has committed (:func:`import_into`): a failed or killed
import leaves no project, and an import never deletes a file another process created.
Adding systems to an existing project scores every pair first, into SQLite's private
temporary database, so the project's write lock is held only while the results are
copied in and decisions made meanwhile in other processes wait seconds, not minutes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from reviewer.core.cluster import Workers
from reviewer.core.counts import ScoreOptions
from reviewer.core.errors import InputError, ProjectError
from reviewer.core.evaluate import score_chunks, score_pair
from reviewer.core.items import Benchmark
from reviewer.core.normalize.kind_presets import DINGLEHOPPER, check_kind_preset
from reviewer.core.progress import NullProgress, Progress
from reviewer.core.tokenize import CharMode
from reviewer.store import text_search
from reviewer.store.answer_options import import_choices, keep_choices
from reviewer.store.db import write_transaction
from reviewer.store.decisions import all_decisions
from reviewer.store.first_import import first_import_transaction
from reviewer.store.list_facts import refresh_list_facts
from reviewer.store.meta_json import meta_json
from reviewer.store.new_project import AlreadyCreated, build_new, is_project_file
from reviewer.store.project import COUNT_COLUMNS, Project, now
from reviewer.store.score_groups import refresh_score_groups, score_groups_wanted

STAGING = "import_staging"


def import_into(path: str | Path, bench: Benchmark, **options: Any) -> dict[str, int]:
    """Import ``bench`` into the project at ``path``, creating it when there is none.

    ``options`` are those of :func:`import_benchmark`. A new project appears under
    ``path`` only once everything is imported; when another process created it
    meanwhile, this import adds to that project as if it had run second.
    """
    return import_with(path, import_benchmark, bench, **options)


def import_with(path: str | Path, run: Callable[..., dict[str, int]], source: Any,
                **options: Any) -> dict[str, int]:
    """``run(project, source, **options)`` on the project at ``path``, creating it when
    there is none: a new project appears under ``path`` only once ``run`` returned; when
    another process created it meanwhile, ``run`` adds to that project as a second
    import would."""
    path = Path(path)
    if not is_project_file(path):
        options["name"] = options.get("name") or path.stem
        try:
            return build_new(path, lambda fresh: run(fresh, source, **options))
        except AlreadyCreated:
            pass  # another process created it meanwhile: add to it, as a second import would
    with Project(path) as project:
        return run(project, source, **options)


def import_benchmark(
    project: Project,
    bench: Benchmark,
    *,
    name: str | None = None,
    replace: bool = False,
    char_mode: CharMode | None = None,
    normalize: str | None = None,
    extract: str | None = None,
    matcher: str | None = None,
    progress: Progress | None = None,
    workers: Workers = None,
) -> dict[str, int]:
    """Add ``bench`` to ``project``; returns the number of items and of pairs scored.

    A project holds one benchmark: a second import must bring the same items and
    reference texts, and may add systems. A system already in the project is replaced
    only with ``replace``. Nothing is written unless everything succeeds.
    """
    progress = progress or NullProgress()
    check_distinct_ids(bench)
    existing = project.item_count()
    if existing:
        _check_same_items(project, bench)
    mode, preset, options = score_settings(project, bench.kind, existing, char_mode=char_mode,
                                           normalize=normalize, extract=extract,
                                           matcher=matcher)
    _check_clash(project, bench, replace)

    corrected = _corrected(project) if existing else {}
    total = len(bench.predictions) * (len(bench.items) + sum(
        1 for item in bench.items if item.id in corrected))
    progress.status(f"Aligning {total:,} pairs")
    # The pairs and their keys are made as the scoring reads them, a chunk at a time.
    chunks = score_chunks((pair for _, pair in _keyed_pairs(bench, corrected)),
                          kind=bench.kind, progress=progress, workers=workers,
                          options=options, total=total)
    keys = (key for key, _ in _keyed_pairs(bench, corrected))
    if existing:
        _stage(project, keys, chunks)
        progress.status("Saving")
        try:
            with write_transaction(project.db):
                _check_clash(project, bench, replace)  # another import may have run meanwhile
                _write_benchmark(project, bench, existing, mode, preset, name)
                _copy_staged(project, bench, corrected, options)
                list_stage(project, progress)
        finally:
            project.db.conn.execute(f"DETACH DATABASE {STAGING}")
    else:
        with first_import_transaction(project.db, rows_consistent=_consistent(bench),
                                      unpublished=project.unpublished):
            _write_benchmark(project, bench, existing, mode, preset, name)
            keep_choices(project, options)
            # Each chunk is written while the worker processes score the next one.
            for chunk in chunks:
                project.write_alignments([(*k, *c) for k, c in zip(islice(keys, len(chunk)),
                                                                     chunk, strict=True)])
            list_stage(project, progress)
    finish_import(project, progress)
    return {"items": len(bench.items), "pairs": total}


LIST_STAGE = "Building the item list's sort and filter columns"  # the import's stage name


def list_stage(project: Project, progress: Progress) -> None:
    """Write what the item list sorts and filters by for the imported rows, inside the
    import's transaction, and say so (at 10,000,000 items this takes minutes)."""
    progress.status(LIST_STAGE)
    progress.set(0.0)
    refresh_list_facts(project)
    progress.status("Saving")


def finish_import(project: Project, progress: Progress) -> None:
    """After an import is saved: what a large project's scores read (the score groups)
    and the item list's text index, each a stage of ``progress`` of its own; nothing to
    do, and nothing shown, for a small project."""
    if score_groups_wanted(project):
        progress.status("Grouping the scores of a large project")
        progress.set(0.0)
        refresh_score_groups(project)
    if text_search.wanted(project):
        progress.status("Indexing texts for the item list's text filter")
        progress.set(0.0)
        text_search.build(project, lambda done, total: progress.set(done / max(total, 1)))
    progress.set(1.0)


def score_settings(project: Project, kind: str, existing: int, *, char_mode: CharMode | None,
                   normalize: str | None, extract: str | None, matcher: str | None
                   ) -> tuple[CharMode, str, ScoreOptions]:
    """The character mode, normalisation and scoring options an import into ``project``
    (holding ``existing`` items) scores with; refuses a preset the kind does not have and
    what the project's scores forbid."""
    if normalize is not None:
        check_kind_preset(kind, normalize)
    if existing:
        if project.kind != kind:
            raise ProjectError(f"{project.path}: holds a {project.kind} benchmark, "
                               f"not {kind}")
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
    if preset == DINGLEHOPPER and mode != "grapheme":
        raise ProjectError(f"{project.path}: normalisation {DINGLEHOPPER} counts grapheme "
                           f"clusters, as dinglehopper does; it cannot score in {mode} mode")
    return mode, preset, ScoreOptions(mode, preset, *import_choices(project, bool(existing),
                                                                    extract, matcher))


Key = tuple[str, str, str]  # (system, item id, variant) of a scored pair


def _keyed_pairs(bench: Benchmark, corrected: dict[str, str]
                 ) -> Iterator[tuple[Key, tuple[str, str]]]:
    """Every pair to score, with its key, system by system in item order; an item with a
    corrected reference also against that (its 'cleaned' variant)."""
    for system, preds in bench.predictions.items():
        for item in bench.items:
            hyp = preds.get(item.id, "")
            yield (system, item.id, "original"), (item.reference, hyp)
            if item.id in corrected:
                yield (system, item.id, "cleaned"), (corrected[item.id], hyp)


def _consistent(bench: Benchmark) -> bool:
    """Whether every prediction of ``bench`` is of one of its items (a reader's always
    is; else the project's foreign keys refuse the import, as they always did)."""
    ids = {item.id for item in bench.items}
    return all(ids.issuperset(preds) for preds in bench.predictions.values())


def check_distinct_ids(bench: Benchmark) -> None:
    """Refuse ids that differ only in their Unicode form (``é`` as one code point or as
    ``e`` and a combining accent): they look and print the same, so a person could never
    tell the two items apart."""
    position = {item.id: k for k, item in enumerate(bench.items)}
    forms: dict[str, int] = {}
    for k, item in enumerate(bench.items):
        if unicodedata.is_normalized("NFC", item.id):
            continue
        form = unicodedata.normalize("NFC", item.id)
        other = position.get(form, forms.get(form))
        if other is not None and other != k:
            _same_ids(bench, min(k, other), max(k, other))
        forms[form] = k


def _same_ids(bench: Benchmark, first: int, second: int) -> None:
    a, b = bench.items[first].id, bench.items[second].id
    raise InputError(
        bench.sources[0] if bench.sources else None,
        f"item ids {a!a} (item {first + 1}) and {b!a} (item {second + 1}) are the "
        "same text in different Unicode forms (NFC/NFD) and would print identically; "
        "make them distinct", record=b)


def _corrected(project: Project) -> dict[str, str]:
    return {k: v.corrected_reference for k, v in all_decisions(project).items()
            if v.corrected_reference is not None}


def _check_clash(project: Project, bench: Benchmark, replace: bool) -> None:
    clash = sorted(set(bench.predictions) & set(project.systems()))
    if clash and not replace:
        raise ProjectError(
            f"{project.path}: already has system(s) {', '.join(clash)}; "
            "pass --replace to replace them")


def _write_benchmark(project: Project, bench: Benchmark, existing: int, mode: str,
                     preset: str, name: str | None) -> None:
    """Items (for a new project), systems, predictions and sources (caller's transaction);
    their rows are made as SQLite takes them, never all at once."""
    stamp = now()
    conn = project.db.conn
    if not existing:
        conn.executemany(
            "INSERT INTO items (pos, id, reference, media, meta) VALUES (?, ?, ?, ?, ?)",
            ((pos, it.id, it.reference, it.media, meta_json(it.meta))
             for pos, it in enumerate(bench.items)))
        project.set_meta("kind", bench.kind)
        project.set_meta("char_mode", mode)
        project.set_meta("normalize", preset)
        project.set_meta("name", name or project.path.stem)
        project.set_meta("created_at", stamp)
        if bench.source_format:
            project.set_meta("source_format", bench.source_format)
    for system in sorted(set(bench.predictions) & set(project.systems())):
        conn.execute("DELETE FROM systems WHERE name = ?", [system])
    first = conn.execute("SELECT coalesce(max(pos) + 1, 0) FROM systems").fetchone()[0]
    conn.executemany(
        "INSERT INTO systems (name, pos, source, imported_at) VALUES (?, ?, ?, ?)",
        [(s, first + k, None, stamp) for k, s in enumerate(bench.predictions)])
    meta = bench.prediction_meta
    conn.executemany(
        "INSERT INTO predictions (system, item_id, text, meta) VALUES (?, ?, ?, ?)",
        ((s, item_id, text, meta_json(meta.get(s, {}).get(item_id, {})))
         for s, preds in bench.predictions.items() for item_id, text in preds.items()))
    conn.executemany(
        "INSERT INTO sources (path, sha256, role, system, imported_at) VALUES (?, ?, ?, ?, ?)",
        [(src, _digest(Path(src)), "benchmark", None, stamp) for src in bench.sources])


def _stage(project: Project, keys: Iterator[Key], chunks: Any) -> None:
    """Score into SQLite's private temporary database (deleted when detached or killed);
    the project itself is only read, so no lock of it is taken."""
    conn = project.db.conn
    columns = ", ".join(("system", "item_id", "variant", *COUNT_COLUMNS))
    marks = ", ".join("?" * (3 + len(COUNT_COLUMNS)))
    conn.execute(f"ATTACH DATABASE '' AS {STAGING}")
    try:
        conn.execute(f"CREATE TABLE {STAGING}.alignments AS SELECT {columns} "
                     "FROM main.alignments WHERE 0")
        for chunk in chunks:
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO {STAGING}.alignments ({columns}) VALUES ({marks})",
                             [(*k, *c) for k, c in zip(islice(keys, len(chunk)), chunk,
                                                       strict=True)])
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute(f"DETACH DATABASE {STAGING}")
        raise


def _copy_staged(project: Project, bench: Benchmark, scored: dict[str, str],
                 options: ScoreOptions) -> None:
    """Move the staged alignments into the project (caller's transaction), re-scoring the
    'cleaned' pairs of items whose corrected reference changed while they were scored."""
    conn = project.db.conn
    columns = ", ".join(("system", "item_id", "variant", *COUNT_COLUMNS))
    now_corrected = _corrected(project)
    changed = {i for i in scored.keys() | now_corrected.keys()
               if scored.get(i) != now_corrected.get(i)}
    conn.execute(f"INSERT OR REPLACE INTO alignments ({columns}) SELECT {columns} "
                 f"FROM {STAGING}.alignments")
    if not changed:
        return
    rows = []
    for item_id in sorted(changed):
        conn.execute("DELETE FROM alignments WHERE item_id = ? AND variant = 'cleaned' AND "
                     f"system IN ({', '.join('?' * len(bench.predictions))})",
                     [item_id, *bench.predictions])
        reference = now_corrected.get(item_id)
        if reference is None:
            continue
        for system, preds in bench.predictions.items():
            counts = score_pair(reference, preds.get(item_id, ""), kind=bench.kind,
                                options=options)
            rows.append((system, item_id, "cleaned", *counts))
    project.write_alignments(rows)


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
