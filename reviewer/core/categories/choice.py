"""Multiple-choice error categories: why one system's answer to one item counts as wrong.

Whether the *key* is wrong is not a category but the reviewer's verdict, with the
MMLU-Redux error type (:data:`reviewer.core.kinds.choice.REDUX_ERROR_TYPES`).
"""

from __future__ import annotations

from reviewer.core.categories import Category

CATALOGUE: tuple[Category, ...] = (
    Category("wrong_option", "Wrong option", "The system chose an option the key does not "
             "hold.", "orange"),
    Category("no_answer", "No answer", "The system gave no answer, or one that names no "
             "option.", "pale_grey"),
    Category("no_key", "No correct answer", "The key holds no option (no correct answer), so "
             "every answer counts as wrong.", "pink"),
)


def categorise(ref: str, hyp: str) -> str:
    """Category of a wrong answer ``hyp`` (option letter, '' for none) against key ``ref``."""
    if not hyp:
        return "no_answer"
    if not ref:
        return "no_key"
    return "wrong_option"
