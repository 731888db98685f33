"""musicdiff called as a library, edits located in the kern, and the worker processes."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from reviewer.core.counts import ScoreOptions
from reviewer.core.errors import Cancelled
from reviewer.core.kern.links import link
from reviewer.core.kern.omr_ned import OmrResult, compare, compute_many, pair_key
from reviewer.core.kern.workers import Failure, WorkerPool, death_reason
from reviewer.core.kinds.kern import score_pair
from reviewer.core.pair_text import alignment_of


def _pair(fixtures: Path, gt: str, pred: str) -> tuple[str, str]:
    root = fixtures / "omr-musicdiff"
    return (root / gt).read_text(encoding="utf-8"), (root / pred).read_text(encoding="utf-8")


@pytest.mark.slow
def test_worked_example_values_and_locations(peer_fixtures: Path) -> None:
    ref, hyp = _pair(peer_fixtures, "worked_example/gt.krn", "worked_example/pred.krn")
    result = compare((ref, hyp))
    assert (result.ed, result.pred_symbols, result.gt_symbols) == (10, 24, 22)
    assert result.value == pytest.approx(0.21739130434782608)
    assert result.categories == {"wrong note": 6, "wrong dot": 1, "wrong flag/beam": 2,
                                 "wrong accidental": 1}
    by_op = {(op.op, op.pred, op.gt) for op in result.ops}
    # the beams lost on lines 7 and 8 (8aL, 8bJ), the accidental added on line 9 (4cc#)
    assert ("editbeam", ((7, 1),), ((7, 1),)) in by_op
    assert ("editbeam", ((8, 1),), ((8, 1),)) in by_op
    assert ("accidentdel", ((9, 1),), ((9, 1),)) in by_op
    assert all(op.mapped for op in result.ops)
    assert OmrResult.from_json(result.to_json()) == result


@pytest.mark.slow
@pytest.mark.parametrize(("case", "op", "pred", "gt"), [
    ("13_clef_wrong", "extrasymboledit", ((2, 1),), ((2, 1),)),  # *clefG2 -> *clefF4
    ("14_keysig_wrong", "extrainfoedit", ((3, 1),), ((3, 1),)),  # *k[b-] -> *k[]
    ("15_timesig_wrong", "extrainfoedit", ((4, 1),), ((4, 1),)),  # *M4/4 -> *M3/4
    ("16_final_barline_regular", "extrains", (), ((26, 1),)),  # == -> =
    ("08_slur_dropped", "extrains", (), ((10, 1), (12, 1))),  # (4g ... 4a)
])
def test_signatures_barlines_and_slurs_find_their_kern_line(
        peer_fixtures: Path, case: str, op: str, pred: tuple, gt: tuple) -> None:
    ref, hyp = _pair(peer_fixtures, "single_edit/gt.krn", f"single_edit/pred_{case}.krn")
    result = compare((ref, hyp))
    assert [(o.pred, o.gt) for o in result.ops if o.op == op] == [(pred, gt)]


@pytest.mark.slow
def test_musicdiff_ops_link_to_token_edits(peer_fixtures: Path) -> None:
    ref, hyp = _pair(peer_fixtures, "worked_example/gt.krn", "worked_example/pred.krn")
    result = compare((ref, hyp))
    counts = score_pair(ref, hyp, ScoreOptions())
    alignment = alignment_of(ref, hyp, counts)
    links = link(alignment.ref, alignment.hyp, alignment.edits, result.ops)
    beams = [n for n, op in enumerate(result.ops) if op.op == "editbeam"]
    owners = {links.op_edit[n] for n in beams}
    assert len(owners) == 1 and None not in owners  # both beams: the one edit 8aL 8bJ
    (edit,) = owners
    assert edit is not None and alignment.edits[edit].category == "beam"
    assert set(beams) <= set(links.edit_ops[edit])
    # adjacent token edits are one edit: 8aL 8bJ 4cc 4dd read as 8a 8b 4cc# 4ee
    assert links.ref_locations[edit] == ((7, 1), (8, 1), (9, 1), (10, 1))


def test_unreadable_reference_is_an_error_not_a_crash() -> None:
    result = compare(("**kern\t**kern\n4c\n*-\t*-", "**kern\n4c\n*-"))
    assert result.error and result.value is None


def test_pair_key_depends_on_both_texts_and_their_boundary() -> None:
    assert pair_key("ab", "c") != pair_key("a", "bc")
    assert pair_key("a", "b") == pair_key("a", "b") != pair_key("b", "a")


def test_worker_pool_survives_dying_raising_and_slow_tasks() -> None:
    with WorkerPool("os:_exit", 1) as pool:
        ((key, result),) = list(pool.run([("k", 3)]))
    assert key == "k" and isinstance(result, Failure) and "status 3" in result.reason
    with WorkerPool("math:sqrt", 2) as pool:
        got = dict(pool.run([(1, 16.0), (2, -1.0), (3, 9.0)]))
    assert got[1] == 4.0 and got[3] == 3.0
    assert isinstance(got[2], Failure) and "ValueError" in got[2].reason
    with WorkerPool("time:sleep", 1) as pool:
        ((_, late),) = list(pool.run([(0, 30)], timeout=1.0))
    assert isinstance(late, Failure) and "longer than 1 s" in late.reason
    assert death_reason(-6) == "stopped by signal SIGABRT"


def test_cancel_stops_the_workers_at_once() -> None:
    class Cancel:
        def set(self, value: float) -> None:
            pass

        def status(self, text: str) -> None:
            pass

        def cancelled(self) -> bool:
            return time.monotonic() > deadline

    deadline = time.monotonic() + 1.0
    before = set(multiprocessing.active_children())
    with WorkerPool("time:sleep", 2) as pool, pytest.raises(Cancelled):
        list(pool.run([(k, 60) for k in range(4)], Cancel()))
    # The two busy workers (each asleep for a minute) were killed, not waited for.
    assert set(multiprocessing.active_children()) <= before


@pytest.mark.slow
def test_compute_many_in_two_processes_gives_every_result(peer_fixtures: Path) -> None:
    root = peer_fixtures / "omr-musicdiff" / "single_edit"
    gt = (root / "gt.krn").read_text(encoding="utf-8")
    pairs = [(p.stem, (gt, p.read_text(encoding="utf-8")))
             for p in sorted(root.glob("pred_0*.krn"))]
    results = dict(compute_many(pairs, workers=2))
    assert set(results) == {k for k, _ in pairs}
    assert results["pred_00_identical"].ed == 0
    assert results["pred_01_pitch_wrong"].ed == 4
    assert all(r.seconds > 0 and not r.error for r in results.values())
