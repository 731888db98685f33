"""What a kern token says, read from its characters: enough to name what an edit changed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.core.kern.tokens import token_kind

_PITCH = re.compile(r"([a-gA-G])\1*")
_DURATION = re.compile(r"\d+(?:%\d+)?\.*")
_ACCIDENTALS = frozenset("#-n")
_BEAMS = frozenset("LJKk")
_TIES = frozenset("[]_")
_SLURS = frozenset("(){}&")
# Articulations, ornaments, fermata, breath and bowing marks.
_ARTICULATIONS = frozenset("'`^~\";,vuozItTMmWwS$O:")


@dataclass(frozen=True, slots=True)
class DataToken:
    """The parts of a kern note, rest or chord token, each as comparable text."""

    rest: bool
    notes: int  # chord members (1 for a note or rest)
    pitches: tuple[str, ...]
    accidentals: tuple[str, ...]
    durations: tuple[str, ...]
    beams: str
    ties: str
    slurs: str
    articulations: str


def parse_data(text: str) -> DataToken:
    """Split a kern data token (a chord's members separated by spaces) into its parts."""
    subs = [s for s in text.split(" ") if s]
    pitches = tuple(m.group(0) for s in subs for m in [_PITCH.search(s)] if m)
    accidentals = tuple("".join(c for c in s if c in _ACCIDENTALS) for s in subs)
    durations = tuple(("q" if "q" in s or "Q" in s else "")
                      + "".join(m.group(0) for m in _DURATION.finditer(s)) for s in subs)
    marks = "".join(subs)
    return DataToken(
        rest=not pitches and "r" in marks, notes=len(subs), pitches=pitches,
        accidentals=accidentals, durations=durations,
        beams="".join(sorted(c for c in marks if c in _BEAMS)),
        ties="".join(sorted(c for c in marks if c in _TIES)),
        slurs="".join(sorted(c for c in marks if c in _SLURS)),
        articulations="".join(sorted(c for c in marks if c in _ARTICULATIONS)),
    )


def token_category(text: str) -> str:
    """The category of a token added or dropped as a whole."""
    kind = token_kind(text)
    if kind == "data":
        return "note_rest"
    if kind == "barline":
        return "barline"
    if kind in ("spine", "exclusive"):
        return "spine"
    if kind == "interpretation":
        if text.startswith("*clef"):
            return "clef"
        if _is_signature(text):
            return "signature"
    return "other"


def pair_category(ref: str, hyp: str) -> str:
    """The category of the edit that turns token ``ref`` into token ``hyp``."""
    ref_kind, hyp_kind = token_kind(ref), token_kind(hyp)
    if ref_kind != hyp_kind:
        return token_category(ref)
    if ref_kind != "data":
        return token_category(ref) if token_category(ref) != "other" else token_category(hyp)
    a, b = parse_data(ref), parse_data(hyp)
    if a.rest != b.rest or a.notes != b.notes:
        return "note_rest"
    for category, left, right in (
        ("pitch", a.pitches, b.pitches), ("accidental", a.accidentals, b.accidentals),
        ("duration", a.durations, b.durations), ("beam", a.beams, b.beams),
        ("tie", a.ties, b.ties), ("slur", a.slurs, b.slurs),
        ("articulation", a.articulations, b.articulations),
    ):
        if left != right:
            return category
    return "other"


def _is_signature(text: str) -> bool:
    return (text.startswith("*k[") or text.startswith("*met")
            or (text.startswith("*M") and text[2:3].isdigit()))
