"""Item ids as file names: reversible, plain, distinct, short enough (issue 14)."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from reviewer.core.safe_names import MAX_PART_BYTES, encode_id, file_stems, is_plain_relative

SUFFIXES = [".gt.txt", ".ocr.txt", ".png"]
PIECES = st.sampled_from(["a", "A", "/", ".", "..", "\0", "\\", "%", "%2E", " ", "é",
                          "e\u0301", ":", "\n", "CON", "nul", "x" * 120])
IDS = st.lists(PIECES, min_size=1, max_size=10).map("".join) | st.text(min_size=1)


@given(IDS)
def test_decoding_the_encoding_gives_the_id_back(item_id: str) -> None:
    assert unquote(encode_id(item_id), errors="strict") == item_id


@given(st.lists(IDS, min_size=1, max_size=20, unique=True))
def test_stems_are_plain_distinct_and_fit_the_file_system(ids: list[str]) -> None:
    stems = file_stems(ids, SUFFIXES, reserved=["manifest.json"])
    assert list(stems) == ids
    files = {(stem + s).casefold() for stem in stems.values() for s in SUFFIXES}
    assert len(files) == len(ids) * len(SUFFIXES)
    folders = {"/".join(stem.split("/")[:n]).casefold() for stem in stems.values()
               for n in range(1, stem.count("/") + 1)}
    assert not files & folders and "manifest.json" not in files | folders
    for stem in stems.values():
        assert is_plain_relative(stem)
        parts = stem.split("/")
        assert all(not p.startswith(".") and p[-1] not in ". " for p in parts)
        # Folders take no suffix; the file name takes the longest one.
        assert all(len(p.encode()) <= MAX_PART_BYTES for p in parts[:-1])
        assert max(len((parts[-1] + s).encode()) for s in SUFFIXES) <= MAX_PART_BYTES


def test_ids_that_one_file_system_would_merge_get_their_own_names() -> None:
    stems = file_stems(["a", "./a", "x/b", "x//b", "c", "c/", "d/../e", "e", "A", "."],
                       SUFFIXES)
    assert stems == {"a": "a", "./a": "%2E/a", "x/b": "x/b", "x//b": "x%2F%2Fb", "c": "c",
                     "c/": "c%2F", "d/../e": "d/%2E%2E/e", "e": "e",
                     "A": stems["A"], ".": "%2E"}
    assert stems["A"].startswith("A%~")
