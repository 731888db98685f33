"""Which media files suit which kind (:mod:`reviewer.formats.media_fit`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.media_fit import check_media, media_type


def test_kern_scores_with_images_under_asr_name_kern(tmp_path: Path) -> None:
    items = [Item("s1", "**kern\n4c\n*-", "/x/s1.png")]
    with pytest.raises(InputError, match="images suit the kern kind"):
        check_media("asr", items, tmp_path / "scores.csv", "image")


@pytest.mark.parametrize("kind", ["text", "kern", "label"])
def test_images_suit_the_kinds_that_show_them(kind: str, tmp_path: Path) -> None:
    items = [Item("a", "x", "/d/a.PNG"), Item("b", "y", "/d/b.jpeg"), Item("c", "z", None)]
    assert check_media(kind, items, tmp_path / "t.csv", "image") == []


def test_files_of_other_types_are_not_judged(tmp_path: Path) -> None:
    items = [Item("a", "x", "/d/a.dat"), Item("b", "y", "/d/b"), Item("c", "z", "/d/c.xml")]
    for kind in ("text", "asr", "gec", "choice"):
        assert check_media(kind, items, tmp_path / "t.csv", "path") == []
    assert [media_type(p) for p in ("a.WAV", "b.tif", "c.bin.png", "d.txt")] == \
        ["audio", "image", "image", None]
