"""PAGE-XML: reading order, TextEquiv choice, ids, page mode and refused input."""

from __future__ import annotations

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, detect, read
from tests.formats.conftest import Write

NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/{}"


def page(body: str, order: str = "", version: str = "2019-07-15") -> str:
    ro = f"<ReadingOrder>{order}</ReadingOrder>" if order else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{NS.format(version)}">'
            f'<Metadata/><Page imageFilename="scan.png">{ro}{body}</Page></PcGts>')


def region(rid: str, *lines: str, text: str | None = None) -> str:
    equiv = f"<TextEquiv><Unicode>{text}</Unicode></TextEquiv>" if text is not None else ""
    body = "".join(f'<TextLine id="{rid}l{n}"><Coords points="0,0 1,1"/><TextEquiv>'
                   f"<Unicode>{t}</Unicode></TextEquiv></TextLine>" for n, t in enumerate(lines))
    return f'<TextRegion id="{rid}">{body}{equiv}</TextRegion>'


def texts(write: Write, xml: str, **options: object) -> list[str]:
    loaded = read(write("doc.page.xml", xml), ReadOptions(**options))  # type: ignore[arg-type]
    return [i.reference for i in loaded.items]


@pytest.mark.parametrize("version", ["2010-03-19", "2013-07-15", "2017-07-15", "2019-07-15"])
def test_any_page_version_and_ids(write: Write, version: str) -> None:
    path = write("p1.gt.page.xml", page(region("r", "a", "b"), version=version))
    loaded = read(path, ReadOptions())
    assert detect(path).name == "page"
    assert [(i.id, i.reference) for i in loaded.items] == [("p1_rl0", "a"), ("p1_rl1", "b")]
    assert loaded.items[0].meta == (("line", "rl0"), ("region", "r"), ("coords", "0,0 1,1"))
    assert loaded.items[0].media is None  # scan.png does not exist


def test_existing_page_image_is_the_media(write: Write) -> None:
    image = write("scan.png", b"")
    loaded = read(write("p.xml", page(region("r", "a"))), ReadOptions())
    assert loaded.items[0].media == image.as_posix()


def test_nested_groups_ordered_by_index(write: Write) -> None:
    order = ('<OrderedGroup id="g"><RegionRefIndexed index="2" regionRef="c"/>'
             '<UnorderedGroupIndexed id="u" index="0"><RegionRef regionRef="b"/>'
             '<OrderedGroup id="o"><RegionRefIndexed index="1" regionRef="d"/>'
             '<RegionRefIndexed index="0" regionRef="a"/></OrderedGroup>'
             "</UnorderedGroupIndexed></OrderedGroup>")
    body = "".join(region(r, r.upper()) for r in "abcde")
    # e is not in the reading order: it comes last
    assert texts(write, page(body, order)) == ["B", "A", "D", "C", "E"]


def test_regions_outside_the_order_and_in_tables(write: Write) -> None:
    order = '<OrderedGroup id="g"><RegionRefIndexed index="0" regionRef="b"/></OrderedGroup>'
    body = (f'<TableRegion id="t">{region("a", "A")}{region("b", "B")}</TableRegion>'
            f'<ImageRegion id="i"/>{region("c", "C")}')
    assert texts(write, page(body, order)) == ["B", "A", "C"]


def test_lowest_index_text_equiv_and_own_level_only(write: Write) -> None:
    line = ('<TextLine id="l"><Word id="w"><TextEquiv><Unicode>word</Unicode></TextEquiv></Word>'
            '<TextEquiv index="2"><Unicode>two</Unicode></TextEquiv>'
            '<TextEquiv index="1"><Unicode>one</Unicode></TextEquiv></TextLine>'
            '<TextLine id="m"><TextEquiv><Unicode>first</Unicode></TextEquiv>'
            "<TextEquiv><Unicode>second</Unicode></TextEquiv></TextLine>"
            '<TextLine id="n"/>')
    assert texts(write, page(f'<TextRegion id="r">{line}</TextRegion>')) == ["one", "first", ""]


def test_lines_without_id_are_numbered(write: Write) -> None:
    body = ('<TextRegion id="r"><TextLine><TextEquiv><Unicode>x</Unicode></TextEquiv>'
            "</TextLine></TextRegion>")
    assert read(write("p.xml", page(body)), ReadOptions()).items[0].id == "p_1"


def test_page_unit_joins_lines_and_falls_back_to_region_text(write: Write) -> None:
    body = region("a", "1", "2", text="ignored") + region("b", "", "", text="R") + region("c")
    loaded = read(write("p.gt.xml", page(body)), ReadOptions(unit="page"))
    assert [(i.id, i.reference) for i in loaded.items] == [("p", "1\n2\nR")]


def test_region_level_text_warns_in_line_mode(write: Write) -> None:
    loaded = read(write("p.xml", page(region("a", "", text="Some text"))), ReadOptions())
    assert [i.reference for i in loaded.items] == [""]
    assert "--unit page" in loaded.warnings[0]


def test_prediction_role(write: Write) -> None:
    path = write("p.xml", page(region("r", "a")))
    loaded = read(path, ReadOptions(role="prediction", system="tess"))
    assert loaded.items == []
    assert loaded.predictions == {"tess": {"p_rl0": "a"}}


def test_no_text_lines(write: Write) -> None:
    path = write("p.xml", page('<TextRegion id="r"><TextEquiv><Unicode>x</Unicode>'
                               "</TextEquiv></TextRegion>"))
    with pytest.raises(InputError, match=r"no TextLine elements; .*--unit page") as err:
        read(path, ReadOptions())
    assert str(err.value).startswith(str(path))


def test_duplicate_line_ids(write: Write) -> None:
    path = write("p.xml", page(region("r", "a") + region("r", "b")))
    with pytest.raises(InputError, match="record 'rl0'") as err:
        read(path, ReadOptions())
    assert str(err.value).startswith(str(path))


def test_malformed_xml_names_the_line(write: Write) -> None:
    path = write("p.xml", page(region("r", "a")).replace("</Page>", "</Pag>\n"))
    with pytest.raises(InputError, match="not well-formed XML: mismatched tag") as err:
        read(path, ReadOptions(), "page")
    assert str(err.value).startswith(f"{path}:2:")


def test_wrong_root_for_the_forced_format(write: Write) -> None:
    path = write("p.xml", page(region("r", "a")))
    with pytest.raises(InputError, match="not a ALTO file"):
        read(path, ReadOptions(), "alto")


def test_region_unit_prefers_the_region_text(write: Write) -> None:
    body = region("a", "1", "2", text="A") + region("b", "3") + region("c")
    loaded = read(write("p.xml", page(body)), ReadOptions(unit="region"))
    assert [(i.id, i.reference) for i in loaded.items] == [("p_a", "A"), ("p_b", "3")]
