"""Hostile and broken input (DESIGN §9): every reader, fed random and mutated files.

Each case writes one benchmark (a table, a paired-file folder, a PAGE-XML or ALTO file,
sometimes with a prediction source beside it) into a fresh folder and loads it. It must
end in one of two ways:

* an :class:`~reviewer.core.errors.InputError` whose message starts with the file (or a
  file inside the folder) it is about, or
* a benchmark that imports into a fresh project, or whose import raises a
  :class:`~reviewer.core.errors.ReviewerError` and leaves the project empty.

Any other exception fails the test. Well-formed cases must also read back exactly what was
written, and XML that declares entities must be refused (nothing is expanded).

The cases: well-formed files with awkward text (quotes, delimiters and newlines inside
cells, NUL, BOMs, U+2028, combining marks, astral characters); the same files mutated
(truncated, bytes flipped, inserted, deleted or duplicated, re-encoded as UTF-16 or
Latin-1, a huge line spliced in); pure random bytes; JSON nested thousands deep and lone
surrogate escapes; Parquet files with nested and binary columns; folders with random file
names (some not UTF-8) and contents; PAGE and ALTO nested thousands of elements deep,
billion-laughs, quadratic-blowup and external-entity DTDs.

The slow tests run more than 10,000 cases in all; the others run a sample of each kind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.core.errors import InputError, ReviewerError
from reviewer.core.items import Benchmark
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

# Cases run per kind: the slow runs sum to more than 10,000; the fast ones are a sample.
SLOW = {"csv": 1500, "tsv": 1000, "jsonl": 1500, "parquet": 1000, "folder": 1500,
        "page": 1400, "alto": 1300, "xml-hostile": 1000}
FAST = 30
RAN: Counter[str] = Counter()  # cases actually run, by kind
OUTCOMES: Counter[str] = Counter()  # refused / imported / import refused


# -- running one case ----------------------------------------------------------------------

@dataclass
class Case:
    """Files to write (relative path -> bytes), which is the reference, what must come out."""

    files: dict[bytes, bytes]
    reference: bytes
    predictions: tuple[tuple[str, bytes], ...] = ()
    unit: str = "line"
    # What a well-formed case must read back: items (id -> reference) and predictions.
    expected: tuple[dict[str, str], dict[str, dict[str, str]]] | None = None
    must_refuse: bool = False  # XML declaring entities
    check: Callable[[Benchmark, Path], None] | None = field(default=None, repr=False)

    def write(self, root: Path) -> None:
        """Write the files below ``root`` (names as bytes: some are not UTF-8)."""
        base = os.fsencode(root)
        for rel, content in self.files.items():
            target = os.path.join(base, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(content)


@contextmanager
def scratch() -> Iterator[Path]:
    """A fresh folder per case, in memory where there is ``/dev/shm`` (cases are many)."""
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=shm, prefix="reviewer-fuzz-") as folder:
        yield Path(folder)


def run_case(kind: str, case: Case) -> None:
    """Load ``case``; it must be refused with a named file, or import correctly."""
    RAN[kind] += 1
    with scratch() as root:
        case.write(root)
        reference = root / os.fsdecode(case.reference)
        predictions = [(system, root / os.fsdecode(rel)) for system, rel in case.predictions]
        inputs = [reference, *(path for _, path in predictions)]
        try:
            bench = load_benchmark(reference, predictions, ReadOptions(unit=case.unit))  # type: ignore[arg-type]
        except InputError as exc:
            assert exc.path is not None, f"the error names no file: {exc}"
            assert any(Path(exc.path) == p or Path(exc.path).is_relative_to(p) for p in inputs), \
                f"the error names none of the inputs: {exc}"
            assert str(exc).startswith(exc.path)
            OUTCOMES["refused"] += 1
            return
        assert not case.must_refuse, "XML declaring entities was read"
        if case.expected is not None:
            items, preds = case.expected
            assert {i.id: i.reference for i in bench.items} == items
            assert [i.id for i in bench.items] == list(items)
            assert bench.predictions == preds
        if case.check is not None:
            case.check(bench, root)
        OUTCOMES[import_fresh(root / "out" / "project.db", bench)] += 1


def import_fresh(path: Path, bench: Benchmark) -> str:
    """Import ``bench`` into a new project: all of it, or (on a ReviewerError) nothing."""
    path.parent.mkdir()
    project = Project(path, create=True)
    try:
        db = project.db
        try:
            import_benchmark(project, bench, workers=1)
        except ReviewerError:
            for table in ("items", "systems", "predictions", "alignments", "sources"):
                assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
            return "import refused"
        stored = db.execute("SELECT id, reference, media FROM items ORDER BY pos").fetchall()
        assert stored == [(i.id, i.reference, i.media) for i in bench.items]
        preds: dict[str, dict[str, str]] = {s: {} for s in project.systems()}
        for system, item, text in db.execute("SELECT system, item_id, text FROM predictions"):
            preds[system][item] = text
        assert preds == bench.predictions
        alignments = db.execute("SELECT count(*) FROM alignments").fetchone()[0]
        assert alignments == len(bench.items) * len(bench.predictions)
        return "imported"
    finally:
        project.close()


def run_kind(kind: str, examples: int, record_property) -> None:  # type: ignore[no-untyped-def]
    """Run ``examples`` hypothesis cases of ``kind``; record how many ran."""
    before = RAN[kind]

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(CASES[kind]())
    def fuzz(case: Case) -> None:
        run_case(kind, case)

    fuzz()
    ran = RAN[kind] - before
    record_property("cases", ran)
    print(f"fuzz {kind}: {ran} cases; all kinds so far: {sum(RAN.values())} "
          f"({dict(OUTCOMES)})")
    assert ran >= 0.9 * examples


# -- shared pieces -------------------------------------------------------------------------

SPECIAL = 'ab ",;\t\n\r\'\\\x00\ufeff\u2028\u0085<>&=é😀\u0301\u200b'
# Awkward characters or any characters: one draw per text, not one per character.
TEXT = st.one_of(st.text(SPECIAL, max_size=12),
                 st.text(st.characters(exclude_categories=("Cs",)), max_size=12))
MAYBE_TEXT = st.none() | TEXT
ID = st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1,
             max_size=10).filter(lambda s: s == s.strip())
IDS = st.lists(ID, min_size=1, max_size=6, unique=True)
INSERT = st.one_of(st.sampled_from(
    (b'"', b"\n", b"\r", b"\r\n", b",", b"\t", b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"{",
     b"}", b"[", b"<", b">", b"&", b"&lol;", b"\\ud800", b'""', b"]]>")),
    st.binary(min_size=1, max_size=16))
BYTE = st.integers(0, 255)
CODEC = st.sampled_from(("utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252"))
NEWLINE = st.sampled_from((b"\r", b"\r\n", b"\n\n", b"\x85"))
HUGE_UNIT = st.sampled_from((b"x", b"ab ", "é".encode(), b"\xff"))
HUGE_LENGTH = st.integers(20_000, 200_000)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` changed by one to four random edits."""
    for op in draw(EDITS):
        data = op(draw, data)
    return data


