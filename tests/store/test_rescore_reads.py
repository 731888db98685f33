"""A rescore reads the stored pairs a range of items at a time (its memory does not grow
with the project) and writes, for every alignment, what scoring its pair with the new
options gives: the same whether the pairs come in one read or in many."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.evaluate import score_pair
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store import rescore as rescore_module
from reviewer.store.importer import import_benchmark
from reviewer.store.project import COUNT_COLUMNS, Project
from reviewer.store.rescore import rescore

REFERENCES = {f"u{k:02d}": f"Line {k}, said the Speaker; and that is ALL." for k in range(23)}
HEARD = {k: v.lower().replace(",", "").replace("said", "sad") for k, v in REFERENCES.items()}
# A system without a prediction for one item (scored against an empty text).
OTHER = {k: v.replace("Line", "line").replace("ALL", "all") for k, v in REFERENCES.items()
         if k != "u07"}


def _project(path: Path) -> Project:
    project = Project(path, create=True)
    import_benchmark(project, Benchmark("asr", [Item(k, v) for k, v in REFERENCES.items()],
                                        {"heard": HEARD, "other": OTHER}))
    decisions.decide(project, "u03", "me", corrected_reference="line 3 said the speaker")
    decisions.decide(project, "u19", "me", corrected_reference="Line 19; ALL")
    return project


def _alignments(project: Project) -> dict[tuple[str, str, str], tuple[object, ...]]:
    return {(r[0], r[1], r[2]): tuple(r[3:]) for r in project.db.execute(
        f"SELECT system, item_id, variant, {', '.join(COUNT_COLUMNS)} FROM alignments")}


@pytest.mark.parametrize("per_read", [1, 4, 10_000])
def test_every_pair_is_scored_again_however_many_items_a_read_takes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_read: int) -> None:
    monkeypatch.setattr(rescore_module, "ITEMS_PER_READ", per_read)
    with _project(tmp_path / "p.db") as project:
        before = _alignments(project)
        assert rescore(project, "basic") == len(before) == 2 * 23 + 2 * 2
        after = _alignments(project)
        assert after.keys() == before.keys() and after != before
        corrected = {"u03": "line 3 said the speaker", "u19": "Line 19; ALL"}
        options = project.score_options
        assert options.normalize == "basic"
        for (system, item_id, variant), counts in after.items():
            reference = corrected[item_id] if variant == "cleaned" else REFERENCES[item_id]
            hypothesis = (HEARD if system == "heard" else OTHER).get(item_id, "")
            expected = score_pair(reference, hypothesis, kind="asr", options=options)
            assert counts == tuple(expected), (system, item_id, variant)
