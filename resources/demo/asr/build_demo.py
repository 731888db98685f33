"""Build the bundled speech-recognition (asr) demo benchmark for reviewer.

Run from the repository root:  python resources/demo/asr/build_demo.py

Steps (all seeded, so re-running gives the same files for the same espeak-ng and
pocketsphinx versions): pick 30 short sentences of ``../text/source.txt``, speak each
with espeak-ng in one of two voices, resample to 16 kHz mono WAV, transcribe every file
with PocketSphinx under two settings (two systems, timed words as ctm), write the
references as an stm file (speaker = voice) and deliberately spoil a few references so
the demo holds label errors to find. Needs numpy, scipy, pocketsphinx and ``espeak-ng``.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

try:
    import numpy as np
    from pocketsphinx import Decoder
    from scipy.signal import resample_poly
except ImportError as exc:  # pragma: no cover - environment check
    sys.exit(f"build_demo.py needs numpy, scipy and pocketsphinx ({exc})")

SEED = 1865
N_SENTENCES = 30
HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "text" / "source.txt"
RATE = 16_000
DITHER = 10.0  # standard deviation of the added noise, in 16-bit sample units
VOICES = {  # speaker id -> espeak-ng voice and speed (words per minute)
    "espeak-f2": ("en-us+f2", 160),
    "espeak-m1": ("en-us", 140),
}
SYSTEMS = {  # system name -> PocketSphinx settings beyond its defaults
    "sphinx-default": {},
    "sphinx-lw10": {"lw": 10.0},  # language model weight 10 instead of 6.5
}
# Reference mistakes planted on purpose: (sentence number, word to replace, replacement).
SPOILED = ((4, 2, "rabbit"), (11, 3, None), (19, 1, "she"))
QUOTE = re.compile(r"(^|\s)'|'($|[\s,.!?])")  # a quotation mark, not an apostrophe
FILLERS = {"<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "[BREATH]", "[COUGH]"}


def sentences(text: str) -> list[str]:
    """Sentences (or clauses between semicolons) of 5 to 18 words from the paragraphs.

    Pieces with dashes, brackets, colons or quotation marks are skipped; a clause ending
    in a semicolon gets a full stop and a capital.
    """
    body = [p for p in text.split("\n\n")[1:] if not p.startswith("CHAPTER")]
    found = []
    for paragraph in body:
        for sentence in re.split(r"(?<=[.!?;])['\s]+", " ".join(paragraph.split())):
            sentence = sentence.strip(" '")
            if not sentence or any(c in sentence for c in "():") or "--" in sentence \
                    or QUOTE.search(sentence):
                continue
            if sentence.endswith(";"):
                sentence = sentence[:-1] + "."
            if 5 <= len(sentence.split()) <= 18 and sentence[-1] in ".!?":
                found.append(sentence[0].upper() + sentence[1:])
    return found


def speak(text: str, voice: str, speed: int, rng: np.random.Generator) -> np.ndarray:
    """16 kHz 16-bit samples of ``text`` spoken by espeak-ng, lightly dithered.

    The dither keeps pauses from being digital silence, on which PocketSphinx's feature
    normalisation fails (it then recognises nothing).
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(out), text],
                       check=True)
        with wave.open(str(out), "rb") as wav:
            rate = wav.getframerate()
            raw = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    gcd = np.gcd(RATE, rate)
    resampled = resample_poly(raw.astype(np.float64), RATE // gcd, rate // gcd)
    noisy = resampled + rng.normal(0.0, DITHER, resampled.size)
    return np.clip(np.round(noisy), -32768, 32767).astype("<i2")


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())


def recognise(samples: np.ndarray, settings: dict[str, float]) -> list[tuple[str, float, float]]:
    """PocketSphinx's words with their start and end seconds (fillers left out)."""
    decoder = Decoder(loglevel="FATAL", **settings)
    decoder.start_utt()
    decoder.process_raw(samples.tobytes(), full_utt=True)
    decoder.end_utt()
    frames = 100  # PocketSphinx's default frame rate
    words = []
    for seg in decoder.seg():
        if seg.word in FILLERS:
            continue
        word = re.sub(r"\(\d+\)$", "", seg.word)  # alternative pronunciations: 'the(2)'
        words.append((word, seg.start_frame / frames, (seg.end_frame + 1) / frames))
    return words


def spoil(reference: str, index: int, replacement: str | None) -> str:
    words = reference.split()
    if replacement is None:
        del words[index]
    else:
        words[index] = replacement
    return " ".join(words)


def main() -> int:
    rng = random.Random(SEED)
    noise = np.random.default_rng(SEED)
    chosen = rng.sample(sentences(SOURCE.read_text(encoding="utf-8")), N_SENTENCES)
    speakers = [name for name in VOICES for _ in range(N_SENTENCES // len(VOICES))]
    rng.shuffle(speakers)
    audio = HERE / "audio"
    audio.mkdir(exist_ok=True)
    for old in audio.glob("*.wav"):
        old.unlink()
    stm = [";; Alice's Adventures in Wonderland (Lewis Carroll, 1865), read by espeak-ng"]
    ctm: dict[str, list[str]] = {name: [] for name in SYSTEMS}
    spoiled = {n: (k, w) for n, k, w in SPOILED}
    for n, (sentence, speaker) in enumerate(zip(chosen, speakers, strict=True), start=1):
        file = f"alice_{n:02d}"
        voice, speed = VOICES[speaker]
        samples = speak(sentence, voice, speed, noise)
        write_wav(audio / f"{file}.wav", samples)
        duration = samples.size / RATE
        reference = spoil(sentence, *spoiled[n]) if n in spoiled else sentence
        stm.append(f"{file} 1 {speaker} 0.00 {duration:.2f} {reference}")
        for name, settings in SYSTEMS.items():
            for word, start, end in recognise(samples, settings):
                ctm[name].append(f"{file} 1 {start:.2f} {end - start:.2f} {word}")
        print(f"{file} {speaker}: {sentence}", file=sys.stderr)
    (HERE / "reference.stm").write_text("\n".join(stm) + "\n", encoding="utf-8")
    for name, rows in ctm.items():
        (HERE / f"{name}.ctm").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
