"""METS files of OCR-D workspaces: file groups, the physical pages, and where their files lie.

An OCR-D workspace is a folder holding ``mets.xml``: each ``mets:fileGrp`` (``@USE``, such
as ``OCR-D-GT-PAGE`` or ``OCR-D-OCR-TESS``) lists ``mets:file`` elements whose
``mets:FLocat/@xlink:href`` gives the file, relative to the workspace folder or as a
``file://`` URL; the ``mets:structMap`` of ``@TYPE="PHYSICAL"`` lists the pages
(``mets:div[@TYPE="page"]``, in ``@ORDER`` where given, else document order), each
pointing at its files with ``mets:fptr/@FILEID``. Files are read only inside the
workspace: an href leading out of it (``../``, an absolute path elsewhere, a symbolic link
pointing away, a remote URL) is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from reviewer.core.errors import InputError
from reviewer.formats.xmlsafe import local, parse

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class MetsFile:
    """One ``mets:file``: its ``@ID``, file group, ``@MIMETYPE`` and href as written."""

    id: str
    group: str
    mimetype: str
    href: str


@dataclass(frozen=True)
class Page:
    """One physical page: its ``@ID`` and the ids of the files it points at, in order."""

    id: str
    file_ids: tuple[str, ...]


@dataclass(frozen=True)
class Mets:
    """What reviewer reads of a METS file: its file groups and its physical pages."""

    path: Path
    files: dict[str, MetsFile]  # file id -> file
    groups: dict[str, list[str]]  # group -> its file ids, in document order
    pages: list[Page]

    @property
    def workspace(self) -> Path:
        """The folder the files resolve against: the METS file's own."""
        return Path(os.path.abspath(self.path)).parent

    def check_group(self, group: str) -> None:
        """An :class:`InputError` naming the groups there are unless ``group`` is one."""
        if group not in self.groups:
            raise InputError(self.path, f"no file group {group!r}; its groups are "
                             f"{', '.join(self.groups) or 'none'}")

    def page_files(self, group: str) -> dict[str, list[MetsFile]]:
        """Page id -> the files of ``group`` that page points at."""
        self.check_group(group)
        out: dict[str, list[MetsFile]] = {}
        for page in self.pages:
            found = [self.files[f] for f in page.file_ids if self.files[f].group == group]
            if found:
                out[page.id] = found
        return out

    def resolve(self, href: str, what: str) -> Path:
        """The workspace file ``href`` names (``what`` says whose it is, for messages)."""
        return resolve_in_workspace(self.path, self.workspace, href, what)


def read_mets(path: Path) -> Mets:
    """The file groups and physical pages of the METS file ``path``."""
    root = parse(path)
    if local(root.tag) != "mets":
        raise InputError(path, f"not a METS file: the root element is {local(root.tag)!r}")
    files: dict[str, MetsFile] = {}
    groups: dict[str, list[str]] = {}
    for grp in _all(root, "fileGrp"):
        use = grp.get("USE")
        if not use:
            raise InputError(path, "a mets:fileGrp has no USE attribute")
        ids = groups.setdefault(use, [])
        for element in grp:
            if local(element.tag) != "file":
                continue
            file = _file(path, element, use)
            if file.id in files:
                raise InputError(path, "two mets:file elements have the same ID", record=file.id)
            files[file.id] = file
            ids.append(file.id)
    return Mets(path, files, groups, _pages(path, root, files))


def _all(root: Element, name: str) -> list[Element]:
    return [el for el in root.iter() if local(el.tag) == name]


def _file(path: Path, element: Element, group: str) -> MetsFile:
    file_id = element.get("ID")
    if not file_id:
        raise InputError(path, f"a mets:file of group {group!r} has no ID")
    hrefs = [loc.get(_XLINK_HREF) for loc in element if local(loc.tag) == "FLocat"]
    href = next((h for h in hrefs if h), None)
    if href is None:
        raise InputError(path, f"mets:file {file_id!r} of group {group!r} has no "
                         "mets:FLocat with an xlink:href", record=file_id)
    return MetsFile(file_id, group, element.get("MIMETYPE", ""), href)


def _pages(path: Path, root: Element, files: dict[str, MetsFile]) -> list[Page]:
    maps = [m for m in _all(root, "structMap") if (m.get("TYPE") or "").upper() == "PHYSICAL"]
    if not maps:
        raise InputError(path, 'no mets:structMap TYPE="PHYSICAL": the pages are not listed')
    divs = [div for div in maps[0].iter() if local(div.tag) == "div"
            and (div.get("TYPE") or "").lower() == "page"]
    if not divs:
        raise InputError(path, 'the physical mets:structMap has no mets:div TYPE="page"')
    numbered = [(_order(div), k, div) for k, div in enumerate(divs)]
    numbered.sort(key=lambda t: (t[0] is None, t[0] or 0, t[1]))
    pages: list[Page] = []
    seen: set[str] = set()
    for _, k, div in numbered:
        page_id = div.get("ID") or f"page{k + 1}"
        if page_id in seen:
            raise InputError(path, "two physical pages have the same ID", record=page_id)
        seen.add(page_id)
        file_ids = tuple(f for ptr in div if local(ptr.tag) == "fptr" and (f := ptr.get("FILEID")))
        for file_id in file_ids:
            if file_id not in files:
                raise InputError(path, f"page {page_id!r} points at file {file_id!r}, which "
                                 "no mets:fileGrp lists", record=page_id)
        pages.append(Page(page_id, file_ids))
    return pages


def _order(div: Element) -> int | None:
    try:
        return int(div.get("ORDER", ""))
    except ValueError:
        return None


def resolve_in_workspace(mets: Path, workspace: Path, href: str, what: str) -> Path:
    """The file ``href`` names, relative to ``workspace`` or as a ``file://`` URL, if it
    lies inside ``workspace``; else an :class:`InputError` naming ``mets`` and ``what``."""
    parts = urlsplit(href)
    if parts.scheme == "file":
        target = Path(unquote(parts.path))
    elif parts.scheme and len(parts.scheme) > 1:  # one letter: a Windows drive, not a scheme
        raise InputError(mets, f"{what} is a remote file ({href!r}); reviewer reads only "
                         "files inside the workspace folder: download it first (ocrd "
                         "workspace find --download)")
    else:
        target = Path(href)
    if "\x00" in str(target):
        raise InputError(mets, f"{what} names a path with a NUL character ({href!r})")
    full = Path(os.path.abspath(workspace / target))
    real_root = os.path.realpath(workspace)
    if os.path.commonpath([os.path.realpath(full), real_root]) != real_root:
        raise InputError(mets, f"{what} ({href!r}) lies outside the workspace folder "
                         f"{workspace}; reviewer reads only files inside it")
    return full
