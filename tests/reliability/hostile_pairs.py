"""A stand-in for musicdiff in the OMR-NED limit tests, run in the spawned worker processes.

A prediction ``hang`` never finishes, ``hog`` asks for 8 GB; any other pair gets a result at
once, so the tests exercise the limits without depending on how fast musicdiff is.
"""

from __future__ import annotations

import time

from reviewer.core.kern.omr_ned import OmrResult


def compare(pair: tuple[str, str]) -> OmrResult:
    """OMR-NED 1/4 for an ordinary pair; never returns for ``hang``; MemoryError for ``hog``."""
    _, prediction = pair
    if prediction.strip() == "hang":
        time.sleep(3600)
    if prediction.strip() == "hog":
        hog = bytearray(8 << 30)
        hog[-1] = 1
    return OmrResult(ed=1, gt_symbols=2, pred_symbols=2)
