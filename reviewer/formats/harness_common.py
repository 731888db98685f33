"""What the readers of evaluation-harness logs share (lm-evaluation-harness, Inspect AI)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

# The prediction metadata key holding the harness's own per-sample scores of an answer
# (metric or scorer name -> value as the log gives it: 1.0, "C", ...).
HARNESS_METRICS = "harness_metrics"
MODEL_ARG_KEYS = ("pretrained", "model", "model_name", "engine", "path")


def read_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of the regular file ``path`` (``b""`` if it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def doc_meta(doc: Mapping[str, Any], used: Collection[str | None]) -> tuple[tuple[str, str], ...]:
    """A document's fields other than ``used`` as item metadata: text as it is, every
    other value as JSON."""
    out = []
    for key, value in doc.items():
        if key in used or value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        out.append((str(key), text))
    return tuple(out)


def model_from_args(args: Any) -> str:
    """The model named by a run's model arguments (``pretrained=org/name,dtype=...`` or the
    same as a mapping); ``""`` when they name none."""
    if isinstance(args, str):
        pairs = dict(part.partition("=")[::2] for part in args.split(",") if "=" in part)
    elif isinstance(args, dict):
        pairs = {str(k): v for k, v in args.items()}
    else:
        return ""
    for key in MODEL_ARG_KEYS:
        value = pairs.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
