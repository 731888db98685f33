"""musicdiff's OMR-NED categories (musicdiff 5.2), with a colour each for the engraving.

Ids are musicdiff's own category names (its CSV headers without " OMR-ED"), so a score
report's OMR-NED categories read exactly as musicdiff's batch output does. They contain
spaces, which tells them apart from the token categories of
:mod:`reviewer.core.categories.kern`.
"""

from __future__ import annotations

from reviewer.core.categories import Category

# (musicdiff name, swatch, definition), in musicdiff's column order.
_TABLE: tuple[tuple[str, str, str], ...] = (
    ("bad kern syntax", "pale_grey", "Syntax errors converter21 repaired in the prediction."),
    ("wrong note", "orange", "A note, rest or chord inserted or deleted (pitch or duration)."),
    ("wrong note head", "light_blue", "Note head type, shape, fill or parenthesis differs."),
    ("wrong flag/beam", "light_cyan", "Beams or flags differ."),
    ("wrong dot", "light_blue", "Augmentation dots differ."),
    ("wrong tuplet", "light_blue", "Tuplet brackets or numbers differ."),
    ("wrong accidental", "light_yellow", "An accidental added, dropped or changed."),
    ("wrong note stem", "pale_grey", "Stem direction differs."),
    ("wrong graceness", "orange", "Grace note type or slash differs."),
    ("wrong tie", "mint", "A tie added or dropped."),
    ("wrong articulation", "olive", "Staccato, accent, tenuto and other articulations."),
    ("wrong ornament", "olive", "Fermatas, trills, mordents, turns and other ornaments."),
    ("wrong lyric", "pale_grey", "Lyric syllables differ."),
    ("wrong clef", "light_yellow", "A clef added, dropped or changed."),
    ("wrong timesig", "light_cyan", "A time signature added, dropped or changed."),
    ("wrong keysig", "light_cyan", "A key signature added, dropped or changed."),
    ("wrong tempo", "pale_grey", "Tempo marks differ."),
    ("wrong barline", "pale_grey", "Barline types or repeats differ."),
    ("wrong direction", "pale_grey", "Text directions differ."),
    ("wrong dynamic", "pear", "Dynamics differ."),
    ("wrong crescendo", "pear", "Crescendo hairpins differ."),
    ("wrong diminuendo", "pear", "Diminuendo hairpins differ."),
    ("wrong slur", "pear", "A slur added, dropped or moved."),
    ("wrong ottava", "pale_grey", "Ottava lines differ."),
    ("wrong multi-staff arpeggio", "olive", "Arpeggios across staves differ."),
    ("wrong fingered tremolo", "olive", "Fingered tremolos differ."),
    ("wrong chord symbol", "pale_grey", "Chord symbols differ."),
    ("wrong ending", "pale_grey", "First/second endings differ."),
    ("wrong staff info", "pale_grey", "Staff details (lines, size) differ."),
    ("wrong system break", "pale_grey", "System breaks differ."),
    ("wrong page break", "pale_grey", "Page breaks differ."),
    ("wrong other object", "pale_grey", "Any other notation object differs."),
    ("entire measure insert/delete", "pink", "A whole measure inserted or deleted."),
    ("entire staff insert/delete", "pink", "A whole staff (part) inserted or deleted."),
    ("wrong metadata", "pale_grey", "Title, composer and other metadata differ."),
    ("wrong staff group", "pale_grey", "Staff groups differ."),
    ("wrong staff group name/abbrev", "pale_grey", "Staff group names differ."),
    ("wrong staff group brace", "pale_grey", "Staff group braces or brackets differ."),
    ("wrong staff group barline", "pale_grey", "Barlines through staff groups differ."),
    # Only with musicdiff's Voicing detail level:
    ("pitch insert/delete", "orange", "A chord member inserted or deleted."),
    ("wrong pitch", "pink", "A pitch name or accidental type differs."),
    ("voice insert/delete", "pink", "A whole voice inserted or deleted."),
)

OMR_CATEGORIES: tuple[Category, ...] = tuple(
    Category(name, name[0].upper() + name[1:], definition, swatch)
    for name, swatch, definition in _TABLE
)
_BY_ID = {c.id: c for c in OMR_CATEGORIES}
SYNTAX = "bad kern syntax"


def omr_category(name: str) -> Category:
    """The category of a musicdiff name (with or without its " OMR-ED" suffix)."""
    key = name.removesuffix(" OMR-ED")
    found = _BY_ID.get(key)
    if found is None:  # a name a later musicdiff adds: shown, in grey
        return Category(key, key[0].upper() + key[1:] if key else "?", "A musicdiff category.",
                        "pale_grey")
    return found
