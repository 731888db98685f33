"""The bundled demo benchmark, imported into a project on first use."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.core.errors import ProjectError
from reviewer.resources import demo_dir

DEMO_PROJECT = "demo-text.db"


def ensure_demo(project_path: Path) -> Path:
    """Import the demo into ``project_path`` unless it already holds it."""
    from reviewer.formats.load import load_benchmark
    from reviewer.formats.registry import ReadOptions
    from reviewer.store.db import remove_project_files
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    if project_path.exists() and project_path.stat().st_size > 0:
        return project_path
    folder = demo_dir("text")
    spec_path = folder / "demo.json"
    if not spec_path.is_file():
        raise ProjectError(f"{spec_path}: the demo benchmark is missing from this installation")
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    preds = [(name, folder / rel) for name, rel in spec["predictions"].items()]
    bench = load_benchmark(folder / spec["reference"], preds, ReadOptions(kind=spec["kind"]))
    project_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Project(project_path, create=True) as project:
            import_benchmark(project, bench, name=spec.get("name", "Demo"))
    except BaseException:
        remove_project_files(project_path)
        raise
    return project_path
