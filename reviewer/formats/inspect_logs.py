"""Inspect AI evaluation logs (``.eval`` and ``.json``), read through Inspect's own reader.

Reading needs the optional ``inspect_ai`` package (``pip install 'reviewer[inspect]'``);
without it an Inspect log is still recognised, and the import says which extra to install.

Each sample is an item (its id; the first epoch when the log holds several):

* ``--kind answer``: the question is the sample's input (the last user message of a chat
  input), the gold answers its target (a list target gives aliases), a prediction the
  model's completion, with the first scorer's ``answer`` as the harness's extracted answer.
* ``--kind choice``: the options are the sample's choices, the key its target letter(s),
  and a model's answer the letter the first scorer read (``choice()`` of
  ``multiple_choice()`` tasks); Inspect logs no option probabilities.

Every scorer's value is kept with each prediction (``harness_metrics``). The model's name
is the ``--pred`` name, else the log's model (``mockllm/model``, ``openai/gpt-4o``, ...).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reviewer.core.answers.encoding import encode_answer_prediction, encode_gold
from reviewer.core.choice_codec import encode_choice
from reviewer.core.choice_keys import LETTERS, join_key
from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.answer_cells import AnswerCellError, Gold, parse_gold
from reviewer.formats.harness_common import HARNESS_METRICS, doc_meta, read_head
from reviewer.formats.registry import Loaded, ReadOptions, register

EXTRA_HINT = "pip install 'reviewer[inspect]'"
_JSON_KEYS = (b'"version"', b'"status"', b'"eval"')


def looks_like_inspect_log(path: Path) -> bool:
    """Whether ``path`` is an Inspect log: a ``.eval`` archive, or a ``.json`` file that
    begins as Inspect writes its logs (version, status, eval)."""
    if not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix == ".eval":
        return zipfile.is_zipfile(path)
    if suffix != ".json":
        return False
    head = read_head(path, 4096)
    return head.lstrip().startswith(b"{") and all(k in head for k in _JSON_KEYS)


@register("inspect", priority=48, detect=looks_like_inspect_log,
          description="Inspect AI evaluation log (.eval or .json; needs the inspect extra; "
                      "--kind answer or choice)")
def read_inspect_log(path: Path, options: ReadOptions) -> Loaded:
    """Items and the log's answers (reference role), or the answers only (prediction role)."""
    if options.kind not in ("answer", "choice"):
        raise InputError(path, "an Inspect log holds a task's answers: import it with "
                         "--kind answer (free-form answers) or --kind choice "
                         "(multiple-choice answers)")
    log = _read(path)
    if not log.samples:
        raise InputError(path, "the log holds no samples (was it written with "
                         "--no-log-samples, or did the run fail before any finished?)")
    system = options.system or str(log.eval.model)
    read = _choice_sample if options.kind == "choice" else _answer_sample
    items: list[Item] = []
    texts: dict[str, str] = {}
    metrics: dict[str, dict[str, object]] = {}
    epochs = {sample.epoch for sample in log.samples}
    for sample in log.samples:
        item_id = str(sample.id)
        if sample.epoch != min(epochs) or item_id in texts:
            continue
        try:
            item, text = read(item_id, sample)
        except AnswerCellError as exc:
            raise InputError(path, str(exc), record=item_id) from None
        items.append(item)
        texts[item_id] = text
        scores = {name: _plain(score.value) for name, score in (sample.scores or {}).items()}
        metrics[item_id] = {HARNESS_METRICS: scores}
    warnings = []
    if len(epochs) > 1:
        warnings.append(f"{path}: the log holds {len(epochs)} epochs; the first one's answers "
                        "are imported")
    loaded = Loaded(predictions={system: texts}, prediction_meta={system: metrics},
                    warnings=warnings, sources=[path])
    if options.role == "reference":
        loaded.items = items
    return loaded


def _read(path: Path) -> Any:
    """The log, through ``inspect_ai.log.read_eval_log``."""
    try:
        from inspect_ai.log import read_eval_log
    except ImportError:
        raise InputError(path, "reading Inspect AI logs needs the inspect extra: "
                         f"{EXTRA_HINT}") from None
    # Inspect raises many types for a log it cannot read (pydantic, zip, JSON errors).
    try:
        return read_eval_log(str(path))
    except Exception as exc:
        raise InputError(path, f"Inspect cannot read this log: {exc}") from None


def _question(sample: Any) -> str:
    """The sample's input as text: a string, or its last user message."""
    given = sample.input
    if isinstance(given, str):
        return given
    users = [m for m in given if getattr(m, "role", "") == "user"] or list(given)
    return str(users[-1].text) if users else ""


def _first_score(sample: Any) -> Any:
    scores = sample.scores or {}
    return next(iter(scores.values()), None)


def _plain(value: Any) -> Any:
    """A score value as JSON can store it."""
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def _gold(target: Any) -> Gold:
    if isinstance(target, list):
        return Gold(tuple(dict.fromkeys(str(t).strip() for t in target if str(t).strip())))
    return parse_gold(str(target))


def _answer_sample(item_id: str, sample: Any) -> tuple[Item, str]:
    gold = _gold(sample.target)
    meta: list[tuple[str, str]] = [("question", _question(sample))]
    if gold.rationale:
        meta.append(("rationale", gold.rationale))
    meta += doc_meta(sample.metadata or {}, ("question",))
    score = _first_score(sample)
    harness = None if score is None or score.answer is None else str(score.answer)
    output = sample.output.completion if sample.output is not None else ""
    return (Item(item_id, encode_gold(gold.aliases), None, tuple(meta)),
            encode_answer_prediction(output, harness))


def _choice_sample(item_id: str, sample: Any) -> tuple[Item, str]:
    options: Sequence[str] = sample.choices or []
    if not options:
        raise AnswerCellError("the sample has no choices (a free-form task? import it with "
                              "--kind answer)")
    if len(options) > len(LETTERS):
        raise AnswerCellError(f"{len(options)} choices; at most {len(LETTERS)} can be "
                              "lettered")
    targets = sample.target if isinstance(sample.target, list) else [sample.target]
    key = join_key([str(t) for t in targets])
    if any(x not in LETTERS[:len(options)] for x in key.split("|") if x):
        raise AnswerCellError(f"the target {sample.target!r} names no choice letter")
    meta: list[tuple[str, str]] = [("question", _question(sample)),
                                   ("options", json.dumps(list(options), ensure_ascii=False))]
    meta += doc_meta(sample.metadata or {}, ("question", "options"))
    score = _first_score(sample)
    answer = str(score.answer or "").strip().upper() if score is not None else ""
    letter = answer if len(answer) == 1 and answer in LETTERS[:len(options)] else ""
    return Item(item_id, key, None, tuple(meta)), encode_choice(letter)
