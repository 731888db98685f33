"""The deliberate reference mistakes of the bundled demos, read from each demo's own files.

Every demo records the references it spoiled on purpose, so that the suspicion ranking can
be checked against them (``benchmarks/bench_suspicion.py`` and the tests read them here):

- text, choice, answer: the generated table of the demo's ``README.md``;
- kern: the ``reference`` entries of ``mistakes.json``;
- label: ``flipped.csv``;
- asr, gec: ``reference_mistakes.json`` (item id -> what is wrong).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

from reviewer.resources import demo_dir

_TABLE_ROW = re.compile(r"^\| `([^`]+)` \| (.*) \|$", re.MULTILINE)


def reference_mistakes(kind: str) -> dict[str, str]:
    """Item id -> what is wrong with its reference, for the demo of ``kind`` (empty for a
    kind whose demo records none)."""
    folder = demo_dir(kind)
    reader = _READERS.get(kind)
    return {} if reader is None else reader(folder)


def _readme_table(folder: Path) -> dict[str, str]:
    readme = (folder / "README.md").read_text(encoding="utf-8")
    generated = readme.split("<!-- generated:start -->", 1)[1].split("<!-- generated:end -->")[0]
    return {item: " | ".join(cell.strip() for cell in rest.split("|"))
            for item, rest in _TABLE_ROW.findall(generated)}


def _kern(folder: Path) -> dict[str, str]:
    found = json.loads((folder / "mistakes.json").read_text(encoding="utf-8"))
    return {item: "; ".join(by["reference"]) for item, by in found.items() if "reference" in by}


def _label(folder: Path) -> dict[str, str]:
    with (folder / "flipped.csv").open(encoding="utf-8", newline="") as fh:
        return {row["id"]: f"gold {row['given_label']}, true {row['true_label']}"
                for row in csv.DictReader(fh)}


def _recorded(folder: Path) -> dict[str, str]:
    found = json.loads((folder / "reference_mistakes.json").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in found.items()}


_READERS: dict[str, Callable[[Path], dict[str, str]]] = {
    "text": _readme_table, "choice": _readme_table, "kern": _kern, "label": _label,
    "asr": _recorded, "gec": _recorded, "answer": _readme_table,
}
