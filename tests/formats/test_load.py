"""load_benchmark: references and predictions read and checked against each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats import registry
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import Format, Loaded, ReadOptions
from tests.formats.conftest import Write

REF = "id,ref,pred_inline\na,Hello,Helo\nb,World,Word\nc,,x\n"


def test_table_with_a_prediction_folder_and_table(write: Write, tmp_path: Path) -> None:
    ref = write("ref.csv", REF)
    write("tess/a.tess.txt", "Hallo\n")
    write("tess/b.txt", "Wor1d")
    kraken = write("kraken.jsonl", '{"id": "a", "text": "H"}\n')
    bench = load_benchmark(ref, [("tess", tmp_path / "tess"), ("kraken", kraken)],
                           ReadOptions(kind="text"))
    assert bench.kind == "text"
    assert [i.id for i in bench.items] == ["a", "b", "c"]
    assert bench.predictions == {
        "inline": {"a": "Helo", "b": "Word", "c": "x"},
        "tess": {"a": "Hallo", "b": "Wor1d"},
        "kraken": {"a": "H"},
    }
    assert bench.sources == [str(ref), str(tmp_path / "tess"), str(kraken)]
    assert bench.warnings == [
        "system tess: 1 items have no prediction (scored as empty predictions)",
        "system kraken: 2 items have no prediction (scored as empty predictions)",
    ]


def test_forced_format(write: Write) -> None:
    ref = write("ref.txt", "id\tref\na\tx\n")
    assert [i.id for i in load_benchmark(ref, [], ReadOptions(), "tsv").items] == ["a"]


def test_unknown_prediction_ids_are_listed_with_close_matches(write: Write) -> None:
    ref = write("ref.csv", "id,ref\nline_01,x\nline_02,y\n")
    pred = write("p.csv", "id,hyp\n" + "".join(f"line{n},z\n" for n in range(1, 8)))
    with pytest.raises(InputError) as err:
        load_benchmark(ref, [("s", pred)], ReadOptions())
    message = str(err.value)
    assert message.startswith(f"{pred} (record 'line1')")
    assert "7 predictions have ids the references lack" in message
    assert "'line5' and 2 more" in message
    assert "did you mean 'line1' -> 'line_01'" in message


@pytest.mark.parametrize("clash", ["inline", "twice"])
def test_system_given_twice(write: Write, clash: str) -> None:
    ref = write("ref.csv", REF)
    pred = write("p.csv", "id,hyp\na,z\n")
    preds = [(clash, pred), (clash, pred)] if clash == "twice" else [(clash, pred)]
    with pytest.raises(InputError, match=f"system '{clash}' is given twice") as err:
        load_benchmark(ref, preds, ReadOptions())
    assert str(err.value).startswith(str(pred))


def test_duplicate_item_ids_from_any_reader(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    def twice(path: Path, options: ReadOptions) -> Loaded:
        return Loaded(items=[Item("a", "x"), Item("a", "y")], sources=[path])

    registry.formats()  # load the built-in formats before adding the test one
    monkeypatch.setitem(registry._FORMATS, "twice",
                        Format("twice", 0, lambda p: False, twice, "test"))
    ref = write("ref.any", "")
    with pytest.raises(InputError, match="duplicate item id") as err:
        load_benchmark(ref, [], ReadOptions(), "twice")
    assert str(err.value).startswith(f"{ref} (record 'a')")


def test_missing_prediction_source(write: Write, tmp_path: Path) -> None:
    ref = write("ref.csv", REF)
    with pytest.raises(InputError, match="no such file") as err:
        load_benchmark(ref, [("s", tmp_path / "nope")], ReadOptions())
    assert str(tmp_path / "nope") in str(err.value)


PAGE = ('<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
        '<Page><TextRegion id="r">{}</TextRegion></Page></PcGts>')


def _page(*lines: tuple[str, str]) -> str:
    return PAGE.format("".join(f'<TextLine id="{i}"><TextEquiv><Unicode>{t}</Unicode>'
                               "</TextEquiv></TextLine>" for i, t in lines))


def test_single_xml_files_paired_by_line_id(write: Write) -> None:
    ref = write("gt/p1.gt.xml", _page(("l1", "a"), ("l2", "b")))
    ocr = write("ocr/p1-tess.xml", _page(("l2", "B"), ("l1", "A")))
    bench = load_benchmark(ref, [("tess", ocr)], ReadOptions())
    assert bench.predictions == {"tess": {"p1_l1": "A", "p1_l2": "B"}}


def test_single_xml_files_with_other_line_ids(write: Write) -> None:
    ref = write("p1.gt.xml", _page(("l1", "a")))
    ocr = write("p1.ocr.xml", _page(("x1", "a")))
    with pytest.raises(InputError, match="--unit page"):
        load_benchmark(ref, [("tess", ocr)], ReadOptions())
    bench = load_benchmark(ref, [("tess", ocr)], ReadOptions(unit="page"))
    assert bench.predictions == {"tess": {"p1": "a"}}


def test_single_xml_files_paired_by_page_whatever_their_names(write: Write) -> None:
    ref = write("gt.xml", _page(("l1", "a"), ("l2", "b")))
    ocr = write("scan_0001.xml", _page(("x", "a b")))
    bench = load_benchmark(ref, [("tess", ocr)], ReadOptions(unit="page"))
    assert [i.id for i in bench.items] == ["gt"]
    assert bench.predictions == {"tess": {"gt": "a b"}}
