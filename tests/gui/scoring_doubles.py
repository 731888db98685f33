"""Stand-ins for the statistics' scoring that the child process runs in tests.

The child imports its scoring by name (``"module:function"``), so these live in a module of
their own rather than in a test.
"""

from __future__ import annotations

import time
from pathlib import Path

from reviewer.core.progress import Progress
from reviewer.core.score_types import Scores
from reviewer.gui.stats_worker import CLEANED_PHASE, CleaningScores

BROKEN = "tests.gui.scoring_doubles:broken_scoring"
ENDLESS = "tests.gui.scoring_doubles:endless_scoring"


def broken_scoring(path: Path, original: Scores | None, progress: Progress) -> CleaningScores:
    """Fails as a bug would."""
    raise RuntimeError("disk on fire")


def endless_scoring(path: Path, original: Scores | None,
                    progress: Progress) -> CleaningScores:
    """Says what it scores and halfway there, then never finishes (within a test)."""
    progress.status(CLEANED_PHASE)
    progress.set(0.5)
    time.sleep(600)
    raise RuntimeError("an endless scoring was left running")
