"""A child process that makes scripted decisions on a project, for the reliability tests.

Run as ``python worker.py PROJECT --mode cli|session --plan NAME --start S --end E``. It
makes decisions ``S`` to ``E - 1`` of the plan and talks to the test on stdout, one
flushed line at a time:

``READY``
    the project is open (session mode) or reviewer is imported (CLI mode);
``SENT <n>``
    decision ``n`` is about to be handed to reviewer;
``ACK <n> <item> <verdict>``
    reviewer acknowledged decision ``n`` as committed: in CLI mode ``reviewer label``
    returned 0, in session mode the session's ``committed`` signal arrived for it;
``DONE`` / ``FAIL <message>``
    every decision was made / one failed (the exit status is then 1).

``--mode cli`` runs the command-line path (``reviewer.cli.main(["label", ...])``, one
call per decision, in this process); ``--mode session`` runs the window's write path (a
:class:`~reviewer.gui.session.ReviewSession` under an offscreen ``QApplication``, which
hands every write to its one writer thread), queuing one to four decisions before waiting
for them. ``--wait-go`` waits for a line on stdin before the first decision, so that two
workers start together. ``--no-commit`` is the control: every decision is written inside
a transaction that is never committed, yet still acknowledged, so that the test can show
that its check notices lost decisions.

The second half of the module is the tests' side: :class:`WorkerProcess` starts a worker
and reads its lines, :func:`build_project` makes the project it expects and
:func:`check_project` says what a kill broke.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERDICTS = ("ok", "model_error", "reference_error", "ambiguous", "unusable")
SHARED_ITEMS = 10  # the two-process plans both decide on items 0..9


def item_id(k: int) -> str:
    """The id of the project's ``k``-th item (as the tests build their projects)."""
    return f"i{k:03d}"


@dataclass(frozen=True)
class Decision:
    """One scripted decision: a verdict, a unique note, perhaps a corrected reference."""

    n: int
    item: str
    verdict: str
    note: str
    reference: str | None = None  # a corrected reference to set
    clear_reference: bool = False

    def changes(self) -> dict[str, Any]:
        """The keyword changes for ``decide``."""
        out: dict[str, Any] = {"verdict": self.verdict, "note": self.note}
        if self.reference is not None:
            out["corrected_reference"] = self.reference
        elif self.clear_reference:
            out["corrected_reference"] = None
        return out

    def cli_args(self, project: str, annotator: str) -> list[str]:
        """The ``reviewer label`` arguments for this decision."""
        args = ["label", project, self.item, self.verdict, "--note", self.note,
                "--annotator", annotator]
        if self.reference is not None:
            args += ["--reference", self.reference]
        elif self.clear_reference:
            args.append("--clear-reference")
        return args


def note_of(plan: str, n: int) -> str:
    """The note that makes decision ``n`` of ``plan`` unique in the history."""
    return f"{plan}:{n}"


def number_of(note: str) -> int:
    """The decision number a note from :func:`note_of` carries."""
    return int(note.rsplit(":", 1)[1])


