"""The review window on a large project: the item list sorted by a system's rate, worst
first, with a category filter on, both done in SQL (docs/screenshots/item-list-large.png).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_item_list_screenshot.py BIG.db

``BIG.db`` is a writable text project, say the 1,000,000-item one that
``benchmarks/synthetic.py`` builds (it gets the item list's facts on first opening).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from shot_setup import isolate, light_app, open_window, save, settle


def main() -> int:
    project = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp))
        app = light_app()
        from PySide6.QtCore import Qt

        window = open_window(app, project, (1500, 900))
        items = window.items
        model = items.model
        rate = next(k for k, c in enumerate(model.columns)
                    if c.system == model.systems[0] and c.role.value == "rate")
        start = time.perf_counter()
        items.table.sortByColumn(rate, Qt.SortOrder.DescendingOrder)
        combo = items.category_combo
        combo.setCurrentIndex(combo.findData("confusable"))
        items.select_first()
        settle(app)
        print(f"sorted and filtered {model.total:,} items in "
              f"{time.perf_counter() - start:.2f} s (with settling): {items.count_label.text()}")
        save(window, "item-list-large.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
