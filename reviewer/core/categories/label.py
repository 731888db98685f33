"""Label (classification) error categories (DESIGN §2).

Which class was taken for which is dynamic (the confusion pairs of a score report); the
catalogue only says whether a system answered wrongly or not at all.
"""

from __future__ import annotations

from reviewer.core.categories import Category

CATALOGUE: tuple[Category, ...] = (
    Category("misclassified", "Misclassified",
             "The system chose another class than the reference.", "orange"),
    Category("no_prediction", "No prediction",
             "The system gave no class for the item.", "pale_grey"),
)


def categorise(ref: str, hyp: str) -> str:
    """Category of a wrong answer: ``ref`` is the gold class, ``hyp`` the predicted one."""
    return "no_prediction" if not hyp else "misclassified"
