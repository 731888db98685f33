"""What the speech formats share: audio look-up (Kaldi ``wav.scp`` or a folder) and speakers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.registry import Loaded, ReadOptions, register_kind_table
from reviewer.formats.tableparse import Table
from reviewer.formats.textio import absolute_media, decode_utf8, read_bytes, text_lines

AUDIO_SUFFIXES: tuple[str, ...] = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".sph")
SPEAKER = "speaker"
# Table columns that name an utterance's speaker (Common Voice calls it client_id).
SPEAKER_COLUMNS: tuple[str, ...] = ("speaker", "speaker_id", "spk", "spk_id", "client_id")

AudioLookup = Callable[[str], str | None]

# What a folder given to an asr import must hold (said when a folder holds none of it).
ASR_FOLDER_RULE = (
    "an asr folder is a Kaldi data folder (a file named 'text', UTTERANCE-ID words..., with "
    "wav.scp, utt2spk or segments beside it), a folder of Rev NLP files (STEM.nlp, one per "
    "call) or a folder of NAME.gt.txt transcripts; trn, stm, ctm, Kaldi text and table "
    "files are given as files, not folders"
)


def lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each non-blank line of a UTF-8 file."""
    text = decode_utf8(read_bytes(path), path)
    for number, line in enumerate(text_lines(text), start=1):
        if line.strip():
            yield number, line


def read_wav_scp(path: Path) -> tuple[dict[str, str], list[str]]:
    """``key -> absolute audio path`` of a Kaldi ``wav.scp``, and warnings.

    Relative paths are taken from the file's folder. Piped commands (``... |``) cannot
    be played and are left out with a warning.
    """
    table: dict[str, str] = {}
    piped: list[str] = []
    for number, line in lines(path):
        key, *after = line.split(maxsplit=1)  # the key ends at a space or a tab
        rest = after[0].strip() if after else ""
        if not rest:
            raise InputError(path, "a wav.scp line needs an id and an audio path", line=number,
                             record=key)
        if key in table:
            raise InputError(path, "duplicate id", line=number, record=key)
        if rest.endswith("|"):
            piped.append(key)
            continue
        table[key] = absolute_media(path.parent, rest)
    warnings = []
    if piped:
        warnings.append(f"{path}: {len(piped)} entries are commands (ending in '|'), not audio "
                        f"files; those items have no audio (first: {piped[0]!r})")
    return table, warnings


def audio_lookup(source: Path, audio: Path | None,
                 warnings: list[str]) -> AudioLookup:
    """Where the audio of a key (utterance or recording id) is.

    ``audio`` is a ``wav.scp`` or a folder of ``KEY.wav`` (or .flac, ...) files; without
    it, a ``wav.scp`` beside ``source`` is used if there is one, else audio files named by
    key beside ``source``.
    """
    if audio is None and (source.parent / "wav.scp").is_file() and source.name != "wav.scp":
        audio = source.parent / "wav.scp"
    if audio is not None and not audio.exists():
        raise InputError(audio, "no such audio list or folder (from --audio)")
    if audio is not None and audio.is_file():
        table, more = read_wav_scp(audio)
        warnings.extend(more)
        return table.get
    folder = audio if audio is not None else source.parent

    def find(key: str) -> str | None:
        for suffix in AUDIO_SUFFIXES:
            candidate = folder / (key + suffix)
            # os.path.isfile, unlike Path.is_file, is False for a name too long or holding NUL.
            if os.path.isfile(candidate):
                return Path(os.path.abspath(candidate)).as_posix()
        return None

    return find


def speaker_from_id(utterance_id: str) -> str | None:
    """The speaker of an sclite-style id ``SPEAKER-UTTERANCE`` (the part before the first -)."""
    speaker, dash, rest = utterance_id.partition("-")
    return speaker if dash and speaker and rest else None


def derived_speakers(ids: list[str]) -> dict[str, str]:
    """Speakers from ``SPEAKER-UTTERANCE`` ids, kept only if some speaker has two utterances.

    Ids such as ``0-0``, ``1-0``, ... name no speakers, only utterances.
    """
    found = {i: s for i in ids if (s := speaker_from_id(i)) is not None}
    return found if len(set(found.values())) < len(found) else {}


def read_utt2spk(path: Path) -> dict[str, str]:
    """``utterance -> speaker`` of a Kaldi ``utt2spk`` file."""
    table: dict[str, str] = {}
    for number, line in lines(path):
        fields = line.split()
        if len(fields) != 2:
            raise InputError(path, "a utt2spk line needs an utterance id and a speaker id",
                             line=number)
        table[fields[0]] = fields[1]
    return table


def with_speaker_meta(items: list[Item]) -> list[Item]:
    """Items whose speaker column (``speaker_id``, ``spk``, ...) is renamed ``speaker``."""
    out = []
    for item in items:
        keys = [k for k, _ in item.meta]
        found = next((k for k in keys if k.lower() in SPEAKER_COLUMNS), None)
        if SPEAKER in keys or found is None:
            out.append(item)
            continue
        meta = tuple((SPEAKER if k == found else k, v) for k, v in item.meta)
        out.append(replace(item, meta=meta))
    return out


def head_lines(path: Path, count: int = 5, limit: int = 65536) -> list[str] | None:
    """Up to ``count`` non-blank lines from the start of a small UTF-8 text file, else None.

    Comment lines (``;;``, as NIST files write them) are skipped. Used by detectors, which
    must not read whole files.
    """
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit)
    except OSError:
        return None
    if b"\x00" in data:
        return None
    text = data.decode("utf-8", errors="ignore")
    found = [ln for ln in text_lines(text)[:-1 if len(data) == limit else None]
             if ln.strip() and not ln.startswith(";;")]
    return found[:count] or None


# Audio column names other tools write, tried when no column is named as the table reader
# expects (image, media, path, audio).
AUDIO_COLUMNS: tuple[str, ...] = ("audio_filepath", "audio_path", "audio_file", "wav",
                                  "wav_path", "file", "filename")


@register_kind_table("asr")
def build_table(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """An asr table: the generic reading, an audio column found by more names, speakers named.

    (The table reader hands asr tables here; this reads them generically with kind text.)
    """
    from reviewer.formats.column_lookup import first_free_column
    from reviewer.formats.columns import MEDIA_NAMES
    from reviewer.formats.table import build

    header = table.header
    media_col = options.media_col
    if media_col is None and not any(h.lower() in MEDIA_NAMES for h in header):
        found = first_free_column(header, AUDIO_COLUMNS)
        media_col = None if found is None else header[found]
    loaded = build(path, table, replace(options, kind="text", media_col=media_col))
    loaded.items = with_speaker_meta(loaded.items)
    return loaded
