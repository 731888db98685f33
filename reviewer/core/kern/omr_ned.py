"""OMR-NED of a (reference, prediction) pair, computed by musicdiff called as a library.

The same route as musicdiff's batch mode (``--ml_training_evaluation``): converter21 reads
the reference strictly and the prediction with ``acceptSyntaxErrors`` (repairs counted as
"bad kern syntax"); ``AnnScore`` at the default detail level; ``annotated_scores_diff``
(prediction, reference); ``get_edit_distances_dict`` for the categories. OMR-NED is the
edit cost over the symbols of both scores; a corpus's is Σ cost / Σ symbols.

music21 is heavy and musicdiff slow on long scores, so :func:`compute_many` runs pairs in
spawned worker processes (:mod:`reviewer.core.kern.workers`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Hashable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any

from reviewer.core.cluster import Cluster, Workers, map_units
from reviewer.core.kern.workers import Failure, WorkerPool
from reviewer.core.progress import Progress

# Raise when the mapping of edits to kern locations changes: cached results are redone.
MAPPING_VERSION = 1
# The error of a pair that overran the time or memory limit (no number: not a wrong one).
NOT_COMPUTED = "not computed:"
COMPARE = "reviewer.core.kern.omr_ned:compare"  # what the worker processes run on a pair
_PACKAGES = ("musicdiff", "converter21", "music21")


_ENGINE: list[str] = []


def engine() -> str:
    """What computed a result: package versions and the mapping version (part of cache keys)."""
    if _ENGINE:
        return _ENGINE[0]
    parts = []
    for name in _PACKAGES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    _ENGINE.append(", ".join(parts) + f"; mapping {MAPPING_VERSION}")
    return _ENGINE[0]


def pair_key(reference: str, prediction: str) -> str:
    """The content hash a pair's OMR-NED is cached under (the engine is part of it)."""
    h = hashlib.sha256(engine().encode())
    for text in (reference, prediction):
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class OmrOp:
    """One musicdiff edit: its name, category, cost and kern locations on each side."""

    op: str
    category: str
    cost: int
    pred: tuple[tuple[int, int], ...] = ()
    gt: tuple[tuple[int, int], ...] = ()

    @property
    def mapped(self) -> bool:
        return bool(self.pred or self.gt)


@dataclass(frozen=True, slots=True)
class OmrResult:
    """musicdiff's verdict on one pair; ``error`` says why there is none."""

    ed: int = 0
    gt_symbols: int = 0
    pred_symbols: int = 0
    syntax_fixed: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    ops: tuple[OmrOp, ...] = ()
    error: str = ""
    seconds: float = 0.0

    @property
    def symbols(self) -> int:
        return self.gt_symbols + self.pred_symbols

    @property
    def value(self) -> float | None:
        """OMR-NED; ``None`` when it could not be computed."""
        if self.error:
            return None
        return self.ed / self.symbols if self.symbols else 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @staticmethod
    def from_json(blob: str) -> OmrResult:
        data = json.loads(blob)
        ops = tuple(OmrOp(o["op"], o["category"], o["cost"],
                          tuple(tuple(x) for x in o["pred"]), tuple(tuple(x) for x in o["gt"]))
                    for o in data.pop("ops", []))
        return OmrResult(**data, ops=ops)


def compare(pair: tuple[str, str]) -> OmrResult:
    """OMR-NED of ``(reference, prediction)`` kern texts (the worker-process entry point)."""
    start = time.perf_counter()
    try:
        result = _compare(*pair)
    except RecursionError:
        result = OmrResult(error="musicdiff ran out of stack on this pair")
    seconds = round(time.perf_counter() - start, 4)
    return OmrResult(result.ed, result.gt_symbols, result.pred_symbols, result.syntax_fixed,
                     result.categories, result.ops, result.error, seconds)


