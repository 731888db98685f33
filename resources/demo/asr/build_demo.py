"""Build the bundled speech-recognition (asr) demo benchmark for reviewer.

Run from the repository root:  python resources/demo/asr/build_demo.py

Steps (all seeded, so re-running gives the same files for the same espeak-ng and
pocketsphinx versions): pick 30 short sentences of ``../text/source.txt``, speak each
with espeak-ng in one of two voices, resample to 16 kHz mono WAV, transcribe every file
with three PocketSphinx systems (timed words as ctm; ``sphinx-alice`` decodes with a
language model and words estimated from the book, see ``book_lm.py``), write the
references as an stm file (speaker = voice) and deliberately spoil a few references so
the demo holds label errors to find, listed in ``reference_mistakes.json``. Needs numpy,
scipy, pocketsphinx and ``espeak-ng``.

    python resources/demo/asr/build_demo.py --systems sphinx-alice

transcribes the existing ``audio/*.wav`` with the named systems only (and rewrites
``reference_mistakes.json``), without synthesising anything: numpy and pocketsphinx
suffice.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

try:
    import numpy as np
    from pocketsphinx import Decoder, get_model_path
except ImportError as exc:  # pragma: no cover - environment check
    sys.exit(f"build_demo.py needs numpy and pocketsphinx ({exc})")

from book_lm import book_sentences, missing_pronunciations, read_dictionary, witten_bell_arpa

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
SYSTEMS: dict[str, dict[str, float]] = {  # name -> PocketSphinx settings beyond its defaults
    "sphinx-default": {},
    "sphinx-lw10": {"lw": 10.0},  # language model weight 10 instead of 6.5
    # Wider beams (defaults 1e-48, 7e-29, 1e-48) and 8 Gaussians scored per frame, not 4.
    "sphinx-alice": {"beam": 1e-80, "wbeam": 1e-60, "pbeam": 1e-80, "topn": 8},
}
BOOK_ADAPTED = {"sphinx-alice"}  # decode with the book's language model and words
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
    from scipy.signal import resample_poly

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


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())


def book_model(folder: Path) -> dict[str, str]:
    """Write the book's trigram language model and the pronouncing dictionary with the
    book's missing words added (``book_lm.py``) into ``folder``; the decoder settings
    that use them."""
    shipped = Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"
    lines = shipped.read_text(encoding="utf-8").splitlines()
    known = read_dictionary(lines)
    text = book_sentences(SOURCE.read_text(encoding="utf-8"))
    added = missing_pronunciations((w for sentence in text for w in sentence), known)
    lm, dictionary = folder / "alice.lm", folder / "alice.dict"
    lm.write_text(witten_bell_arpa(text, set(known) | set(added)), encoding="utf-8")
    dictionary.write_text("\n".join([*lines, *(f"{w} {p}" for w, p in added.items())]) + "\n",
                          encoding="utf-8")
    return {"lm": str(lm), "dict": str(dictionary)}


def recognise(samples: np.ndarray, settings: dict[str, float | str]
              ) -> list[tuple[str, float, float]]:
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


def mistake(spoken: str, index: int, replacement: str | None) -> str:
    """What is wrong with the spoiled reference, in words: the spoiled stretch of it
    (up to two words before the change and one after) and what was spoken there."""
    words = spoken.split()
    start = max(0, index - 2)
    if replacement is None:
        shown = " ".join(words[start:index] + words[index + 1:index + 2])
        return f"'{shown}': '{words[index]}' before '{words[index + 1]}' missing"
    shown = " ".join([*words[start:index], replacement, *words[index + 1:index + 2]])
    return f"'{shown}': '{replacement}' where '{words[index]}' is spoken"


def write_mistakes(chosen: list[str]) -> None:
    """``reference_mistakes.json``: item id -> what is wrong with its reference."""
    found = {f"alice_{n:02d}": mistake(chosen[n - 1], k, w) for n, k, w in SPOILED}
    (HERE / "reference_mistakes.json").write_text(
        json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def transcribe(names: list[str], files: dict[str, np.ndarray], book: dict[str, str]) -> None:
    """Write ``<name>.ctm`` for each system of ``names``: its words in every file."""
    for name in names:
        settings: dict[str, float | str] = dict(SYSTEMS[name])
        if name in BOOK_ADAPTED:
            settings |= book
        rows = [f"{file} 1 {start:.2f} {end - start:.2f} {word}"
                for file, samples in files.items()
                for word, start, end in recognise(samples, settings)]
        (HERE / f"{name}.ctm").write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{name}: {len(rows)} words", file=sys.stderr)


def synthesise(chosen: list[str], speakers: list[str]) -> dict[str, np.ndarray]:
    """Speak every sentence into ``audio/`` and write ``reference.stm`` (spoiled where
    :data:`SPOILED` says); the samples by file name."""
    import scipy.signal  # noqa: F401 - speak() needs it: fail before any audio is deleted

    noise = np.random.default_rng(SEED)
    audio = HERE / "audio"
    audio.mkdir(exist_ok=True)
    for old in audio.glob("*.wav"):
        old.unlink()
    stm = [";; Alice's Adventures in Wonderland (Lewis Carroll, 1865), read by espeak-ng"]
    spoiled = {n: (k, w) for n, k, w in SPOILED}
    files = {}
    for n, (sentence, speaker) in enumerate(zip(chosen, speakers, strict=True), start=1):
        file = f"alice_{n:02d}"
        voice, speed = VOICES[speaker]
        samples = files[file] = speak(sentence, voice, speed, noise)
        write_wav(audio / f"{file}.wav", samples)
        reference = spoil(sentence, *spoiled[n]) if n in spoiled else sentence
        stm.append(f"{file} 1 {speaker} 0.00 {samples.size / RATE:.2f} {reference}")
        print(f"{file} {speaker}: {sentence}", file=sys.stderr)
    (HERE / "reference.stm").write_text("\n".join(stm) + "\n", encoding="utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", nargs="+", choices=sorted(SYSTEMS), metavar="NAME",
                        help="transcribe the existing audio with only these systems "
                             f"({', '.join(SYSTEMS)}); nothing is synthesised")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    chosen = rng.sample(sentences(SOURCE.read_text(encoding="utf-8")), N_SENTENCES)
    speakers = [name for name in VOICES for _ in range(N_SENTENCES // len(VOICES))]
    rng.shuffle(speakers)
    if args.systems:
        files = {f"alice_{n:02d}": read_wav(HERE / "audio" / f"alice_{n:02d}.wav")
                 for n in range(1, N_SENTENCES + 1)}
    else:
        files = synthesise(chosen, speakers)
    write_mistakes(chosen)
    with tempfile.TemporaryDirectory() as tmp:
        transcribe(args.systems or list(SYSTEMS), files, book_model(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
