"""Load a benchmark: the references and every system's predictions, checked against each other."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.core.items import Benchmark, Item, check_kind
from reviewer.core.progress import Progress
from reviewer.formats.embedded import discard, removed_on_failure
from reviewer.formats.media_fit import check_media
from reviewer.formats.registry import Format, Loaded, ReadOptions, detect, get
from reviewer.formats.xml_page import XML_FORMATS, file_stem

_SHOWN = 5  # unknown ids listed in an error before "and N more"


def load_benchmark(
    reference: Path,
    predictions: list[tuple[str, Path]],
    options: ReadOptions,
    format_name: str | None = None,
    progress: Progress | None = None,
) -> Benchmark:
    """Read ``reference`` and each ``(system, path)`` prediction source into a Benchmark.

    Raises :class:`InputError` for duplicate item ids, predictions for ids the references
    lack, and a system name given twice. Items a system has no prediction for are allowed
    and reported in ``Benchmark.warnings``. Files a reader wrote (images embedded in a
    Parquet table) are listed in ``Benchmark.extracted``, and removed again if loading fails.
    ``progress`` hears the slow stages of reading (the fstalign-style counting of NLP calls).
    """
    extracted: list[Path] = []
    with removed_on_failure(extracted):
        bench = _load(reference, predictions, options, format_name, extracted, progress)
    bench.extracted.extend(str(p) for p in extracted)
    return bench


def discard_extracted(bench: Benchmark) -> None:
    """Remove the files reading ``bench`` wrote (its import failed or was cancelled)."""
    discard(bench.extracted)
    bench.extracted.clear()


def _load(
    reference: Path,
    predictions: list[tuple[str, Path]],
    options: ReadOptions,
    format_name: str | None,
    extracted: list[Path],
    progress: Progress | None = None,
) -> Benchmark:
    ref_format = get(format_name) if format_name else detect(reference)
    loaded = ref_format.read(reference, replace(options, role="reference"))
    extracted.extend(loaded.extracted)
    items = loaded.items
    media_warnings = check_reference(reference, loaded, options.kind)
    ref_ids = frozenset(item.id for item in items)
    systems: dict[str, dict[str, str]] = dict(loaded.predictions)
    origin: dict[str, Path] = dict.fromkeys(systems, reference)
    sources = [str(s) for s in loaded.sources or [reference]]
    warnings = list(loaded.warnings) + media_warnings
    pred_meta = dict(loaded.prediction_meta)
    for name, path in predictions:
        if name in origin:
            raise InputError(path, f"system {name!r} is given twice (also by {origin[name]})")
        pred_format = detect(path)
        opts = replace(options, role="prediction", system=name or None, known_ids=ref_ids,
                       references={item.id: item.reference for item in items})
        got = pred_format.read(path, opts)
        if not name:  # an evaluation log names its model
            name = _named_by_source(path, got)
            if name in origin:
                raise InputError(path, f"system {name!r} is given twice (also by "
                                 f"{origin[name]}); name one with --pred NAME=PATH")
        extracted.extend(got.extracted)
        texts = dict(got.predictions.get(name, {}))
        if _single_xml(ref_format, reference) and _single_xml(pred_format, path):
            texts = _pair_xml_files(reference, path, items, texts, options)
        _check_known(path, texts, ref_ids)
        systems[name] = texts
        if name in got.prediction_meta:
            pred_meta[name] = got.prediction_meta[name]
        origin[name] = path
        sources.extend(str(s) for s in got.sources or [path])
        warnings.extend(got.warnings)
    if ref_format.name == "nlp" and options.kind == "asr":
        from reviewer.formats.nlp import lattice_counts

        lattice_counts(reference, items, systems, pred_meta, options, progress)
    elif (options.normalizations or options.wer_tags or options.synonyms
          or not options.compound_hyphens or options.nlp_search != "exact"):
        raise InputError(reference, "--normalizations, --wer-tags, --synonyms, "
                         "--no-compound-hyphens and --nlp-search apply to NLP references "
                         "(.nlp files) of kind asr")
    for name, texts in systems.items():
        if missing := len(items) - len(texts):
            warnings.append(f"system {name}: {missing} items have no prediction "
                            "(scored as empty predictions)")
    return Benchmark(check_kind(options.kind), items, systems, sources, warnings,
                     source_format=ref_format.name, prediction_meta=pred_meta)


def check_reference(reference: Path, loaded: Loaded, kind: str) -> list[str]:
    """What the import checks of the items read from ``reference`` once they are read: ids
    given once, media that suit ``kind`` (see :mod:`.media_fit`). Returns the warnings about
    the media; raises :class:`InputError` for what the import refuses."""
    _check_unique(reference, loaded.items)
    return check_media(kind, loaded.items, reference, loaded.media_column)


def _named_by_source(path: Path, got: Loaded) -> str:
    """The one system a prediction source named itself."""
    if len(got.predictions) != 1:
        raise InputError(path, "cannot tell which system these predictions are; name it "
                         "with --pred NAME=PATH")
    return next(iter(got.predictions))


def _single_xml(fmt: Format, path: Path) -> bool:
    return fmt.name in XML_FORMATS and path.is_file()


def _pair_xml_files(
    reference: Path, path: Path, items: list[Item], texts: dict[str, str], options: ReadOptions
) -> dict[str, str]:
    """Match one PAGE/ALTO prediction file to one reference file whose stem differs.

    By page, the two single items are paired whatever their names; by line (or region),
    the element ids are matched, and files whose lines carry different ids cannot be paired.
    """
    ref_stem, pred_stem = file_stem(reference), file_stem(path)
    if options.unit == "page":
        if len(items) == 1 and len(texts) == 1:
            return {items[0].id: next(iter(texts.values()))}
        return texts
    renamed = {ref_stem + key[len(pred_stem):]: text for key, text in texts.items()
               if key.startswith(pred_stem + "_")}
    ref_ids = {item.id for item in items}
    if len(renamed) == len(texts) and not ref_ids.isdisjoint(renamed):
        return renamed
    ref_lines = _sample([i[len(ref_stem) + 1:] for i in sorted(ref_ids)])
    pred_lines = _sample([k[len(pred_stem) + 1:] for k in sorted(texts)])
    raise InputError(path, f"its {options.unit} ids ({pred_lines}) differ from those of "
                     f"{reference} ({ref_lines}); to compare the two pages' whole text use "
                     "--unit page")


def _check_unique(path: Path, items: list[Item]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise InputError(path, "duplicate item id", record=item.id)
        seen.add(item.id)


def _check_known(path: Path, texts: dict[str, str], ref_ids: frozenset[str]) -> None:
    unknown = [key for key in texts if key not in ref_ids]
    if not unknown:
        return
    message = (f"{len(unknown)} predictions have ids the references lack: "
               f"{_sample(unknown)}")
    pool = sorted(ref_ids)
    close = [f"{key!r} -> {match[0]!r}" for key in unknown[:3]
             if (match := difflib.get_close_matches(key, pool, n=1))]
    if close:
        message += "; did you mean " + ", ".join(close) + "?"
    raise InputError(path, message, record=unknown[0])


def _sample(ids: list[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")
