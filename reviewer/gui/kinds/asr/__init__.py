"""The ``asr`` kind in the window: the audio player and timed words above the alignment."""

from __future__ import annotations

from reviewer.gui.kinds.asr.view import HELP, make_view
from reviewer.gui.kinds.kind_view import KindView

VIEW = KindView(make_view=make_view, shows_diff=True,
                shows_media=False,  # the view shows the item's audio itself
                help=HELP)
