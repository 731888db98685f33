"""The ``gec`` kind in the window: the source sentence with the gold and system edits."""

from __future__ import annotations

from reviewer.gui.kinds.gec.view import HELP, REFERENCE_TEXT, make_view
from reviewer.gui.kinds.kind_view import KindView

VIEW = KindView(make_view=make_view, shows_diff=False, help=HELP, reference_text=REFERENCE_TEXT)
