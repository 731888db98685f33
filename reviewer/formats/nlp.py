"""Rev's NLP transcripts (``.nlp``) and their sidecars, as Earnings-21/22 publish them.

An NLP file is pipe-separated with a header naming its columns, for example
``token|speaker|ts|endTs|punctuation|case|tags|wer_tags`` (Earnings-22 adds
``prepunctuation`` and has no ``wer_tags``): the header is read, not assumed. One row
is one token; ``tags`` holds ``['ID:CLASS']`` (the id links the row to the
``ID.norm.json`` normalisation sidecar), ``wer_tags`` a list of entity ids (named by the
``ID.wer_tag.json`` sidecar). A file is one item (a whole call): its reference is the
tokens joined by spaces, its speakers and entity classes are item metadata. A folder of
``.nlp`` files is one item per file; a prediction folder holds one ``.nlp``, ``.ctm``,
``.trn`` or ``.txt`` file per call, matched by stem, and an NLP or ctm hypothesis keeps
its word times for the audio player. At import every prediction is also scored as
fstalign scores it (:func:`lattice_counts`), for the score report's entity figures.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reviewer.core.counts import main_category_of
from reviewer.core.entity_wer import per_class, per_span_class, per_tag
from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.core.lattice_path import PATH_KEY, encode_path, path_categories
from reviewer.core.lattice_summary import SUMMARY_KEY, reference_digest
from reviewer.core.lattice_wer import RefToken, Words, align, parse_synonyms
from reviewer.core.progress import NullProgress, Progress, check_cancelled
from reviewer.core.time_left import TimeLeft, left_wording
from reviewer.formats.nist import parse_ctm
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.speech import audio_lookup, lines
from reviewer.formats.textio import decode_utf8, read_bytes, read_text
from reviewer.formats.trn import parse_trn

SUFFIX = ".nlp"
HYPOTHESIS_SUFFIXES = (SUFFIX, ".ctm", ".txt", ".trn")
NORM_SUFFIX = ".norm.json"
WER_TAG_SUFFIX = ".wer_tag.json"
ENTITY_KEY = "entity"  # item metadata: the call's entity classes (filter: entity:MONEY)
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class NlpRow:
    """One row of an NLP file."""

    line: int
    token: str
    speaker: str
    start: float | None
    end: float | None
    label: str  # the first 'ID:CLASS' of the tags column, '' when none
    wer_tags: tuple[str, ...]

    def ref_token(self) -> RefToken:
        return RefToken(self.token, self.label, self.wer_tags)


def _time(path: Path, value: str, what: str, line: int, bad: list[int]) -> float | None:
    """Seconds, or None for an empty cell; a cell that is no time is noted in ``bad``
    (published files have a few rows shifted by a column: the row keeps its token)."""
    if not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        bad.append(line)
        return None
    return seconds


def _list(path: Path, value: str, column: str, line: int) -> list[str]:
    """The quoted entries of a ``['a', 'b']`` cell (``[]`` or empty: none)."""
    text = value.strip()
    if not text or text == "[]":
        return []
    if not (text.startswith("[") and text.endswith("]")):
        raise InputError(path, f"the {column} column must be a list such as ['0:MONEY'], "
                         f"got {value!r}", line=line)
    return _QUOTED.findall(text)


def parse_nlp(path: Path, warnings: list[str] | None = None) -> list[NlpRow]:
    """Every row of an NLP file; a row whose field count differs from the header's, or
    with a bad tag list, raises :class:`InputError` naming the line. A ``ts``/``endTs``
    that is not a time is left out, with a warning naming the lines in ``warnings``
    (raised as an error when ``warnings`` is None)."""
    text = decode_utf8(read_bytes(path), path)
    numbered = list(lines(path)) if text.strip() else []
    if not numbered:
        raise InputError(path, "empty NLP file; the first line must be a header such as "
                         "token|speaker|ts|endTs|punctuation|case|tags|wer_tags")
    header_line, header = numbered[0]
    columns = [c.strip() for c in header.split("|")]
    if "token" not in columns:
        raise InputError(path, "the NLP header must name a 'token' column "
                         f"(got {header.strip()!r})", line=header_line)
    where = {name: columns.index(name) for name in columns}
    rows: list[NlpRow] = []
    bad: list[int] = []
    empty: list[int] = []  # Earnings-21 has a few tagged rows with no token
    for number, line in numbered[1:]:
        fields = [f.strip(" \t") for f in line.split("|")]
        if len(fields) != len(columns):
            raise InputError(path, f"{len(fields)} fields where the header names "
                             f"{len(columns)} ({'|'.join(columns)})", line=number)

        def cell(name: str, fields: list[str] = fields) -> str:
            return fields[where[name]] if name in where else ""

        token = cell("token")
        if not token:
            empty.append(number)
        tags = _list(path, cell("tags"), "tags", number)
        label = tags[0] if tags else ""
        if label and ":" not in label:
            raise InputError(path, f"a tag must be 'ID:CLASS', got {label!r}", line=number)
        rows.append(NlpRow(number, token, cell("speaker"),
                           _time(path, cell("ts"), "ts", number, bad),
                           _time(path, cell("endTs"), "endTs", number, bad), label,
                           tuple(_list(path, cell("wer_tags"), "wer_tags", number))))
    for lines_of, what in ((bad, "ts or endTs is not a number of seconds on {n} rows "
                                 "({shown}); those rows have no time"),
                           (empty, "{n} rows have an empty token ({shown}); each is "
                                   "compared as a word no recogniser writes, as fstalign does")):
        if lines_of:
            shown = "lines " + ", ".join(map(str, lines_of[:5])) + (
                " ..." if len(lines_of) > 5 else "")
            message = what.format(n=len(lines_of), shown=shown)
            if warnings is None:
                raise InputError(path, message, line=lines_of[0])
            warnings.append(f"{path}: {message}")
    return rows


def _json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(decode_utf8(read_bytes(path), path))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    if not isinstance(data, dict):
        raise InputError(path, "the sidecar must be a JSON object keyed by id")
    return data


def read_normalizations(path: Path) -> dict[str, list[Words]]:
    """``id -> candidate verbalisations`` of an ``ID.norm.json`` sidecar."""
    out: dict[str, list[Words]] = {}
    for key, entry in _json(path).items():
        candidates = entry.get("candidates") if isinstance(entry, dict) else None
        if not isinstance(candidates, list):
            raise InputError(path, "each id needs a 'candidates' list", record=key)
        words: list[Words] = []
        for candidate in candidates:
            verbal = candidate.get("verbalization") if isinstance(candidate, dict) else None
            if not isinstance(verbal, list) or not all(isinstance(w, str) for w in verbal):
                raise InputError(path, "each candidate needs a 'verbalization' list of words",
                                 record=key)
            words.append(tuple(w for v in verbal for w in v.split()))
        out[key] = words
    return out


def read_wer_tags(path: Path) -> dict[str, str]:
    """``id -> entity class`` of an ``ID.wer_tag.json`` sidecar."""
    out: dict[str, str] = {}
    for key, entry in _json(path).items():
        kind = entry.get("entity_type") if isinstance(entry, dict) else None
        if not isinstance(kind, str) or not kind:
            raise InputError(path, "each id needs an 'entity_type'", record=key)
        out[key] = kind
    return out


def read_synonym_file(path: Path) -> dict[Words, list[Words]]:
    """fstalign-style synonym rules ``LHS | RHS1; RHS2`` from a file."""
    text = decode_utf8(read_bytes(path), path)
    try:
        return parse_synonyms(text.splitlines())
    except ValueError as exc:
        number = int(str(exc).split(":")[0].split()[1])
        raise InputError(path, str(exc).split(": ", 1)[1], line=number) from None


def sidecar(folder: Path | None, stem: str, suffix: str) -> Path | None:
    """``folder/STEM<suffix>`` if it exists."""
    if folder is None:
        return None
    found = folder / (stem + suffix)
    return found if found.is_file() else None


@dataclass(frozen=True)
class Sidecars:
    """Where an NLP reference's sidecars are, and the synonym rules to apply."""

    normalizations: Path | None
    wer_tags: Path | None
    synonyms: dict[Words, list[Words]]

    def of(self, stem: str) -> tuple[dict[str, list[Words]], dict[str, str]]:
        """The normalisations and entity classes of one call (empty when it has none)."""
        norm = sidecar(self.normalizations, stem, NORM_SUFFIX)
        tags = sidecar(self.wer_tags, stem, WER_TAG_SUFFIX)
        return (read_normalizations(norm) if norm else {},
                read_wer_tags(tags) if tags else {})


