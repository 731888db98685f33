"""Light and dark themes; category colours as Qt colours from the one palette table."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from reviewer.core.categories import Category
from reviewer.core.palette import colour, readable_on

THEMES = ("light", "dark")


def current_theme() -> str:
    """``dark`` when the application's window colour is dark, else ``light``."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return "light"
    return "dark" if app.palette().color(QPalette.ColorRole.Window).lightness() < 128 else "light"


def swatch_colour(swatch: str, theme: str | None = None) -> QColor:
    """The Qt colour of a palette swatch in the given (or current) theme."""
    return QColor(colour(swatch, theme or current_theme()))


def category_colour(category: Category, theme: str | None = None) -> QColor:
    """Background colour of an edit of ``category``."""
    return swatch_colour(category.swatch, theme)


def text_colour(theme: str | None = None) -> QColor:
    """Text colour that reads on category backgrounds."""
    return QColor("#000000") if (theme or current_theme()) == "light" else QColor("#FFFFFF")


def chosen_style(theme: str | None = None) -> str:
    """Style sheet of a checkable button whose checked state must stand out (the chosen
    verdict): a filled, bold, outlined face from the palette's "chosen" swatch, with black
    or white text, whichever reads on it; unchecked, the button keeps the style's look."""
    fill = colour("chosen", theme or current_theme())
    text = readable_on(fill)
    return (f"QPushButton:checked {{ background-color: {fill}; color: {text}; "
            f"border: 2px solid {text}; border-radius: 4px; font-weight: bold; "
            "padding: 4px 8px; }")


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the whole application to ``theme`` (Fusion style, explicit palette)."""
    app.setStyle("Fusion")
    if theme == "dark":
        pal = QPalette()
        base, window, text = QColor("#1E1E1E"), QColor("#2B2B2B"), QColor("#E6E6E6")
        for role, value in (
            (QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
            (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, window),
            (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, window),
            (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.ToolTipBase, window),
            (QPalette.ColorRole.ToolTipText, text),
            (QPalette.ColorRole.Highlight, QColor("#3D6FA8")),
            (QPalette.ColorRole.HighlightedText, QColor("#FFFFFF")),
            (QPalette.ColorRole.PlaceholderText, QColor("#9A9A9A")),
            (QPalette.ColorRole.Link, QColor("#8AB4F8")),
        ):
            pal.setColor(role, value)
        dim = QColor("#7A7A7A")
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                     QPalette.ColorRole.ButtonText):
            pal.setColor(QPalette.ColorGroup.Disabled, role, dim)
        pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor("#262626"))
        app.setPalette(pal)
    else:
        app.setPalette(app.style().standardPalette())
    app.setProperty("reviewer_theme", theme)
