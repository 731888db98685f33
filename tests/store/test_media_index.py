"""Whether a project has media is answered from an index, not by reading every item."""

from __future__ import annotations

from pathlib import Path

from reviewer.core.items import Benchmark, Item
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

HAS_MEDIA = "SELECT 1 FROM items WHERE media IS NOT NULL AND media != '' LIMIT 1"


def test_has_media_reads_the_index_of_items_with_media(tmp_path: Path) -> None:
    items = [Item("a", "one"), Item("b", "two", media="b.png"), Item("c", "three", media="")]
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, Benchmark("text", items, {"s": {"a": "one"}}))
        plan = " ".join(str(row[-1]) for row in project.db.execute(
            "EXPLAIN QUERY PLAN " + HAS_MEDIA))
        assert "items_with_media" in plan
        assert project.has_media()
        project.db.execute("UPDATE items SET media = NULL WHERE id = 'b'")
        assert not project.has_media()