def _at(draw: st.DrawFn, data: bytes) -> int:
    return draw(st.integers(0, len(data)))


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[:_at(draw, data)]


def _flip(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    k = draw(st.integers(0, len(data) - 1))
    return data[:k] + bytes([draw(BYTE)]) + data[k + 1:]


def _insert(draw: st.DrawFn, data: bytes) -> bytes:
    k = _at(draw, data)
    return data[:k] + draw(INSERT) + data[k:]


def _delete(draw: st.DrawFn, data: bytes) -> bytes:
    a, b = sorted((_at(draw, data), _at(draw, data)))
    return data[:a] + data[b:]


def _duplicate(draw: st.DrawFn, data: bytes) -> bytes:
    a, b = sorted((_at(draw, data), _at(draw, data)))
    k = _at(draw, data)
    return data[:k] + data[a:b] + data[k:]


def _reencode(draw: st.DrawFn, data: bytes) -> bytes:
    return data.decode("utf-8", "replace").encode(draw(CODEC), "replace")


def _newlines(draw: st.DrawFn, data: bytes) -> bytes:
    return data.replace(b"\n", draw(NEWLINE))


def _huge(draw: st.DrawFn, data: bytes) -> bytes:
    k = _at(draw, data)
    return data[:k] + draw(HUGE_UNIT) * draw(HUGE_LENGTH) + data[k:]


EDITS = st.lists(st.sampled_from((_truncate, _flip, _flip, _insert, _insert, _delete,
                                  _duplicate, _reencode, _newlines, _huge)),
                 min_size=1, max_size=4)


# -- tables ------------------------------------------------------------------------------

@st.composite
def rows(draw: st.DrawFn) -> list[tuple[str, str, str | None]]:
    ids = draw(IDS)
    return [(i, draw(TEXT), draw(MAYBE_TEXT)) for i in ids]


def expected_table(table: list[tuple[str, str, str | None]], *, empty_cells: bool,
                   column_always: bool) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Items and predictions a table of ``(id, reference, prediction)`` rows must give.

    CSV writes a missing prediction as an empty cell (``empty_cells``); JSON Lines leaves
    the key out, Parquet writes a null. Without any prediction, JSON Lines has no
    ``pred_x`` column at all, the others an empty one (``column_always``).
    """
    items = {i: ref for i, ref, _ in table}
    preds = {i: p or "" for i, _, p in table if empty_cells or p is not None}
    return items, ({"x": preds} if column_always or preds else {})


QUOTING = st.sampled_from((csv.QUOTE_MINIMAL, csv.QUOTE_ALL))
LINE_END = st.sampled_from(("\n", "\r\n"))
UTF8 = st.sampled_from(("utf-8", "utf-8-sig"))
BINARY = st.binary(max_size=300)


@st.composite
def delimited_file(draw: st.DrawFn, delimiter: str) -> tuple[bytes, tuple]:
    table = draw(rows())
    quoting = draw(QUOTING)
    # Unquoted, a lone CR inside a cell would end the row: the writer quotes it only if
    # the line terminator holds one.
    ending = "\r\n" if quoting == csv.QUOTE_MINIMAL else draw(LINE_END)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=ending)
    writer.writerow(["id", "gt", "pred_x"])
    writer.writerows((i, ref, pred or "") for i, ref, pred in table)
    data = out.getvalue().encode(draw(UTF8))
    return data, expected_table(table, empty_cells=True, column_always=True)


def table_cases(suffix: str, well_formed: st.SearchStrategy[tuple[bytes, tuple]]
                ) -> st.SearchStrategy[Case]:
    name = b"bench" + suffix.encode()

    def good(made: tuple[bytes, tuple]) -> Case:
        return Case({name: made[0]}, name, expected=made[1])

    def bad(data: bytes) -> Case:
        return Case({name: data}, name)

    @st.composite
    def broken(draw: st.DrawFn) -> Case:
        return bad(draw(mutated(draw(well_formed)[0])))

    return st.one_of(well_formed.map(good), broken(), broken(), BINARY.map(bad),
                     TEXT.map(lambda t: bad(t.encode())))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6)


BLANKS = st.sampled_from(("\n", "\n\n", "\r\n", "\n   \n"))


@st.composite
def jsonl_file(draw: st.DrawFn) -> tuple[bytes, tuple]:
    table = draw(rows())
    ascii_only = draw(st.booleans())
    lines = []
    for item, ref, pred in table:
        record: dict[str, object] = {"id": item, "gt": ref}
        if pred is not None:
            record["pred_x"] = pred
        if draw(st.booleans()):
            record["extra"] = draw(JSON_VALUE)
        lines.append(json.dumps(record, ensure_ascii=ascii_only))
    blank = draw(BLANKS)
    return blank.join(lines).encode(), expected_table(table, empty_cells=False,
                                                      column_always=False)


def _deep_json(draw: st.DrawFn, data: bytes) -> bytes:
    depth = draw(st.sampled_from((100, 900, 980, 1000, 5000, 100_000)))
    opener = draw(st.sampled_from((b"[", b'{"a":')))
    closer = b"]" if opener == b"[" else b"}"
    line = b'{"id": "deep", "gt": ' + opener * depth + b"1" + closer * depth + b"}\n"
    return data + b"\n" + line


def _lone_surrogate(draw: st.DrawFn, data: bytes) -> bytes:
    escape_ = draw(st.sampled_from((b"\\ud800", b"\\uDFFF", b"\\udbff\\u0041", b"\\ud83d")))
    key = draw(st.sampled_from((b"id", b"gt", b"pred_x", b"k")))
    return data + b'\n{"' + key + b'": "a' + escape_ + b'", "id": "s"}\n'


def _odd_json(draw: st.DrawFn, data: bytes) -> bytes:
    line = draw(st.sampled_from((b"[1, 2]", b'"text"', b"3", b"null", b'{"id": NaN, "gt": "x"}',
                                 b'{"id": 1e999, "gt": "x"}', b'{"id": "d", "id": "e", "gt": 1}',
                                 b'{"id": "t", "gt": true, "pred_x": {"n": [1, null]}}',
                                 b'{"id": "u", "gt": "\\ud83d\\ude00"}')))
    return data + b"\n" + line + b"\n"


@st.composite
def jsonl_broken(draw: st.DrawFn) -> bytes:
    data, _ = draw(jsonl_file())
    op = draw(st.sampled_from((_deep_json, _lone_surrogate, _odd_json)))
    return op(draw, data)


def jsonl_cases() -> st.SearchStrategy[Case]:
    name = b"bench.jsonl"
    return st.one_of(table_cases(".jsonl", jsonl_file()),
                     jsonl_broken().map(lambda data: Case({name: data}, name)))


PARQUET_EXTRAS: dict[str, Callable[[int], object]] = {
    "ints": lambda n: [k if k % 2 else None for k in range(n)],
    "floats": lambda n: [float("nan") if k % 3 == 0 else k / 3 for k in range(n)],
    "blobs": lambda n: [bytes([k % 256, 255, 0]) for k in range(n)],
    "lists": lambda n: [[k, k + 1] for k in range(n)],
    "structs": lambda n: [{"a": [k], "b": "x", "c": b"\xff"} for k in range(n)],
    "flags": lambda n: [k % 2 == 0 for k in range(n)],
}


@st.composite
def parquet_file(draw: st.DrawFn) -> tuple[bytes, tuple]:
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = draw(rows())
    n = len(table)
    columns: dict[str, object] = {"id": [r[0] for r in table], "gt": [r[1] for r in table],
                                  "pred_x": [r[2] for r in table]}
    for name in draw(st.lists(st.sampled_from(tuple(sorted(PARQUET_EXTRAS))), max_size=3,
                              unique=True)):
        columns[name] = PARQUET_EXTRAS[name](n)
    if draw(st.booleans()):
        columns["when"] = [datetime.datetime(2020, 1, 1 + k % 28) for k in range(n)]
    arrays = {k: pa.array(v) for k, v in columns.items()}
    if draw(st.booleans()):
        arrays["gt"] = arrays["gt"].dictionary_encode()
    out = io.BytesIO()
    pq.write_table(pa.table(arrays), out, compression=draw(st.sampled_from(
        ["none", "snappy", "zstd"])))
    return out.getvalue(), expected_table(table, empty_cells=False, column_always=True)


def parquet_cases() -> st.SearchStrategy[Case]:
    name = b"bench.parquet"
    magic = st.binary(max_size=200).map(lambda b: b"PAR1" + b + b"PAR1")
    return st.one_of(table_cases(".parquet", parquet_file()),
                     magic.map(lambda data: Case({name: data}, name)))


# -- folders -----------------------------------------------------------------------------

NAME = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"),
            min_size=1, max_size=12).map(lambda s: s.encode()),
    st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")),
).filter(lambda b: b not in (b".", b"..") and len(b) < 100)
SUFFIX = st.sampled_from((b".gt.txt", b".gt.txt", b".txt", b".pred.txt", b".ocr.txt", b".png",
                          b".GT.TXT", b".gt.txt.bak", b"", b".tif"))
SUBDIR = st.sampled_from((b"", b"", b"sub/", b"sub/deeper/", b"\xff\xfedir/",
                          "ünï cödé/".encode(), b".hidden/", b" spaced dir /"))
CONTENT = st.one_of(TEXT.map(lambda t: t.encode()), st.binary(max_size=40),
                    TEXT.map(lambda t: b"\xef\xbb\xbf" + t.encode() + b"\r\n"))


@st.composite
def folder_cases(draw: st.DrawFn) -> Case:
    files: dict[bytes, bytes] = {}
    for _ in range(draw(st.integers(0, 8))):
        rel = draw(SUBDIR) + draw(NAME) + draw(SUFFIX)
        files[b"gt/" + rel] = draw(CONTENT)
    predictions: tuple[tuple[str, bytes], ...] = ()
    if draw(st.booleans()):
        for _ in range(draw(st.integers(0, 4))):
            files[b"pred/" + draw(SUBDIR) + draw(NAME) + draw(SUFFIX)] = draw(CONTENT)
        files.setdefault(b"pred/.keep", b"")
        predictions = (("y", b"pred"),)
    files = _without_clashes(files)
    files.setdefault(b"gt/.keep", b"")
    return Case(files, b"gt", predictions, check=_folder_items_are_its_files)


def _without_clashes(files: dict[bytes, bytes]) -> dict[bytes, bytes]:
    """Drop files whose path is another file's folder (they cannot both exist)."""
    folders = {rel[:k] for rel in files for k in range(len(rel)) if rel[k:k + 1] == b"/"}
    return {rel: data for rel, data in files.items() if rel not in folders}


def _folder_items_are_its_files(bench: Benchmark, root: Path) -> None:
    for item in bench.items:
        data = (root / "gt" / (item.id + ".gt.txt")).read_bytes().decode("utf-8")
        data = data.removeprefix("\ufeff")
        for ending in ("\r\n", "\n"):
            if data.endswith(ending):
                data = data[: -len(ending)]
                break
        assert item.reference == data, item.id


# -- PAGE-XML and ALTO -------------------------------------------------------------------

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XML_CHAR = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")
LINE_TEXT = st.one_of(st.text("<>&\"' \t\n;é😀ab", max_size=12), st.text(XML_CHAR, max_size=12))
WORD = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                             exclude_characters="\ufffe\uffff"), min_size=1, max_size=8)
LINE_ID = st.text("abcxyzABC0123456789_.-", min_size=1, max_size=6)