def _folder_option(path: Path | None, flag: str) -> Path | None:
    if path is not None and not path.is_dir():
        raise InputError(path, f"no such folder (from {flag})")
    return path


def _beside(files: list[Path], given: Path | None, names: tuple[str, ...], suffix: str,
            warnings: list[str]) -> Path | None:
    """The sidecar folder: the one given, else the references' own folder or a sibling
    folder named as Earnings-21/22 name it, when it holds a sidecar of the first file."""
    if given is not None or not files:
        return given
    folder = files[0].parent
    for candidate in (folder, *(folder.parent / n for n in names)):
        if any((candidate / (f.stem + suffix)).is_file() for f in files):
            if candidate != folder:
                warnings.append(f"{files[0].parent}: using the {suffix} sidecars in "
                                f"{candidate} (found beside the references)")
            return candidate
    return None


def find_sidecars(path: Path, options: ReadOptions, warnings: list[str]) -> Sidecars:
    """The sidecars of the NLP reference ``path`` (a file or folder): the folders given
    with ``--normalizations``/``--wer-tags``, else found beside the references."""
    files = _files(path)
    norm = _beside(files, _folder_option(options.normalizations, "--normalizations"),
                   ("normalizations",), NORM_SUFFIX, warnings)
    tags = _beside(files, _folder_option(options.wer_tags, "--wer-tags"), ("wer_tags",),
                   WER_TAG_SUFFIX, warnings)
    rules = read_synonym_file(options.synonyms) if options.synonyms is not None else {}
    return Sidecars(norm, tags, rules)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == SUFFIX)
        if not found:
            raise InputError(path, "no .nlp files in this folder; an NLP folder holds one "
                             "STEM.nlp file per call, matched to predictions by STEM")
        return found
    return [path]


