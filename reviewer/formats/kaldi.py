"""Kaldi data: a ``text`` file (``UTTERANCE-ID word word ...`` per line) or its folder.

Beside a reference ``text`` file (or given with ``--audio``), ``wav.scp`` gives each
utterance's audio; with a ``segments`` file (``UTT RECORDING BEGIN END``) the audio is
the recording's and the item keeps start and end. ``utt2spk`` names the speakers;
without it the part of the id before the first hyphen is taken, Kaldi's usual prefix.
A prediction is a ``text`` file of the same form (any name).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.speech import (
    audio_lookup,
    derived_speakers,
    head_lines,
    lines,
    read_utt2spk,
)
from reviewer.formats.textio import missing_media_warning

_SIBLINGS = ("wav.scp", "utt2spk", "segments", "spk2utt")
_DIGIT = re.compile(r"\d")
_TRN_END = re.compile(r"\([^()\s]*\)\s*$")


def parse_text(path: Path) -> list[tuple[str, str]]:
    """``(utterance id, text)`` of every line, ids checked unique."""
    out: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, line in lines(path):
        utt, *rest = line.split(maxsplit=1)  # the id ends at a space or a tab
        text = rest[0] if rest else ""
        if utt in seen:
            raise InputError(path, f"duplicate utterance id (first on line {seen[utt]})",
                             line=number, record=utt)
        seen[utt] = number
        out.append((utt, " ".join(text.split())))
    if not out:
        raise InputError(path, "no utterances in this Kaldi text file")
    return out


def _text_file(path: Path) -> Path:
    if path.is_dir():
        text = path / "text"
        if not text.is_file():
            raise InputError(path, "a Kaldi data folder needs a 'text' file")
        return text
    return path


def _looks_like_text(path: Path) -> bool:
    if path.name in _SIBLINGS or path.suffix.lower() not in ("", ".txt", ".text"):
        return False
    head = head_lines(path)
    # Utterance ids carry numbers; a line ending in '(id)' is trn, not Kaldi.
    return head is not None and all(
        _DIGIT.search(ln.split()[0]) and not _TRN_END.search(ln) for ln in head)


def _detect(path: Path) -> bool:
    if path.is_dir():
        return (path / "text").is_file() and any((path / s).is_file() for s in _SIBLINGS)
    return _looks_like_text(path)


def _read_segments(path: Path) -> dict[str, tuple[str, str, str]]:
    """``utterance -> (recording, begin, end)`` of a Kaldi ``segments`` file."""
    table: dict[str, tuple[str, str, str]] = {}
    for number, line in lines(path):
        fields = line.split()
        if len(fields) != 4:
            raise InputError(path, "a segments line needs UTTERANCE RECORDING BEGIN END",
                             line=number)
        try:
            times = float(fields[2]), float(fields[3])
        except ValueError:
            times = (math.nan, math.nan)
        if not all(math.isfinite(t) and t >= 0 for t in times) or times[1] < times[0]:
            raise InputError(path, "begin and end must be seconds, the end not before the "
                             "begin", line=number, record=fields[0])
        table[fields[0]] = (fields[1], fields[2], fields[3])
    return table


@register("kaldi", priority=20, detect=_detect,
          description="Kaldi 'text' file (UTTERANCE-ID words...) or data folder, with wav.scp")
def read_kaldi(path: Path, options: ReadOptions) -> Loaded:
    """Read Kaldi text as references (with audio and speakers) or as predictions."""
    text_file = _text_file(path)
    utterances = parse_text(text_file)
    if options.role == "prediction":
        system = options.system or path.name
        return Loaded(predictions={system: dict(utterances)}, sources=[text_file])
    folder = text_file.parent
    warnings: list[str] = []
    find = audio_lookup(text_file, options.audio, warnings)
    speakers = read_utt2spk(folder / "utt2spk") if (folder / "utt2spk").is_file() else {}
    segments = _read_segments(folder / "segments") if (folder / "segments").is_file() else {}
    derived = derived_speakers([utt for utt, _ in utterances]) if not speakers else {}
    items = []
    for utt, text in utterances:
        meta: list[tuple[str, str]] = []
        speaker = speakers.get(utt) or derived.get(utt)
        if speaker:
            meta.append(("speaker", speaker))
        media = find(utt)
        if utt in segments:
            recording, start, end = segments[utt]
            media = find(recording)
            meta += [("file", recording), ("start", start), ("end", end)]
        items.append(Item(utt, text, media, tuple(meta)))
    if (warning := missing_media_warning(text_file, [i.media for i in items if i.media])):
        warnings.append(warning)
    return Loaded(items=items, warnings=warnings, sources=[text_file])
