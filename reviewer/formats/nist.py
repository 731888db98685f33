"""NIST ``stm`` references and ``ctm`` hypotheses, as sclite scores them.

An stm line is ``FILE CHANNEL SPEAKER BEGIN END [<LABEL>] transcript``; each becomes an
item with id ``FILE_CHANNEL_BEGIN_END`` (times in centiseconds, seven digits), or just
``FILE`` when it is the file's only segment, and keeps speaker, file, channel, start and
end as metadata. A ctm line is ``FILE CHANNEL BEGIN
DURATION WORD [CONFIDENCE]``; its words go to the stm segment of the same file and
channel that holds their time midpoint, and their times are kept with the prediction.
A ctm whose file names are the reference's item ids (one utterance per audio file)
gives each file's words to that item.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.speech import audio_lookup, lines
from reviewer.formats.textio import missing_media_warning

IGNORE = "IGNORE_TIME_SEGMENT_IN_SCORING"
# A segment's id is FILE_CHANNEL_START_END (maybe _SPEAKER): the key FILE_CHANNEL, then times.
_SEGMENT_ID = re.compile(r"^(?P<key>.+)_(?P<start>\d{7})_(?P<end>\d{7})(?:_.+)?$")
_ALTERNATION = re.compile(r"\{([^{}]*)\}")
_OVERLAP_LOOKBACK = 8


@dataclass(frozen=True, slots=True)
class Segment:
    """One stm line."""

    line: int
    file: str
    channel: str
    speaker: str
    start: float
    end: float
    label: str | None
    text: str

    @property
    def id(self) -> str:
        return segment_id(self.file, self.channel, self.start, self.end)


def segment_id(file: str, channel: str, start: float, end: float) -> str:
    """The item id of an stm segment."""
    return f"{file}_{channel}_{round(start * 100):07d}_{round(end * 100):07d}"


def _seconds(path: Path, value: str, what: str, line: int) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise InputError(path, f"{what} {value!r} is not a number of seconds", line=line) from None
    if not (math.isfinite(seconds) and seconds >= 0):
        raise InputError(path, f"{what} {value!r} must be a finite, non-negative number",
                         line=line)
    return seconds


def _first_alternatives(text: str) -> tuple[str, int]:
    """sclite alternations ``{ a / b }`` reduced to their first choice (``@``: nothing)."""
    count = 0

    def first(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        choice = m.group(1).split("/")[0].strip()
        return "" if choice == "@" else choice

    reduced = _ALTERNATION.sub(first, text)
    return " ".join(reduced.split()), count


def parse_stm(path: Path) -> tuple[list[Segment], list[str]]:
    """The scored segments of an stm file (ignored regions left out), and warnings."""
    segments: list[Segment] = []
    alternations = 0
    for number, line in lines(path):
        if line.startswith(";;"):
            continue
        fields = line.split()
        if len(fields) < 5:
            raise InputError(path, "an stm line needs FILE CHANNEL SPEAKER BEGIN END and "
                             "then the transcript", line=number)
        file, channel, speaker = fields[:3]
        start = _seconds(path, fields[3], "begin time", number)
        end = _seconds(path, fields[4], "end time", number)
        if end < start:
            raise InputError(path, f"the segment ends ({end}) before it begins ({start})",
                             line=number)
        rest = fields[5:]
        label = None
        if rest and rest[0].startswith("<") and rest[0].endswith(">"):
            label, rest = rest[0], rest[1:]
        text = " ".join(rest)
        if text == IGNORE:
            continue
        text, found = _first_alternatives(text)
        alternations += found
        segments.append(Segment(number, file, channel, speaker, start, end, label, text))
    if not segments:
        raise InputError(path, "no segments in this stm file")
    warnings = []
    if alternations:
        warnings.append(f"{path}: {alternations} transcript alternations '{{ a / b }}' were "
                        "reduced to their first choice")
    return segments, warnings


def _unique(path: Path, segments: list[Segment]) -> list[tuple[str, Segment]]:
    """``(item id, segment)``: the file name for a file's only segment, else its times.

    Segments with equal times get the speaker appended.
    """
    per_file = Counter(seg.file for seg in segments)
    out: list[tuple[str, Segment]] = []
    seen: dict[str, int] = {}
    for seg in segments:
        item_id = seg.file if per_file[seg.file] == 1 else seg.id
        if item_id in seen:
            item_id = f"{item_id}_{seg.speaker}"
            if item_id in seen:
                raise InputError(path, f"the same segment twice (first on line "
                                 f"{seen[item_id]})", line=seg.line, record=item_id)
        seen[item_id] = seg.line
        out.append((item_id, seg))
    return out


@register("stm", priority=45, detect=lambda p: p.is_file() and p.suffix.lower() == ".stm",
          description="NIST segment time mark file (.stm): the references of sclite")
def read_stm(path: Path, options: ReadOptions) -> Loaded:
    """Read an stm file as references (or as predictions segmented the same way)."""
    segments, warnings = parse_stm(path)
    numbered = _unique(path, segments)
    if options.role == "prediction":
        system = options.system or path.stem
        return Loaded(predictions={system: {i: s.text for i, s in numbered}}, sources=[path],
                      warnings=warnings)
    find = audio_lookup(path, options.audio, warnings)
    items = []
    for item_id, seg in numbered:
        meta = [("speaker", seg.speaker), ("file", seg.file), ("channel", seg.channel),
                ("start", f"{seg.start:g}"), ("end", f"{seg.end:g}")]
        if seg.label:
            meta.append(("label", seg.label))
        items.append(Item(item_id, seg.text, find(seg.file), tuple(meta)))
    if (warning := missing_media_warning(path, [i.media for i in items if i.media])):
        warnings.append(warning)
    return Loaded(items=items, warnings=warnings, sources=[path])


@dataclass(frozen=True, slots=True)
class CtmWord:
    """One ctm line."""

    line: int
    file: str
    channel: str
    start: float
    end: float
    word: str


def parse_ctm(path: Path) -> list[CtmWord]:
    """Every word of a ctm file, in file order."""
    words: list[CtmWord] = []
    for number, line in lines(path):
        if line.startswith(";;"):
            continue
        fields = line.split()
        if len(fields) < 5:
            raise InputError(path, "a ctm line needs FILE CHANNEL BEGIN DURATION WORD",
                             line=number)
        start = _seconds(path, fields[2], "begin time", number)
        duration = _seconds(path, fields[3], "duration", number)
        words.append(CtmWord(number, fields[0], fields[1], start, start + duration, fields[4]))
    if not words:
        raise InputError(path, "no words in this ctm file")
    return words


class _Segments:
    """The reference's segments by ``FILE_CHANNEL`` key, found from their item ids.

    A word's own file and channel name its key, whatever ``_`` either holds; otherwise a
    file is taken as the key up to its last ``_`` (channels are mostly ``1``, ``A``...).
    """

    def __init__(self, ids: frozenset[str]) -> None:
        by_key: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
        for item_id in ids:
            match = _SEGMENT_ID.match(item_id)
            if match:
                by_key[match.group("key")].append((int(match.group("start")) / 100,
                                                   int(match.group("end")) / 100, item_id))
        self.by_key = {k: sorted(v) for k, v in by_key.items()}
        self.starts = {k: [s[0] for s in v] for k, v in self.by_key.items()}
        self.keys: dict[str, list[str]] = defaultdict(list)  # file -> its keys
        for key in self.by_key:
            file, sep, _ = key.rpartition("_")
            if sep:
                self.keys[file].append(key)

    def of_word(self, word: CtmWord) -> list[str]:
        """Every segment of the word's file (and of its file and channel)."""
        keys = {*self.keys.get(word.file, []), self._key(word)}
        return [i for k in keys if k in self.by_key for _, _, i in self.by_key[k]]

    def _key(self, word: CtmWord) -> str:
        key = f"{word.file}_{word.channel}"
        if key not in self.by_key and len(self.keys.get(word.file, [])) == 1:
            return self.keys[word.file][0]  # channel named differently
        return key

    def find(self, word: CtmWord) -> str | None:
        """The segment holding the word's time midpoint."""
        key = self._key(word)
        segs = self.by_key.get(key)
        if not segs:
            return None
        mid = (word.start + word.end) / 2
        k = bisect.bisect_right(self.starts[key], mid) - 1
        # Segments may overlap: look back over the few latest ones starting before it.
        for j in range(k, max(k - _OVERLAP_LOOKBACK, -1), -1):
            start, end, item_id = segs[j]
            if start <= mid <= end:
                return item_id
        return None


