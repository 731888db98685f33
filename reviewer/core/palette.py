"""The one palette table. Every colour reviewer draws comes from here.

The light-theme colours are Paul Tol's "light" qualitative scheme, made to stay
distinguishable for colour-blind readers and to carry black text; the dark-theme
colours keep each hue at a lower lightness so that light text stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Swatch:
    """One named colour, as a background in the light and in the dark theme (``#RRGGBB``)."""

    name: str
    light: str
    dark: str


PALETTE: dict[str, Swatch] = {
    s.name: s
    for s in (
        Swatch("orange", "#EE8866", "#773722"),
        Swatch("pink", "#FFAABB", "#772233"),
        Swatch("mint", "#44BB99", "#29705C"),
        Swatch("light_blue", "#77AADD", "#224C77"),
        Swatch("light_cyan", "#99DDFF", "#225B77"),
        Swatch("light_yellow", "#EEDD88", "#776922"),
        Swatch("pear", "#BBCC33", "#4F6B1A"),
        Swatch("olive", "#AAAA00", "#7A7A0A"),
        Swatch("pale_grey", "#DDDDDD", "#4C4C4C"),
        # Not a category colour: marks spans that several systems agree against.
        Swatch("suspect", "#AA3377", "#CC6699"),
        # Not a category colour: the fill of the chosen verdict button (its text is black
        # or white, whichever contrasts more; both pass 4.5:1 and stand out from a button).
        Swatch("chosen", "#1F5AA6", "#9EC5FF"),
    )
}


def colour(name: str, theme: str = "light") -> str:
    """The ``#RRGGBB`` colour of swatch ``name`` in ``theme`` (``light`` or ``dark``)."""
    swatch = PALETTE[name]
    return swatch.dark if theme == "dark" else swatch.light


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB`` (0 black … 1 white)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[k:k + 2], 16) / 255 for k in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 … 21; text wants 4.5 or more)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    black, white = "#000000", "#FFFFFF"
    on_black, on_white = contrast_ratio(background, black), contrast_ratio(background, white)
    return black if on_black >= on_white else white
