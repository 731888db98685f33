"""What the ``answer`` view shows of each model on one item, read from the project.

Every model's raw output, the answer reviewer extracted from it (with its offsets), whether
it is right against the current gold (the corrected one, if any) and against the imported
gold, its category, and the evaluation harness's own answer where the log holds one. The
answers are then grouped as the suspicion ranking groups them
(:mod:`reviewer.core.answers.suspicion`): every right answer in one group, every wrong one
by its normalised form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reviewer.core.answers.encoding import decode_answer_prediction
from reviewer.core.answers.extra import pair_extra
from reviewer.core.answers.suspicion import GOLD, answer_group
from reviewer.core.counts import PairCounts
from reviewer.core.errors import ProjectError
from reviewer.core.kinds import spec
from reviewer.store.project import Project

NO_ANSWER = "no_answer"  # the category of an output without an answer, or a refusal


@dataclass(frozen=True, slots=True)
class ModelAnswer:
    """One model's answer to the item."""

    system: str
    number: int  # 1-based place among the project's models (Shift+number picks its answer)
    has_prediction: bool
    output: str  # the raw output ('' without a prediction)
    answer: str | None  # what reviewer extracted (None: nothing)
    span: tuple[int, int] | None  # its offsets into ``output``
    rule: str  # the extraction rule that found it ('' when none did)
    right: bool  # against the current gold
    right_originally: bool  # against the imported gold
    category: str  # '' for a right answer with nothing to note
    harness_answer: str | None  # the log's own extracted answer (None: the log holds none)
    harness_right: bool | None

    @property
    def gave_answer(self) -> bool:
        """Whether the model answered: something was extracted and it is no refusal."""
        return (self.has_prediction and self.answer is not None and bool(self.answer.strip())
                and self.category != NO_ANSWER)

    @property
    def disagrees(self) -> bool:
        """Whether the harness extracted another answer than reviewer did."""
        return self.category == "extraction_disagrees"


@dataclass(frozen=True, slots=True)
class AnswerGroup:
    """Models that gave one answer: right ones together, wrong ones by normalised form."""

    text: str  # the answer as most of its models wrote it
    models: tuple[ModelAnswer, ...]
    right: bool  # right against the current gold
    right_originally: bool  # right against the imported gold

    @property
    def first(self) -> ModelAnswer:
        """The first model that gave the answer (whose answer a pick takes)."""
        return self.models[0]


def read_answers(project: Project, systems: Sequence[str], item_id: str,
                 corrected: str | None) -> list[ModelAnswer]:
    """Every model's answer to ``item_id`` (in ``systems`` order); ``corrected``: the
    corrected gold, if any, that "right" is judged against."""
    reference = project.item(item_id).reference
    out = []
    for number, system in enumerate(systems, start=1):
        text = project.prediction(system, item_id)
        original = _counts(project, system, item_id, "original", reference, text)
        current = original if corrected is None else _counts(
            project, system, item_id, "cleaned", corrected, text)
        extra = pair_extra(current)
        answer = extra.get("answer")
        span = extra.get("span")
        harness = extra.get("harness_answer")
        out.append(ModelAnswer(
            system, number, text is not None, decode_answer_prediction(text).output,
            answer if isinstance(answer, str) else None,
            (int(span[0]), int(span[1])) if isinstance(span, list) and len(span) == 2 else None,
            str(extra.get("rule") or ""), current.main_errors == 0, original.main_errors == 0,
            current.main_category, harness if isinstance(harness, str) else None,
            extra.get("harness_right") if "harness_right" in extra else None))
    return out


def _counts(project: Project, system: str, item_id: str, variant: str, reference: str,
            text: str | None) -> PairCounts:
    """The stored score of the pair, or the pair scored now when none is stored."""
    try:
        return project.alignment_row(system, item_id, variant).counts
    except ProjectError:
        return spec("answer").score_pair(reference, text or "", project.score_options)


def answer_groups(answers: Sequence[ModelAnswer]) -> list[AnswerGroup]:
    """The distinct answers the models gave (models without an answer or that refused are
    left out), the most given first, then the right one, then in model order."""
    members: dict[str, list[ModelAnswer]] = {}
    for a in answers:
        if a.gave_answer and a.answer is not None:
            members.setdefault(GOLD if a.right else answer_group(a.answer), []).append(a)
    groups = []
    for models in members.values():
        texts = Counter(m.answer for m in models if m.answer is not None)
        groups.append(AnswerGroup(texts.most_common(1)[0][0], tuple(models),
                                  models[0].right, any(m.right_originally for m in models)))
    return sorted(groups, key=lambda g: (-len(g.models), not g.right, g.first.number))


# -- the raw output, shortened around the answer -----------------------------------------
MAX_OUTPUT_CHARS = 4000  # longer outputs show their start and the part around the answer
HEAD_CHARS = 600


def output_segments(output: str, span: tuple[int, int] | None,
                    limit: int = MAX_OUTPUT_CHARS) -> list[tuple[str, str]]:
    """``(role, text)`` pieces of ``output`` to show: ``text``, ``answer`` (the extracted
    span) and ``gap`` (how many characters are left out of a long output: its start and the
    part ending at the answer, or its end, are shown)."""
    start, end = span if span is not None and 0 <= span[0] <= span[1] <= len(output) else (
        len(output), len(output))
    pieces = [("text", output[:start]), ("answer", output[start:end]), ("text", output[end:])]
    if len(output) > limit:
        tail_from = max(HEAD_CHARS, min(start, len(output)) - (limit - HEAD_CHARS) // 2)
        tail_to = min(len(output), tail_from + limit - HEAD_CHARS)
        pieces = _cut(pieces, [(0, HEAD_CHARS), (tail_from, tail_to)], len(output))
    return [(role, text) for role, text in pieces if text]


def _cut(pieces: list[tuple[str, str]], keep: Sequence[tuple[int, int]],
         total: int) -> list[tuple[str, str]]:
    """``pieces`` within the ranges ``keep`` (ordered, not overlapping), each range left
    out said as a ``gap`` of so many characters."""
    out: list[tuple[str, str]] = []
    shown_to = 0
    for lo, hi in keep:
        if lo > shown_to:
            out.append(("gap", f"{lo - shown_to:,}"))
        pos = 0
        for role, text in pieces:
            a, b = max(lo, pos), min(hi, pos + len(text))
            if a < b:
                out.append((role, text[a - pos:b - pos]))
            pos += len(text)
        shown_to = hi
    if shown_to < total:
        out.append(("gap", f"{total - shown_to:,}"))
    return out
