"""A few spawned worker processes that run one function on tasks, one task at a time each.

Unlike ``multiprocessing.Pool``, a worker that dies in a task (verovio aborts on some
malformed kern) or overruns its time limit costs only that task: it is reported as a
:class:`Failure` and the worker is replaced. Cancelling stops every worker at once.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from reviewer.core.errors import Cancelled
from reviewer.core.progress import NullProgress, Progress

_POLL = 0.1  # seconds between looks at the cancel flag and the clocks


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a task has no result: the function raised, the worker died or ran too long.

    ``limit`` is set when the task overran the pool's time or memory limit: trying it
    again under the same limits would end the same way.
    """

    reason: str
    limit: bool = False


def _limit_memory(memory: int | None) -> None:
    """Cap the worker's address space, so that a runaway task fails with MemoryError."""
    if memory is None:
        return
    with contextlib.suppress(ImportError, ValueError, OSError):  # no such limit here
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            memory = min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard))


def _serve(conn: Connection, target: str, quiet: bool, memory: int | None = None) -> None:
    """Worker process: apply ``module:function`` to each task received until ``None``."""
    if quiet:  # keep library chatter (music21, verovio) off the parent's terminal
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    _limit_memory(memory)
    fn = unit(target)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(apply(fn, task, memory))


def unit(target: str) -> Callable[[Any], Any]:
    """The function ``"module:function"`` names (what a worker applies to each task)."""
    module, _, name = target.partition(":")
    fn: Callable[[Any], Any] = getattr(importlib.import_module(module), name)
    return fn


def apply(fn: Callable[[Any], Any], task: Any, memory: int | None = None) -> Any:
    """``fn(task)``, or the :class:`Failure` saying why it raised (one place for a local
    worker process and a cluster's worker); ``memory`` is the limit the worker has."""
    try:
        return fn(task)
    except MemoryError:
        return Failure(f"exceeded the memory limit of {(memory or 0) >> 20:,} MB",
                       limit=memory is not None)
    except Exception as exc:  # reported to the parent as this task's failure
        return Failure(f"{type(exc).__name__}: {exc}")


class _Worker:
    def __init__(self, ctx: Any, target: str, quiet: bool, memory: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(target=_serve,
                                                args=(child, target, quiet, memory), daemon=True)
        self.process.start()
        child.close()
        self.key: Hashable | None = None
        self.started = 0.0

    def give(self, key: Hashable, payload: Any) -> None:
        self.key, self.started = key, time.monotonic()
        self.conn.send(payload)

    def stop(self, now: bool = False) -> None:
        if not now and self.process.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5.0)
        self.conn.close()


def death_reason(code: int | None) -> str:
    """A worker's exit code in words (negative codes are signals)."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"stopped by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"stopped by signal {-code}"
    return f"exited with status {code}"


class WorkerPool:
    """``size`` worker processes applying ``target`` (``"module:function"``) to tasks.

    ``memory`` caps each worker's address space in bytes (where the system allows it).
    """

    def __init__(self, target: str, size: int = 1, *, quiet: bool = True,
                 memory: int | None = None) -> None:
        self.target = target
        self.size = max(1, size)
        self.quiet = quiet
        self.memory = memory
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []

    def run(self, tasks: Iterable[tuple[Hashable, Any]], progress: Progress | None = None,
            timeout: float | None = None) -> Iterator[tuple[Hashable, Any]]:
        """Yield ``(key, result or Failure)`` for each ``(key, payload)`` as each finishes.

        Raises :class:`Cancelled` (after stopping every busy worker) when ``progress``
        asks to stop; results yielded before stay valid.
        """
        progress = progress or NullProgress()
        pending = deque(tasks)
        busy: list[_Worker] = []
        try:
            while pending or busy:
                if progress.cancelled():
                    raise Cancelled("cancelled")
                while pending and len(busy) < self.size:
                    worker = self._idle.pop() if self._idle else _Worker(
                        self._ctx, self.target, self.quiet, self.memory)
                    worker.give(*pending.popleft())
                    busy.append(worker)
                handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
                ready = set(wait(handles, timeout=_POLL))
                now = time.monotonic()
                for worker in list(busy):
                    result = self._collect(worker, ready, now, timeout)
                    if result is None:
                        continue
                    busy.remove(worker)
                    yield result
        finally:
            for worker in busy:  # cancelled, or the caller stopped iterating
                worker.stop(now=True)

    def _collect(self, worker: _Worker, ready: set[Any], now: float,
                 timeout: float | None) -> tuple[Hashable, Any] | None:
        """The worker's finished task, if it has one; a dead or late worker is replaced."""
        key = worker.key
        if worker.conn in ready:
            try:
                result = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(5.0)
                result = Failure(death_reason(worker.process.exitcode))
                worker.stop(now=True)
            else:
                self._idle.append(worker)
            return key, result
        if worker.process.sentinel in ready:
            worker.process.join(5.0)
            reason = death_reason(worker.process.exitcode)
            worker.stop(now=True)
            return key, Failure(reason)
        if timeout is not None and now - worker.started > timeout:
            worker.stop(now=True)
            return key, Failure(f"took longer than {timeout:g} s", limit=True)
        return None

    def close(self) -> None:
        """Stop the idle workers (a pool can be used again afterwards)."""
        for worker in self._idle:
            worker.stop()
        self._idle.clear()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