def page_xml(lines: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<TextRegion id={quoteattr('r' + str(k))}><TextLine id={quoteattr(line_id)}>"
        f"<Coords points='0,0 1,1'/><TextEquiv><Unicode>{escape(text)}</Unicode>"
        "</TextEquiv></TextLine></TextRegion>"
        for k, (line_id, text) in enumerate(lines))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{PAGE_NS}"><Page '
            f'imageFilename="scan.png" imageWidth="10" imageHeight="10">{body}</Page>'
            "</PcGts>").encode()


def alto_xml(lines: list[tuple[str, list[str]]], spaced: bool) -> bytes:
    gap = "<SP/>" if spaced else ""
    body = "".join(
        f"<TextLine ID={quoteattr(line_id)}>"
        + gap.join(f"<String CONTENT={quoteattr(w)}/>" for w in words) + "</TextLine>"
        for line_id, words in lines)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<alto xmlns="{ALTO_NS}"><Description>'
            "<sourceImageInformation><fileName>scan.png</fileName></sourceImageInformation>"
            f"</Description><Layout><Page><PrintSpace><TextBlock ID='b'>{body}</TextBlock>"
            "</PrintSpace></Page></Layout></alto>").encode()


@st.composite
def page_file(draw: st.DrawFn, ids: list[str] | None = None
              ) -> tuple[list[tuple[str, str]], bytes]:
    ids = ids or draw(st.lists(LINE_ID, min_size=1, max_size=6, unique=True))
    # XML reads a CR as a line feed, so a well-formed case has none.
    lines = [(i, draw(LINE_TEXT).replace("\r", "")) for i in ids]
    return lines, page_xml(lines)


