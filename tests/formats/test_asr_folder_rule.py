"""An asr folder import that finds nothing states the asr folder rule, not the text kind's."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions


def test_empty_asr_reference_folder_states_the_asr_rule(tmp_path: Path) -> None:
    folder = tmp_path / "refs"
    folder.mkdir()
    (folder / "text").write_text("utt-1 hello\n")  # no wav.scp beside it: not a data folder
    with pytest.raises(InputError) as err:
        load_benchmark(folder, [], ReadOptions(kind="asr"))
    assert err.value.path == str(folder)
    assert "Kaldi data folder" in err.value.message and "wav.scp" in err.value.message
    assert "image" not in err.value.message


def test_empty_asr_prediction_folder_states_the_asr_rule(tmp_path: Path) -> None:
    (tmp_path / "ref.trn").write_text("hello (u1)\n")
    (tmp_path / "hyp").mkdir()
    with pytest.raises(InputError, match="an asr folder is a Kaldi data folder"):
        load_benchmark(tmp_path / "ref.trn", [("sys", tmp_path / "hyp")], ReadOptions(kind="asr"))


def test_empty_text_folder_keeps_the_text_rule(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"NAME\.gt\.txt file per item") as err:
        load_benchmark(tmp_path, [], ReadOptions(kind="text"))
    assert "Kaldi" not in err.value.message
