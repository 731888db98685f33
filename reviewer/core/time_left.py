"""How long long work has left, estimated from its pace so far (DESIGN §7.8)."""

from __future__ import annotations

import time
from collections.abc import Callable

# Work done before the pace is trusted: the first chunks carry the start-up costs.
_MIN_FRACTION = 0.02
_MIN_SECONDS = 1.0
# Where the time comes from (seconds); a module attribute so that tests can set the pace.
_clock: Callable[[], float] = time.monotonic


class TimeLeft:
    """Estimates the seconds left of work whose completed fraction is reported as it goes,
    assuming the pace since the start holds."""

    def __init__(self) -> None:
        self._start = _clock()

    def seconds(self, fraction: float) -> float | None:
        """The seconds left at ``fraction`` done, or ``None`` while too little is done or
        too little time has passed to know the pace."""
        elapsed = _clock() - self._start
        if fraction < _MIN_FRACTION or elapsed < _MIN_SECONDS or fraction >= 1:
            return None if fraction < 1 else 0.0
        return elapsed * (1 - fraction) / fraction


def left_wording(seconds: float) -> str:
    """``"2 min left"``, ``"40 s left"``, ``"done"``."""
    if seconds < 0.5:
        return "done"
    if seconds >= 5400:
        return f"{seconds / 3600:.1f} h left"
    if seconds >= 90:
        return f"{round(seconds / 60)} min left"
    return f"{max(1, round(seconds))} s left"
