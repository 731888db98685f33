"""Suspicion for the sequence kinds on their bundled demos: planted reference mistakes rank high."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.demo import ensure_demo
from reviewer.resources import demo_dir
from reviewer.store.project import Project
from reviewer.store.suspects import compute_suspects


def test_the_kern_demos_reference_mistakes_are_the_most_suspect(tmp_path: Path) -> None:
    planted = {item for item, changes in
               json.loads((demo_dir("kern") / "mistakes.json").read_text()).items()
               if "reference" in changes}
    assert len(planted) == 2
    with Project(ensure_demo(tmp_path / "kern.db", "kern")) as project:
        ranked = compute_suspects(project)
        top = ranked.order[:3]
        assert planted <= set(top)
        assert all(ranked.scores[i] > 0 for i in planted)
        assert ranked.scores[ranked.order[-1]] < ranked.scores[top[-1]]
