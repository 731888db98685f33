"""Write a paired-file folder (``NAME.gt.txt`` beside ``NAME.<system>.txt`` and the image).

The folder is built under a temporary name and renamed into place, so a failed export
leaves nothing behind. It reads back with the ``folder`` reader as the same items.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.formats.folders import GT_SUFFIX


def write_folder(target: Path, rows: Sequence[dict[str, Any]], systems: Sequence[str]) -> None:
    """Write each row (``id``, ``reference``, ``image``, ``pred_<system>``) into ``target``."""
    for system in systems:
        if "." in system or "/" in system or system == "gt":
            raise InputError(target, f"system name {system!r} cannot be a file-name part; "
                             "export to a table instead")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(target, "already exists and is not an empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        for row in rows:
            stem = tmp / row["id"]
            stem.parent.mkdir(parents=True, exist_ok=True)
            _write(stem.parent / (stem.name + GT_SUFFIX), row["reference"])
            for system in systems:
                _write(stem.parent / f"{stem.name}.{system}.txt", row[f"pred_{system}"])
            image = row.get("image")
            if image and Path(image).is_file():
                shutil.copy2(image, stem.parent / (stem.name + Path(image).suffix.lower()))
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write(path: Path, text: str) -> None:
    # The reader drops exactly one trailing newline, so any text reads back unchanged.
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text + "\n")
