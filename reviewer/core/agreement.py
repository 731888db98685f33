"""Agreement between annotators: Cohen's kappa and Krippendorff's alpha (nominal), per question.

Both coefficients measure agreement beyond what chance would give, so both are
*undefined* when chance alone explains everything: when every rating falls in one
category, observed and expected agreement are both perfect and the ratio is 0/0.
They are then ``None``, and the result says why; they are never silently 1 or 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer.core.decisions import Decision

MARKED, NOT_MARKED = "yes", "no"


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two annotators, from one ``(first, second)`` rating per item.

    ``κ = (p_o − p_e) / (1 − p_e)``, where ``p_o`` is the share of items rated alike and
    ``p_e = Σ_c p₁(c)·p₂(c)`` the agreement expected from each annotator's own category
    frequencies. Undefined (``None``) without items, or when ``p_e = 1``: both
    annotators used one and the same category for every item (see :func:`kappa_reason`).
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def kappa_reason(pairs: Sequence[tuple[str, str]]) -> str | None:
    """Why :func:`cohen_kappa` is ``None`` for ``pairs`` (``None`` when it is defined)."""
    if not pairs:
        return "no item was rated by both annotators"
    values = {v for pair in pairs for v in pair}
    if len(values) == 1:
        return f"undefined: every rating is {next(iter(values))!r}"
    return None


def krippendorff_alpha(units: Sequence[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha for nominal data, any number of annotators, missing ratings allowed.

    Each unit lists the value each annotator gave (``None``: not rated); units with
    fewer than two ratings cannot be paired and are skipped. With ``n_uc`` the number
    of ratings ``c`` in unit ``u``, ``m_u`` its number of ratings, ``n_c = Σ_u n_uc``
    and ``n = Σ_c n_c`` over the pairable units:

    ``α = 1 − (n − 1) · Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1)  /  (n² − Σ_c n_c²)``

    which is ``1 − D_o / D_e`` written out for the coincidence matrix (the numerator
    sums its off-diagonal cells, the denominator their expected values). Undefined
    (``None``) with no pairable unit, or when every pairable rating is one category
    (``D_e = 0``; see :func:`alpha_reason`).
    """
    totals: Counter[str] = Counter()
    disagreeing = 0.0
    for unit in units:
        counts = Counter(v for v in unit if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        totals.update(counts)
        disagreeing += (m * m - sum(k * k for k in counts.values())) / (m - 1)
    n = sum(totals.values())
    expected = n * n - sum(k * k for k in totals.values())
    if n == 0 or expected == 0:
        return None
    return 1 - (n - 1) * disagreeing / expected


def alpha_reason(units: Sequence[Sequence[str | None]]) -> str | None:
    """Why :func:`krippendorff_alpha` is ``None`` for ``units`` (``None`` when it is defined)."""
    pairable = [[v for v in u if v is not None] for u in units]
    values = {v for u in pairable if len(u) >= 2 for v in u}
    if not values:
        return "no item was rated by two annotators"
    if len(values) == 1:
        return f"undefined: every rating is {next(iter(values))!r}"
    return None


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement on one question (the verdict, or whether an error type applies).

    ``kappa`` is given only with exactly two annotators (``None`` otherwise, without a
    reason); ``alpha`` with two or more. ``reason`` says why a coefficient that applies is
    ``None``: no item rated by two annotators, or every rating the same category.
    """

    question: str
    n_items: int
    kappa: float | None
    alpha: float | None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "n_items": self.n_items, "kappa": self.kappa,
                "alpha": self.alpha, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class AnnotatorAgreement:
    """Agreement on the verdict (nominal) and per error type (marked it or not)."""

    annotators: tuple[str, ...]
    verdict: Agreement
    error_types: tuple[Agreement, ...]

    @property
    def n_items(self) -> int:
        """Items that at least two annotators gave a verdict."""
        return self.verdict.n_items

    def to_dict(self) -> dict[str, Any]:
        return {"annotators": list(self.annotators), "n_items": self.n_items,
                "verdict": self.verdict.to_dict(),
                "error_types": [a.to_dict() for a in self.error_types]}


def annotator_agreement(decisions: Mapping[str, Mapping[str, Decision]]) -> AnnotatorAgreement:
    """The agreement in ``decisions``: annotator → item id → that annotator's decision.

    An annotator has rated an item when their decision on it has a verdict. The verdict
    question compares verdicts; each error type ``X`` that anyone gave becomes a binary
    question, "did the annotator mark ``X``", asked of the same items.
    """
    annotators = tuple(sorted(a for a, items in decisions.items()
                              if any(s.verdict is not None for s in items.values())))
    rated = Counter(item for a in annotators for item, s in decisions[a].items()
                    if s.verdict is not None)
    shared = sorted(item for item, k in rated.items() if k >= 2)

    def rating(annotator: str, item: str) -> Decision | None:
        state = decisions[annotator].get(item)
        return state if state is not None and state.verdict is not None else None

    table = [[rating(a, item) for a in annotators] for item in shared]
    verdicts = [[s.verdict if s else None for s in row] for row in table]
    types = sorted({s.error_type for row in table for s in row if s and s.error_type})
    per_type = []
    for error_type in types:
        marked = [[(MARKED if s.error_type == error_type else NOT_MARKED) if s else None
                   for s in row] for row in table]
        per_type.append(_agreement(error_type, marked, len(annotators)))
    return AnnotatorAgreement(annotators, _agreement("verdict", verdicts, len(annotators)),
                              tuple(per_type))


def _agreement(question: str, units: list[list[str | None]], raters: int) -> Agreement:
    alpha = krippendorff_alpha(units)
    reason = alpha_reason(units)
    kappa = None
    if raters == 2:
        pairs = [(a, b) for a, b in units if a is not None and b is not None]
        kappa = cohen_kappa(pairs)
        reason = reason or kappa_reason(pairs)
    return Agreement(question, len(units), kappa, alpha, reason)
