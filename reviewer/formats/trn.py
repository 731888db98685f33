"""sclite ``trn`` transcripts: one utterance per line, its text followed by ``(utterance-id)``.

Lines starting with ``;;`` are comments. In sclite's ``SPEAKER-UTTERANCE`` id style the
part before the first hyphen is the speaker, kept as the item's ``speaker`` when some
speaker has more than one utterance. An item's audio is found through ``--audio`` (a
Kaldi ``wav.scp`` or a folder of ``ID.wav`` files).
"""

from __future__ import annotations

import re
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.speech import audio_lookup, derived_speakers, head_lines, lines
from reviewer.formats.textio import missing_media_warning

_LINE = re.compile(r"^(?P<text>.*?)\s*\((?P<id>[^()\s]*)\)\s*$")
_SNIFFED_SUFFIXES = ("", ".txt", ".ref", ".hyp")


def parse_trn(path: Path) -> list[tuple[int, str, str]]:
    """``(line number, utterance id, text)`` of every utterance, ids checked unique."""
    out: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    for number, line in lines(path):
        if line.startswith(";;"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise InputError(path, "a trn line must end with the utterance id in parentheses, "
                             "as in 'the text (utt-001)'", line=number)
        utt = match.group("id")
        if not utt:
            raise InputError(path, "empty utterance id '()'", line=number)
        if utt in seen:
            raise InputError(path, f"duplicate utterance id (first on line {seen[utt]})",
                             line=number, record=utt)
        seen[utt] = number
        out.append((number, utt, match.group("text").strip()))
    if not out:
        raise InputError(path, "no utterances in this trn file")
    return out


def _detect(path: Path) -> bool:
    if path.suffix.lower() == ".trn":
        return path.is_file()
    if path.suffix.lower() not in _SNIFFED_SUFFIXES:
        return False
    head = head_lines(path)
    return head is not None and all(_LINE.match(ln) and not ln.rstrip().endswith("()")
                                    for ln in head)


@register("trn", priority=45, detect=_detect,
          description="sclite transcript (.trn): 'text (utterance-id)' per line")
def read_trn(path: Path, options: ReadOptions) -> Loaded:
    """Read a trn file as references or as one system's predictions."""
    utterances = parse_trn(path)
    if options.role == "prediction":
        system = options.system or path.stem
        return Loaded(predictions={system: {utt: text for _, utt, text in utterances}},
                      sources=[path])
    warnings: list[str] = []
    find = audio_lookup(path, options.audio, warnings)
    speakers = derived_speakers([utt for _, utt, _ in utterances])
    items = [Item(utt, text, find(utt),
                  (("speaker", speakers[utt]),) if utt in speakers else ())
             for _, utt, text in utterances]
    if options.audio is not None and not any(item.media for item in items):
        warnings.append(f"{options.audio}: no audio found for any utterance id of {path}")
    if (warning := missing_media_warning(path, [i.media for i in items if i.media])):
        warnings.append(warning)
    return Loaded(items=items, warnings=warnings, sources=[path])