def decision(plan: str, n: int, items: int) -> Decision:
    """Decision ``n`` of ``plan``, the same in every process.

    Plan ``crash`` picks items at random; plans ``alice`` and ``bob`` take every fourth
    decision on one of the items they share and the rest on items only they decide on
    (alice the even ones, bob the odd ones past the shared ones).
    """
    rng = random.Random(f"{plan}-{n}")
    if plan == "crash":
        k = rng.randrange(items)
    else:
        lane = 0 if plan == "alice" else 1
        own = (items - SHARED_ITEMS) // 2
        k = (n // 4) % SHARED_ITEMS if n % 4 == 0 else SHARED_ITEMS + lane + 2 * (n * 7 % own)
    roll = rng.random()
    # A corrected reference re-aligns the item, so some transactions write many rows.
    reference = f"corrected by {plan} in decision {n}" if roll < 0.2 else None
    return Decision(n, item_id(k), rng.choice(VERDICTS), note_of(plan, n), reference,
                    clear_reference=0.2 <= roll < 0.3)


def say(line: str) -> None:
    """One line to the test, flushed at once (a single write, so it arrives whole)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def _never_committed(db: Any) -> Iterator[Any]:
    # The control's broken store: the write transaction is opened but never finished.
    if not db.conn.in_transaction:
        db.conn.execute("BEGIN IMMEDIATE")
    yield db


def run_cli(args: argparse.Namespace) -> int:
    """Decisions through ``reviewer label``, one command per decision."""
    from reviewer.cli import build_parser, main
    from reviewer.store import project  # noqa: F401 - imported now, not in the first decision

    build_parser()  # imports every command's module
    say("READY")
    wait_for_go(args)
    for n in range(args.start, args.end):
        d = decision(args.plan, n, args.items)
        say(f"SENT {n}")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(d.cli_args(args.project, args.plan))
        if status != 0:
            say(f"FAIL {n} exit {status}: {err.getvalue().strip()}")
            return 1
        say(f"ACK {n} {d.item} {d.verdict}")
    say("DONE")
    return 0


def run_session(args: argparse.Namespace) -> int:
    """Decisions through a ReviewSession's writer thread, as the window makes them."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from reviewer.gui.session import ReviewSession

    app = QApplication.instance() or QApplication([])
    session = ReviewSession(args.project, args.plan)
    failures: list[str] = []
    session.writeFailed.connect(failures.append)
    session.committed.connect(
        lambda event: say(f"ACK {number_of(event.after.note)} {event.item_id} "
                          f"{event.after.verdict}"))
    say("READY")
    wait_for_go(args)
    batches = random.Random(f"batches-{args.plan}-{args.start}")
    n = args.start
    while n < args.end:
        stop = min(args.end, n + batches.randint(1, 4))
        for k in range(n, stop):
            d = decision(args.plan, k, args.items)
            say(f"SENT {k}")
            session.decide(d.item, **d.changes())
        flushed = session.flush(60_000)
        if failures or not flushed:
            say(f"FAIL {n}: {failures[0] if failures else 'not committed within 60 s'}")
            return 1
        n = stop
    session.close()
    app.processEvents()
    say("DONE")
    return 0


def wait_for_go(args: argparse.Namespace) -> None:
    """With ``--wait-go``, wait for the test's line on stdin before deciding."""
    if args.wait_go:
        sys.stdin.readline()


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and make the decisions; the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project")
    parser.add_argument("--mode", choices=("cli", "session"), required=True)
    parser.add_argument("--plan", default="crash", choices=("crash", "alice", "bob"))
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--end", type=int, required=True)
    parser.add_argument("--items", type=int, default=300, help="items in the project")
    parser.add_argument("--wait-go", action="store_true")
    parser.add_argument("--no-commit", action="store_true")
    args = parser.parse_args(argv)
    if args.no_commit:
        from reviewer.store import decisions

        decisions.write_transaction = _never_committed
    return run_cli(args) if args.mode == "cli" else run_session(args)


# -- the test's side: starting workers, reading their lines, checking the project ---------------

WORKER = Path(__file__).resolve()


@dataclass(frozen=True)
class Ack:
    """A decision a worker acknowledged as committed."""

    note: str
    item: str
    verdict: str


@dataclass
class WorkerProcess:
    """A running worker and what it has said so far."""

    project: Path
    mode: str
    plan: str = "crash"
    start: int = 0
    end: int = 1000
    items: int = 300
    wait_go: bool = False
    no_commit: bool = False
    acks: list[Ack] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    ready: bool = False
    done: bool = False
    failure: str | None = None
    eof: bool = False

    def __post_init__(self) -> None:
        command = [sys.executable, str(WORKER), str(self.project), "--mode", self.mode,
                   "--plan", self.plan, "--start", str(self.start), "--end", str(self.end),
                   "--items", str(self.items)]
        command += ["--wait-go"] * self.wait_go + ["--no-commit"] * self.no_commit
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - read after the worker ends
        self._buffer = b""
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE if self.wait_go else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self._stderr, env=env)

    def read(self, until: Callable[[], bool], timeout: float) -> bool:
        """Read lines until ``until()`` holds, the output ends or ``timeout`` seconds pass."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while not until():
            left = deadline - time.monotonic()
            if self.eof or left <= 0:
                return until()
            if select.select([fd], [], [], left)[0]:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    self.eof = True
                self._take(chunk)
        return True

    def _take(self, chunk: bytes) -> None:
        # A line cut short by the kill has no newline and was never acknowledged.
        *lines, self._buffer = (self._buffer + chunk).split(b"\n")
        for raw in lines:
            word, _, rest = raw.decode().partition(" ")
            if word == "ACK":
                n, item, verdict = rest.split()
                self.acks.append(Ack(note_of(self.plan, int(n)), item, verdict))
            elif word == "SENT":
                self.sent.append(int(rest))
            elif word == "READY":
                self.ready = True
            elif word == "DONE":
                self.done = True
            elif word == "FAIL":
                self.failure = rest

    def go(self) -> None:
        """Let a ``wait_go`` worker start deciding."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.close()

    def kill(self) -> bool:
        """SIGKILL the worker (if it still runs) and read what it wrote before dying.

        Returns whether it was killed (rather than having exited on its own).
        """
        killed = False
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            killed = self.proc.wait() == -signal.SIGKILL
        self.finish(timeout=60)
        return killed

    def finish(self, timeout: float) -> int:
        """Read to the end of the output and wait for the exit status."""
        self.read(lambda: False, timeout)
        status = self.proc.wait(timeout=timeout)
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return status

    def errors(self) -> str:
        """What the worker wrote on stderr (its last 3,000 characters)."""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-3000:]


