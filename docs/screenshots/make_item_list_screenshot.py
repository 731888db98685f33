"""The review window on a large project: the item list sorted by a system's rate, worst
first, with a category filter on, both done in SQL (docs/screenshots/item-list-large.png);
then, once the background ranking (a part at a time) has kept every item's suspicion, the
"Likely label errors first" queue with the top item's reason and marks
(docs/screenshots/item-list-large-suspicion.png).

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
        from reviewer.gui.suspicion import tracker

        ranking = tracker(window.session)
        start = time.perf_counter()
        while ranking.suspects is None:  # ranked in a child process, minutes at 1M items
            app.processEvents()
            time.sleep(0.1)
        print(f"ranked in {time.perf_counter() - start:.0f} s")
        combo.setCurrentIndex(0)  # every category
        items.set_queue(True)
        settle(app, 2.0)
        top = items.current_id()
        print(f"top of the queue: {top} ({ranking.note(top) if top else ''})")
        if top is not None:
            table = items.table
            column = model.suspicion_column()
            table.setCurrentIndex(table.model().index(0, column))
            settle(app)
        save(window, "item-list-large-suspicion.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
