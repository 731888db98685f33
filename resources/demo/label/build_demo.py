"""Build the bundled image-classification demo (handwritten digits) for reviewer.

Run from the repository root:  python resources/demo/label/build_demo.py

Steps, all seeded: load scikit-learn's bundled copy of the UCI handwritten-digits set
(1,797 images of 8x8 pixels, no download), write each image as a 64x64 PNG, flip about 3%
of the gold labels to another digit, and compute two classifiers' out-of-fold class
probabilities (5-fold cross_val_predict on the flipped labels, as a user would get them):
a logistic regression and a small random forest. Needs scikit-learn, numpy and Pillow
(pip install -e '.[demo]').
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from pathlib import Path

try:
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
except ImportError as exc:  # pragma: no cover - environment check
    sys.exit(f"build_demo.py needs scikit-learn, numpy and Pillow ({exc}): "
             "pip install -e '.[demo]'")

SEED = 1797
FLIP_SHARE = 0.03
SCALE = 8  # 8x8 pixels -> 64x64
DECIMALS = 4  # probabilities are rounded to keep the tables small
HERE = Path(__file__).resolve().parent
CLASSES = [str(d) for d in range(10)]


def write_images(images: np.ndarray, ids: list[str]) -> None:
    """Dark ink on white paper, each pixel an 8x8 block (nearest-neighbour upscaling)."""
    folder = HERE / "images"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for item_id, pixels in zip(ids, images, strict=True):
        grey = (255 - np.round(pixels * 255 / 16)).astype(np.uint8)
        image = Image.fromarray(grey, mode="L").resize((8 * SCALE, 8 * SCALE), Image.NEAREST)
        image.save(folder / f"{item_id}.png", optimize=True)


def flip_labels(y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, list[int]]:
    """A copy of ``y`` with ``FLIP_SHARE`` of its labels changed to another random digit."""
    count = round(FLIP_SHARE * len(y))
    flipped = sorted(rng.choice(len(y), size=count, replace=False).tolist())
    noisy = y.copy()
    for k in flipped:
        noisy[k] = rng.choice([d for d in range(10) if d != y[k]])
    return noisy, flipped


def out_of_fold(model: object, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    return cross_val_predict(model, x, y, cv=folds, method="predict_proba")


def write_probs(path: Path, ids: list[str], probs: np.ndarray) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["id", *(f"prob_{c}" for c in CLASSES)])
        for item_id, row in zip(ids, probs, strict=True):
            out.writerow([item_id, *(f"{p:.{DECIMALS}f}".rstrip("0").rstrip(".") or "0"
                                     for p in row)])


def update_readme(rows: list[tuple[str, int, int]], accuracy: dict[str, float]) -> None:
    """Rewrite the generated section of README.md (between the marker comments)."""
    readme = HERE / "README.md"
    table = ["| id | true digit | gold label in the demo |", "|---|---:|---:|"]
    table += [f"| `{i}` | {true} | {given} |" for i, true, given in rows]
    scores = ", ".join(f"{name} {value:.1%}" for name, value in accuracy.items())
    body = (f"{len(rows)} flipped labels; accuracy against the flipped gold labels: "
            f"{scores}.\n\n" + "\n".join(table))
    text = readme.read_text(encoding="utf-8")
    text = re.sub(r"(<!-- flipped:start -->\n).*?(<!-- flipped:end -->)",
                  lambda m: m.group(1) + body + "\n" + m.group(2), text, flags=re.S)
    readme.write_text(text, encoding="utf-8")


def main() -> None:
    """Regenerate images/, digits.csv, the two probability tables, flipped.csv, README."""
    digits = load_digits()
    x, y = digits.data, digits.target
    ids = [f"d{k + 1:04d}" for k in range(len(y))]
    rng = np.random.default_rng(SEED)
    noisy, flipped = flip_labels(y, rng)
    write_images(digits.images, ids)
    with (HERE / "digits.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["id", "image", "label"])
        out.writerows([i, f"images/{i}.png", str(label)] for i, label in zip(ids, noisy,
                                                                             strict=True))
    models = {
        "logreg": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=0.1)),
        "forest": RandomForestClassifier(n_estimators=50, max_depth=8, random_state=SEED),
    }
    accuracy: dict[str, float] = {}
    for name, model in models.items():
        probs = out_of_fold(model, x, noisy)
        write_probs(HERE / f"{name}.csv", ids, probs)
        accuracy[name] = float((probs.argmax(axis=1) == noisy).mean())
    rows = [(ids[k], int(y[k]), int(noisy[k])) for k in flipped]
    with (HERE / "flipped.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["id", "true_label", "given_label"])
        out.writerows(rows)
    spec = {"kind": "label", "name": "Demo: handwritten digits, two classifiers",
            "reference": "digits.csv",
            "predictions": {name: f"{name}.csv" for name in models}}
    (HERE / "demo.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    update_readme(rows, accuracy)
    print(f"{len(ids)} items, {len(rows)} flipped; accuracy "
          + ", ".join(f"{k} {v:.3f}" for k, v in accuracy.items()))


if __name__ == "__main__":
    main()
