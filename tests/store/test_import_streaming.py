"""Importing streams its pairs through the scoring a chunk at a time, tells the time left,
and a cancel in mid-stream leaves the project as it was (issue 19 §2)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.core import evaluate, time_left
from reviewer.core.errors import Cancelled
from reviewer.core.items import Benchmark, Item
from reviewer.store.importer import LIST_STAGE, import_benchmark, import_into
from reviewer.store.project import Project

CHUNK = 3  # pairs per work unit in these tests: a dozen items stream in many chunks


class Recorder:
    """A progress that keeps what it is told and cancels after ``cancel_after`` chunks."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.fractions: list[float] = []
        self.statuses: list[str] = []
        self.cancel_after = cancel_after

    def set(self, value: float) -> None:
        self.fractions.append(value)

    def status(self, text: str) -> None:
        self.statuses.append(text)

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.fractions) >= self.cancel_after


def lines_bench(systems: tuple[str, ...], n: int = 12) -> Benchmark:
    items = [Item(f"line_{k:02d}", f"the modern harbour {k}") for k in range(n)]
    preds = {s: {it.id: it.reference.replace("m", "rn") for it in items} for s in systems}
    return Benchmark("text", items, preds)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "_CHUNK", CHUNK)


@pytest.fixture
def steady_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every look at the clock is one second later: a steady pace of one chunk a second."""
    ticks = iter(range(10_000))
    monkeypatch.setattr(time_left, "_clock", lambda: float(next(ticks)))


def dump(path: Path) -> list[tuple[object, ...]]:
    with Project(path) as project:
        rows = project.db.execute("SELECT * FROM alignments ORDER BY 1, 2, 3").fetchall()
        return [tuple(project.systems()), *rows]


@pytest.mark.usefixtures("small_chunks", "steady_clock")
def test_import_reports_each_chunk_with_the_time_left(project_path: Path) -> None:
    progress = Recorder()
    with Project(project_path, create=True) as project:
        got = import_benchmark(project, lines_bench(("good", "bad")), progress=progress,
                               workers=1)
    assert got == {"items": 12, "pairs": 24}
    # the aligning stage, then the item list's columns (from 0) and the saving
    stage = progress.fractions.index(0.0)
    chunk_fractions = [f for f in progress.fractions[:stage] if f < 1]
    assert len(chunk_fractions) == 24 // CHUNK - 1  # every chunk but the last reports
    assert chunk_fractions == sorted(chunk_fractions)
    left = [int(m.group(1)) for s in progress.statuses
            if (m := re.fullmatch(r"Aligning 24 pairs: (\d+) s left", s))]
    # One chunk a second, 8 chunks: after chunk k, 8 - k seconds are left.
    assert left == [7, 6, 5, 4, 3, 2, 1]
    assert progress.statuses[-3:] == ["Aligning 24 pairs: done", LIST_STAGE, "Saving"]


@pytest.mark.usefixtures("small_chunks")
def test_scoring_reads_a_generator_of_pairs_a_chunk_at_a_time() -> None:
    pulled = 0

    def pairs() -> Iterator[tuple[str, str]]:
        nonlocal pulled
        for k in range(30):
            pulled += 1
            yield f"line {k}", f"1ine {k}"

    chunks = evaluate.score_chunks(pairs(), kind="text", workers=1, total=30)
    first = next(chunks)
    assert len(first) == CHUNK
    assert pulled == CHUNK  # nothing beyond the first chunk has been read yet
    assert sum(len(c) for c in chunks) == 30 - CHUNK
    assert pulled == 30


@pytest.mark.usefixtures("small_chunks")
def test_worker_processes_get_only_a_few_chunks_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "PARALLEL_THRESHOLD", 0)
    pulled = 0

    def pairs() -> Iterator[tuple[str, str]]:
        nonlocal pulled
        for k in range(60):
            pulled += 1
            yield f"line {k}", f"line {k}!"

    chunks = evaluate.score_chunks(pairs(), kind="text", workers=2, total=60)
    first = next(chunks)
    ahead = evaluate._AHEAD_PER_WORKER * 2
    assert len(first) == CHUNK
    assert pulled <= (ahead + 1) * CHUNK < 60
    rest = [c for chunk in chunks for c in chunk]
    assert pulled == 60
    assert [c.main_errors for c in first + rest] == [1] * 60


@pytest.mark.usefixtures("small_chunks")
def test_cancel_mid_stream_leaves_an_existing_project_as_it_was(project_path: Path) -> None:
    import_into(project_path, lines_bench(("good",)), workers=1)
    before = dump(project_path)
    progress = Recorder(cancel_after=3)
    with pytest.raises(Cancelled), Project(project_path) as project:
        import_benchmark(project, lines_bench(("bad",)), progress=progress, workers=1)
    assert 0 < max(progress.fractions) < 1  # it stopped in mid-stream
    assert dump(project_path) == before


@pytest.mark.usefixtures("small_chunks")
def test_cancel_mid_stream_leaves_no_new_project(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    progress = Recorder(cancel_after=3)
    with pytest.raises(Cancelled):
        import_into(path, lines_bench(("good", "bad")), progress=progress, workers=1)
    assert 0 < max(progress.fractions) < 1
    assert list(tmp_path.iterdir()) == []
