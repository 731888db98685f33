"""The one way text from a project or a benchmark reaches a Qt rich-text surface.

Qt reads a tooltip, a message box, a status tip or a QLabel in its default format as rich
text whenever ``Qt.mightBeRichText`` guesses so, and rich text loads what an ``<img>`` names
(a class called ``<img src=/dev/zero>`` exhausted the memory). So every string that holds
item ids, references, predictions, class, system or annotator names, notes, tags or file
names goes through :func:`escape` when reviewer's own markup surrounds it, and through
:func:`literal` when it is shown alone on a surface that guesses. Labels that never carry
markup are set to ``Qt.PlainText`` instead.
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt

# Whitespace kept as written (several spaces, line breaks), long lines still wrapped.
_LITERAL = "<p style='white-space:pre-wrap'>{}</p>"


def escape(text: object) -> str:
    """``text`` as rich text that Qt shows character for character (``<``, ``&``, quotes)."""
    return html.escape(str(text), quote=True)


def literal(text: object) -> str:
    """``text`` for a surface that guesses rich text (tooltips, message boxes, AutoText labels).

    Text Qt would show as it is comes back unchanged; text it would read as markup (any
    ``<tag`` or ``&lt;`` on its first line) comes back escaped in a paragraph that keeps its
    spaces and line breaks, so that Qt shows exactly ``text`` either way.
    """
    text = str(text)
    if not Qt.mightBeRichText(text):
        return text
    return _LITERAL.format(escape(text))
