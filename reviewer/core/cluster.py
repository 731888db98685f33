"""Work units on a Dask distributed cluster instead of local worker processes.

The scoring at import (:func:`reviewer.core.evaluate.score_chunks`) and OMR-NED
(:func:`reviewer.core.kern.omr_ned.compute_many`) hand the very unit function they run
locally to :func:`map_ordered` or :func:`map_units`, which send it to the cluster's
workers a window of units at a time, so a benchmark of millions of pairs never sits
whole in the scheduler. Dask reruns a unit whose worker was lost; each unit's result
reaches the caller once, from the one future that stands for it.

Dask is an optional extra (``reviewer[cluster]``), imported only when a cluster is used.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from types import ModuleType
from typing import Any

from reviewer.core.errors import Cancelled, ClusterError
from reviewer.core.kern.workers import Failure, apply, unit
from reviewer.core.progress import NullProgress, Progress

INSTALL = "pip install 'reviewer[cluster]'"  # what to run when Dask is missing
CONNECT_SECONDS = 10.0  # how long to try reaching a scheduler before giving up
_POLL = 0.1  # seconds between looks at the cancel flag
_IN_FLIGHT_PER_THREAD = 2  # units sent ahead per worker thread (the rest wait here)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A Dask distributed scheduler (``tcp://host:8786``) whose workers run the work units
    instead of local worker processes; ``connect_timeout`` seconds to reach it."""

    address: str
    connect_timeout: float = CONNECT_SECONDS


# Where work units run: that many local worker processes (None: one per core) or a cluster.
Workers = int | Cluster | None


def distributed_module() -> ModuleType:
    """Dask's ``distributed`` package, or a :class:`ClusterError` saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"running on a Dask cluster needs Dask distributed: {INSTALL}"
                           ) from None
    return distributed


@contextmanager
def connect(cluster: Cluster) -> Iterator[Any]:
    """A Dask client of ``cluster``'s scheduler, closed on leaving; a scheduler out of reach
    is a :class:`ClusterError` naming its address after ``cluster.connect_timeout`` s."""
    distributed = distributed_module()
    _check_address(cluster.address)
    try:
        client = distributed.Client(cluster.address, timeout=cluster.connect_timeout,
                                    set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {cluster.address} within "
                           f"{cluster.connect_timeout:g} s ({type(exc).__name__}); is it "
                           "running, and is the address right?") from None
    try:
        yield client
    finally:
        client.close()


def _check_address(address: str) -> None:
    """Refuse what is no scheduler address before a client is made of it (a client made
    of one fails only after its clean-up has timed out)."""
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import backends

    scheme, location = parse_address(address)
    if scheme not in backends or not location:
        raise ClusterError(f"{address!r} is not a Dask scheduler address "
                           "(such as tcp://host:8786)")


def check_reachable(cluster: Cluster) -> None:
    """Raise :class:`ClusterError` unless ``cluster``'s scheduler answers (a quick check
    before long work such as reading a benchmark)."""
    with connect(cluster):
        pass


def map_ordered(cluster: Cluster, fn: Callable[[Any], Any], payloads: Iterable[Any],
                progress: Progress | None = None) -> Iterator[Any]:
    """``fn(payload)`` of each payload, computed on ``cluster`` and yielded in order.

    ``fn`` must be importable by the workers (a module-level function of reviewer). Its
    exception is raised here as it would be locally; a unit that kept losing its worker
    is a :class:`ClusterError`. Cancelling raises :class:`Cancelled`.
    """
    tasks = enumerate(payloads)
    for _, future in _finished(cluster, fn, tasks, progress, ordered=True):
        killed = _killed(cluster, future)
        if killed is not None:
            raise ClusterError(f"{cluster.address}: {killed}")
        yield future.result()


def map_units(cluster: Cluster, target: str, tasks: Iterable[tuple[Hashable, Any]],
              progress: Progress | None = None, timeout: float | None = None
              ) -> Iterator[tuple[Hashable, Any]]:
    """``(key, result or Failure)`` of each ``(key, payload)``, as each finishes: what a
    :class:`~reviewer.core.kern.workers.WorkerPool` of ``target`` yields, on ``cluster``.

    A unit over ``timeout`` seconds is a limit :class:`Failure` (its computation ends in
    the background on its worker); one that kept losing its worker (it crashes it, or
    outgrows the worker's memory limit) a plain one, as a local worker's death is.
    """
    for key, future in _finished(cluster, run_unit, tasks, progress, ordered=False,
                                 extra=(target, timeout)):
        killed = _killed(cluster, future)
        yield key, Failure(killed) if killed is not None else future.result()


def run_unit(payload: Any, target: str, timeout: float | None) -> Any:
    """On a cluster's worker: ``target``'s function on ``payload`` as a local worker
    process applies it, or a limit :class:`Failure` when it takes over ``timeout`` s."""
    fn = unit(target)
    if timeout is None:
        return apply(fn, payload)
    box: list[Any] = []
    # A thread cannot be stopped: an overrunning unit finishes unseen, its result dropped.
    worker = threading.Thread(target=lambda: box.append(apply(fn, payload)), daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        return Failure(f"took longer than {timeout:g} s", limit=True)
    return box[0]


def _finished(cluster: Cluster, fn: Callable[..., Any], tasks: Iterable[tuple[Hashable, Any]],
              progress: Progress | None, *, ordered: bool, extra: tuple[Any, ...] = ()
              ) -> Iterator[tuple[Hashable, Any]]:
    """``(key, finished future)`` of each task, in task order or as each finishes."""
    progress = progress or NullProgress()
    distributed = distributed_module()
    pending = iter(tasks)
    first = next(pending, None)
    if first is None:
        return  # nothing to run: no need to reach the cluster
    pending = chain([first], pending)
    batch = uuid.uuid4().hex  # unit keys of their own: never shared with another run
    with connect(cluster) as client:
        window = max(4, _IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
        flying: deque[tuple[Hashable, Any]] = deque()
        sent = 0
        try:
            while True:
                if progress.cancelled():
                    raise Cancelled("cancelled")
                while len(flying) < window:
                    task = next(pending, None)
                    if task is None:
                        break
                    key, payload = task
                    flying.append((key, client.submit(fn, payload, *extra, pure=False,
                                                      key=f"reviewer-{batch}-{sent}")))
                    sent += 1
                if not flying:
                    return
                watched = [flying[0][1]] if ordered else [f for _, f in flying]
                try:
                    with client.as_current():
                        distributed.wait(watched, timeout=_POLL, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    continue
                except CancelledError:  # every unit at once: the scheduler went away
                    raise ClusterError(_dropped(cluster)) from None
                if ordered:
                    done = []
                    while flying and flying[0][1].done():
                        done.append(flying.popleft())
                else:
                    done = [(k, f) for k, f in flying if f.done()]
                    for item in done:
                        flying.remove(item)
                yield from done
        finally:
            if flying:  # cancelled, failed, or the caller stopped early
                client.cancel([f for _, f in flying])


def _dropped(cluster: Cluster) -> str:
    return (f"{cluster.address}: the Dask scheduler dropped the work (was it stopped or "
            "restarted?); run the command again")


def _killed(cluster: Cluster, future: Any) -> str | None:
    """Why a finished future has no result because the cluster kept losing its worker;
    a :class:`ClusterError` when the cluster dropped it (its scheduler went away)."""
    if future.status == "cancelled":
        raise ClusterError(_dropped(cluster))
    if future.status != "error":
        return None
    from distributed import KilledWorker

    error = future.exception()
    if isinstance(error, KilledWorker):
        return f"the cluster lost the worker running it too often ({error})"
    return None
