"""The items of the HTML report: each item's facts (:mod:`reviewer.core.item_facts`, what
``reviewer show`` prints) as the JSON record the page's script draws.

A record holds only what the facts say, so the report and the terminal cannot disagree.
Paths are written relative to the report (:mod:`reviewer.core.relative_paths`); an item's
image travels inside the page as a thumbnail (:mod:`reviewer.formats.thumbnails`), up to
:data:`~reviewer.core.limits.REPORT_IMAGE_BUDGET` bytes of them per report.

Record keys: ``id``; ``v`` verdict, ``et`` error type, ``st`` status, ``c`` 1 when judged
against a corrected reference; ``m`` media path, ``i`` ``[data URI, width, height]`` of
its thumbnail, ``mi`` why there is none; ``f`` fields ``[label, spans]``; ``k`` the
category indices the item shows; ``s`` per system, in the order of the page's systems,
``{h: summary spans, a: 1 if aligned, d: diff segments, f: fields, c: [[category index,
errors]]}``. A span is a string (plain) or ``[text, category index or null, tag]``; a diff
segment a string (equal on both sides), ``[ref, hyp, category index]`` (an edit, -1: a
category the catalogue lacks) or ``[ref, hyp, null]`` (equal stretches that read
differently).
"""

from __future__ import annotations

from typing import Any

from reviewer.core.categories import Category
from reviewer.core.errors import InputError
from reviewer.core.item_facts import Field, ItemFacts, Spans, SystemFacts
from reviewer.core.items import Edit
from reviewer.core.limits import MIB, REPORT_IMAGE_BUDGET
from reviewer.core.relative_paths import RelativePaths
from reviewer.formats.thumbnails import has_thumbnail, thumbnail


class ReportItems:
    """Turns item facts into report records, spending the image budget as it goes."""

    def __init__(self, categories: tuple[Category, ...], paths: RelativePaths, *,
                 images: bool = True, budget: int = REPORT_IMAGE_BUDGET) -> None:
        self._index = {c.id: k for k, c in enumerate(categories)}
        self._paths = paths
        self._images = images
        self._budget = budget
        self.images_left_out = 0  # images not embedded because the budget was spent

    def record(self, facts: ItemFacts) -> dict[str, Any]:
        """The JSON-ready record of one item."""
        seen: set[int] = set()
        record: dict[str, Any] = {
            "id": facts.id, "v": facts.verdict, "et": facts.error_type, "st": facts.status,
            "c": int(facts.corrected), "m": self._paths(facts.media),
            "f": [self._field(f, seen) for f in facts.fields],
            "s": [self._system(s, seen) for s in facts.systems]}
        if self._images and facts.media and has_thumbnail(facts.media):
            record.update(self._image(facts.media))
        record["k"] = sorted(seen)
        return record

    def _image(self, media: str) -> dict[str, Any]:
        if self._budget <= 0:
            self.images_left_out += 1
            return {"mi": f"image not embedded: the report's {REPORT_IMAGE_BUDGET // MIB} MB of "
                          "images are spent"}
        try:
            thumb = thumbnail(media)
        except InputError as exc:
            return {"mi": f"no image: {exc.message}"}
        self._budget -= len(thumb.uri)
        return {"i": [thumb.uri, thumb.width, thumb.height]}

    def _system(self, system: SystemFacts, seen: set[int]) -> dict[str, Any]:
        counts = []
        for category, errors in system.categories:
            k = self._category(category, seen)
            counts.append([k, errors])
        return {"h": self._spans(system.summary, seen),
                "a": int(system.aligned), "d": [self._segment(e, seen) for e in system.diff],
                "f": [self._field(f, seen) for f in system.fields], "c": counts}

    def _field(self, field: Field, seen: set[int]) -> list[Any]:
        return [field.label, self._spans(field.spans, seen)]

    def _spans(self, spans: Spans, seen: set[int]) -> list[Any]:
        out: list[Any] = []
        for span in spans:
            if span.category is None and not span.tag:
                out.append(span.text)
            else:
                k = None if span.category is None else self._category(span.category, seen)
                out.append([span.text, k, span.tag])
        return out

    def _segment(self, edit: Edit, seen: set[int]) -> Any:
        if edit.op == "equal":
            return edit.ref_text if edit.ref_text == edit.hyp_text else \
                [edit.ref_text, edit.hyp_text, None]
        return [edit.ref_text, edit.hyp_text, self._category(edit.category, seen)]

    def _category(self, category: str, seen: set[int]) -> int:
        k = self._index.get(category, -1)
        seen.add(k)
        return k
