"""The review queue: which item comes next when reviewing without a verdict."""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence

from reviewer.core.review_progress import ReviewProgress


def next_unreviewed(order: Sequence[str], current: str | None, reviewed: Container[str],
                    shown: Callable[[str], bool],
                    row_of: Callable[[str], int | None] | None = None) -> str | None:
    """The first shown item without a verdict after ``current`` in ``order``, wrapping
    round to the top (``None``: there is none but ``current``).

    ``order`` is the list's order (the suspicion queue when sorted by suspicion);
    ``current`` may be hidden by a filter, the search still starts after it. ``row_of``
    finds an id's index in ``order`` faster than a scan.
    """
    if current is None:
        start = None
    elif row_of is not None:
        start = row_of(current)
    else:
        start = order.index(current) if current in order else None
    first = 0 if start is None else start + 1
    for row in (*range(first, len(order)), *range(0, first)):
        item_id = order[row]
        if item_id != current and item_id not in reviewed and shown(item_id):
            return item_id
    return None


def queue_end_message(progress: ReviewProgress, current_unreviewed: bool) -> str:
    """What to say when no other shown item is without a verdict (the status bar's words).

    ``progress`` as stored once every queued decision is committed; ``current_unreviewed``:
    the item in view has no verdict either.
    """
    if progress.complete:
        return f"All {progress.total:,} items reviewed."
    hidden = progress.left - (1 if current_unreviewed else 0)
    if hidden <= 0:
        return "This is the last item without a verdict."
    items = "item" if hidden == 1 else "items"
    return (f"Every item shown is reviewed; {hidden:,} {items} without a verdict "
            "hidden by the filters.")