def _group(path: Path, words: list[CtmWord], known: frozenset[str]
           ) -> tuple[dict[str, list[CtmWord]], list[str]]:
    """Words grouped by item id, and warnings."""
    segments = _Segments(known)
    grouped: dict[str, list[CtmWord]] = {}
    outside: dict[str, int] = defaultdict(int)
    for word in words:
        if word.file in known:
            grouped.setdefault(word.file, []).append(word)
            continue
        item_id = segments.find(word)
        if item_id is None:
            outside[word.file] += 1
        else:
            grouped.setdefault(item_id, []).append(word)
    for word in {(w.file, w.channel): w for w in words}.values():
        for item_id in segments.of_word(word):
            grouped.setdefault(item_id, [])
    warnings = []
    if outside:
        total = sum(outside.values())
        files = ", ".join(sorted(outside)[:5])
        warnings.append(f"{path}: {total} words lie outside every reference segment and are "
                        f"not scored (files: {files})")
    return grouped, warnings


@register("ctm", priority=45, detect=lambda p: p.is_file() and p.suffix.lower() == ".ctm",
          description="NIST conversation time mark file (.ctm): timed recogniser words")
def read_ctm(path: Path, options: ReadOptions) -> Loaded:
    """Read a ctm file as one system's predictions, with each word's times."""
    if options.role != "prediction" or options.known_ids is None:
        raise InputError(path, "a ctm file holds a recogniser's timed words: give it as a "
                         "prediction (--pred NAME=FILE.ctm) next to an stm reference")
    words = parse_ctm(path)
    grouped, warnings = _group(path, words, options.known_ids)
    system = options.system or path.stem
    texts: dict[str, str] = {}
    meta: dict[str, dict[str, object]] = {}
    late: list[tuple[CtmWord, CtmWord]] = []  # (word, the earlier-written word it precedes)
    for item_id, group in grouped.items():
        late.extend(_out_of_order(group))
        group.sort(key=lambda w: (w.start, w.line))
        texts[item_id] = " ".join(w.word for w in group)
        meta[item_id] = {"words": [[w.word, round(w.start, 3), round(w.end, 3)] for w in group]}
    if late:
        word, before = min(late, key=lambda pair: pair[0].line)
        warnings.append(
            f"{path}:{word.line}: {len(late)} word{'s start' if len(late) > 1 else ' starts'} "
            f"before a word written above in the same item (first: {word.word!r} at "
            f"{word.start:g} s, after line {before.line} at {before.start:g} s); each item's "
            "words are scored in time order")
    return Loaded(predictions={system: texts}, prediction_meta={system: meta},
                  warnings=warnings, sources=[path])


def _out_of_order(group: list[CtmWord]) -> list[tuple[CtmWord, CtmWord]]:
    """Words of one item (in file order) starting before the latest-starting word above them."""
    found = []
    latest: CtmWord | None = None
    for word in group:
        if latest is not None and word.start < latest.start:
            found.append((word, latest))
        else:
            latest = word
    return found
