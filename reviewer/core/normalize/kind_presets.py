"""Which normalisation presets each task kind accepts.

asr projects choose among the word presets of :mod:`reviewer.core.normalize`; text
projects compare characters and words as given (``none``) or as dinglehopper does
(``dinglehopper``, :mod:`reviewer.core.normalize.dinglehopper`). Other kinds ignore the
preset, and accept the asr names as they always did.
"""

from __future__ import annotations

from reviewer.core.normalize import PRESETS, UnknownPreset, check_preset

DINGLEHOPPER = "dinglehopper"
TEXT_PRESETS: tuple[str, ...] = ("none", DINGLEHOPPER)
# Every name ``--normalize`` takes; which kind takes which is checked by check_kind_preset.
ALL_PRESETS: tuple[str, ...] = tuple(dict.fromkeys((*PRESETS, *TEXT_PRESETS)))


def check_kind_preset(kind: str, preset: str) -> str:
    """``preset`` if task kind ``kind`` accepts it, else :class:`UnknownPreset` naming
    those it does."""
    if kind == "text":
        if preset not in TEXT_PRESETS:
            raise UnknownPreset(f"the text kind takes normalisation {' or '.join(TEXT_PRESETS)}, "
                                f"not {preset!r}")
        return preset
    if preset == DINGLEHOPPER:
        raise UnknownPreset(f"normalisation {DINGLEHOPPER!r} is the text kind's; a {kind} "
                            f"project takes one of {', '.join(PRESETS)}")
    return check_preset(preset)
