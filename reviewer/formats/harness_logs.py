"""lm-evaluation-harness per-sample logs (``lm_eval ... --log_samples``).

The harness writes, per task, ``<output>/<model>/samples_<task>_<date>.jsonl``: one JSON
object per document and answer filter, with the document (``doc``), the ``target``, the
requests' ``arguments``, the model's responses (``resps``), the filtered responses
(``filtered_resps``) and each per-sample metric (``exact_match``, ``acc``, ...). Beside it,
``results_<date>.json`` names the model.

* ``--kind answer`` (``generate_until`` tasks): a prediction is the raw generation, with
  the filter's answer as the harness's extracted answer (``[invalid]`` when its pattern
  found none). The gold answers are the target (a list target gives aliases; GSM8K's
  ``… #### 18`` gives ``18`` and the rationale before it).
* ``--kind choice`` (``multiple_choice`` tasks): the options are the requests'
  continuations, the key is the target's option, and a model's answer is the option with
  the highest log-likelihood, stored with the softmax of the log-likelihoods as its option
  probabilities (:mod:`reviewer.core.choice_codec`).

A log holding several filters (GSM8K's ``strict-match`` and ``flexible-extract``) gives the
harness's answer of the first one; the per-sample metrics of that filter are kept with each
prediction (``harness_metrics``). The model's name is the ``--pred`` name, else the
``model_name`` of the run's ``results_<date>.json``, else the run's folder name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.core.answers.encoding import encode_answer_prediction, encode_gold
from reviewer.core.choice_codec import encode_choice, from_loglikelihoods
from reviewer.core.choice_keys import LETTERS, join_key
from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.answer_cells import AnswerCellError, parse_gold
from reviewer.formats.harness_common import HARNESS_METRICS, doc_meta, model_from_args, read_head
from reviewer.formats.registry import Loaded, ReadOptions, register
from reviewer.formats.tableparse import parse_jsonl

SAMPLES_START = '{"doc_id":'  # how every line the harness writes begins
QUESTION_KEYS = ("question", "problem", "query", "prompt", "input", "text", "goal", "ctx")
CONTEXT_KEYS = ("context", "passage", "paragraph", "document")


def looks_like_samples(path: Path) -> bool:
    """Whether ``path`` is a ``.jsonl`` file the harness's sample logger wrote."""
    if not (path.is_file() and path.suffix.lower() == ".jsonl"):
        return False
    head = read_head(path, 64)
    return head.lstrip().startswith(SAMPLES_START.encode())


@register("lm-eval", priority=48, detect=looks_like_samples,
          description="lm-evaluation-harness --log_samples output "
                      "(samples_<task>_<date>.jsonl; --kind answer or choice)")
def read_samples(path: Path, options: ReadOptions) -> Loaded:
    """Items and the run's answers (reference role), or the answers only (prediction role)."""
    if options.kind not in ("answer", "choice"):
        raise InputError(path, "an lm-evaluation-harness log holds a task's answers: import it "
                         "with --kind answer (generated answers) or --kind choice "
                         "(multiple-choice log-likelihoods)")
    samples, warnings = _samples(path)
    system = options.system or run_model_name(path)
    read = _choice_sample if options.kind == "choice" else _answer_sample
    items: list[Item] = []
    texts: dict[str, str] = {}
    metrics: dict[str, dict[str, object]] = {}
    for line, record in samples:
        item_id = str(record["doc_id"])
        try:
            item, text = read(record)
        except AnswerCellError as exc:
            raise InputError(path, str(exc), line=line, record=item_id) from None
        items.append(item)
        texts[item_id] = text
        scores = {m: record[m] for m in _metric_names(record) if m in record}
        metrics[item_id] = {HARNESS_METRICS: scores}
    loaded = Loaded(predictions={system: texts}, prediction_meta={system: metrics},
                    warnings=warnings, sources=[path])
    if options.role == "reference":
        loaded.items = items
    return loaded


