"""Force-aligning texts to audio with PocketSphinx (the ``acoustic`` extra): the text that
was said fits better than one with a word changed, whatever the file's rate and channels;
audio the aligner cannot read is named."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from reviewer.core.errors import InputError
from reviewer.demo import demo_dir
from reviewer.formats import acoustic_fit

pytest.importorskip("pocketsphinx", reason="needs the 'acoustic' extra (PocketSphinx)")

SAID = "I think I could, if I only knew how to begin."  # alice_04 as it was spoken
RABBIT = "I think rabbit could, if I only knew how to begin."  # its planted reference


def demo_audio() -> Path:
    return demo_dir("asr") / "audio" / "alice_04.wav"


def test_what_was_said_fits_better_than_a_word_changed() -> None:
    fits = acoustic_fit.AudioAligner({"alice_04": str(demo_audio())})
    said, rabbit = fits("alice_04", SAID), fits("alice_04", RABBIT)
    assert said is not None and rabbit is not None
    assert said.score > rabbit.score
    assert [w for w, _, _ in said.words] == ["i", "think", "i", "could", "if", "i", "only",
                                             "knew", "how", "to", "begin"]
    starts = [start for _, start, _ in said.words]
    assert starts == sorted(starts) and said.words[-1][1] + said.words[-1][2] <= 316
    # Kept: the same text (as the aligner reads it) is not aligned twice.
    assert fits("alice_04", SAID.upper()) is said
    assert fits.seconds == pytest.approx(2 * 3.15, abs=0.01)


def test_a_word_the_dictionary_lacks_gives_no_fit() -> None:
    fits = acoustic_fit.AudioAligner({"alice_04": str(demo_audio())})
    assert fits("alice_04", "I think qwzxv could") is None
    assert fits("other", SAID) is None  # an item without audio


def test_stereo_audio_at_another_rate_is_mixed_down_and_resampled(tmp_path: Path) -> None:
    with wave.open(str(demo_audio()), "rb") as source:
        mono = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    from scipy.signal import resample_poly

    resampled = np.round(resample_poly(mono.astype(float), 441, 160)).astype("<i2")
    path = tmp_path / "stereo44k.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44_100)
        out.writeframes(np.repeat(resampled, 2).tobytes())
    samples = acoustic_fit.read_audio(path)
    assert abs(len(samples) // 2 - len(mono)) <= 2
    fits = acoustic_fit.AudioAligner({"x": str(path)})
    said, rabbit = fits("x", SAID), fits("x", RABBIT)
    assert said is not None and rabbit is not None and said.score > rabbit.score


def test_audio_that_is_not_a_wav_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.wav"
    path.write_bytes(b"not a RIFF file at all")
    with pytest.raises(InputError, match=r"broken\.wav.*uncompressed WAV"):
        acoustic_fit.read_audio(path)
    fits = acoustic_fit.AudioAligner({"x": str(tmp_path / "speech.flac")})
    assert fits("x", SAID) is None  # another format: no acoustic evidence, no error
