"""The systems' word times, as the ctm and NLP readers keep them with each prediction, and
the items' audio for acoustic evidence."""

from __future__ import annotations

from reviewer.core.acoustic_evidence import AcousticFits
from reviewer.core.errors import ProjectError
from reviewer.core.word_timing import Timed
from reviewer.formats import acoustic_fit
from reviewer.store.project import Project, decode_json


def prediction_word_times(project: Project) -> dict[str, dict[str, Timed]]:
    """System -> item id -> its ``(word, start, end)`` in seconds, for the predictions that
    keep well-formed word times (others are left out: their words have no times)."""
    out: dict[str, dict[str, Timed]] = {}
    # Decoded here, not by SQLite's JSON functions: a damaged record is then named.
    sql = """SELECT system, item_id, meta FROM predictions WHERE instr(meta, '"words"') > 0"""
    for system, item_id, text in project.db.execute(sql):
        meta = decode_json(project.path, f"the metadata of {system!r}'s prediction for item "
                           f"{item_id!r}", text)
        timed = _timed(meta.get("words") if isinstance(meta, dict) else None)
        if timed:
            out.setdefault(system, {})[item_id] = timed
    return out


def _timed(words: object) -> Timed:
    """The well-formed ``[word, start, end]`` entries (all or nothing: a partial list would
    pair times with the wrong words)."""
    if not isinstance(words, list):
        return ()
    out: list[tuple[str, float, float]] = []
    for entry in words:
        if not (isinstance(entry, list) and len(entry) >= 3 and isinstance(entry[0], str)
                and all(isinstance(v, int | float) and not isinstance(v, bool)
                        for v in entry[1:3])):
            return ()
        out.append((entry[0], float(entry[1]), float(entry[2])))
    return tuple(out)


def acoustic_fits(project: Project) -> AcousticFits | None:
    """Texts aligned to the project's item audio (:mod:`reviewer.formats.acoustic_fit`),
    or None for a project without audio; :class:`ProjectError` without the ``acoustic``
    extra."""
    if not acoustic_fit.available():
        raise ProjectError("the acoustic ranking needs PocketSphinx, which the 'acoustic' "
                           "extra installs: pip install 'reviewer[acoustic]'")
    if not project.has_media():
        return None
    return acoustic_fit.AudioAligner({item_id: media for item_id, _, media
                                      in project.item_texts() if media})