def _detect(path: Path) -> bool:
    if path.is_file():
        return path.suffix.lower() == SUFFIX
    return path.is_dir() and any(p.suffix.lower() in (SUFFIX, ".ctm") for p in path.iterdir())


def _hypothesis_files(path: Path) -> dict[str, Path]:
    """A prediction folder's files by stem: ``.nlp``, ``.ctm``, ``.txt`` or ``.trn``, one
    per call (a file on its own is one call)."""
    if not path.is_dir():
        return {path.stem: path}
    out: dict[str, Path] = {}
    for file in sorted(path.iterdir()):
        if not file.is_file() or file.suffix.lower() not in HYPOTHESIS_SUFFIXES:
            continue
        if file.stem in out:
            raise InputError(file, f"this file and {out[file.stem].name} are both the "
                             "prediction for the same call", record=file.stem)
        out[file.stem] = file
    if not out:
        raise InputError(path, "no .nlp, .ctm, .txt or .trn files in this prediction folder "
                         "(one file per call, named by the call's stem)")
    return out


def _hypothesis(file: Path, warnings: list[str]) -> tuple[str, list[list[object]]]:
    """A call's words as one text, and their times where the file has them."""
    suffix = file.suffix.lower()
    if suffix == SUFFIX:
        rows = parse_nlp(file, warnings)
        return joined(rows), word_times(rows)
    if suffix == ".ctm":
        words = parse_ctm(file)  # fstalign reads a ctm's words in file order
        return (" ".join(w.word for w in words),
                [[w.word, round(w.start, 3), round(w.end, 3)] for w in words])
    if suffix == ".trn":
        return " ".join(text for _, _, text in parse_trn(file)), []
    return " ".join(read_text(file).split()), []


def word_times(rows: list[NlpRow]) -> list[list[object]]:
    """``[word, start, end]`` of the rows that have both times (the ctm prediction form)."""
    return [[r.token, round(r.start, 3), round(r.end, 3)] for r in rows
            if r.start is not None and r.end is not None]


def speakers(rows: list[NlpRow]) -> str:
    """The speakers of a call, in order of first appearance, comma-separated."""
    return ",".join(dict.fromkeys(r.speaker for r in rows if r.speaker))


def entity_classes(rows: list[NlpRow], classes: Mapping[str, str]) -> str:
    """The entity classes of a call, sorted and comma-separated: those its wer_tag ids name
    in the sidecar, else (no sidecar) those of its ``ID:CLASS`` tags."""
    if classes:
        found = {classes[t] for r in rows for t in r.wer_tags if t in classes}
    else:
        found = {r.label.split(":", 1)[1] for r in rows if r.label}
    return ",".join(sorted(found))


