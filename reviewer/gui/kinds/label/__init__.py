"""The ``label`` kind in the window: the item, its classes, and the confusion matrix dock."""

from __future__ import annotations

from reviewer.gui.kinds.kind_view import KindView
from reviewer.gui.kinds.label.view import docks, make_view

VIEW = KindView(make_view=make_view, shows_diff=False,
                shows_media=False,  # the view shows the item's image itself
                docks=docks)
