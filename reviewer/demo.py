"""The bundled demo benchmarks, one per task kind, imported into a project on first use.

A kind's demo is a folder ``resources/demo/<kind>/`` with a ``demo.json``: its ``kind``,
``name``, ``reference`` path, ``predictions`` (system -> path), and optionally ``options``
(:class:`ReadOptions` fields such as ``text_col``) and ``normalize``.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from reviewer.core.errors import ProjectError
from reviewer.core.progress import NullProgress, Progress
from reviewer.resources import demo_dir

_PATH_OPTIONS = ("audio", "ref_text")


def demo_project_name(kind: str = "text") -> str:
    """File name of the project the demo of ``kind`` is imported into."""
    return f"demo-{kind}.db"


def demo_kinds() -> list[str]:
    """The kinds whose demo is bundled with this installation."""
    from reviewer.core.items import KINDS

    return [k for k in KINDS if (demo_dir(k) / "demo.json").is_file()]


def ensure_demo(project_path: Path, kind: str = "text",
                progress: Progress | None = None) -> Path:
    """Import the demo of ``kind`` into ``project_path`` unless it already holds it,
    saying to ``progress`` what is being done (the first start takes seconds)."""
    if project_path.exists() and project_path.stat().st_size > 0:
        return project_path
    progress = progress or NullProgress()
    progress.status(f"loading the {kind} import code")
    from reviewer.formats.load import load_benchmark
    from reviewer.formats.registry import ReadOptions
    from reviewer.store.importer import import_into

    folder = demo_dir(kind)
    spec_path = folder / "demo.json"
    if not spec_path.is_file():
        raise ProjectError(f"{spec_path}: the {kind} demo is missing from this installation")
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    preds = [(name, folder / rel) for name, rel in spec["predictions"].items()]
    options = ReadOptions(kind=spec["kind"], **_options(spec.get("options", {}), folder))
    progress.status(f"reading the {kind} demo's files")
    progress.set(0.1)
    bench = load_benchmark(folder / spec["reference"], preds, options)
    project_path.parent.mkdir(parents=True, exist_ok=True)
    pairs = len(bench.items) * len(bench.predictions)
    progress.status(f"aligning and scoring {pairs:,} pairs ({len(bench.items):,} items, "
                    f"{len(bench.predictions)} systems), then saving the project")
    progress.set(0.3)
    import_into(project_path, bench, name=spec.get("name", "Demo"),
                normalize=spec.get("normalize"))
    progress.set(1.0)
    return project_path


def _options(given: dict[str, Any], folder: Path) -> dict[str, Any]:
    from reviewer.formats.registry import ReadOptions

    known = {f.name for f in fields(ReadOptions)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ProjectError(f"{folder / 'demo.json'}: unknown options {', '.join(unknown)}")
    return {k: folder / v if k in _PATH_OPTIONS else v for k, v in given.items()}
