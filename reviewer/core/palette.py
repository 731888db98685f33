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
    )
}


def colour(name: str, theme: str = "light") -> str:
    """The ``#RRGGBB`` colour of swatch ``name`` in ``theme`` (``light`` or ``dark``)."""
    swatch = PALETTE[name]
    return swatch.dark if theme == "dark" else swatch.light