@st.composite
def alto_file(draw: st.DrawFn, ids: list[str] | None = None
              ) -> tuple[list[tuple[str, str]], bytes]:
    ids = ids or draw(st.lists(LINE_ID, min_size=1, max_size=6, unique=True))
    lines = [(i, draw(st.lists(WORD, min_size=1, max_size=4))) for i in ids]
    return [(i, " ".join(words)) for i, words in lines], alto_xml(lines, draw(st.booleans()))


def xml_cases(fmt: str) -> st.SearchStrategy[Case]:
    made = page_file if fmt == "page" else alto_file
    ref, pred = f"doc.gt.{fmt}.xml".encode(), f"doc.ocr.{fmt}.xml".encode()

    @st.composite
    def good(draw: st.DrawFn) -> Case:
        lines, data = draw(made())
        items = {f"doc_{i}": text for i, text in lines}
        if draw(st.booleans()):
            return Case({ref: data}, ref, expected=(items, {}))
        other, pred_data = draw(made([i for i, _ in lines]))
        return Case({ref: data, pred: pred_data}, ref, (("y", pred),),
                    expected=(items, {"y": {f"doc_{i}": t for i, t in other}}))

    @st.composite
    def broken(draw: st.DrawFn) -> Case:
        lines, data = draw(made())
        unit = draw(st.sampled_from(("line", "region", "page")))
        if draw(st.booleans()):
            _, pred_data = draw(made([i for i, _ in lines]))
            return Case({ref: data, pred: draw(mutated(pred_data))}, ref, (("y", pred),),
                        unit=unit)
        return Case({ref: draw(mutated(data))}, ref, unit=unit)

    junk = st.binary(max_size=300).map(lambda b: Case({ref: b}, ref))
    return st.one_of(good(), broken(), broken(), junk)