def joined(rows: list[NlpRow]) -> str:
    """The text of a call: its tokens joined by spaces (punctuation and case as written
    in the token column; the punctuation column is left out, as fstalign leaves it out)."""
    return " ".join(r.token for r in rows if r.token)


@register("nlp", priority=46, detect=_detect,
          description="Rev NLP transcript (.nlp: token|speaker|ts|endTs|...), or a folder "
          "of them, one item per file; sidecars ID.norm.json and ID.wer_tag.json")
def read_nlp(path: Path, options: ReadOptions) -> Loaded:
    """Read NLP files as references (one item per file) or as one system's predictions
    (a folder of NLP, ctm, plain text or trn files, one per call, matched by stem)."""
    warnings: list[str] = []
    if options.role == "prediction":
        system = options.system or path.stem
        texts: dict[str, str] = {}
        meta: dict[str, dict[str, object]] = {}
        for stem, file in _hypothesis_files(path).items():
            texts[stem], times = _hypothesis(file, warnings)
            if times:
                meta[stem] = {"words": times}
        return Loaded(predictions={system: texts}, prediction_meta={system: meta},
                      sources=[path], warnings=warnings)
    files = _files(path)
    found = find_sidecars(path, options, warnings)
    find = audio_lookup(files[0], options.audio, warnings)
    items = []
    for file in files:
        rows = parse_nlp(file, warnings)
        _, classes = found.of(file.stem)
        meta_pairs: list[tuple[str, str]] = []
        if who := speakers(rows):
            meta_pairs.append(("speakers", who))
        if kinds := entity_classes(rows, classes):
            meta_pairs.append((ENTITY_KEY, kinds))
        items.append(Item(file.stem, joined(rows), find(file.stem), tuple(meta_pairs)))
    return Loaded(items=items, warnings=warnings, sources=[path])


COUNTING = "Counting as fstalign does"  # the progress stage's name


def lattice_counts(reference: Path, items: list[Item], systems: Mapping[str, Mapping[str, str]],
                   prediction_meta: dict[str, dict[str, dict[str, object]]],
                   options: ReadOptions, progress: Progress | None = None) -> None:
    """Score every prediction against its NLP reference as fstalign does (normalisations,
    synonyms, entity classes) and keep, in the prediction's metadata, the counts under
    :data:`SUMMARY_KEY` (for the score report) and the path under :data:`PATH_KEY` (for
    the window, ``reviewer show`` and the report's items).

    ``progress`` hears the stage :data:`COUNTING` with the pairs done out of all and the
    time left (about a second per long call and system), and may cancel it."""
    progress = progress or NullProgress()
    found = find_sidecars(reference, options, [])
    files = {f.stem: f for f in _files(reference)}
    work = [item for item in items if item.id in files]
    total = len(work) * len(systems)
    done = 0
    clock = TimeLeft()
    for item in work:
        check_cancelled(progress)
        rows = parse_nlp(files[item.id], [])
        ref_rows = [r.ref_token() for r in rows]
        norms, classes = found.of(item.id)
        digest = reference_digest(item.reference)
        for system, texts in systems.items():
            left = clock.seconds(done / total) if total else None
            progress.status(f"{COUNTING}: {done:,}/{total:,} pairs"
                            + ("" if left is None else f", {left_wording(left)}"))
            progress.set(done / total if total else 1.0)
            result = align(ref_rows, texts.get(item.id, "").split(), norms, found.synonyms,
                           hyphens=options.compound_hyphens, search=options.nlp_search)
            tags = per_tag(result, ref_rows)
            entities = (per_class(tags, classes) if classes
                        else per_span_class(result, ref_rows))
            counts: dict[str, object] = {
                "ref": digest, "s": result.count("substitute"), "d": result.count("delete"),
                "i": result.count("insert"), "units": result.units,
                "entities": {k: [c.substitutions, c.deletions, c.insertions, c.units]
                             for k, c in entities.items()}}
            path = encode_path(result, ref_rows, classes)
            # the item list sorts and filters by these (reviewer.store.list_facts)
            cats = path_categories(item.reference, texts.get(item.id, ""), path)
            counts["categories"], counts["main"] = cats, main_category_of(cats)
            meta = prediction_meta.setdefault(system, {}).setdefault(item.id, {})
            meta[SUMMARY_KEY] = counts
            meta[PATH_KEY] = path
            done += 1
    if total:
        progress.status(f"{COUNTING}: {total:,}/{total:,} pairs")
        progress.set(1.0)
