"""The ``kern`` kind in the window: engraved scores above the alignment of kern tokens."""

from __future__ import annotations

from reviewer.gui.kinds.kern.view import HELP, make_view
from reviewer.gui.kinds.kind_view import KindView

VIEW = KindView(make_view=make_view, shows_diff=True, help=HELP)
