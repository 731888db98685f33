"""How far the statistics' scoring has got, from how long its phases took the last time.

The scoring reports only which phase it is in (scoring the original set, then the cleaned
set), and the view scores the same project again and again (after decisions): the
phases' durations measured in an earlier run are the best guess of the next run's. Until
every phase of a run has been timed once there is no estimate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """The running scoring's completed fraction and the seconds it has left."""

    fraction: float
    seconds_left: float


class PhaseTimes:
    """The durations of the scoring's phases, by name, and the estimate of a run."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """``clock``: seconds (default :func:`time.monotonic`)."""
        self._clock = clock
        self.took: dict[str, float] = {}
        self._plan: tuple[str, ...] = ()
        self._current: str | None = None
        self._started = self._since = 0.0

    def start(self, plan: Sequence[str]) -> None:
        """A run going through the phases ``plan``, in order, starts now."""
        self._plan = tuple(plan)
        self._current = None
        self._started = self._since = self._clock()

    def enter(self, phase: str) -> None:
        """The run enters ``phase`` now (and the phase before it, if any, ends)."""
        now = self._clock()
        if self._current is not None:
            self.took[self._current] = now - self._since
        self._current, self._since = phase, now

    def finish(self) -> None:
        """The run ends now, its last phase with it."""
        if self._current is not None:
            self.took[self._current] = self._clock() - self._since
        self.abandon()

    def abandon(self) -> None:
        """The run stopped before its end: its current phase says nothing of the pace."""
        self._current = None
        self._plan = ()

    def estimate(self) -> Estimate | None:
        """Where the run is, or ``None`` while one of its phases was never timed."""
        if not self._plan or any(phase not in self.took for phase in self._plan):
            return None
        now = self._clock()
        if self._current in self._plan:
            index = self._plan.index(self._current)
            left = max(0.0, self.took[self._current] - (now - self._since))
            left += sum(self.took[phase] for phase in self._plan[index + 1:])
        else:  # not in its first phase yet
            left = max(0.0, sum(self.took[phase] for phase in self._plan)
                       - (now - self._started))
        elapsed = now - self._started
        total = elapsed + left
        return Estimate(elapsed / total if total > 0 else 1.0, left)
