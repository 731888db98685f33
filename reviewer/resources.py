"""Where reviewer's bundled resources (demo benchmarks, icons) are."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a source tree or an installed copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("reviewer's resources folder is missing from this installation")


def demo_dir(kind: str = "text") -> Path:
    """The bundled demo benchmark of ``kind``."""
    return resources_dir() / "demo" / kind


def data_dir() -> Path:
    """The user's data folder for reviewer (XDG on Linux)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "reviewer"