def run_model_name(path: Path) -> str:
    """The model of the run that wrote ``path``: ``results_<date>.json``'s ``model_name``
    (or its ``config.model_args``), else the run's folder name."""
    date = path.stem.rpartition("_")[2]
    candidates = [path.with_name(f"results_{date}.json"),
                  *sorted(path.parent.glob("results_*.json"), reverse=True)]
    for results in candidates:
        if not results.is_file():
            continue
        try:
            data = json.loads(results.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            continue
        if not isinstance(data, dict):
            continue
        name = data.get("model_name")
        if isinstance(name, str) and name.strip():
            return name.strip()
        config = data.get("config")
        if isinstance(config, dict) and (found := model_from_args(config.get("model_args"))):
            return found
    return path.resolve().parent.name or path.stem


# -- the samples ---------------------------------------------------------------------------
def _samples(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """``(line, sample)`` of the first filter, in file order, and warnings."""
    table = parse_jsonl(path)
    header = table.header
    missing = [k for k in ("doc_id", "doc", "target", "resps", "filtered_resps")
               if k not in header]
    if missing:
        raise InputError(path, "not an lm-evaluation-harness sample log: no "
                         + ", ".join(missing) + " in its records")
    filters: dict[str, None] = {}
    out: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        record = {k: _value(c) for k, c in zip(header, cells, strict=True)}
        chosen = str(record.get("filter") or "none")
        filters.setdefault(chosen, None)
        if chosen != next(iter(filters)):
            continue
        item_id = str(record["doc_id"])
        if item_id in seen:
            raise InputError(path, f"document {item_id} appears twice for filter {chosen!r} "
                             f"(also on line {seen[item_id]})", line=line, record=item_id)
        seen[item_id] = line
        out.append((line, record))
    warnings = []
    if len(filters) > 1:
        names = list(filters)
        warnings.append(f"{path}: the log holds the filters {', '.join(names)}; the "
                        f"harness's answers and metrics are those of {names[0]!r}")
    return out, warnings


def _value(cell: str | None) -> Any:
    """A JSONL cell back as the JSON value it was (the table parser keeps text)."""
    if cell is None or cell[:1] not in "[{":
        return cell
    try:
        return json.loads(cell)
    except (ValueError, RecursionError):
        return cell


def _metric_names(record: Mapping[str, Any]) -> list[str]:
    names = record.get("metrics")
    return [str(n) for n in names] if isinstance(names, list) else []


def _arguments(record: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The requests' ``(context, continuation or generation settings)``, in order."""
    args = record.get("arguments")
    out: list[tuple[str, Any]] = []
    if isinstance(args, dict):
        for k in range(len(args)):
            request = args.get(f"gen_args_{k}")
            if isinstance(request, dict):
                out.append((str(request.get("arg_0", "")), request.get("arg_1")))
    elif isinstance(args, list):  # older harness versions kept the raw lists
        out = [(str(a[0]), a[1] if len(a) > 1 else None) for a in args
               if isinstance(a, list) and a]
    return out


@dataclass(frozen=True, slots=True)
class _Doc:
    question: str
    context: str
    meta: tuple[tuple[str, str], ...]


def _doc(record: Mapping[str, Any]) -> _Doc:
    """The question, passage and other fields of a sample's document."""
    doc = record.get("doc")
    doc = doc if isinstance(doc, dict) else {}
    question_key = next((k for k in QUESTION_KEYS if isinstance(doc.get(k), str)), None)
    context_key = next((k for k in CONTEXT_KEYS if isinstance(doc.get(k), str)), None)
    args = _arguments(record)
    question = doc[question_key] if question_key else (args[0][0] if args else "")
    context = doc[context_key] if context_key else ""
    used = {question_key, context_key}
    return _Doc(question, context, doc_meta(doc, used))


def _answer_sample(record: Mapping[str, Any]) -> tuple[Item, str]:
    """A ``generate_until`` sample: the item and the stored prediction."""
    resps = record.get("resps")
    if not (isinstance(resps, list) and (not resps or isinstance(resps[0], list | str))):
        raise AnswerCellError("its responses are not generated text")
    first = resps[0] if resps else ""
    output = first[0] if isinstance(first, list) and first else first
    if not isinstance(output, str):
        raise AnswerCellError("its responses are not generated text (a multiple-choice "
                              "task's log-likelihoods? import it with --kind choice)")
    filtered = record.get("filtered_resps")
    harness = filtered[0] if isinstance(filtered, list) and filtered else filtered
    doc = _doc(record)
    gold = parse_gold(str(record.get("target") or ""))
    meta: list[tuple[str, str]] = [("question", doc.question)]
    if doc.context:
        meta.append(("context", doc.context))
    if gold.rationale:
        meta.append(("rationale", gold.rationale))
    meta += doc.meta
    item = Item(str(record["doc_id"]), encode_gold(gold.aliases), None, tuple(meta))
    return item, encode_answer_prediction(output, None if harness is None else str(harness))


def _choice_sample(record: Mapping[str, Any]) -> tuple[Item, str]:
    """A ``multiple_choice`` sample: the item (options from the continuations) and the
    model's answer with its option probabilities."""
    args = _arguments(record)
    if not args or not all(isinstance(cont, str) for _, cont in args):
        raise AnswerCellError("its requests are not scored options (a generation task? "
                              "import it with --kind answer)")
    options = [str(cont).strip() for _, cont in args]
    if len(options) > len(LETTERS):
        raise AnswerCellError(f"{len(options)} options; at most {len(LETTERS)} can be "
                              "lettered")
    logliks = _logliks(record.get("filtered_resps"), len(options))
    letter, probs = from_loglikelihoods(logliks)
    doc = _doc(record)
    key = _key(record.get("target"), options)
    meta: list[tuple[str, str]] = [("question", doc.question),
                                   ("options", json.dumps(options, ensure_ascii=False))]
    meta += doc.meta
    item = Item(str(record["doc_id"]), key, None, tuple(meta))
    return item, encode_choice(letter, probs)


def _logliks(filtered: Any, count: int) -> list[float]:
    """The per-option log-likelihoods of ``filtered_resps`` (``[[ll, is_greedy], ...]``)."""
    if not isinstance(filtered, list) or len(filtered) != count:
        raise AnswerCellError(f"its filtered responses are not {count} option scores")
    out = []
    for entry in filtered:
        value = entry[0] if isinstance(entry, list) and entry else entry
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise AnswerCellError(f"the option score {value!r} is not a number") from None
        if number != number or number == float("inf"):
            raise AnswerCellError(f"the option score {value!r} is not a log-likelihood")
        out.append(number)
    return out


def _key(target: Any, options: Sequence[str]) -> str:
    """The key's letters of a target: an option index, an option's text or a list of
    indices."""
    text = str(target if target is not None else "").strip()
    values: list[str] = []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            parsed = None
        values = [str(v) for v in parsed] if isinstance(parsed, list) else []
    letters = [_letter(v, options) for v in (values or [text])]
    if not all(letters):
        raise AnswerCellError(f"the target {text[:40]!r} names no option (options: "
                              + ", ".join(repr(o) for o in options[:6]) + ")")
    return join_key([x for x in letters if x])


def _letter(value: str, options: Sequence[str]) -> str:
    value = value.strip()
    if value.isdigit() and int(value) < len(options):
        return LETTERS[int(value)]
    if value in options:
        return LETTERS[options.index(value)]
    return ""
