"""References that are not readable **kern scores, and what an import does with them.

A reference with a structural error (see :mod:`reviewer.core.kern.syntax`) is not a
well-formed score: converter21 refuses some (musicdiff then gives the pair no OMR-NED) and
reads others by guessing. For a benchmark cleaner such a reference is itself a finding.
By default (``mark``) the import goes on: the score is imported as it is, marked with the
item metadata :data:`UNREADABLE_REFERENCE` (the line and the reason), listed in the
import's warnings, shown by ``reviewer show`` and the HTML report, and found in the item
list with the filter ``unreadable_reference:``; it can be corrected in the window like any
other reference. Refusing would name only the first unreadable reference of a folder.
``refuse`` stops the import at the first one, leaving no project, for pipelines that need
every reference readable.
"""

from __future__ import annotations

from typing import Literal

UnreadableChoice = Literal["mark", "refuse"]
UNREADABLE_CHOICES: tuple[UnreadableChoice, ...] = ("mark", "refuse")
DEFAULT_UNREADABLE: UnreadableChoice = "mark"
# The item metadata key of a marked reference; its value: "line N: what is wrong".
UNREADABLE_REFERENCE = "unreadable_reference"
