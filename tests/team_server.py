"""A real PostgreSQL server for the team tests, started once per test session.

It runs from a temporary folder with the server programs of this machine (the
``postgresql`` system package, or the ``pgserver`` wheel's); the tests that need it skip,
naming what to install, only where neither is present or psycopg is missing.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reviewer.core.items import Benchmark, Item
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.team import local_server

DATABASE = "benchmarks"
_names = itertools.count(1)


@dataclass
class TeamServer:
    """The session's server: URLs per role, and SIGKILL and restart for the fault test."""

    server: local_server.LocalServer

    @property
    def port(self) -> int:
        return self.server.port

    def url(self, role: str = "postgres") -> str:
        """The database URL, connecting as ``role``."""
        return self.server.url(DATABASE, role)

    def project_url(self, name: str, role: str) -> str:
        """A shared project's URL for ``reviewer join``, as ``role``."""
        return f"{self.url(role)}/{name}"

    def connect(self, role: str = "postgres") -> Any:
        """A psycopg connection as ``role`` (autocommit off)."""
        import psycopg

        return psycopg.connect(self.url(role))

    def kill(self) -> int:
        """SIGKILL the server and every process it started (a crash); returns the pid."""
        pid = self.server.postmaster_pid()
        assert pid is not None, "the server is not running"
        children = _children(pid)
        os.kill(pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in (pid, *children)) and time.monotonic() < deadline:
            time.sleep(0.02)
        return pid

    def start(self) -> None:
        """Start the server (after a kill, PostgreSQL recovers from its write-ahead log)."""
        local_server.start(self.server)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    # Until it is reaped: a new server refuses to start while the killed one's process id
    # (even a zombie's) exists.
    return Path(f"/proc/{pid}").exists()


def start_team_server() -> Iterator[TeamServer]:
    """Start a server in a new temporary folder; stop it and remove the folder afterwards."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg 3 is not installed: pip install 'reviewer[team]'")
    if local_server.find_bin_dir() is None:
        pytest.skip(local_server.MISSING)
    folder = Path(tempfile.mkdtemp(prefix="reviewer-pg-"))
    folder.chmod(0o755)  # as root, the server runs as `postgres` and must reach its folder
    server = local_server.server_in(folder / "data")
    try:
        local_server.start(server)
        local_server.create_database(server, DATABASE)
        yield TeamServer(server)
    finally:
        with contextlib.suppress(Exception):
            local_server.stop(server)
        shutil.rmtree(folder, ignore_errors=True)


def unique_name(prefix: str = "t") -> str:
    """A shared-project name no other test of this session uses."""
    return f"{prefix}{os.getpid()}_{next(_names)}"


ITEMS = [Item("a", "The modern cat"), Item("b", "Hello world"), Item("c", "Plain line"),
         Item("d", "Fourth line here")]
PREDS = {"ocr": {"a": "The rnodern cat", "b": "Hel1o world", "c": "Plain lime",
                 "d": "Fourth Iine here"}}


def small_project(path: Path, items: list[Item] = ITEMS,
                  preds: dict[str, dict[str, str]] = PREDS) -> Path:
    """A small text project of our own at ``path``."""
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds))
    return path
