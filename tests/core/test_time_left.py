"""The time left of long work, from its pace so far."""

from __future__ import annotations

import pytest

from reviewer.core import time_left
from reviewer.core.time_left import TimeLeft, left_wording


@pytest.mark.parametrize(("seconds", "wording"), [
    (0.2, "done"), (0.7, "1 s left"), (40.4, "40 s left"), (89, "89 s left"),
    (150, "2 min left"), (5399, "90 min left"), (9000, "2.5 h left")])
def test_wording(seconds: float, wording: str) -> None:
    assert left_wording(seconds) == wording


def test_estimate_waits_for_a_pace_then_extrapolates_it(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(time_left, "_clock", lambda: now[0])
    clock = TimeLeft()
    now[0] = 100.5
    assert clock.seconds(0.25) is None  # half a second says too little about the pace
    now[0] = 110.0
    assert clock.seconds(0.01) is None  # so does one per cent of the work
    assert clock.seconds(0.25) == pytest.approx(30.0)  # 10 s for a quarter: 30 s to go
    assert clock.seconds(1.0) == 0.0
