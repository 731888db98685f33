"""Scoring at import and OMR-NED on a real Dask cluster (a two-process LocalCluster): the
same results as local worker processes, each unit's result once when a worker is killed
mid-run, a cancelled import leaves the project as it was, and clear errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster
from pytestqt.qtbot import QtBot

from reviewer.cli import main
from reviewer.core.cluster import INSTALL, Cluster, Workers, check_reachable
from reviewer.core.errors import Cancelled, ClusterError
from reviewer.core.items import Benchmark, Item
from reviewer.core.kern.omr_ned import NOT_COMPUTED, compute_many
from reviewer.demo import demo_dir
from reviewer.store.importer import import_into
from reviewer.store.omr_ned import fill
from reviewer.store.project import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """One two-worker-process cluster for the module (starting one takes seconds)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as local:
        yield local


def demo_import_args(kind: str) -> list[str]:
    """``reviewer import`` arguments after the project path that import ``kind``'s demo."""
    folder = demo_dir(kind)
    spec = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    args = [str(folder / spec["reference"]), "--kind", spec["kind"]]
    for name, rel in spec["predictions"].items():
        args += ["--pred", f"{name}={folder / rel}"]
    for option, value in spec.get("options", {}).items():
        args += [f"--{option}", str(folder / value)]
    if "normalize" in spec:
        args += ["--normalize", spec["normalize"]]
    return args


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What ``sql`` selects from the project database at ``path``."""
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def same_names(folder: Path) -> tuple[Path, Path]:
    """Two project paths of the same name (a report names its project), for a local and a
    cluster run."""
    (folder / "local").mkdir()
    (folder / "cluster").mkdir()
    return folder / "local" / "bench.db", folder / "cluster" / "bench.db"


ALIGNMENTS = "SELECT * FROM alignments ORDER BY system, item_id, variant"


def omr_cache(path: Path) -> dict[str, dict[str, object]]:
    """Each cached OMR-NED result, less the seconds it took (a clock, not a result)."""
    found = {}
    for key, blob in rows(path, "SELECT key, result FROM omr_ned_cache"):
        result = json.loads(str(blob))
        del result["seconds"]
        found[str(key)] = result
    return found


def score_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """``reviewer score --format json`` of the project at ``path``."""
    capsys.readouterr()
    assert main(["score", str(path), "--format", "json", *extra]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("kind", ["text", "asr"])
def test_import_scores_on_the_cluster_as_locally(kind: str, cluster: LocalCluster,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    local, remote = same_names(tmp_path)
    assert main(["import", str(local), *demo_import_args(kind)]) == 0
    assert main(["import", str(remote), *demo_import_args(kind),
                 "--scheduler", cluster.scheduler_address]) == 0
    assert rows(remote, ALIGNMENTS) == rows(local, ALIGNMENTS)
    assert len(rows(remote, ALIGNMENTS)) > 0
    assert score_json(remote, capsys) == score_json(local, capsys)


def test_kern_import_and_omr_ned_on_the_cluster_as_locally(
        cluster: LocalCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local, remote = same_names(tmp_path)
    assert main(["import", str(local), *demo_import_args("kern")]) == 0
    assert main(["import", str(remote), *demo_import_args("kern"),
                 "--scheduler", cluster.scheduler_address]) == 0
    local_json = score_json(local, capsys, "--workers", "2")
    remote_json = score_json(remote, capsys, "--scheduler", cluster.scheduler_address)
    assert remote_json == local_json
    assert rows(remote, ALIGNMENTS) == rows(local, ALIGNMENTS)
    cache = omr_cache(remote)
    assert len(cache) == len(rows(remote, "SELECT DISTINCT system, item_id FROM alignments"))
    assert cache == omr_cache(local)
    assert all(not result["error"] for result in cache.values())


class KillOnce:
    """Progress that SIGKILLs one of the cluster's worker processes at the first result,
    and can ask the work to stop there instead."""

    def __init__(self, client: Client | None = None, *, cancel: bool = False) -> None:
        self.client = client
        self.cancel = cancel
        self.reports = 0
        self.killed: list[int] = []

    def set(self, value: float) -> None:
        if 0 < value < 1:
            self.reports += 1
        if self.client is not None and self.reports == 1 and not self.killed:
            pid = sorted(self.client.run(os.getpid).values())[0]
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)

    def status(self, text: str) -> None:
        pass

    def cancelled(self) -> bool:
        return self.cancel and self.reports > 0


def many_lines(count: int) -> Benchmark:
    """The text demo's lines repeated to ``count`` items, each prediction its reference
    with a few characters cut off the front and a digit added (many units of work)."""
    folder = demo_dir("text") / "lines"
    lines = sorted(p.read_text(encoding="utf-8").strip() for p in folder.glob("*.gt.txt"))
    items = [Item(f"line{k:06d}", lines[k % len(lines)]) for k in range(count)]
    preds = {it.id: it.reference[k % 7:] + str(k % 10) for k, it in enumerate(items)}
    return Benchmark("text", items, {"ocr": preds})


def test_a_worker_killed_mid_import_still_gives_every_result_once(
        cluster: LocalCluster, tmp_path: Path) -> None:
    bench = many_lines(24_000)  # twelve units of 2,000 pairs
    local, remote = tmp_path / "local.db", tmp_path / "cluster.db"
    import_into(local, bench, workers=1)
    with Client(cluster) as client:
        progress = KillOnce(client)
        import_into(remote, bench, workers=Cluster(cluster.scheduler_address),
                    progress=progress)
    assert progress.killed and progress.reports == 11  # the last one reports 1.0
    found = rows(remote, ALIGNMENTS)
    assert len(found) == len(bench.items)
    assert found == rows(local, ALIGNMENTS)


def test_a_worker_killed_mid_omr_ned_still_gives_every_result_once(
        cluster: LocalCluster, tmp_path: Path) -> None:
    path = tmp_path / "kern.db"
    assert main(["import", str(path), *demo_import_args("kern")]) == 0
    with Client(cluster) as client, Project(path) as project:
        progress = KillOnce(client)
        outcome = fill(project, progress=progress, workers=Cluster(cluster.scheduler_address))
    assert progress.killed
    pairs = len(rows(path, "SELECT DISTINCT system, item_id FROM alignments"))
    assert (outcome.computed, outcome.failed) == (pairs, 0)
    assert progress.reports == pairs - 1  # the last result reports 1.0
    cache = omr_cache(path)
    assert len(cache) == pairs and all(not r["error"] for r in cache.values())
    summaries = [json.loads(str(extra))["omr"] for (extra,) in
                 rows(path, "SELECT extra FROM alignments")]
    assert {s["key"] for s in summaries} == set(cache)
    assert all(s["ed"] == cache[s["key"]]["ed"] and not s["error"] for s in summaries)


def test_a_cancelled_cluster_import_leaves_the_project_as_it_was(
        cluster: LocalCluster, tmp_path: Path) -> None:
    bench = many_lines(12_000)
    path = tmp_path / "project.db"
    import_into(path, bench, workers=1)
    before = {table: rows(path, f"SELECT * FROM {table}")
              for table in ("items", "systems", "predictions", "alignments")}
    again = Benchmark("text", bench.items, {"other": bench.predictions["ocr"]})
    progress = KillOnce(cancel=True)
    with pytest.raises(Cancelled):
        import_into(path, again, workers=Cluster(cluster.scheduler_address),
                    progress=progress)
    assert progress.reports == 1
    assert {table: rows(path, f"SELECT * FROM {table}") for table in before} == before
    fresh = tmp_path / "fresh.db"
    with pytest.raises(Cancelled):
        import_into(fresh, bench, workers=Cluster(cluster.scheduler_address),
                    progress=KillOnce(cancel=True))
    assert not fresh.exists()


def test_a_cancelled_cluster_omr_ned_keeps_only_whole_results(
        cluster: LocalCluster, tmp_path: Path) -> None:
    path = tmp_path / "kern.db"
    assert main(["import", str(path), *demo_import_args("kern")]) == 0
    pairs = len(rows(path, "SELECT DISTINCT system, item_id FROM alignments"))
    with Project(path) as project, pytest.raises(Cancelled):
        fill(project, progress=KillOnce(cancel=True),
             workers=Cluster(cluster.scheduler_address))
    cache = omr_cache(path)
    assert 0 < len(cache) < pairs
    marked = [json.loads(str(extra)).get("omr") for (extra,) in
              rows(path, "SELECT extra FROM alignments")]
    assert {m["key"] for m in marked if m} == set(cache)
    with Project(path) as project:
        outcome = fill(project, workers=Cluster(cluster.scheduler_address))
    assert (outcome.cached, outcome.computed, outcome.failed) == (0, pairs - len(cache), 0)
    assert len(omr_cache(path)) == pairs


def test_a_pair_over_the_time_limit_is_not_computed_as_locally(cluster: LocalCluster) -> None:
    folder = demo_dir("kern")
    first = sorted((folder / "reference").iterdir())[0]
    pair = (first.read_text(encoding="utf-8"),
            (folder / "omr-hasty" / first.name).read_text(encoding="utf-8"))
    where: list[Workers] = [1, Cluster(cluster.scheduler_address)]
    found = [list(compute_many([("p", pair)], w, timeout=0.001)) for w in where]
    assert found[0] == found[1]
    assert found[0][0][1].error == f"{NOT_COMPUTED} took longer than 0.001 s"


@contextmanager
def socket_nobody_listens_on() -> Iterator[str]:
    """A ``tcp://`` address whose port is taken but not listened on (connections refused)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"tcp://127.0.0.1:{held.getsockname()[1]}"