LAUGHS = ('<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{k} "{f"&lol{k - 1};" * 10 if k > 1 else "&lol;" * 10}">'
    for k in range(1, 10)))
DTDS = {
    "billion laughs": (LAUGHS, "&lol9;"),
    "quadratic blowup": (f'<!ENTITY a "{"x" * 2000}">', "&a;" * 2000),
    "external file": ('<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;"),
    "external url": ('<!ENTITY x SYSTEM "http://127.0.0.1:9/x.txt">', "&x;"),
    "parameter entity": ('<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;', ""),
    "unparsed entity": ('<!NOTATION n SYSTEM "x"><!ENTITY u SYSTEM "u.bin" NDATA n>', ""),
    "unused entity": ('<!ENTITY unused "text">', ""),
}


@st.composite
def hostile_xml(draw: st.DrawFn) -> Case:
    """XML that declares entities (refused), or is nested thousands deep."""
    fmt = draw(st.sampled_from(("page", "alto")))
    lines, data = draw(page_file() if fmt == "page" else alto_file())
    name = f"doc.{fmt}.xml".encode()
    root = b"PcGts" if fmt == "page" else b"alto"
    choice = draw(st.sampled_from(("entities", "entities", "external subset", "nesting")))
    if choice == "external subset":  # names a DTD but declares nothing: read, never fetched
        doctype = b'<!DOCTYPE ' + root + b' SYSTEM "http://127.0.0.1:9/schema.dtd">\n'
        start = data.index(b"<" + root)
        expected = ({f"doc_{i}": text for i, text in lines}, {})
        return Case({name: data[:start] + doctype + data[start:]}, name, expected=expected)
    if choice == "entities":
        decls, use = DTDS[draw(st.sampled_from(tuple(sorted(DTDS))))]
        doctype = b"<!DOCTYPE " + root + b" [" + decls.encode() + b"]>\n"
        start = data.index(b"<" + root)
        data = data[:start] + doctype + data[start:]
        if use:
            marker = b"<Unicode>" if fmt == "page" else b'CONTENT="'
            data = data.replace(marker, marker + use.encode(), 1)
        return Case({name: data}, name, must_refuse=True)
    depth = draw(st.sampled_from((50, 500, 999, 1000, 3000, 30_000)))
    where = b"<Page " if fmt == "page" else b"<PrintSpace>"
    tag = draw(st.sampled_from(
        (b"TextRegion", b"OrderedGroup", b"Foo") if fmt == "page" else (b"TextBlock", b"Foo")))
    if tag == b"OrderedGroup":
        nest = (b"<ReadingOrder>" + b"".join(b'<OrderedGroup id="g%d" index="0">' % k
                                             for k in range(depth))
                + b"</OrderedGroup>" * depth + b"</ReadingOrder>")
    else:
        nest = b"".join(b'<%s id="n%d" ID="n%d">' % (tag, k, k) for k in range(depth)) + \
            b"</" + tag + b">" * depth
    if fmt == "page":
        start = data.index(b">", data.index(where)) + 1
    else:
        start = data.index(where) + len(where)
    return Case({name: data[:start] + nest + data[start:]}, name,
                unit=draw(st.sampled_from(("line", "region", "page"))))


def page_cases() -> st.SearchStrategy[Case]:
    return xml_cases("page")


def alto_cases() -> st.SearchStrategy[Case]:
    return xml_cases("alto")


CASES: dict[str, Callable[[], st.SearchStrategy[Case]]] = {
    "csv": lambda: table_cases(".csv", delimited_file(",")),
    "tsv": lambda: table_cases(".tsv", delimited_file("\t")),
    "jsonl": jsonl_cases,
    "parquet": parquet_cases,
    "folder": folder_cases,
    "page": page_cases,
    "alto": alto_cases,
    "xml-hostile": hostile_xml,
}


# -- the tests ---------------------------------------------------------------------------

def test_the_slow_runs_add_up_to_ten_thousand_cases() -> None:
    assert set(SLOW) == set(CASES)
    assert sum(SLOW.values()) >= 10_000


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_sample_of_hostile_inputs(kind: str, record_property) -> None:  # type: ignore[no-untyped-def]
    run_kind(kind, FAST, record_property)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(CASES))
def test_hostile_inputs_end_in_an_import_or_a_named_error(kind: str,
                                                          record_property) -> None:  # type: ignore[no-untyped-def]
    run_kind(kind, SLOW[kind], record_property)
