"""verovio in a child process: SVG for QtSvg, elements found by kern position, crashes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.core.kern.engrave import Engraver, colour, elements_at, for_qt, positions
from reviewer.core.kern.tokens import token_at


@pytest.fixture(scope="module")
def engraver() -> Iterator[Engraver]:
    engraver = Engraver(timeout=60)
    yield engraver
    engraver.close()


def _piano(fixtures: Path, name: str = "gt.krn") -> str:
    return (fixtures / "omr-musicdiff" / "piano_syntax_example" / name).read_text(encoding="utf-8")


def test_engraving_is_svg_tiny_with_positioned_elements(engraver: Engraver,
                                                         peer_fixtures: Path) -> None:
    result = engraver.engrave(_piano(peer_fixtures), width=900)
    assert result.error == "" and result.svg is not None
    svg = result.svg
    assert svg.count("<svg") == 1 and 'class="definition-scale"' in svg  # nested svg folded
    assert "<tspan" not in svg and 'font-size="0px"' not in svg
    found = positions(svg)
    assert found["note-L7F1"] == (7, 1) and found["chord-L9F1"] == (9, 1)


def test_edits_find_their_elements(engraver: Engraver, peer_fixtures: Path) -> None:
    kern = _piano(peer_fixtures)
    svg = engraver.engrave(kern).svg
    assert svg is not None
    wanted = {(line, field): token.text for line, field in [(3, 1), (4, 2), (5, 1), (9, 1),
                                                            (12, 1), (10, 2)]
              if (token := token_at(kern, line, field)) is not None}
    found = elements_at(svg, wanted)
    at = {loc: sorted(e for e, where in found.items() if where == loc) for loc in wanted}
    assert "chord-L9F1" in at[(9, 1)] and "note-L9F1S2" in at[(9, 1)]
    assert "note-L10F2" in at[(10, 2)]
    for loc in [(3, 1), (4, 2), (5, 1), (12, 1)]:  # clef, key, meter, barline: by structure
        assert len(at[loc]) == 1, loc
    classes = {e: re.search(rf'<g id="{e}" class="(\w+)', svg).group(1)  # type: ignore[union-attr]
               for ids in at.values() for e in ids}
    assert classes[at[(3, 1)][0]] == "clef" and classes[at[(4, 2)][0]] == "keySig"
    assert classes[at[(5, 1)][0]] == "meterSig" and classes[at[(12, 1)][0]] == "barLine"
    painted = colour(svg, {"note-L10F2": "#773722"})
    tag = re.search(r'<g id="note-L10F2"[^>]*>', painted)
    assert tag is not None and 'fill="#773722"' in tag.group(0)
    assert 'stroke="#773722"' in tag.group(0) and painted.count("#773722") == 3


def test_malformed_kern_crash_is_a_message_and_the_next_engraving_works(
        engraver: Engraver, peer_fixtures: Path) -> None:
    broken = engraver.engrave(_piano(peer_fixtures, "pred_syntax_errors.krn"))
    assert broken.svg is None and "SIGABRT" in broken.error  # verovio aborted the child
    again = engraver.engrave(_piano(peer_fixtures))
    assert again.svg is not None and again.error == ""


def test_for_qt_refuses_an_unexpected_layout() -> None:
    from reviewer.core.kern.engrave import EngraveError

    with pytest.raises(EngraveError):
        for_qt("<svg><g/></svg>")
