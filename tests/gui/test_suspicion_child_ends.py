"""A ranking child process that ends without a result (killed for memory, say) is an error
that names its exit code, not a wait without end that keeps the window from closing; a
project too large for the free memory is not ranked, with the reason."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reviewer.core.errors import Cancelled, MemoryLimitError
from reviewer.core.progress import NullProgress
from reviewer.gui import suspicion
from reviewer.gui.suspicion import check_memory, in_child


def killed_child(path: str, send: Any) -> None:
    """A child that dies as the kernel's out-of-memory killer ends one."""
    os.kill(os.getpid(), 9)


def answering_child(path: str, send: Any) -> None:
    send.send((True, f"ranked {Path(path).name}"))


def failing_child(path: str, send: Any) -> None:
    send.send((False, "no such table: items"))


def test_a_child_killed_without_a_result_is_an_error_naming_its_exit_code() -> None:
    with pytest.raises(RuntimeError, match=r"exit code -9 \(killed"):
        in_child(killed_child, "p.db", NullProgress())


def test_a_childs_result_and_its_failure_come_back() -> None:
    assert in_child(answering_child, "/x/p.db", NullProgress()) == "ranked p.db"
    with pytest.raises(RuntimeError, match="no such table: items"):
        in_child(failing_child, "p.db", NullProgress())


class _Cancelled(NullProgress):
    def cancelled(self) -> bool:
        return True


def test_a_cancelled_ranking_stops_its_child() -> None:
    with pytest.raises(Cancelled):
        in_child(slow_child, "p.db", _Cancelled())


def slow_child(path: str, send: Any) -> None:
    import time

    time.sleep(60)


def test_more_items_than_the_free_memory_allows_are_not_ranked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suspicion, "_free_memory", lambda: 8_000_000_000)
    check_memory(1_000_000)  # 4 GB of 8 free: half, allowed
    with pytest.raises(MemoryLimitError, match=r"1,000,001 items need about 3\.7 GB"):
        check_memory(1_000_001)
