"""Where a ``--pred`` source is: a name and a path, the path possibly a pattern.

Evaluation harnesses put a date in every file name (``samples_gsm8k_2024-05-01T12-00-00.jsonl``),
so a source may be given as a pattern (``run_b/samples_gsm8k_*.jsonl``); the shell does
not expand one that follows ``NAME=``, so reviewer does: the pattern must match, and of
several matches the last in name order (the newest run's date) is read, with a warning.
A source given without ``NAME=`` is named by the log (lm-evaluation-harness and Inspect
logs name their model), else after the file or folder.
"""

from __future__ import annotations

import glob
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.formats.registry import detect

PATTERN_CHARS = frozenset("*?[")
# Formats whose files name the model that wrote them.
SELF_NAMING_FORMATS = frozenset({"lm-eval", "inspect"})


def expand_pattern(path: Path) -> tuple[Path, str | None]:
    """``path`` itself when it exists or is no pattern; else the file the pattern matches
    (the last of several in name order), and a warning when there were several."""
    text = str(path)
    if path.exists() or not PATTERN_CHARS.intersection(text):
        return path, None
    found = sorted(glob.glob(text))
    if not found:
        raise InputError(path, "no file matches this pattern")
    if len(found) == 1:
        return Path(found[0]), None
    return Path(found[-1]), (f"{text} matches {len(found)} files; reading the last in name "
                             f"order, {found[-1]}")


def prediction_source(value: str) -> tuple[str, Path, str | None]:
    """``(system, path, warning)`` of a ``--pred`` value ``NAME=PATH`` or ``PATH``.

    ``system`` is ``""`` for a log that names its own model (the reader names it), else the
    file or folder name without its suffix when no ``NAME=`` is given.
    """
    name, sep, rest = value.partition("=")
    if sep and not name:
        raise InputError(None, f"--pred takes NAME=PATH or PATH, got {value!r}")
    given = Path(rest if sep else value)
    path, warning = expand_pattern(given)
    if sep:
        if not rest:
            raise InputError(None, f"--pred takes NAME=PATH or PATH, got {value!r}")
        return name, path, warning
    if detect(path).name in SELF_NAMING_FORMATS:
        return "", path, warning
    return path.stem if path.is_file() else path.name, path, warning