def test_an_unreachable_scheduler_is_named_after_the_timeout() -> None:
    with socket_nobody_listens_on() as address, pytest.raises(ClusterError) as caught:
        check_reachable(Cluster(address, connect_timeout=1.0))
    assert address in str(caught.value)
    assert "cannot reach the Dask scheduler" in str(caught.value)


@pytest.mark.parametrize("address", ["nonsense://host:8786", "tcp://", ""])
def test_what_is_no_scheduler_address_is_refused_at_once(
        address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.db"
    assert main(["import", str(path), *demo_import_args("text"), "--scheduler", address]) == 1
    err = capsys.readouterr().err
    assert f"{address!r} is not a Dask scheduler address" in err
    assert "Traceback" not in err and not path.exists()


def test_scheduler_without_dask_names_the_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    path = tmp_path / "p.db"
    assert main(["import", str(path), *demo_import_args("text"),
                 "--scheduler", "tcp://127.0.0.1:8786"]) == 1
    assert INSTALL in capsys.readouterr().err
    assert INSTALL == "pip install 'reviewer[cluster]'"
    assert not path.exists()


def test_the_window_computes_omr_ned_on_the_cluster_it_was_given(
        cluster: LocalCluster, tmp_path: Path, qtbot: QtBot) -> None:
    from PySide6.QtCore import QThreadPool

    from reviewer.gui.cluster_setting import set_scheduler
    from reviewer.gui.kinds.kern import view as kern_view
    from reviewer.gui.session import ReviewSession

    path = tmp_path / "kern.db"
    assert main(["import", str(path), *demo_import_args("kern")]) == 0
    pairs = len(rows(path, "SELECT DISTINCT system, item_id FROM alignments"))
    set_scheduler(cluster.scheduler_address)
    with Client(cluster) as client:
        before = sum(client.run(executed).values())
        session = ReviewSession(path, "tester")
        try:
            view = kern_view.make_view(session)
            assert isinstance(view, kern_view.KernView)
            qtbot.addWidget(view)
            session.set_current_item(str(rows(path, "SELECT id FROM items LIMIT 1")[0][0]))
            assert view.fill_progress is not None
            qtbot.waitUntil(lambda: view.fill_progress is None, timeout=120_000)
            assert f"{pairs:,} pairs computed" in view.omr_status.text()
        finally:
            QThreadPool.globalInstance().waitForDone(60_000)
            session.close()
        assert sum(client.run(executed).values()) - before >= pairs
    assert len(omr_cache(path)) == pairs


def executed(dask_worker: Any) -> int:
    """How many tasks a cluster worker has run (``Client.run`` passes the worker)."""
    return int(dask_worker.state.executed_count)
