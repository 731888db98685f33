"""The review's progress figures and their words, in one place (issue 16, finding 7)."""

from __future__ import annotations

import pytest

from reviewer.core.item_list.queue import queue_end_message
from reviewer.core.review_progress import (
    MIN_PACE_DECISIONS,
    ReviewProgress,
    duration_text,
    seconds_left,
    seconds_per_item,
)


def test_counts_from_the_verdicts() -> None:
    progress = ReviewProgress.from_counts({"ok": 300, "reference_error": 38, "model_error": 74},
                                          1797)
    assert (progress.reviewed, progress.total, progress.reference_errors) == (412, 1797, 38)
    assert progress.left == 1385
    assert not progress.complete


@pytest.mark.parametrize(("reviewed", "total", "percent"), [
    (0, 0, 0), (0, 30, 0), (2, 30, 6), (79, 1000, 7), (999, 1000, 99), (1000, 1000, 100)])
def test_the_share_is_rounded_down(reviewed: int, total: int, percent: int) -> None:
    """Rounded down, as the progress bar draws it: 79 of 1,000 is 7%, never 8%, and 100%
    means every item is reviewed."""
    assert ReviewProgress(reviewed, total, 0).percent == percent


def test_inconsistent_figures_are_refused() -> None:
    with pytest.raises(ValueError, match="31 reviewed of 30"):
        ReviewProgress(31, 30, 0)


def test_the_summary_line() -> None:
    progress = ReviewProgress(412, 1797, 38)
    assert progress.summary() == "412 of 1,797 reviewed · 38 reference errors"
    assert progress.summary(3 * 3600) == ("412 of 1,797 reviewed · 38 reference errors · "
                                          "3 h left at your pace")
    assert ReviewProgress(1, 2, 1).summary() == "1 of 2 reviewed · 1 reference error"
    assert ReviewProgress(1797, 1797, 38).summary(60) == ("All 1,797 items reviewed · "
                                                          "38 reference errors")


def test_the_pace_needs_a_few_decisions_and_ignores_a_break() -> None:
    times = [10.0 * k for k in range(MIN_PACE_DECISIONS - 1)]
    assert seconds_per_item(times) is None
    times.append(times[-1] + 10.0)
    assert seconds_per_item(times) == 10.0
    times += [times[-1] + 1800.0, times[-1] + 1810.0, times[-1] + 1820.0]  # a coffee break
    assert seconds_per_item(times) == 10.0
    assert seconds_left(ReviewProgress(8, 20, 0), times) == 120.0
    assert seconds_left(ReviewProgress(20, 20, 0), times) is None


@pytest.mark.parametrize(("seconds", "text"), [
    (20, "under a minute"), (90, "2 min"), (25 * 60, "25 min"), (3600, "1 h"),
    (100 * 60, "1 h 40 min"), (3 * 3600 + 600, "3 h"), (11.6 * 3600, "12 h")])
def test_durations_in_words(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text


def test_what_n_says_at_the_end_of_the_queue() -> None:
    assert queue_end_message(ReviewProgress(30, 30, 2), False) == "All 30 items reviewed."
    assert queue_end_message(ReviewProgress(29, 30, 2), True) == (
        "This is the last item without a verdict.")
    assert queue_end_message(ReviewProgress(27, 30, 2), True) == (
        "Every item shown is reviewed; 2 items without a verdict hidden by the filters.")
    assert queue_end_message(ReviewProgress(29, 30, 2), False) == (
        "Every item shown is reviewed; 1 item without a verdict hidden by the filters.")
