"""The words around a suspect span, and what each system wrote there, for explanations.

A suspect change is found on characters (text), kern tokens or words (asr); a reviewer
reads words. :func:`word_span` widens a span of the reference to whole whitespace-separated
words, :func:`hyp_span` finds the stretch of a system's prediction aligned to it (through the
system's stored edits) and widens it the same way, and :func:`readings` groups the systems
by what they wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

EditSpans = tuple[int, int, int, int]  # (reference start, end, prediction start, end)
Reading = tuple[str, tuple[str, ...]]  # what some systems write at a span, and who


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` widened to the whitespace-separated words it touches."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def hyp_span(edits: Sequence[EditSpans], hyp: str, start: int, end: int) -> tuple[int, int]:
    """The words of ``hyp`` aligned to the reference stretch ``start:end``.

    ``edits`` are the system's edits in reference order; text outside them is equal on
    both sides, so an offset past an edit moves by that edit's change in length. An edit
    reaching into the stretch, or inserting at one of its ends, is wholly inside it.
    """
    first = _hyp_offset(edits, start, False, len(hyp))
    return word_span(hyp, first, max(first, _hyp_offset(edits, end, True, len(hyp))))


def _hyp_offset(edits: Sequence[EditSpans], pos: int, end: bool, length: int) -> int:
    shift = 0
    for rs, re_, hs, he in edits:
        if rs == re_ == pos:  # an insertion at the boundary belongs to the stretch
            return he if end else hs
        if re_ <= pos:
            shift = he - re_
        elif rs < pos:  # the boundary falls inside this edit
            return he if end else hs
        else:
            break
    return max(0, min(pos + shift, length))


def readings(written: Mapping[str, str], order: Iterable[str]) -> tuple[Reading, ...]:
    """The systems grouped by what they ``written`` (system -> words): the most common
    reading first, ties in the order of ``order``'s first system writing each."""
    groups: dict[str, list[str]] = {}
    for system in order:
        if system in written:
            groups.setdefault(written[system], []).append(system)
    ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))  # stable: first seen first
    return tuple((text, tuple(who)) for text, who in ranked)


def quoted(words: str) -> str:
    """``'words'``, or ``nothing`` for an empty reading (a deletion)."""
    return repr(words) if words else "nothing"
