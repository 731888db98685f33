"""Per-word error table and substitution confusion pairs of an ASR system (DESIGN §4.2).

For each reference word: how often it occurs, how often it was substituted (and by
what) or deleted, and its individual word error rate. Pairs are aligned exactly as
they are scored (rapidfuzz Levenshtein opcodes over normalised words), so a
substitution here is one of the S counted in the WER.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reviewer.core.long_align import bounded_opcodes
from reviewer.core.normalize import normalise_text
from reviewer.core.tokenize import nfc


@dataclass(slots=True)
class WordStats:
    """One reference word's record."""

    word: str
    count: int = 0
    substituted: int = 0
    deleted: int = 0
    by: Counter[str] = field(default_factory=Counter)  # hypothesis word -> times

    @property
    def errors(self) -> int:
        return self.substituted + self.deleted

    @property
    def rate(self) -> float:
        """The individual word error rate: (substitutions + deletions) / occurrences."""
        return self.errors / self.count if self.count else 0.0

    def as_dict(self, top: int = 5) -> dict[str, Any]:
        return {"word": self.word, "count": self.count, "substituted": self.substituted,
                "deleted": self.deleted, "errors": self.errors, "rate": self.rate,
                "substituted_by": [[w, n] for w, n in _ranked(self.by)[:top]]}


@dataclass(slots=True)
class WordErrors:
    """The per-word table, confusion pairs and inserted words of a set of pairs."""

    words: dict[str, WordStats] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    insertions: Counter[str] = field(default_factory=Counter)
    pairs: int = 0

    def add(self, ref_words: list[str], hyp_words: list[str]) -> None:
        """Count one aligned pair of word sequences."""
        self.pairs += 1
        for w in ref_words:
            stats = self.words.get(w)
            if stats is None:
                stats = self.words[w] = WordStats(w)
            stats.count += 1
        for op in bounded_opcodes(ref_words, hyp_words):
            if op.tag == "replace":
                for r, h in zip(ref_words[op.src_start:op.src_end],
                                hyp_words[op.dest_start:op.dest_end], strict=True):
                    self.words[r].substituted += 1
                    self.words[r].by[h] += 1
                    self.confusions[(r, h)] += 1
            elif op.tag == "delete":
                for r in ref_words[op.src_start:op.src_end]:
                    self.words[r].deleted += 1
            elif op.tag == "insert":
                self.insertions.update(hyp_words[op.dest_start:op.dest_end])

    def ranked(self, min_count: int = 1) -> list[WordStats]:
        """Words with errors, most errors first (then higher rate, then the word)."""
        return sorted((s for s in self.words.values() if s.errors and s.count >= min_count),
                      key=lambda s: (-s.errors, -s.rate, s.word))

    def top_confusions(self, n: int | None = None) -> list[tuple[str, str, int]]:
        """``(reference word, hypothesis word, times)``, most frequent first."""
        return [(r, h, k) for (r, h), k in _ranked(self.confusions)[:n]]

    def totals(self) -> dict[str, int]:
        """Σ reference words, substitutions, deletions and insertions."""
        return {"pairs": self.pairs, "ref_words": sum(s.count for s in self.words.values()),
                "substitutions": sum(s.substituted for s in self.words.values()),
                "deletions": sum(s.deleted for s in self.words.values()),
                "insertions": sum(self.insertions.values())}

    def as_dict(self, top: int | None = None) -> dict[str, Any]:
        """The table as plain data (``top`` limits each list)."""
        return {"totals": self.totals(),
                "words": [s.as_dict() for s in self.ranked()[:top]],
                "confusions": [{"reference": r, "prediction": h, "count": k}
                               for r, h, k in self.top_confusions(top)],
                "insertions": [{"word": w, "count": k}
                               for w, k in _ranked(self.insertions)[:top]]}


def _ranked(counter: Counter[Any]) -> list[tuple[Any, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def word_errors(pairs: Iterable[tuple[str, str]], preset: str = "none") -> WordErrors:
    """The per-word table of ``(reference, prediction)`` pairs normalised with ``preset``."""
    table = WordErrors()
    for ref, hyp in pairs:
        table.add(normalise_text(nfc(ref), preset).split(),
                  normalise_text(nfc(hyp), preset).split())
    return table
