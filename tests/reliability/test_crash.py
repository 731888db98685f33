"""Crash safety (DESIGN §9): a real reviewer process killed with SIGKILL loses no decision.

A worker process (:mod:`tests.reliability.worker`) makes scripted decisions through the
CLI's ``label`` command or through the window's writer thread and says ``ACK`` after each
commit reviewer acknowledged. The test kills it at a random moment (after a random number
of acknowledgements, a random delay, or while it starts up), then checks the file with
``PRAGMA integrity_check`` and looks for every acknowledged decision, starts a new worker
on the rest of the script, and so on until the whole script is done.

A control round runs a worker whose transactions are never committed: the same check must
report its acknowledged decisions missing, so these tests can fail.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reviewer.store import decisions
from reviewer.store.project import Project
from tests.reliability.worker import (
    Ack,
    WorkerProcess,
    build_project,
    check_project,
    number_of,
)

MODES = ("cli", "session")
STARTUP_TIMEOUT = 120  # seconds for a worker to import Qt and open the project on a busy CI


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 items and one system, built once and copied by each test."""
    return build_project(tmp_path_factory.mktemp("crash") / "base.db")


@pytest.fixture
def work_dir(tmp_path: Path) -> Iterator[Path]:
    """Where the killed workers' projects live: in memory (``/dev/shm``) where there is one.

    SIGKILL ends the process, not the machine: what a commit wrote stays in the kernel's
    page cache either way, so the disk's fsync speed changes only how long the test takes.
    """
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="reviewer-crash-") as folder:
        yield Path(folder)


@pytest.fixture
def project(base_project: Path, work_dir: Path) -> Path:
    return Path(shutil.copy(base_project, work_dir / "bench.db"))


@dataclass
class Tally:
    """What a run of kills did."""

    kills: int = 0
    mid_write: int = 0  # kills while a decision was handed over but not acknowledged
    rounds: int = 0
    acks: list[Ack] = field(default_factory=list)


def kill_at_random(worker: WorkerProcess, rng: random.Random) -> None:
    """Let ``worker`` run until a random moment, or its end."""
    style = rng.random()
    if style < 0.1:  # while it imports and opens the project
        worker.read(lambda: worker.done, rng.uniform(0.0, 1.5))
    elif style < 0.4:  # a random time into its decisions
        worker.read(lambda: worker.ready, STARTUP_TIMEOUT)
        worker.read(lambda: worker.done, rng.uniform(0.0, 0.4))
    else:  # after a random number of acknowledgements
        target = rng.randint(1, 60)
        worker.read(lambda: len(worker.acks) >= target or worker.done, STARTUP_TIMEOUT)


def crash_run(project: Path, mode: str, total: int, seed: int) -> Tally:
    """Script ``total`` decisions through ``mode``, killing workers at random until done."""
    rng = random.Random(seed)
    tally = Tally()
    start = 0
    while start < total:
        worker = WorkerProcess(project, mode, start=start, end=total)
        kill_at_random(worker, rng)
        killed = worker.kill()
        tally.rounds += 1
        assert worker.failure is None, f"worker failed: {worker.failure}\n{worker.errors()}"
        assert killed or worker.done, f"worker died by itself:\n{worker.errors()}"
        tally.acks.extend(worker.acks)
        if killed:
            tally.kills += 1
            last_ack = number_of(worker.acks[-1].note) if worker.acks else -1
            if worker.sent and worker.sent[-1] > last_ack:
                tally.mid_write += 1
        problems = check_project(project, tally.acks)
        assert not problems, (f"after kill {tally.kills} ({mode}, round {tally.rounds}):\n"
                              + "\n".join(problems[:20]))
        start = worker.sent[-1] + 1 if worker.sent else start
    return tally


def check_reopened(project: Path, tally: Tally) -> None:
    """reviewer itself opens the project afterwards and lists every acknowledged decision."""
    with Project(project) as opened:
        notes = {event.after.note for event in decisions.history(opened)}
    assert {ack.note for ack in tally.acks} <= notes


def report(record_property: Callable[[str, object], None], mode: str, total: int,
           tally: Tally) -> None:
    record_property(f"{mode}_kills", tally.kills)
    record_property(f"{mode}_kills_mid_write", tally.mid_write)
    record_property(f"{mode}_acknowledged", len(tally.acks))
    print(f"crash safety ({mode}): {total} decisions scripted, {len(tally.acks)} acknowledged, "
          f"{tally.kills} SIGKILLs survived ({tally.mid_write} with a decision in flight), "
          f"{tally.rounds} worker processes")


@pytest.mark.parametrize("mode", MODES)
def test_the_check_notices_lost_decisions(project: Path, mode: str) -> None:
    """Control: acknowledged but never committed decisions are reported missing."""
    worker = WorkerProcess(project, mode, end=1000, no_commit=True)
    worker.read(lambda: len(worker.acks) >= 5, STARTUP_TIMEOUT)
    assert worker.kill(), worker.errors()
    assert len(worker.acks) >= 5
    problems = check_project(project, worker.acks)
    missing = [p for p in problems if "is missing" in p]
    assert len(missing) == len(worker.acks), problems


@pytest.mark.parametrize("mode", MODES)
def test_a_few_kills_lose_no_acknowledged_decision(
        project: Path, mode: str, record_property: Callable[[str, object], None]) -> None:
    tally = crash_run(project, mode, total=30, seed=7)
    check_reopened(project, tally)
    report(record_property, mode, 30, tally)
    assert tally.kills >= 1


@pytest.mark.slow
def test_1000_decisions_per_path_survive_repeated_sigkills(
        base_project: Path, work_dir: Path, record_property: Callable[[str, object], None]) -> None:
    """Both paths at once, each on its own copy of the project (one per core)."""
    copies = {mode: Path(shutil.copy(base_project, work_dir / f"{mode}.db")) for mode in MODES}
    with ThreadPoolExecutor(len(MODES)) as pool:
        runs = {mode: pool.submit(crash_run, copies[mode], mode, 1000, 2024 + k)
                for k, mode in enumerate(MODES)}
        tallies = {mode: run.result() for mode, run in runs.items()}
    for mode, tally in tallies.items():
        check_reopened(copies[mode], tally)
        report(record_property, mode, 1000, tally)
        assert tally.kills >= 20, mode
