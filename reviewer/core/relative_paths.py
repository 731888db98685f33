"""Paths written into an export or a report: relative to the file that holds them.

A project stores media and source paths as absolute paths of the machine that imported
them (``/home/ana/bench/img/l01.png``). Written as they are, a shared export or report
points at a folder nobody else has and says where the files lay on the author's disk.
Written relative to the output file's folder (``img/l01.png`` beside the benchmark,
``../bench/img/l01.png`` from a sibling folder), they work wherever the two travel
together, and readers resolve them against the file's folder as they always do. Only a
path that has no relative form (on Windows, another drive) stays absolute, and the
writer lists it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath


@dataclass
class RelativePaths:
    """Turns stored paths into paths relative to ``folder``; remembers those it cannot."""

    folder: Path  # the folder of the file the paths are written into
    _absolute: dict[str, None] = field(default_factory=dict)  # an ordered set

    def __post_init__(self) -> None:
        self.folder = Path(os.path.abspath(self.folder))

    @property
    def absolute(self) -> list[str]:
        """The paths left absolute because they have no relative form, in order."""
        return list(self._absolute)

    def __call__(self, path: str | None) -> str | None:
        """``path`` relative to the folder, with ``/`` separators; ``None`` and ``""``
        as they are; a relative stored path as it is."""
        if not path or not os.path.isabs(path):
            return path
        try:
            relative = os.path.relpath(path, self.folder)
        except ValueError:  # Windows: no relative path from one drive to another
            self._absolute[path] = None
            return path
        return PurePath(relative).as_posix()
