"""WER per entity class, from the wer_tag ids of NLP rows, as fstalign reports it.

fstalign gives each step of the alignment (its "stitches") a reference row: a word
outside any normalised span gets its own row; the words of a span reading ``k`` rows
as ``n`` words get them one to one when ``k == n``, all the one row when ``k == 1``,
and otherwise the first row to the first word, the last row to the last and the first
row's tags to the words between. Insertions outside spans get no row. Each wer_tag id
of a step's row then counts the step: an insertion, deletion or substitution as an
error, every step but an insertion as a reference word. A class sums its ids (the
``ID.wer_tag.json`` sidecar names each id's ``entity_type``), which is how the
Earnings-21 entity tables are computed from fstalign's per-id figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reviewer.core.lattice_wer import LatticeResult, RefToken, Step


@dataclass(frozen=True)
class EntityCounts:
    """Errors and reference words of one entity id or class."""

    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    units: int = 0

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    def __add__(self, other: EntityCounts) -> EntityCounts:
        return EntityCounts(self.substitutions + other.substitutions,
                            self.deletions + other.deletions,
                            self.insertions + other.insertions, self.units + other.units)

    @property
    def value(self) -> float | None:
        """WER, or None for a class with no reference words."""
        return self.errors / self.units if self.units else None


def step_tags(result: LatticeResult, rows: Sequence[RefToken]
              ) -> list[tuple[Step, tuple[str, ...]]]:
    """Each step with the wer_tag ids of the row fstalign gives it.

    Rows are found from the steps themselves (a word's own row, a span's first row),
    not by counting: a span read as no words at all (a FALLBACK ``*`` whose reading is
    empty) leaves no step, and fstalign still gives it its rows (as a no-op stitch), so
    the words after it keep their own rows.
    """
    steps = result.steps
    out: list[tuple[Step, tuple[str, ...]]] = []
    i = 0
    while i < len(steps):
        step = steps[i]
        if step.span < 0:
            # an insertion outside spans has no row (-1)
            out.append((step, rows[step.row].wer_tags if 0 <= step.row < len(rows) else ()))
            i += 1
            continue
        if step.op == "insert" and (i == 0 or steps[i - 1].span != step.span):
            out.append((step, ()))  # a span's leading insertion has no row
            i += 1
            continue
        j = i
        while j < len(steps) and steps[j].span == step.span:
            j += 1
        span = result.spans[step.span]
        n_steps, n_rows, row = j - i, span.rows, span.first_row
        first = rows[row].wer_tags
        last = rows[row + n_rows - 1].wer_tags
        for k in range(n_steps):
            if n_rows == n_steps:
                tags = rows[row + k].wer_tags
            elif n_rows == 1 or (0 < k < n_steps - 1) or k == 0:
                tags = first
            else:
                tags = last
            out.append((steps[i + k], tags))
        i = j
    return out


def _counts(step: Step) -> EntityCounts:
    return EntityCounts(int(step.op == "substitute"), int(step.op == "delete"),
                        int(step.op == "insert"), int(step.op != "insert"))


def per_tag(result: LatticeResult, rows: Sequence[RefToken]) -> dict[str, EntityCounts]:
    """Counts of each wer_tag id, ids in order of first appearance."""
    out: dict[str, EntityCounts] = {}
    for step, tags in step_tags(result, rows):
        for tag in tags:
            out[tag] = out.get(tag, EntityCounts()) + _counts(step)
    return out


def per_class(tag_counts: Mapping[str, EntityCounts],
              classes: Mapping[str, str]) -> dict[str, EntityCounts]:
    """Counts of each entity class (ids the sidecar does not name are left out)."""
    out: dict[str, EntityCounts] = {}
    for tag, counts in tag_counts.items():
        name = classes.get(tag)
        if name:
            out[name] = out.get(name, EntityCounts()) + counts
    return dict(sorted(out.items()))


def per_span_class(result: LatticeResult, rows: Sequence[RefToken]) -> dict[str, EntityCounts]:
    """fstalign's class WER: the steps inside each normalised span, by the span's tag class
    (``ID:CLASS`` of the tags column); used where no wer_tag sidecar exists (Earnings-22)."""
    out: dict[str, EntityCounts] = {}
    for step in result.steps:
        if step.span < 0:
            continue
        label = rows[result.spans[step.span].first_row].label
        name = label.split(":", 1)[1] if ":" in label else ""
        if name:
            out[name] = out.get(name, EntityCounts()) + _counts(step)
    return dict(sorted(out.items()))
