"""Bulk reads of a ``label`` project: its classes, and each system's answers by item.

The predicted class is taken out of the stored prediction text (a class name, or the JSON
of :mod:`reviewer.core.label_codec`) by SQLite's JSON functions, so reading 100,000
items parses nothing in Python.
"""

from __future__ import annotations

from collections import defaultdict

from reviewer.core.label_codec import class_order
from reviewer.store.project import Project

# The class a stored prediction names ('' for none), as decode_prediction reads it.
_PREDICTED = ("CASE WHEN p.text LIKE '{%' AND json_valid(p.text) "
              "AND json_type(p.text, '$.label') = 'text' THEN json_extract(p.text, '$.label') "
              "ELSE trim(coalesce(p.text, '')) END")
_CURRENT = "trim(coalesce(l.corrected_reference, i.reference))"

Cell = tuple[str, str]  # (gold class, predicted class; '' when the system gave none)


def label_classes(project: Project) -> list[str]:
    """The classes of the project, gold and corrected ones, in natural order.

    Readers refuse predicted classes that are not gold classes, so these are all of them.
    """
    rows = project.db.execute(
        "SELECT DISTINCT trim(reference) FROM items UNION SELECT trim(corrected_reference) "
        "FROM labels WHERE corrected_reference IS NOT NULL")
    return class_order(name for (name,) in rows if name)


def answer_cells(project: Project, system: str) -> dict[Cell, list[str]]:
    """(current gold class, class ``system`` predicted) -> the ids of those items, in order.

    Items the system has no prediction for are in the cells with predicted class ''.
    """
    cells: dict[Cell, list[str]] = defaultdict(list)
    rows = project.db.execute(
        f"SELECT i.id, {_CURRENT}, {_PREDICTED} FROM items i "
        "LEFT JOIN labels l ON l.item_id = i.id "
        "LEFT JOIN predictions p ON p.item_id = i.id AND p.system = ? ORDER BY i.pos",
        [system])
    for item_id, gold, predicted in rows:
        cells[(gold, predicted or "")].append(item_id)
    return dict(cells)
