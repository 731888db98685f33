"""Entity declarations and external references are refused, never expanded."""

from __future__ import annotations

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, read
from tests.formats.conftest import Write

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE PcGts [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
<Page><TextRegion id="r"><TextLine id="l"><TextEquiv><Unicode>&lol3;</Unicode></TextEquiv>
</TextLine></TextRegion></Page></PcGts>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE alto [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace>
<TextBlock><TextLine ID="l"><String CONTENT="&x;"/></TextLine></TextBlock>
</PrintSpace></Page></Layout></alto>
"""


@pytest.mark.parametrize(("name", "xml"), [("bomb.page.xml", LAUGHS), ("ext.alto.xml", EXTERNAL)])
def test_entities_are_refused(write: Write, name: str, xml: str) -> None:
    path = write(name, xml)
    with pytest.raises(InputError, match="refused: the file declares XML entities") as err:
        read(path, ReadOptions())
    assert str(err.value).startswith(str(path))


@pytest.mark.parametrize("encoding", ["aUTF-8", "shift_jis", "utf-32"])
def test_an_encoding_expat_cannot_read_is_a_named_error(write: Write, encoding: str) -> None:
    # Unknown names raised LookupError, multi-byte encodings ValueError, out of the reader.
    path = write("doc.page.xml", f'<?xml version="1.0" encoding="{encoding}"?>\n<PcGts/>')
    with pytest.raises(InputError, match="names an encoding reviewer cannot read") as err:
        read(path, ReadOptions())
    assert err.value.path == str(path) and err.value.line == 1
