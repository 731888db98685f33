"""The scores' shape: what ``reviewer score --format json`` prints (DESIGN §6).

These are ``TypedDict``s, not dataclasses: the scores *are* their JSON, written with
:func:`json.dumps` in the key order the kinds build it, and every reader (the HTML report,
the statistics dock, the terminal tables, the export manifest) gets fields mypy checks.
Keys only some kinds have are ``NotRequired`` and say which kind fills them. (No postponed
annotations here: the tests read which keys are required at run time.)
"""

from typing import Any, Literal, NotRequired, TypedDict, cast

from reviewer.core.items import Kind

# "current": every item, each against its corrected reference where it has one.
ScoreSet = Literal["original", "cleaned", "current"]


class Interval(TypedDict):
    """A value with its interval; ``None`` where it is undefined (no items, no units)."""

    value: float | None
    low: float | None
    high: float | None


class Metric(Interval):
    """A headline metric of one system; which counts it carries depends on the metric."""

    errors: NotRequired[int]  # rates and accuracies: errors (wrong answers) ...
    units: NotRequired[int]  # ... over reference units (items)
    correct: NotRequired[int]  # accuracy: right answers
    interval: NotRequired[str]  # accuracy: the interval method (beta, wilson, ...)
    substitutions: NotRequired[int]  # edit rates (CER, WER, SER): S/D/I/H totals
    deletions: NotRequired[int]
    insertions: NotRequired[int]
    hits: NotRequired[int]
    classes: NotRequired[int]  # label macro-F1: classes averaged over
    gt_symbols: NotRequired[int]  # kern OMR-NED: symbols of the references ...
    pred_symbols: NotRequired[int]  # ... and of the predictions


class SpeakerRate(Metric):
    """asr: one speaker's WER and how many of its utterances were scored."""

    items: int


class ClassRate(Interval):
    """label: a class's precision or recall, with ``hits`` right of ``of``."""

    hits: NotRequired[int]
    of: NotRequired[int]


class ClassScores(TypedDict):
    """label: one class's support, how often it was predicted, and its P/R/F1."""

    support: int
    predicted: int
    precision: ClassRate
    recall: ClassRate
    f1: Interval


class Confusion(TypedDict):
    """label: the confusion matrix (gold rows, predicted columns) and missing answers."""

    labels: list[str]
    matrix: list[list[int]]
    no_prediction: list[int]


class ConfusionPair(TypedDict):
    """label: how often ``gold`` was predicted as ``predicted``."""

    gold: str
    predicted: str
    count: int


class GecScores(TypedDict):
    """gec: P/R/F0.5 with intervals and the TP/FP/FN they come from (one scoring mode)."""

    f0_5: Interval
    precision: Interval
    recall: Interval
    tp: int
    fp: int
    fn: int


class GecDetection(TypedDict):
    """gec: the two detection modes of errant_compare."""

    span: GecScores
    token: GecScores


class OmrNedStatus(TypedDict):
    """kern: how many pairs have OMR-NED, wait for it, or have none."""

    computed: int
    pending: int
    failed: int
    syntax_errors_fixed: int


# A category's count: errors (most kinds) or [TP, FP, FN] (gec's ERRANT types).
CategoryCount = int | list[int]


class EntityRate(TypedDict):
    """One entity class's WER (asr with NLP references), as fstalign counts it."""

    value: float | None  # None: no reference words of the class
    errors: int
    units: int


class SystemScores(TypedDict):
    """One system's scores in a :class:`Scores`, in the order the JSON has them."""

    name: str
    items_scored: int
    missing: int  # items without a prediction of this system
    # Headline metrics by id, in the kind's order (gec also keeps its span-based correction
    # TP/FP/FN here: read them with :func:`gec_scores`).
    metrics: dict[str, Metric]
    categories: dict[str, CategoryCount]
    speakers: NotRequired[dict[str, SpeakerRate]]  # asr, when items name their speaker
    per_class: NotRequired[dict[str, ClassScores]]  # label
    confusion: NotRequired[Confusion]  # label
    confusions: NotRequired[list[ConfusionPair]]  # label, most frequent first
    operations: NotRequired[dict[str, list[int]]]  # gec: [TP, FP, FN] per M/R/U
    main_types: NotRequired[dict[str, list[int]]]  # gec: [TP, FP, FN] per main type
    detection: NotRequired[GecDetection]  # gec
    omr_ned_status: NotRequired[OmrNedStatus]  # kern
    matchers: NotRequired[dict[str, int]]  # answer: items judged by each matcher
    # asr with NLP references: WER as fstalign counts it, and per entity class
    fstalign: NotRequired[dict[str, Any]]
    entities: NotRequired[dict[str, EntityRate]]


class Scores(TypedDict):
    """Every system's scores on one set of a project (``reviewer score --format json``)."""

    project: str
    kind: Kind
    set: ScoreSet
    normalize: str
    items: int  # items in the set
    confidence: float
    primary_metric: str  # the metric id that ranks systems
    systems: list[SystemScores]
    extract: NotRequired[str]  # answer: the extraction preset
    matcher: NotRequired[str]  # answer: the matcher ('': the default rule)
    missing_predictions: NotRequired[str]  # kern, when not the default: "skip"
    gec_grouping: NotRequired[str]  # gec, when not the default: "errant"


def gec_scores(system: SystemScores) -> GecScores:
    """A gec system's span-based correction scores (its ``metrics``, TP/FP/FN included)."""
    return cast(GecScores, system["metrics"])


def category_counts(system: SystemScores) -> dict[str, int]:
    """A system's categories as error counts (every kind but gec; see ``errors_by_category``)."""
    return cast(dict[str, int], system["categories"])


def gec_categories(system: SystemScores) -> dict[str, list[int]]:
    """A gec system's [TP, FP, FN] per ERRANT type."""
    return cast(dict[str, list[int]], system["categories"])
