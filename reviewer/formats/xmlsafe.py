"""Safe XML parsing (no entity expansion, no external references) and root-element sniffing."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reviewer.core.errors import InputError
from reviewer.formats.textio import read_bytes

SNIFF_BYTES = 4096
_SKIP = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def parse(path: Path) -> Element:
    """The root element of the XML file ``path``; bad or unsafe XML is an InputError."""
    data = read_bytes(path)
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(": line ", 1)[0]
        raise InputError(path, f"not well-formed XML: {reason} (column {column + 1})",
                         line=line) from None
    except DefusedXmlException as exc:
        raise InputError(path, "refused: the file declares XML entities or external "
                         f"references, which reviewer does not expand ({type(exc).__name__})"
                         ) from None
    except (LookupError, ValueError) as exc:  # expat: an unknown or a multi-byte encoding
        raise InputError(path, f"the XML declaration names an encoding reviewer cannot read "
                         f"({exc}); save the file as UTF-8", line=1) from None


def root_name(path: Path) -> str | None:
    """The local name of the root element, read from the first 4 KB, or ``None``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return None
    match = _ROOT.search(_SKIP.sub(b"", head))
    return match.group(1).decode("ascii") if match else None


def local(tag: str) -> str:
    """``tag`` without its ``{namespace}``."""
    return tag.rpartition("}")[2]


def namespace(element: Element) -> str:
    """The ``{namespace}`` prefix of ``element``'s tag, or ``""``."""
    tag = element.tag
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""
