"""The manifest of a folder reviewer exported: each file's item id and metadata.

An exported folder names files by a safe encoding of the item ids
(:mod:`reviewer.core.safe_names`); its ``manifest.json`` lists, for every item written,
the file stem (``file``), the original ``id`` and the item's ``meta``. Reading the folder
back takes ids and metadata from there.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError

MANIFEST_NAME = "manifest.json"

Exported = dict[str, tuple[str, tuple[tuple[str, str], ...]]]


def exported_items(root: Path) -> Exported:
    """``file stem -> (item id, metadata)`` from ``root``'s manifest, if reviewer wrote one."""
    path = root / MANIFEST_NAME
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return {}
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the export's manifest: {exc}") from None
    if not (isinstance(data, dict) and "reviewer" in data and isinstance(data.get("items"), list)):
        return {}  # another program's manifest: the file names are the ids
    out: Exported = {}
    for number, entry in enumerate(data["items"], 1):
        if isinstance(entry, dict) and "file" in entry:
            stem, item = _entry(path, number, entry)
            out[stem] = item
    return out


def _entry(path: Path, number: int, entry: dict[str, Any]
           ) -> tuple[str, tuple[str, tuple[tuple[str, str], ...]]]:
    stem, item_id, meta = entry.get("file"), entry.get("id"), entry.get("meta", {})
    if not (isinstance(stem, str) and isinstance(item_id, str) and item_id
            and isinstance(meta, dict)
            and all(isinstance(v, str) for v in meta.values())):
        raise InputError(path, "an item needs a text file, a non-empty text id and metadata "
                         "of text values", record=f"items[{number}]")
    return stem, (item_id, tuple(meta.items()))
