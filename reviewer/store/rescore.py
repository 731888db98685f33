"""Re-score every pair of a project with another normalisation preset, in one transaction."""

from __future__ import annotations

from reviewer.core.evaluate import score_chunks
from reviewer.core.normalize import check_preset
from reviewer.core.progress import NullProgress, Progress
from reviewer.store.db import write_transaction
from reviewer.store.decisions import all_decisions
from reviewer.store.project import Project


def rescore(project: Project, preset: str, *, progress: Progress | None = None,
            workers: int | None = None) -> int:
    """Align every stored pair again with ``preset`` and keep it as the project's preset.

    Original and cleaned (corrected-reference) variants are both redone; nothing is
    written unless every pair is scored. Returns the number of pairs scored.
    """
    check_preset(preset)
    progress = progress or NullProgress()
    corrected = {k: v.corrected_reference for k, v in all_decisions(project).items()
                 if v.corrected_reference is not None}
    rows = project.db.execute(
        "SELECT a.system, a.item_id, a.variant, i.reference, p.text FROM alignments a "
        "JOIN items i ON i.id = a.item_id "
        "LEFT JOIN predictions p ON p.system = a.system AND p.item_id = a.item_id "
        "ORDER BY i.pos").fetchall()
    keys: list[tuple[str, str, str]] = []
    pairs: list[tuple[str, str]] = []
    for system, item_id, variant, reference, text in rows:
        if variant == "cleaned":
            if item_id not in corrected:
                continue
            reference = corrected[item_id]
        keys.append((system, item_id, variant))
        pairs.append((reference, text or ""))
    progress.status(f"Re-scoring {len(pairs):,} pairs with preset {preset}")
    with write_transaction(project.db):
        done = 0
        for chunk in score_chunks(pairs, project.char_mode, project.kind, progress=progress,
                                  workers=workers, normalize=preset):
            project.write_alignments(
                [(*k, *c) for k, c in zip(keys[done:done + len(chunk)], chunk, strict=True)])
            done += len(chunk)
        project.set_meta("normalize", preset)
    progress.set(1.0)
    return len(pairs)
