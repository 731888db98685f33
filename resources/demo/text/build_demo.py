"""Build the bundled text-line OCR demo benchmark for reviewer.

Run from the repository root:  python resources/demo/text/build_demo.py

Steps (all seeded, so re-running gives the same files for the same tesseract
version): wrap ``source.txt`` into ~200 lines of 40-70 characters, render each
line to a degraded grayscale PNG, OCR every image with two tesseract
configurations, then deliberately corrupt the reference of a few lines so the
demo contains label errors to find.  Needs Pillow, numpy and ``tesseract``.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

try:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont
except ImportError as exc:  # pragma: no cover - environment check
    sys.exit(f"build_demo.py needs Pillow and numpy ({exc}): pip install pillow numpy")

SEED = 1865
N_LINES = 200
HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS = [  # Debian packages fonts-dejavu-core, fonts-liberation, fonts-freefont-ttf
    "dejavu/DejaVuSans.ttf",
    "liberation/LiberationSerif-Regular.ttf",
    "liberation/LiberationSansNarrow-Regular.ttf",
    "freefont/FreeSerif.ttf",
]
SYSTEMS = {  # name -> (downscale factor, tesseract options)
    "tesseract-lstm": (1, ["--oem", "1", "--psm", "7"]),
    "tesseract-lstm-halfres": (2, ["--oem", "1", "--psm", "7"]),
}
N_CORRUPT = 8
WORD_SWAPS = {
    "she": "he",
    "was": "is",
    "little": "small",
    "very": "rather",
    "her": "the",
    "down": "dawn",
    "went": "want",
    "thought": "though",
    "could": "would",
}


def wrap_lines(text, rng):
    """Split the paragraphs (not headings) into lines of 40-70 chars at word boundaries."""
    words = [w for p in text.split("\n\n")[1:] if not p.startswith("CHAPTER") for w in p.split()]
    lines, cur, target = [], "", rng.randint(48, 68)
    for w in words:
        if cur and len(cur) + 1 + len(w) > target and len(cur) >= 40:
            lines.append(cur)
            cur, target = w, rng.randint(48, 68)
        else:
            cur = f"{cur} {w}" if cur else w
    return lines[:N_LINES]


def render(text, i):
    """Render one line with a per-line seeded font, size, rotation, blur and noise."""
    rng = np.random.default_rng([SEED, i])
    sev = 0.0 if rng.random() < 0.3 else float(rng.uniform(0.2, 1.0))  # 30% clean lines
    font = ImageFont.truetype(
        str(FONT_DIR / FONTS[int(rng.integers(len(FONTS)))]), int(rng.integers(20, 29))
    )
    ink, paper = int(rng.integers(0, 30 + 70 * sev)), int(255 - rng.integers(0, 1 + 45 * sev))
    left, top, right, bottom = font.getbbox(text)
    pad = 8
    img = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), paper)
    ImageDraw.Draw(img).text((pad - left, pad - top), text, font=font, fill=ink)
    angle = float(rng.uniform(-1.0, 1.0) * (0.3 + 0.9 * sev))
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=paper)
    if sev > 0.4:  # low-resolution scan: thin strokes merge or break up
        f = 1 + 1.6 * sev
        small = img.resize((int(img.width / f), int(img.height / f)), Image.BILINEAR)
        img = small.resize(img.size, Image.BILINEAR)
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.0, 0.2 + 0.9 * sev))))
    sigma = float(rng.uniform(0, 35 * sev))
    arr = np.asarray(img, dtype=np.float32) + rng.normal(0.0, sigma, (img.height, img.width))
    arr = np.round(np.clip(arr, 0, 255) / 8) * 8  # 32 grey levels keep the PNGs small
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")


def ocr(png, factor, opts, tmpdir):
    """OCR one line image (optionally downscaled) with tesseract; return one stripped line."""
    src = png
    if factor != 1:
        src = tmpdir / png.name
        with Image.open(png) as im:
            im.resize((im.width // factor, im.height // factor), Image.LANCZOS).save(src)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    res = subprocess.run(
        ["tesseract", str(src), "-", "-l", "eng", *opts], capture_output=True, text=True, env=env
    )
    if res.returncode != 0:
        sys.exit(f"tesseract failed on {png.name}: {res.stderr.strip()}")
    return " ".join(res.stdout.split())


def corrupt(line, kind, rng):
    """Apply one realistic transcription mistake of `kind`; return (new line, description)."""
    words = line.split(" ")
    if kind == "wrong word":
        idx = [j for j, w in enumerate(words) if w in WORD_SWAPS]
        if idx:
            j = rng.choice(idx)
            new = WORD_SWAPS[words[j]]
            words[j] = new
            return " ".join(words), f"word '{line.split(' ')[j]}' -> '{new}'"
    if kind == "punctuation":
        spots = [m.start() for m in re.finditer(r"[,;:.!?]", line)]
        if spots:
            p = rng.choice(spots)
            new = {",": ";", ";": ",", ":": ";", ".": ",", "!": "?", "?": "!"}[line[p]]
            desc = f"punctuation '{line[p]}' -> '{new}' at char {p} (0-based)"
            return line[:p] + new + line[p + 1 :], desc
    if kind == "dropped word":
        j = rng.randrange(1, len(words) - 1)
        return " ".join(words[:j] + words[j + 1 :]), f"dropped word '{words[j]}'"
    if kind == "case":
        idx = [j for j, w in enumerate(words) if w[:1].isalpha()]
        j = rng.choice(idx)
        words[j] = words[j][0].swapcase() + words[j][1:]
        return " ".join(words), f"case of '{line.split(' ')[j]}' -> '{words[j]}'"
    idx = [j for j, w in enumerate(words) if len(w) >= 5 and w.isalpha()]  # typo
    j = rng.choice(idx)
    w = words[j]
    k = rng.randrange(1, len(w) - 2)
    words[j] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    return " ".join(words), f"typo '{w}' -> '{words[j]}'"


def update_readme(version, changes):
    """Rewrite the generated section of README.md (between the marker comments)."""
    readme = HERE / "README.md"
    body = [f"Tesseract version: `{version}`.", "", "| id | change |", "|---|---|"]
    body += [f"| `{name}` | {desc} |" for name, desc in changes]
    start, end = "<!-- generated:start -->", "<!-- generated:end -->"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"{start}\n{end}\n"
    head, rest = text.split(start, 1)
    readme.write_text(
        head + start + "\n" + "\n".join(body) + "\n" + end + rest.split(end, 1)[1], encoding="utf-8"
    )


def main():
    """Regenerate lines/, one folder per system, demo.json and the README table."""
    if shutil.which("tesseract") is None:
        sys.exit(
            "build_demo.py needs the `tesseract` binary: "
            "apt-get install tesseract-ocr tesseract-ocr-eng"
        )
    version = subprocess.run(
        ["tesseract", "--version"], capture_output=True, text=True
    ).stdout.split("\n")[0]
    rng = random.Random(SEED)
    lines = wrap_lines((HERE / "source.txt").read_text(encoding="utf-8"), rng)
    tmpdir = HERE / "_tmp"
    for d in ["lines", "_tmp", *SYSTEMS]:
        shutil.rmtree(HERE / d, ignore_errors=True)
        (HERE / d).mkdir()
    names = [f"line_{i + 1:04d}" for i in range(len(lines))]
    for i, (name, text) in enumerate(zip(names, lines, strict=True)):
        (HERE / "lines" / f"{name}.gt.txt").write_text(text + "\n", encoding="utf-8")
        render(text, i).save(HERE / "lines" / f"{name}.png", optimize=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        for system, (factor, opts) in SYSTEMS.items():
            pngs = [HERE / "lines" / f"{n}.png" for n in names]
            outs = list(
                pool.map(ocr, pngs, [factor] * len(pngs), [opts] * len(pngs), [tmpdir] * len(pngs))
            )
            for name, out in zip(names, outs, strict=True):
                (HERE / system / f"{name}.txt").write_text(out + "\n", encoding="utf-8")
    shutil.rmtree(tmpdir)
    kinds = ["typo", "dropped word", "case", "punctuation", "wrong word"]
    changes = []
    for n, i in enumerate(sorted(rng.sample(range(len(lines)), N_CORRUPT))):
        new, desc = corrupt(lines[i], kinds[n % len(kinds)], rng)
        (HERE / "lines" / f"{names[i]}.gt.txt").write_text(new + "\n", encoding="utf-8")
        changes.append((names[i], desc))
    demo = {
        "kind": "text",
        "name": "Demo: Alice in Wonderland lines, two Tesseract configurations",
        "reference": "lines",
        "predictions": {s: s for s in SYSTEMS},
    }
    (HERE / "demo.json").write_text(json.dumps(demo, indent=2) + "\n", encoding="utf-8")
    update_readme(version, changes)
    print(f"{len(lines)} lines, {version}; corrupted references:")
    for name, desc in changes:
        print(f"  {name}: {desc}")


if __name__ == "__main__":
    main()