def build_project(path: Path, items: int = 300) -> Path:
    """A project of ``items`` lines ``i000``… and one system, as the workers expect."""
    from reviewer.core.items import Benchmark, Item
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    lines = [Item(item_id(k), f"line {k}: the quick brown fox jumps over {k * 7} dogs")
             for k in range(items)]
    preds = {"ocr": {i.id: i.reference.replace("o", "0").replace("u", "v") for i in lines}}
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", lines, preds), workers=1)
    return path


def check_project(path: Path, acks: Iterable[Ack]) -> list[str]:
    """What is wrong with the project after a kill; empty when nothing is.

    The file must pass ``PRAGMA integrity_check`` and ``foreign_key_check``; every
    acknowledged decision must be in the history once, for its item and verdict; every
    label row must be its item's latest event, and no older than the item's latest
    acknowledged decision; the 'cleaned' alignments must match the corrected references
    (a half-written decision would leave them out of step).
    """
    problems: list[str] = []
    conn = sqlite3.connect(str(path), timeout=30)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            return [f"integrity_check: {integrity[:5]}"]
        if bad := conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign_key_check: {bad[:5]}")
        events: dict[str, tuple[int, str, str | None]] = {}
        for event_id, item, note, verdict in conn.execute(
                "SELECT id, item_id, json_extract(after, '$.note'), "
                "json_extract(after, '$.verdict') FROM label_events ORDER BY id"):
            if note in events:
                problems.append(f"decision {note} recorded twice")
            events[note] = (event_id, item, verdict)
        latest_acked: dict[str, int] = {}
        for ack in acks:
            found = events.get(ack.note)
            if found is None:
                problems.append(f"acknowledged decision {ack.note} ({ack.item}) is missing")
                continue
            if found[1:] != (ack.item, ack.verdict):
                problems.append(f"decision {ack.note} is {found[1:]}, acknowledged as "
                                f"{(ack.item, ack.verdict)}")
            latest_acked[ack.item] = max(latest_acked.get(ack.item, 0), found[0])
        latest = dict(conn.execute("SELECT item_id, max(id) FROM label_events GROUP BY item_id"))
        systems = conn.execute("SELECT count(*) FROM systems").fetchone()[0]
        cleaned = dict(conn.execute(
            "SELECT item_id, count(*) FROM alignments WHERE variant = 'cleaned' "
            "GROUP BY item_id"))
        labelled = set()
        for item, note, corrected in conn.execute(
                "SELECT item_id, note, corrected_reference FROM labels"):
            labelled.add(item)
            event_id = events.get(note, (None,))[0]
            if event_id != latest.get(item):
                problems.append(f"label of {item} ({note}) is not its latest event")
            if event_id is not None and event_id < latest_acked.get(item, 0):
                problems.append(f"label of {item} ({note}) is older than an acknowledged "
                                "decision")
            if cleaned.get(item, 0) != (systems if corrected is not None else 0):
                problems.append(f"{item}: {cleaned.get(item, 0)} cleaned alignments for "
                                f"corrected reference {corrected!r}")
        if missing := sorted(set(latest_acked) - labelled):
            problems.append(f"acknowledged items without a label row: {missing[:5]}")
        if stray := sorted(set(cleaned) - labelled):
            problems.append(f"cleaned alignments of unlabelled items: {stray[:5]}")
    finally:
        conn.close()
    return problems


if __name__ == "__main__":
    sys.exit(main())
