"""ALTO: line text from String, SP and HYP elements; namespaces v2 to v4."""

from __future__ import annotations

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, detect, read
from tests.formats.conftest import Write


def alto(lines: str, ns: str = "http://www.loc.gov/standards/alto/ns-v4#") -> str:
    return (f'<?xml version="1.0"?>\n<!-- made by a test -->\n<alto xmlns="{ns}"><Layout>'
            f'<Page><PrintSpace><TextBlock ID="b">{lines}</TextBlock></PrintSpace></Page>'
            "</Layout></alto>")


def line(lid: str, body: str) -> str:
    return f'<TextLine ID="{lid}" HPOS="1" VPOS="2" WIDTH="3" HEIGHT="4.5">{body}</TextLine>'


def s(content: str) -> str:
    return f'<String CONTENT="{content}"/>'


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_versions_and_ids(write: Write, version: str) -> None:
    ns = f"http://www.loc.gov/standards/alto/ns-v{version}#"
    path = write("scan.ocr.alto.xml", alto(line("L1", s("a") + "<SP/>" + s("b")), ns))
    assert detect(path).name == "alto"
    (item,) = read(path, ReadOptions()).items
    assert (item.id, item.reference) == ("scan_L1", "a b")
    assert item.meta == (("line", "L1"), ("region", "b"), ("coords", "1,2 4,2 4,6.5 1,6.5"))


def test_spaces_hyphens_and_missing_sp(write: Write) -> None:
    lines = (line("a", "<SP/>" + s("x") + "<SP/><SP/>" + s("y") + "<SP/>")
             + line("b", s("ver") + '<HYP CONTENT="-"/>')
             + line("c", s("no") + s("spaces"))
             + line("d", ""))
    items = read(write("p.xml", alto(lines)), ReadOptions()).items
    assert [i.reference for i in items] == ["x y", "ver-", "no spaces", ""]


def test_page_unit_joins_lines(write: Write) -> None:
    path = write("p.xml", alto(line("a", s("one")) + line("b", s("two"))))
    (item,) = read(path, ReadOptions(unit="page")).items
    assert (item.id, item.reference) == ("p", "one\ntwo")


@pytest.mark.parametrize(
    ("name", "xml"),
    [("p.alto", alto(line("a", s("x")))), ("o.xml", "<?xml version='1.0'?><TEI><text/></TEI>")],
)
def test_not_detected_without_xml_suffix_or_known_root(write: Write, name: str, xml: str) -> None:
    path = write(name, xml)
    with pytest.raises(InputError, match="not a format reviewer can read") as err:
        detect(path)
    assert str(err.value).startswith(str(path))


def test_region_unit_is_the_text_block(write: Write) -> None:
    path = write("p.xml", alto(line("a", s("one")) + line("b", s("two"))))
    (item,) = read(path, ReadOptions(unit="region")).items
    assert (item.id, item.reference) == ("p_b", "one\ntwo")
