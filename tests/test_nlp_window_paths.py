"""fstalign's path kept at import and drawn as an alignment: edits, readings and entity
spans; ``reviewer show`` and the report's items draw the same; the counting's progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.core.errors import Cancelled
from reviewer.core.item_facts import describe_item
from reviewer.core.lattice_path import (
    LatticeAlignment,
    PathMismatch,
    encode_path,
    lattice_alignment,
)
from reviewer.core.lattice_wer import LatticeResult, RefToken, align
from reviewer.formats.load import load_benchmark
from reviewer.formats.nlp import COUNTING, lattice_counts
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.item_data import every_item_data, item_data
from reviewer.store.project import Project
from tests import test_nlp_fstalign_data as fstalign_data

DATA = Path(__file__).parent / "data" / "nlp"
OPTIONS = ReadOptions(kind="asr", normalizations=DATA / "norm", wer_tags=DATA / "tags",
                      synonyms=DATA / "synonyms.rules.txt")


def _drawn(rows: list[RefToken], hyp: str, norms: dict[str, list[tuple[str, ...]]]
           ) -> tuple[LatticeResult, LatticeAlignment]:
    result = align(rows, hyp.split(), norms)
    reference = " ".join(r.token for r in rows if r.token)
    return result, lattice_alignment(reference, hyp, encode_path(result, rows))


def test_errors_inside_a_reading_count_as_the_path_counts_them() -> None:
    rows = [RefToken("sales"), RefToken("$5", "0:MONEY"), RefToken("M", "0:MONEY"),
            RefToken("up")]
    norms: dict[str, list[tuple[str, ...]]] = {"0": [("five", "million", "dollars")]}
    result, drawn = _drawn(rows, "sales five millions dollars up up", norms)
    assert drawn.errors == result.errors == 2  # millions / million, one 'up' inserted
    assert drawn.ref_units == result.units
    assert (drawn.substitutions, drawn.insertions) == (1, 1)
    (reading,) = drawn.readings
    assert reading.written == "$5 M" and reading.reading == "five million dollars"
    assert reading.errors == 1 and reading.entity == "MONEY"
    assert reading.describe() == "$5 M -> five million dollars (MONEY), 1 error"
    sub = next(e for e in drawn.edits if e.op == "substitute")
    # three words read two written tokens: the error covers the whole written span
    assert drawn.ref[slice(*sub.ref_span)] == "$5 M"
    assert (sub.ref_text, sub.hyp_text) == ("million", "millions")
    assert drawn.hyp[slice(*reading.hyp_span)] == "five millions dollars"


def test_a_reading_of_nothing_and_an_empty_token_keep_rows_in_step() -> None:
    rows = [RefToken("uh", "0:FILLER"), RefToken("we"), RefToken(""), RefToken("grew")]
    norms: dict[str, list[tuple[str, ...]]] = {"0": [()]}
    result, drawn = _drawn(rows, "we grew", norms)
    assert drawn.errors == result.errors == 1  # the empty token is never written
    (deleted,) = drawn.edits
    assert deleted.op == "delete" and deleted.ref_span[0] == deleted.ref_span[1]
    assert drawn.readings[0].reading == "" and drawn.readings[0].written == "uh"
    assert drawn.readings[0].describe() == "uh -> (nothing) (FILLER)"


def test_a_path_that_does_not_fit_the_texts_is_refused() -> None:
    rows = [RefToken("a"), RefToken("b")]
    kept = encode_path(align(rows, ["a", "b"]), rows)
    with pytest.raises(PathMismatch):
        lattice_alignment("a b c", "a b", kept)
    with pytest.raises(PathMismatch):
        lattice_alignment("a b", "a b c", kept)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    bench = load_benchmark(DATA / "refs", [("txt", DATA / "hyps")], OPTIONS)
    db = tmp_path / "calls.db"
    with Project(db, create=True) as p:
        import_benchmark(p, bench)
    return db


def test_show_and_report_items_draw_the_kept_path(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with Project(project) as p:
        one = describe_item("asr", item_data(p, "call1", ["txt"]))
        every = {d.item.id: describe_item("asr", d) for d in every_item_data(p, {})}
    assert every["call1"] == one  # the report's item is the show's
    (system,) = one.systems
    assert system.categories == (("near_match", 1),)
    assert [e.op for e in system.diff if e.op != "equal"] == ["substitute"]
    (readings,) = system.fields
    assert [(s.text, s.tag) for s in readings.spans if s.tag] == [
        ("$40 million -> forty million dollars", "MONEY")]
    capsys.readouterr()
    assert main(["show", str(project), "call1"]) == 0
    out = capsys.readouterr().out
    assert "WER (fstalign) 11.11% (1/9)" in out
    assert "[$40 million -> forty million dollars]{MONEY}" in out
    html = project.parent / "report.html"
    assert main(["report", str(project), "-o", str(html), "--all"]) == 0
    page = html.read_text(encoding="utf-8")
    assert "WER (fstalign) 11.11% (1/9)" in page
    assert '["$40 million -\\u003e forty million dollars",null,"MONEY"]' in page


class Recorder:
    """A progress that keeps what it is told and cancels after ``stop`` statuses."""

    def __init__(self, stop: int | None = None) -> None:
        self.statuses: list[str] = []
        self.values: list[float] = []
        self.stop = stop

    def set(self, value: float) -> None:
        self.values.append(value)

    def status(self, text: str) -> None:
        self.statuses.append(text)

    def cancelled(self) -> bool:
        return self.stop is not None and len(self.statuses) >= self.stop


def test_counting_reports_its_progress_and_can_be_cancelled() -> None:
    bench = load_benchmark(DATA / "refs", [], OPTIONS)
    systems = {"a": {"call1": "revenue was forty million dollars", "call2": "we grew"},
               "b": {"call1": "revenue", "call2": "we grew twenty percent"}}
    progress = Recorder()
    meta: dict[str, dict[str, dict[str, object]]] = {}
    lattice_counts(DATA / "refs", bench.items, systems, meta, OPTIONS, progress)
    assert progress.statuses[0] == f"{COUNTING}: 0/4 pairs"
    assert progress.statuses[-1] == f"{COUNTING}: 4/4 pairs"
    assert progress.values == sorted(progress.values) and progress.values[-1] == 1.0
    assert len(progress.statuses) == 5
    with pytest.raises(Cancelled):
        lattice_counts(DATA / "refs", bench.items, systems, {}, OPTIONS, Recorder(stop=2))


@pytest.mark.skipif(fstalign_data.DATA is None, reason="REVIEWER_FSTALIGN_DATA is not set (a "
                    "checkout of fstalign's test/data folder)")
@pytest.mark.parametrize("case", fstalign_data.CASES, ids=[c[0] for c in fstalign_data.CASES])
def test_drawn_path_counts_what_fstalign_counts(case: fstalign_data.Case) -> None:
    _, ref, hyp, synonyms, norm, no_cutoffs, expected = case
    result, rows = fstalign_data.run(ref, hyp, synonyms, norm, no_cutoffs)
    assert fstalign_data.DATA is not None
    words = fstalign_data._words(fstalign_data.DATA / hyp)
    drawn = lattice_alignment(" ".join(r.token for r in rows if r.token), " ".join(words),
                              encode_path(result, rows))
    got = (drawn.errors, drawn.ref_units, drawn.insertions, drawn.deletions,
           drawn.substitutions)
    assert tuple(g if e >= 0 else -1 for g, e in zip(got, expected, strict=True)) == expected
    assert sum(drawn.categories().values()) == result.errors
