"""How a kern system's missing predictions count in its scores.

``empty`` (the default, as reviewer scores every kind): an item a system gave no
prediction for is scored against an empty prediction, so every reference token is a
deletion and the OMR-NED pair costs the whole reference. ``skip``: such items are left
out of that system's SER and OMR-NED, as musicdiff's batch mode leaves out a missing
prediction file. The two differ whenever a system misses items (on one real case,
0.772 against musicdiff's 0.390). The choice is a project setting, shown in the score
header and the HTML report; ``missing`` still counts the items either way.
"""

from __future__ import annotations

from typing import Literal

MissingChoice = Literal["empty", "skip"]
MISSING_CHOICES: tuple[MissingChoice, ...] = ("empty", "skip")
DEFAULT_MISSING: MissingChoice = "empty"
MISSING_META = "missing"  # the project setting holding the choice


def missing_wording(choice: str) -> str:
    """The choice as the score header and the report say it."""
    return "missing predictions left out" if choice == "skip" else \
        "missing predictions scored as empty"
