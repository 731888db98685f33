"""The statistics' child process on its own (no window), and the pace of its phases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reviewer.core.errors import Cancelled, ReviewerError
from reviewer.core.progress import NullProgress
from reviewer.core.time_left import left_wording
from reviewer.gui.stats_pace import Estimate, PhaseTimes
from reviewer.gui.stats_worker import (
    CLEANED_PHASE,
    ORIGINAL_PHASE,
    ChildScoring,
    WorkerFailed,
    compute_scores,
    phases,
)
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.conftest import items_benchmark
from tests.gui.scoring_doubles import ENDLESS


class Recorded(NullProgress):
    """Keeps what the work reported."""

    def __init__(self) -> None:
        self.statuses: list[str] = []
        self.values: list[float] = []
        self.pid_seen = threading.Event()

    def set(self, value: float) -> None:
        self.values.append(value)

    def status(self, text: str) -> None:
        self.statuses.append(text)
        self.pid_seen.set()


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "items.db"
    with Project(path, create=True) as project:
        import_benchmark(project, items_benchmark())
    return path


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_child_gives_what_the_parent_would_compute(project_path: Path) -> None:
    progress = Recorded()
    job = ChildScoring(project_path, None)
    report = job.run(progress)
    assert report == compute_scores(project_path, None, NullProgress())
    assert progress.statuses == [ORIGINAL_PHASE, CLEANED_PHASE] == list(phases(False))
    assert progress.values == [0.5, 1.0]
    assert job.pid is not None and job.pid != os.getpid() and gone(job.pid)


def test_given_original_scores_are_kept_and_only_the_cleaned_set_is_scored(
        project_path: Path) -> None:
    first = ChildScoring(project_path, None).run(NullProgress())
    progress = Recorded()
    again = ChildScoring(project_path, first["original"]).run(progress)
    assert again["original"] is first["original"]
    assert again["cleaned"] == first["cleaned"]
    assert progress.statuses == [CLEANED_PHASE] == list(phases(True))


def test_a_project_the_child_cannot_read_is_a_reviewer_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    with pytest.raises(ReviewerError, match=r"notes\.db: not a reviewer project"):
        ChildScoring(bad, None).run(NullProgress())


def test_a_child_killed_from_outside_is_a_failure_saying_so(project_path: Path) -> None:
    job = ChildScoring(project_path, None, ENDLESS)
    progress = Recorded()

    def kill_when_started() -> None:
        assert progress.pid_seen.wait(30)
        assert job.pid is not None
        os.kill(job.pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_started)
    killer.start()
    with pytest.raises(WorkerFailed, match="the statistics worker stopped by signal SIGKILL"):
        job.run(progress)
    killer.join()


def test_stop_from_another_thread_ends_the_child_at_once(project_path: Path) -> None:
    job = ChildScoring(project_path, None, ENDLESS)
    progress = Recorded()
    pids: list[int] = []

    def stop_when_started() -> None:
        assert progress.pid_seen.wait(30)
        assert job.pid is not None
        pids.append(job.pid)
        job.stop()
        pids.append(-1 if gone(job.pid) else job.pid)  # gone when stop returns

    stopper = threading.Thread(target=stop_when_started)
    stopper.start()
    with pytest.raises(Cancelled):
        job.run(progress)
    stopper.join()
    assert pids[1] == -1 and job.stopped()


def test_a_job_stopped_before_it_started_never_starts(project_path: Path) -> None:
    job = ChildScoring(project_path, None)
    job.stop()
    with pytest.raises(Cancelled):
        job.run(NullProgress())
    assert job.pid is None


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_no_estimate_until_every_phase_of_the_run_was_timed() -> None:
    clock = Clock()
    pace = PhaseTimes(clock)
    pace.start(phases(False))
    assert pace.estimate() is None
    pace.enter(ORIGINAL_PHASE)
    clock.now += 6
    pace.enter(CLEANED_PHASE)
    assert pace.estimate() is None  # the cleaned set was never timed
    clock.now += 50
    pace.finish()
    assert pace.took == {ORIGINAL_PHASE: 6, CLEANED_PHASE: 50}


def test_a_run_is_estimated_from_its_phases_last_durations() -> None:
    clock = Clock()
    pace = PhaseTimes(clock)
    pace.took = {ORIGINAL_PHASE: 6.0, CLEANED_PHASE: 50.0}
    pace.start(phases(True))  # the original set's scores are known: cleaned only
    clock.now += 1  # the child starting
    pace.enter(CLEANED_PHASE)
    clock.now += 20
    assert pace.estimate() == Estimate(21 / 51, 30.0)
    assert left_wording(30.0) == "30 s left"
    clock.now += 40  # slower than last time: nothing left to promise
    assert pace.estimate() == Estimate(1.0, 0.0)
    pace.finish()
    assert pace.took[CLEANED_PHASE] == 60.0  # the next run expects this


def test_a_stopped_run_times_nothing() -> None:
    clock = Clock()
    pace = PhaseTimes(clock)
    pace.start(phases(False))
    pace.enter(ORIGINAL_PHASE)
    clock.now += 3
    pace.abandon()
    pace.finish()
    assert pace.took == {} and pace.estimate() is None


def test_before_the_first_phase_the_whole_run_is_left() -> None:
    clock = Clock()
    pace = PhaseTimes(clock)
    pace.took = {ORIGINAL_PHASE: 6.0, CLEANED_PHASE: 50.0}
    pace.start(phases(False))
    clock.now += 2
    assert pace.estimate() == Estimate(2 / 56, 54.0)


def test_the_child_ends_when_its_window_is_killed(project_path: Path, tmp_path: Path) -> None:
    # A window process (here a plain Python process) scoring in a child, then killed.
    pid_file = tmp_path / "child.pid"
    window = subprocess.Popen([sys.executable, "-c", (
        "import os, sys, threading\n"
        "from pathlib import Path\n"
        "from reviewer.core.progress import NullProgress\n"
        "from reviewer.gui.stats_worker import ChildScoring\n"
        "class Told(NullProgress):\n"
        "    def status(self, text):\n"
        # Written whole, then renamed: the test never reads a file still empty.
        "        Path(sys.argv[2] + '.part').write_text(str(job.pid))\n"
        "        os.replace(sys.argv[2] + '.part', sys.argv[2])\n"
        "if __name__ == '__main__':\n"
        f"    job = ChildScoring(Path(sys.argv[1]), None, {ENDLESS!r})\n"
        "    job.run(Told())\n"), str(project_path), str(pid_file)],
        cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(pid_file.read_text())
        assert not gone(child)
    finally:
        window.kill()
        window.wait()
    deadline = time.monotonic() + 30
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(child)
