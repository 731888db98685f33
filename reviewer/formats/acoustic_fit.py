"""Force-aligning texts to an item's audio with PocketSphinx (the optional ``acoustic`` extra).

:class:`AudioAligner` reads each item's WAV file once (mono; other rates than 16 kHz are
resampled), aligns a text to it with PocketSphinx's US English acoustic model and
pronouncing dictionary, and keeps each result, so the reference aligned for several
systems' readings is aligned once. The score is the state alignment's: every frame's
acoustic score relative to the best the model gives that frame, so scores of different
texts on the same audio compare. A text with a word the dictionary lacks, one the state
alignment finds no path through, and audio that is not a WAV file give no fit (None): the
ranking then goes without acoustic evidence there.
"""

from __future__ import annotations

import importlib.util
import wave
from collections.abc import Mapping
from math import gcd
from pathlib import Path
from typing import Any

import numpy as np

from reviewer.core.acoustic_evidence import AlignedFit, words_said
from reviewer.core.errors import InputError

RATE = 16_000  # what the acoustic model was trained on
EXTRA = "acoustic"
_NOT_WORDS = {"<s>", "</s>", "<sil>"}


def available() -> bool:
    """Whether PocketSphinx (the ``acoustic`` extra) is installed."""
    return importlib.util.find_spec("pocketsphinx") is not None


def read_audio(path: Path) -> bytes:
    """The 16-bit mono 16 kHz samples of the WAV file ``path`` (raw little-endian bytes);
    stereo is mixed down, other rates resampled. :class:`InputError` for a file that is
    not an uncompressed WAV file."""
    try:
        with wave.open(str(path), "rb") as audio:
            channels, width, rate = (audio.getnchannels(), audio.getsampwidth(),
                                     audio.getframerate())
            data = audio.readframes(audio.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise InputError(path, f"acoustic evidence reads uncompressed WAV audio: {exc}") from exc
    if width not in (1, 2, 4):
        raise InputError(path, f"acoustic evidence reads 8-, 16- or 32-bit WAV audio, this "
                               f"file has {8 * width}-bit samples")
    kinds = {1: "u1", 2: "<i2", 4: "<i4"}
    samples = np.frombuffer(data, dtype=np.dtype(kinds[width])).astype(np.float64)
    if width == 1:
        samples = (samples - 128.0) * 256.0
    elif width == 4:
        samples /= 65536.0
    samples = samples.reshape(-1, channels).mean(axis=1)
    if rate != RATE:
        from scipy.signal import resample_poly  # only for audio at another rate

        step = gcd(rate, RATE)
        samples = resample_poly(samples, RATE // step, rate // step)
    return np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes()


class AudioAligner:
    """Align texts to the audio of items (item id -> audio path), keeping every result."""

    def __init__(self, media: Mapping[str, str]) -> None:
        self._media = dict(media)
        self._audio: dict[str, bytes | None] = {}
        self._fits: dict[tuple[str, str], AlignedFit | None] = {}
        self._decoder: Any = None
        self._decoder_item = ""
        self.seconds = 0.0  # audio aligned so far (each text counts its item's length)
        self.failed = 0  # texts PocketSphinx found no alignment for

    def __call__(self, item_id: str, text: str) -> AlignedFit | None:
        """``text`` aligned to item ``item_id``'s audio (None: see the module docstring)."""
        key = (item_id, " ".join(words_said(text)))
        if key not in self._fits:
            self._fits[key] = self._align(item_id, key[1])
        return self._fits[key]

    def _samples(self, item_id: str) -> bytes | None:
        if item_id not in self._audio:
            path = self._media.get(item_id)
            self._audio[item_id] = (read_audio(Path(path))
                                    if path and path.lower().endswith(".wav") else None)
        return self._audio[item_id]

    def _align(self, item_id: str, said: str) -> AlignedFit | None:
        samples = self._samples(item_id)
        if samples is None or not said:
            return None
        decoder = self._ready(item_id)
        if any(decoder.lookup_word(w) is None for w in said.split()):
            return None
        try:
            decoder.set_align_text(said)
            _decode(decoder, samples)
            decoder.set_alignment()  # a second pass: the state alignment and its scores
            _decode(decoder, samples)
            alignment = decoder.get_alignment()
        except RuntimeError:  # no path through the text; the decoder is left unusable
            self._decoder = None
            self.failed += 1
            return None
        if alignment is None:
            return None
        self.seconds += len(samples) / (2 * RATE)
        words = [(w.name.split("(")[0], w.start, w.duration, w.score) for w in alignment.words()]
        return AlignedFit(float(sum(w[3] for w in words)),
                          tuple((name, start, length) for name, start, length, _ in words
                                if name not in _NOT_WORDS and not name.startswith("+")))

    def _ready(self, item_id: str) -> Any:
        """A decoder for ``item_id``'s audio. PocketSphinx carries state from one utterance
        to the next that can make the alignment of the next one fail, so each item gets
        its own; its cepstral mean comes from the whole utterance (batch), so every text
        on one item is scored on the same features whatever was aligned before."""
        if self._decoder is None or self._decoder_item != item_id:
            from pocketsphinx import Decoder  # the optional extra

            self._decoder = Decoder(lm=None, cmn="batch", loglevel="FATAL")
            self._decoder_item = item_id
        return self._decoder


def _decode(decoder: Any, samples: bytes) -> None:
    decoder.start_utt()
    decoder.process_raw(samples, full_utt=True)
    decoder.end_utt()
