"""Re-score every pair of a project with other scoring options (an asr normalisation
preset; an answer extraction preset or matcher), in one transaction."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import replace

from reviewer.core.answers.extract import check_extract
from reviewer.core.answers.matchers import check_matcher
from reviewer.core.cluster import Workers
from reviewer.core.counts import ScoreOptions
from reviewer.core.evaluate import score_chunks
from reviewer.core.normalize import check_preset
from reviewer.core.progress import NullProgress, Progress
from reviewer.store.db import write_transaction
from reviewer.store.decisions import all_decisions
from reviewer.store.list_facts import refresh_list_facts
from reviewer.store.project import Project
from reviewer.store.score_groups import refresh_score_groups

ITEMS_PER_READ = 10_000  # items whose pairs are read at once


def rescore(project: Project, preset: str | None = None, *, extract: str | None = None,
            matcher: str | None = None, progress: Progress | None = None,
            workers: Workers = None) -> int:
    """Score every stored pair again with the options given (``None``: the project's
    own) and keep them as the project's: ``preset`` the normalisation preset, ``extract``
    the extraction preset, ``matcher`` the answer matcher (``""``: the default rule).

    Original and cleaned (corrected-reference) variants are both redone; nothing is
    written unless every pair is scored. Returns the number of pairs scored.
    """
    options = project.score_options
    options = replace(
        options,
        normalize=options.normalize if preset is None else check_preset(preset),
        extract=options.extract if extract is None else check_extract(extract),
        matcher=options.matcher if matcher is None else check_matcher(matcher))
    progress = progress or NullProgress()
    corrected = {k: v.corrected_reference for k, v in all_decisions(project).items()
                 if v.corrected_reference is not None}
    total = _pair_count(project, corrected)
    keys: deque[tuple[str, str, str]] = deque()
    progress.status(f"Re-scoring {total:,} pairs with {describe_options(project, options)}")
    with write_transaction(project.db):
        for chunk in score_chunks(_pairs(project, corrected, keys), kind=project.kind,
                                  progress=progress, workers=workers, options=options,
                                  total=total):
            project.write_alignments([(*keys.popleft(), *c) for c in chunk])
        project.set_meta("normalize", options.normalize)
        project.set_meta("extract", options.extract)
        project.set_meta("matcher", options.matcher)
        refresh_list_facts(project)  # the item list's rates and categories
    refresh_score_groups(project)  # what a large project's scores read
    progress.set(1.0)
    return total


def _pair_count(project: Project, corrected: dict[str, str]) -> int:
    """How many pairs :func:`_pairs` gives: every alignment but the cleaned ones of items
    whose reference is no longer corrected (those are few: one per decided item)."""
    stored = int(project.db.execute("SELECT count(*) FROM alignments").fetchone()[0])
    stale = sum(1 for (item_id,) in project.db.execute(
        "SELECT item_id FROM alignments WHERE variant = 'cleaned'") if item_id not in corrected)
    return stored - stale


def _pairs(project: Project, corrected: dict[str, str], keys: deque[tuple[str, str, str]]
           ) -> Iterator[tuple[str, str]]:
    """Each stored pair to score again, (reference, prediction), its key appended to
    ``keys``: read :data:`ITEMS_PER_READ` items at a time, in item order, each read
    whole before the scores of the ones before are written (rows being written are never
    those being read), so that memory does not grow with the project."""
    first, last = project.db.execute("SELECT min(pos), max(pos) FROM items").fetchone()
    if first is None:
        return
    for start in range(first, last + 1, ITEMS_PER_READ):
        rows = project.db.execute(
            "SELECT a.system, a.item_id, a.variant, i.reference, p.text FROM items i "
            "CROSS JOIN systems y CROSS JOIN alignments a ON a.system = y.name "
            "AND a.item_id = i.id "
            "LEFT JOIN predictions p ON p.system = a.system AND p.item_id = a.item_id "
            "WHERE i.pos >= ? AND i.pos < ? ORDER BY i.pos",
            [start, start + ITEMS_PER_READ]).fetchall()
        for system, item_id, variant, reference, text in rows:
            if variant == "cleaned":
                if item_id not in corrected:
                    continue
                reference = corrected[item_id]
            keys.append((system, item_id, variant))
            yield reference, text or ""


def describe_options(project: Project, options: ScoreOptions | None = None) -> str:
    """The scoring options of ``project`` (or ``options``) in words, for messages:
    ``preset whisper-en``; for answer projects ``extraction auto, matcher default``."""
    found = options or project.score_options
    if project.kind == "answer":
        return f"extraction {found.extract}, matcher {found.matcher or 'default'}"
    return f"preset {found.normalize}"
