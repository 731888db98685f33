"""Regenerate the screenshots of the import dialog refusing a table (offscreen).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_import_screenshots.py

``import-preview-error.png``: a table whose third row the import refuses (a repeated id);
``import-preview-kind.png``: an OCR table with the kind asr chosen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from shot_setup import isolate
from shot_setup import save as _save
from shot_setup import settle as _settle

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
LINES = [  # id, image, reference, prediction; line 4 of the file repeats the first id
    ("line_0001", "img/line_0001.png", "The Project Gutenberg eBook of",
     "The Proiect Gutenberg eBook of"),
    ("line_0002", "img/line_0002.png", "Alice's Adventures in Wonderland",
     "Alice's Adventures in Wonderlaud"),
    ("line_0001", "img/line_0003.png", "by Lewis Carroll", "by Lewis Carrol1"),
    ("line_0004", "img/line_0004.png", "CHAPTER I.", "CHAPTER I."),
    ("line_0005", "img/line_0005.png", "Down the Rabbit-Hole", "Down the Rabbit-Ho1e"),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp))
        from PySide6.QtWidgets import QApplication

        from reviewer.gui.import_dialog import ImportDialog
        from reviewer.gui.theme import apply_theme

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        apply_theme(app, "light")
        table = Path(tmp) / "ocr-lines.csv"
        rows = ["id,image,gt,pred_tesseract"] + [",".join(f'"{c}"' for c in row) for row in LINES]
        table.write_text("\n".join(rows) + "\n", encoding="utf-8")

        dialog = ImportDialog()
        dialog.set_reference(table)
        dialog.resize(920, 640)
        dialog.show()
        _settle(app)
        _save(dialog, "import-preview-error.png")

        fixed = Path(tmp) / "ocr.csv"
        fixed.write_text(table.read_text(encoding="utf-8").replace(
            '"line_0001","img/line_0003.png"', '"line_0003","img/line_0003.png"'),
            encoding="utf-8")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("asr"))
        dialog.set_reference(fixed)
        _settle(app)
        _save(dialog, "import-preview-kind.png")
        dialog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
