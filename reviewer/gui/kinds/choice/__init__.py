"""The ``choice`` kind in the window: the question, its options and the systems' answers."""

from __future__ import annotations

from reviewer.gui.kinds.choice.view import HELP, make_view
from reviewer.gui.kinds.kind_view import KindView

VIEW = KindView(make_view=make_view, shows_diff=False,
                # The window's "next unreviewed" key N names "no correct answer" here.
                shortcut_overrides={"next_unreviewed": ("Shift+N",)},
                help=HELP)
