"""Where a musicdiff edit is in the kern text: the line and field of the notes it touches.

converter21 keeps, on each kern data token, the music21 note, chord or rest it made; the
token knows its line and field. musicdiff's annotated objects name their music21 objects
by id. Notes map directly; clefs, signatures and barlines are found next to the notes of
their measure in the same spine; spanners (slurs, hairpins) by the notes they span; a
measure, voice or part by all its notes. Metadata and staff groups have no place in the
kern body and stay unmapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Location = tuple[int, int]  # (1-based line, 1-based field)
MAX_LOCATIONS = 400  # a whole part is shown by its first notes only


class Locator:
    """Maps musicdiff's annotated objects of one score to kern locations."""

    def __init__(self, score: Any, humdrum_file: Any | None) -> None:
        import music21 as m21

        self._m21 = m21
        self.tokens: dict[Any, Any] = {}  # music21 object id -> converter21 token
        self.lines: list[Any] = []
        if humdrum_file is not None:
            self.lines = list(humdrum_file.lines())
            for line in self.lines:
                for token in line.tokens():
                    obj = token.getValueM21Object("music21", "generalNote")
                    if obj is not None:
                        self.tokens[obj.id] = token
        self.objects: dict[Any, Any] = {}
        for obj in score.recurse(includeSelf=True):
            self.objects.setdefault(obj.id, obj)
        for spanner in score.spannerBundle:
            self.objects.setdefault(spanner.id, spanner)

    def locate(self, annotated: Any) -> list[Location]:
        """Kern locations of a musicdiff annotated object (``[]`` when it has none)."""
        if annotated is None or not self.lines:
            return []
        for attribute in ("general_note", "lyric_holder"):
            if hasattr(annotated, attribute):
                return self._of_ids([getattr(annotated, attribute)])
        if hasattr(annotated, "extra"):
            return self._extra(self.objects.get(annotated.extra))
        for attribute in ("measure", "voice", "part"):
            if hasattr(annotated, attribute):
                return self._notes_of(self.objects.get(getattr(annotated, attribute)))
        return []

    # -- helpers -------------------------------------------------------------------------
    def _of_ids(self, ids: list[Any]) -> list[Location]:
        out: list[Location] = []
        for key in ids:
            token = self.tokens.get(key)
            if token is not None:
                loc = (token.lineIndex + 1, token.fieldIndex + 1)
                if loc not in out:
                    out.append(loc)
        return out

    def _notes_of(self, stream: Any) -> list[Location]:
        if stream is None or not hasattr(stream, "recurse"):
            return []
        notes = [n.id for n in stream.recurse().notesAndRests][:MAX_LOCATIONS]
        return self._of_ids(notes)

    def _note_tokens(self, obj: Any) -> list[Any]:
        """The tokens of the notes in ``obj``'s measure of its part, in order."""
        measure = obj.getContextByClass(self._m21.stream.Measure)
        if measure is None:
            return []
        found = [self.tokens[n.id] for n in measure.recurse().notesAndRests if n.id in self.tokens]
        return sorted(found, key=lambda t: (t.lineIndex, t.fieldIndex))

    def _extra(self, obj: Any) -> list[Location]:
        if obj is None:
            return []
        m21 = self._m21
        if isinstance(obj, m21.spanner.Spanner):
            spanned = obj.getSpannedElements()
            ends = [spanned[0], spanned[-1]] if spanned else []
            return self._of_ids([e.id for e in ends])
        tokens = self._note_tokens(obj)
        if not tokens:
            return []
        if isinstance(obj, m21.clef.Clef):
            return self._search(tokens[0], -1, lambda t: t.isClef)
        if isinstance(obj, m21.key.KeySignature):
            return self._search(tokens[0], -1, lambda t: t.isKeySignature)
        if isinstance(obj, m21.meter.TimeSignature):
            return self._search(tokens[0], -1, lambda t: t.isTimeSignature)
        if isinstance(obj, m21.bar.Barline):
            return self._search(tokens[-1], 1, lambda t: t.isBarline)
        offset = obj.offset
        near = [t for t in tokens
                if (n := t.getValueM21Object("music21", "generalNote")) is not None
                and n.offset == offset]
        token = (near or tokens)[0]
        return [(token.lineIndex + 1, token.fieldIndex + 1)]

    def _search(self, start: Any, step: int, wanted: Callable[[Any], bool]) -> list[Location]:
        """The nearest token of ``start``'s track before (-1) or after (+1) it that is wanted.

        The search stops at the track's previous (or next) note: the interpretation found
        must belong to this measure's notes.
        """
        track = start.track
        index = start.lineIndex + step
        while 0 <= index < len(self.lines):
            for token in self.lines[index].tokens():
                if token.track != track:
                    continue
                if wanted(token):
                    return [(token.lineIndex + 1, token.fieldIndex + 1)]
                if token.isData and not token.isNull:
                    return []
            index += step
        return []