def _parse(text: str, accept_errors: bool) -> tuple[Any, Any]:
    """``(music21 score, converter21 HumdrumFile or None)``; an empty score if unreadable."""
    import music21 as m21
    from converter21.humdrum import HumdrumFileSet

    try:
        files = HumdrumFileSet(acceptSyntaxErrors=accept_errors)
        files.readString(text)
        score = files.createMusic21Stream()
    except Exception:
        if not accept_errors:
            raise
        return m21.stream.Score(), None
    if isinstance(score, m21.stream.Opus):  # as batch mode: the first score of the file
        score = score.scores[0]
    return score, files.humdrumFiles[0] if files.humdrumFiles else None


def _compare(reference: str, prediction: str) -> OmrResult:
    import converter21
    from musicdiff import DetailLevel
    from musicdiff.annotation import AnnScore
    from musicdiff.comparison import Comparison
    from musicdiff.visualization import Visualization

    from reviewer.core.kern.locate import Locator

    converter21.register()
    try:
        gt_score, gt_file = _parse(reference, accept_errors=False)
    except Exception as exc:
        return OmrResult(error=f"converter21 cannot read the reference: {exc}")
    if not list(gt_score.parts):
        return OmrResult(error="converter21 found no staff in the reference")
    pred_score, pred_file = _parse(prediction, accept_errors=True)
    detail = DetailLevel.Default
    ann_pred, ann_gt = AnnScore(pred_score, detail), AnnScore(gt_score, detail)
    op_list, cost = Comparison.annotated_scores_diff(ann_pred, ann_gt)
    named = Visualization.get_edit_distances_dict(op_list, ann_pred.num_syntax_errors_fixed,
                                                  detail)
    categories = {k.removesuffix(" OMR-ED"): int(v) for k, v in named.items() if v}
    pred_at, gt_at = Locator(pred_score, pred_file), Locator(gt_score, gt_file)
    ops = []
    for op in op_list:
        one = Visualization.get_edit_distances_dict([op], 0, detail)
        category = next((k for k, v in one.items() if v), next(iter(one)))
        ops.append(OmrOp(op[0], category.removesuffix(" OMR-ED"), int(op[3]),
                         tuple(pred_at.locate(op[1])), tuple(gt_at.locate(op[2]))))
    return OmrResult(int(cost), ann_gt.notation_size(), ann_pred.notation_size(),
                     int(ann_pred.num_syntax_errors_fixed), categories, tuple(ops))


def compute_many(pairs: Iterable[tuple[Hashable, tuple[str, str]]], workers: Workers = 1,
                 progress: Progress | None = None, timeout: float | None = None,
                 memory: int | None = None) -> Iterator[tuple[Hashable, OmrResult]]:
    """``(key, result)`` of each ``(key, (reference, prediction))``, as each is done.

    Pairs run in ``workers`` spawned processes (running :data:`COMPARE`), each limited to
    ``memory`` bytes of address space (``None``: no limit), or on a ``workers``
    :class:`~reviewer.core.cluster.Cluster` (whose workers' own memory limit holds, see
    :func:`~reviewer.core.cluster.map_units`). A pair that overruns
    ``timeout`` seconds or the memory gets a result whose ``error`` starts with
    :data:`NOT_COMPUTED` ("not computed: took longer than 120 s"); a pair whose worker dies
    otherwise, one starting "musicdiff failed:". The other pairs go on. Cancelling raises
    :class:`~reviewer.core.errors.Cancelled`.
    """
    with ExitStack() as stack:
        if isinstance(workers, Cluster):
            results = map_units(workers, COMPARE, pairs, progress, timeout)
        else:
            pool = stack.enter_context(WorkerPool(COMPARE, workers or 1, memory=memory))
            results = pool.run(pairs, progress, timeout)
        for key, result in results:
            if isinstance(result, Failure):
                prefix = NOT_COMPUTED if result.limit else "musicdiff failed:"
                result = OmrResult(error=f"{prefix} {result.reason}")
            yield key, result
