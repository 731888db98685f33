"""The ``answer`` kind in the window: the question, the gold answers, the models' answers and
their raw outputs."""

from __future__ import annotations

from reviewer.gui.kinds.answer.gold_text import REFERENCE_TEXT
from reviewer.gui.kinds.answer.view import HELP, make_view
from reviewer.gui.kinds.kind_view import KindView

VIEW = KindView(make_view=make_view, shows_diff=False, help=HELP, reference_text=REFERENCE_TEXT)
