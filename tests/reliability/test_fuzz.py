"""Hostile and broken input (DESIGN §9): every reader, fed random and mutated files.

Each case writes one benchmark (a table, a paired-file folder, a PAGE-XML or ALTO file,
sometimes with a prediction source beside it) into a fresh folder and loads it. It must
end in one of two ways:

* an :class:`~reviewer.core.errors.InputError` whose message starts with the file (or a
  file inside the folder) it is about, or
* a benchmark that imports into a fresh project, or whose import raises a
  :class:`~reviewer.core.errors.ReviewerError` and leaves the project empty.

Any other exception fails the test. Well-formed cases must import and read back exactly
what was written (ids, references in their task kind's encoding, predictions), and XML that
declares entities must be refused (nothing is expanded). A kern reference with a structural
error must be refused naming its file and line; a broken kern prediction must import.

The cases: well-formed files with awkward text (quotes, delimiters and newlines inside
cells, NUL, BOMs, U+2028, combining marks, astral characters); the same files mutated
(truncated, bytes flipped, inserted, deleted or duplicated, re-encoded as UTF-16 or
Latin-1, a huge line spliced in); pure random bytes; JSON nested thousands deep and lone
surrogate escapes; Parquet files with nested and binary columns; folders with random file
names (some not UTF-8) and contents; PAGE and ALTO nested thousands of elements deep,
billion-laughs, quadratic-blowup and external-entity DTDs. Each case carries its task kind:
asr (sclite trn; NIST stm with ctm; Kaldi text with wav.scp and utt2spk), gec (M2 gold and
system files), kern (folders of .krn files), choice (question, options and answer tables)
and label (gold-label tables with class and probability columns); their words may hold any
whitespace but a line feed (U+0085, U+2028... end no line in those formats).

The slow tests run more than 10,000 cases in all; the others run a sample of each kind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.core.choice_keys import LETTERS
from reviewer.core.errors import InputError, ReviewerError
from reviewer.core.items import Benchmark
from reviewer.core.kern import syntax
from reviewer.core.label_codec import class_order, encode_prediction
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

# Cases run per kind: the slow runs sum to more than 10,000; the fast ones are a sample.
SLOW = {"csv": 1500, "tsv": 1000, "jsonl": 1500, "parquet": 1000, "folder": 1500,
        "page": 1400, "alto": 1300, "xml-hostile": 1000,
        "trn": 500, "stm-ctm": 500, "kaldi": 500, "m2": 500, "kern-folder": 400,
        "choice": 500, "label": 500}
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
    task_kind: str = "text"  # the ReadOptions kind the case is imported as
    # Files read beside the reference (a Kaldi wav.scp): an error may name them too.
    also_read: tuple[bytes, ...] = ()
    must_import: bool = False  # a broken kern prediction is scored, never refused
    # Checks a refusal further (the file and line a broken kern reference must name).
    refusal: Callable[[InputError, Path], None] | None = field(default=None, repr=False)

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
        inputs = [reference, *(path for _, path in predictions),
                  *(root / os.fsdecode(rel) for rel in case.also_read)]
        options = ReadOptions(kind=case.task_kind, unit=case.unit)  # type: ignore[arg-type]
        try:
            bench = load_benchmark(reference, predictions, options)
        except InputError as exc:
            assert exc.path is not None, f"the error names no file: {exc}"
            assert any(Path(exc.path) == p or Path(exc.path).is_relative_to(p) for p in inputs), \
                f"the error names none of the inputs: {exc}"
            assert str(exc).startswith(exc.path)
            assert case.expected is None, f"a well-formed case was refused: {exc}"
            assert not case.must_import, f"refused: {exc}"
            if case.refusal is not None:
                case.refusal(exc, root)
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
        outcome = import_fresh(root / "out" / "project.db", bench)
        assert case.expected is None or outcome == "imported", "a well-formed case was refused"
        OUTCOMES[outcome] += 1


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


def run_kind(kind: str, examples: int, record_property: Callable[[str, object], None]) -> None:
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
                 st.text(st.characters(exclude_categories=["Cs"]), max_size=12))
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


QUOTING: st.SearchStrategy[Literal[0, 1]] = st.sampled_from((csv.QUOTE_MINIMAL, csv.QUOTE_ALL))
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
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"),
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
        expected: tuple[dict[str, str], dict[str, dict[str, str]]] = (
            {f"doc_{i}": text for i, text in lines}, {})
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

# -- task kinds: what the line formats share -------------------------------------------------

# Words hold no whitespace; between them any whitespace, line separators included (the line
# formats end a line at "\n" only, as sclite, Kaldi and ERRANT read them).
WORD_CHARS = 'ab,;\'"\\<>&=|()é😀\u0301\u200b\ufeff\x00\x7f'
NONSPACE = st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))
TOKEN = st.one_of(st.text(WORD_CHARS, min_size=1, max_size=6),
                  st.text(NONSPACE, min_size=1, max_size=6))
GAP = st.sampled_from((" ", " ", " ", "  ", "\t", "\xa0", "\u3000", "\x0b", "\x0c", "\x1c",
                       "\x1f", "\x85", "\u2028", "\u2029"))
FIELD_GAP = st.sampled_from((" ", " ", "\t", "  ", " \t"))
ENDING = st.sampled_from(("\n", "\n", "\r\n"))


@st.composite
def spoken(draw: st.DrawFn, word: st.SearchStrategy[str] = TOKEN, min_words: int = 0
           ) -> tuple[list[str], str]:
    """Words and the text joining them with assorted whitespace."""
    words = draw(st.lists(word, min_size=min_words, max_size=6))
    return words, "".join((draw(GAP) if k else "") + w for k, w in enumerate(words))


@st.composite
def line_file(draw: st.DrawFn, rows: list[str]) -> bytes:
    """``rows`` as a UTF-8 file: any line ending, maybe a BOM (always one before a U+FEFF)."""
    ending = draw(ENDING)
    text = ending.join(rows) + (ending if draw(st.booleans()) else "")
    if text.startswith("\ufeff") or draw(st.booleans()):
        text = "\ufeff" + text
    return text.encode()


def task_cases(good: st.SearchStrategy[Case], junk_name: bytes, task_kind: str
               ) -> st.SearchStrategy[Case]:
    """Well-formed cases of a task kind, the same with one file mutated, and random bytes."""

    @st.composite
    def broken(draw: st.DrawFn) -> Case:
        case = draw(good)
        rel = draw(st.sampled_from(sorted(case.files)))
        files = {**case.files, rel: draw(mutated(case.files[rel]))}
        return replace(case, files=files, expected=None, check=None, must_import=False,
                       refusal=None)

    junk = BINARY.map(lambda data: Case({junk_name: data}, junk_name, task_kind=task_kind))
    return st.one_of(good, broken(), broken(), junk)


def _some(draw: st.DrawFn, keys: list[str]) -> list[str]:
    """A non-empty subset of ``keys``, in their order."""
    chosen = set(draw(st.lists(st.sampled_from(keys), min_size=1, unique=True)))
    return [k for k in keys if k in chosen]


# -- asr: sclite trn -------------------------------------------------------------------------

TRN_ID = st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc"),
                               exclude_characters="()"), min_size=1, max_size=10)
TRN_GAP = st.sampled_from(("", " ", "\t", "  "))
TRN_TAIL = st.sampled_from(("", "", " ", "\t"))
COMMENT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\n\r"),
                  max_size=10).map(lambda t: ";;" + t)


@st.composite
def trn_file(draw: st.DrawFn, ids: list[str]) -> tuple[dict[str, str], bytes]:
    """``(id -> text, file)``: ``text (id)`` lines, comments and blank lines among them."""
    texts: dict[str, str] = {}
    rows: list[str] = []
    for utt in ids:
        if draw(st.integers(0, 5)) == 0:
            rows.append(draw(COMMENT | st.sampled_from(("", "  "))))
        _, text = draw(spoken())
        if text.startswith(";;"):  # that line would be a comment
            text = "x" + text
        texts[utt] = text
        rows.append(text + draw(TRN_GAP) + f"({utt})" + draw(TRN_TAIL))
    return texts, draw(line_file(rows))


@st.composite
def trn_cases(draw: st.DrawFn) -> Case:
    ids = draw(st.lists(TRN_ID.filter(lambda s: not s.startswith(";;")), min_size=1,
                        max_size=6, unique=True))
    refs, data = draw(trn_file(ids))
    files = {b"ref.trn": data}
    if draw(st.booleans()):
        return Case(files, b"ref.trn", task_kind="asr", expected=(refs, {}))
    hyps, pred = draw(trn_file(_some(draw, ids)))
    files[b"hyp.trn"] = pred
    return Case(files, b"ref.trn", (("y", b"hyp.trn"),), task_kind="asr",
                expected=(refs, {"y": hyps}))


# -- asr: NIST stm references, ctm predictions -----------------------------------------------

NIST_FIELD = TOKEN.filter(lambda s: not s.startswith(";;"))
STM_FILE = NIST_FIELD.filter(lambda s: re.search(r"_\d{7}_\d{7}", s) is None)
CHANNEL = st.one_of(st.sampled_from(("1", "A", "B", "2", "A_1")), NIST_FIELD)
STM_WORD = TOKEN.filter(lambda w: not (w.startswith("<") and w.endswith(">"))
                        and "{" not in w and "}" not in w)
SECONDS = st.sampled_from(("{:.2f}", "{:.3f}", "{:g}", "{:08.2f}"))


@dataclass(frozen=True)
class StmSegment:
    """One stm segment as written: times in centiseconds."""

    file: str
    channel: str
    start: int
    end: int
    words: tuple[str, ...]


@st.composite
def stm_segments(draw: st.DrawFn) -> list[StmSegment]:
    """Segments of one to three files on their channels, none overlapping on a channel."""
    segments = []
    for file in draw(st.lists(STM_FILE, min_size=1, max_size=3, unique=True)):
        channels = draw(st.lists(CHANNEL, min_size=1, max_size=2, unique=True))
        for channel in channels:
            cursor = draw(st.integers(0, 500))
            for _ in range(draw(st.integers(1, 3))):
                start = cursor + draw(st.integers(0, 50))
                cursor = start + draw(st.integers(5, 300))
                words, _ = draw(spoken(STM_WORD))
                segments.append(StmSegment(file, channel, start, cursor, tuple(words)))
    return draw(st.permutations(segments))


def segment_ids(segments: list[StmSegment]) -> list[str]:
    """Item ids: the file for a file's only segment, else file, channel and times."""
    per_file = Counter(s.file for s in segments)
    return [s.file if per_file[s.file] == 1 else
            f"{s.file}_{s.channel}_{s.start:07d}_{s.end:07d}" for s in segments]


@st.composite
def stm_file(draw: st.DrawFn, segments: list[StmSegment]) -> bytes:
    rows = []
    for seg in segments:
        if draw(st.integers(0, 5)) == 0:
            rows.append(draw(COMMENT))
        if draw(st.integers(0, 5)) == 0:  # a region left out of scoring
            rows.append(f"{seg.file} {seg.channel} spk 9000 9001 IGNORE_TIME_SEGMENT_IN_SCORING")
        fmt = draw(SECONDS)
        fields = [seg.file, seg.channel, draw(NIST_FIELD), fmt.format(seg.start / 100),
                  fmt.format(seg.end / 100)]
        if draw(st.booleans()):
            fields.append("<o,f0,male>")
        row = "".join(f + draw(FIELD_GAP) for f in fields)
        rows.append(row + "".join((draw(GAP) if k else "") + w for k, w in enumerate(seg.words)))
    return draw(line_file(rows))


@st.composite
def ctm_file(draw: st.DrawFn, segments: list[StmSegment], ids: list[str]
             ) -> tuple[dict[str, str], bytes]:
    """``(id -> predicted text, file)``: words timed inside segments of some files."""
    files = _some(draw, sorted({s.file for s in segments}))
    words: list[tuple[str, int, int, str]] = []  # (item id, start ms, duration ms, word)
    for seg, item in zip(segments, ids, strict=True):
        if seg.file not in files:
            continue
        for _ in range(draw(st.integers(0, 3))):
            mid = draw(st.integers(seg.start * 10 + 5, seg.end * 10 - 5))
            half = draw(st.integers(0, min(mid - seg.start * 10, 400)))
            words.append((item, mid - half, 2 * half, draw(NIST_FIELD)))
    lines: list[tuple[str, str, int, int, str]] = []  # (file, channel, start, duration, word)
    by_id = dict(zip(ids, segments, strict=True))
    for item, start, duration, word in words:
        lines.append((by_id[item].file, by_id[item].channel, start, duration, word))
    last = max(s.end for s in segments) * 10
    # A word after every segment (not scored): every channel of those files is in the ctm.
    for file, channel in sorted({(s.file, s.channel) for s in segments if s.file in files}):
        if draw(st.integers(0, 3)) == 0 or (file, channel) not in {w[:2] for w in lines}:
            lines.append((file, channel, last + 1000, 100, draw(NIST_FIELD)))
    order = draw(st.permutations(range(len(lines))))
    rows = []
    for k in order:
        file, channel, start, duration, word = lines[k]
        conf = draw(st.sampled_from(("", " 0.87", "\t1")))
        rows.append(draw(FIELD_GAP).join((file, channel, f"{start / 1000:.3f}",
                                          f"{duration / 1000:.3f}", word)) + conf)
    single = {f for f, n in Counter(s.file for s in segments).items() if n == 1}
    present = {line[0] for line in lines}  # a file in the ctm: each of its segments predicted
    texts: dict[str, list[tuple[int, int, str]]] = {
        item: [] for item, seg in by_id.items() if seg.file in present}
    for line_no, k in enumerate(order):
        file, channel, start, duration, word = lines[k]
        if file in single:
            item = file
        else:
            item = next((i for i, s in by_id.items() if s.file == file and s.channel == channel
                         and s.start * 10 <= start + duration / 2 <= s.end * 10), "")
        if item:
            texts[item].append((start, line_no, word))
    expected = {item: " ".join(w for _, _, w in sorted(found)) for item, found in texts.items()}
    return expected, draw(line_file(rows))


@st.composite
def nist_cases(draw: st.DrawFn) -> Case:
    segments = draw(stm_segments())
    ids = segment_ids(segments)
    refs = {item: " ".join(seg.words) for item, seg in zip(ids, segments, strict=True)}
    files = {b"ref.stm": draw(stm_file(segments))}
    if draw(st.integers(0, 3)) == 0:
        return Case(files, b"ref.stm", task_kind="asr", expected=(refs, {}))
    hyps, files[b"hyp.ctm"] = draw(ctm_file(segments, ids))
    return Case(files, b"ref.stm", (("y", b"hyp.ctm"),), task_kind="asr",
                expected=(refs, {"y": hyps}))


# -- asr: Kaldi text, wav.scp and utt2spk ----------------------------------------------------

# Kaldi ids carry numbers; a last word ending in "(id)" would make the file trn.
KALDI_ID = st.tuples(NIST_FIELD.filter(lambda s: "\x00" not in s),
                     st.integers(0, 999)).map(lambda t: f"{t[0]}{t[1]}")
KALDI_WORD = TOKEN.filter(lambda w: "\x00" not in w and re.search(r"\([^()\s]*\)$", w) is None)
AUDIO_PATH = st.sampled_from(("wav/{k}.wav", "/data/{k}.flac", "my audio/{k}.wav",
                              "sox in{k}.wav -t wav - |"))


@st.composite
def kaldi_text(draw: st.DrawFn, ids: list[str]) -> tuple[dict[str, str], bytes]:
    """``(id -> text, file)``: ``ID words...`` lines, words normalised to single spaces."""
    texts, rows = {}, []
    for utt in ids:
        words, text = draw(spoken(KALDI_WORD))
        texts[utt] = " ".join(words)
        rows.append(utt + (draw(FIELD_GAP) + text if text or draw(st.booleans()) else ""))
    return texts, draw(line_file(rows))


@st.composite
def kaldi_cases(draw: st.DrawFn) -> Case:
    ids = draw(st.lists(KALDI_ID, min_size=1, max_size=6, unique=True))
    refs, data = draw(kaldi_text(ids))
    files = {b"data/text": data}
    audio: dict[str, str | None] = {}
    if draw(st.booleans()):
        rows = []
        for k, utt in enumerate(_some(draw, ids)):
            rest = draw(AUDIO_PATH).format(k=k)
            rows.append(utt + draw(FIELD_GAP) + rest)
            audio[utt] = None if rest.endswith("|") else rest
        files[b"data/wav.scp"] = draw(line_file(rows))
    speakers: dict[str, str] = {}
    if draw(st.booleans()):
        speakers = {utt: draw(NIST_FIELD) for utt in _some(draw, ids)}
        files[b"data/utt2spk"] = draw(line_file([f"{u} {s}" for u, s in speakers.items()]))
    siblings = len(files) > 1
    reference = b"data" if siblings and draw(st.booleans()) else b"data/text"
    predictions: tuple[tuple[str, bytes], ...] = ()
    expected_preds: dict[str, dict[str, str]] = {}
    if draw(st.booleans()):
        name = draw(st.sampled_from((b"decode/text", b"hyp.txt", b"hyp")))
        hyps, files[name] = draw(kaldi_text(_some(draw, ids)))
        predictions, expected_preds = (("y", name),), {"y": hyps}

    def check(bench: Benchmark, root: Path) -> None:
        folder = root / "data"
        for item in bench.items:
            path = audio.get(item.id)
            wanted = None if path is None else Path(os.path.abspath(folder / path)).as_posix()
            assert item.media == wanted, item.id
            if speakers:
                assert dict(item.meta).get("speaker") == speakers.get(item.id), item.id

    return Case(files, reference, predictions, task_kind="asr",
                also_read=tuple(f for f in files if f.startswith(b"data/")),
                expected=(refs, expected_preds), check=check)


# -- gec: M2 gold and system files -----------------------------------------------------------

# Edit fields hold no "|" (a field ending in one would move the "|||" separators).
EDIT_FIELD = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="|\n\r"),
                     max_size=8)
EDIT_TYPE = st.one_of(st.sampled_from(("R:VERB:SVA", "M:DET", "U:PUNCT", "R:OTHER", "UNK")),
                      EDIT_FIELD)


@st.composite
def m2_edits(draw: st.DrawFn, tokens: int) -> list[str]:
    """``A`` lines over a sentence of ``tokens`` tokens, by one to three annotators."""
    lines = []
    for annotator in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 4)) == 0:
            lines.append(f"A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||{annotator}")
            continue
        for _ in range(draw(st.integers(0, 3))):
            start = draw(st.integers(0, tokens))
            end = draw(st.integers(start, tokens))
            fields = (draw(EDIT_TYPE), draw(EDIT_FIELD), draw(EDIT_FIELD | st.just("REQUIRED")),
                      draw(EDIT_FIELD | st.just("-NONE-")))
            lines.append(f"A {start} {end}|||" + "|||".join(fields) + f"|||{annotator}")
    return lines


@st.composite
def m2_file(draw: st.DrawFn, sources: list[str]) -> tuple[list[list[str]], bytes]:
    """``(each sentence's A lines, file)``: S lines with edits, blank lines between."""
    edits = [draw(m2_edits(len(source.split()))) for source in sources]
    ending = draw(ENDING)
    blocks = [ending.join([f"S {source}", *lines]) for source, lines in zip(sources, edits,
                                                                             strict=True)]
    blank = draw(st.sampled_from(("", " ", "\t", ending))) + ending  # a blank line or two
    text = "".join(block + ending + blank for block in blocks)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no blank line after the last sentence
    return edits, text.encode()


@st.composite
def m2_cases(draw: st.DrawFn) -> Case:
    sources = [draw(spoken())[1] for _ in range(draw(st.integers(1, 5)))]
    gold, data = draw(m2_file(sources))
    ids = [str(k) for k in range(1, len(sources) + 1)]
    refs = {i: "\n".join([f"S {source}", *lines])
            for i, source, lines in zip(ids, sources, gold, strict=True)}
    files = {b"gold.m2": data}
    if draw(st.booleans()):
        return Case(files, b"gold.m2", task_kind="gec", expected=(refs, {}))
    system, files[b"sys.m2"] = draw(m2_file(sources))
    hyps = {i: "\n".join(lines) for i, lines in zip(ids, system, strict=True)}
    return Case(files, b"gold.m2", (("y", b"sys.m2"),), task_kind="gec",
                expected=(refs, {"y": hyps}))


# -- kern: folders of .krn files -------------------------------------------------------------

KERN_DATA = st.sampled_from(("4c", "8.dd#", "2r", "16ccc-L", "4C 4E 4G", "4.BB-J", ".", "8e'",
                             "4xyz", "1r;"))
OTHER_DATA = st.sampled_from(("p", "ff", ".", "<", "ah", "la-"))
# A token of a **text spine: anything but a tab, not read as another record type.
LYRIC = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\t\n\r"),
                min_size=1, max_size=6).filter(lambda t: t[0] not in "*!=" and t != ".")
META = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\n\r"),
               max_size=12)


@st.composite
def kern_score(draw: st.DrawFn) -> str:
    """A structurally sound **kern score: spines, maybe a split and a join, bars, terminators."""
    spines = ["**kern", *draw(st.lists(st.sampled_from(("**kern", "**dynam", "**text")),
                                       max_size=2))]
    lines = [f"!!!{draw(st.sampled_from(('COM', 'OTL', 'ENC')))}: {draw(META)}"
             for _ in range(draw(st.integers(0, 2)))]
    lines += ["\t".join(spines), "\t".join("*clefG2" if s == "**kern" else "*" for s in spines)]
    if draw(st.booleans()):
        lines.append("\t".join("*M3/4" if s == "**kern" else "*" for s in spines))

    def record() -> str:
        return "\t".join(draw(KERN_DATA) if s == "**kern" else
                         draw(LYRIC) if s == "**text" else draw(OTHER_DATA) for s in spines)

    split = draw(st.booleans())
    for bar in range(1, draw(st.integers(1, 4)) + 1):
        for _ in range(draw(st.integers(1, 3))):
            lines.append(record())
        if draw(st.integers(0, 3)) == 0:
            lines.append("\t".join("!" + draw(LYRIC) for _ in spines))
        if split and bar == 1:
            lines.append("\t".join(["*^", *["*"] * (len(spines) - 1)]))
            spines = [spines[0], *spines]
            lines.append(record())
            lines.append("\t".join(["*v", "*v", *["*"] * (len(spines) - 2)]))
            spines = spines[1:]
        lines.append("\t".join(f"={bar}" for _ in spines))
    lines.append("\t".join("*-" for _ in spines))
    text = "\n".join(lines)
    assert not syntax.errors(text), (text, syntax.errors(text))
    return text


def kern_bytes(draw: st.DrawFn, text: str) -> bytes:
    """A score as a file: UTF-8 (maybe with a BOM) or Latin-1, LF or CRLF, final newline or not."""
    text = text.replace("\n", draw(ENDING)) + draw(st.sampled_from(("\n", "", "\r\n")))
    if draw(st.integers(0, 3)) == 0:
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            pass
        else:
            if not _is_utf8(data):
                return data
    return (draw(st.sampled_from(("", "\ufeff"))) + text).encode()


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def kern_text(data: bytes) -> str:
    """What a kern file holds (the kind stores it as it is): UTF-8 else Latin-1, no final LF."""
    text = data.decode("utf-8") if _is_utf8(data) else data.decode("latin-1")
    text = text.removeprefix("\ufeff")
    return text[:-1] if text.endswith("\n") else text


KERN_NAME = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"),
                    min_size=1, max_size=10).filter(
    lambda s: s not in (".", "..") and len(s.encode()) < 90)
KERN_DIR = st.sampled_from(("", "", "sub/", "a b/", "ünï/"))


@st.composite
def kern_cases(draw: st.DrawFn) -> Case:
    """Reference and prediction folders; references sound or broken, predictions anything."""
    ids = draw(st.lists(st.tuples(KERN_DIR, KERN_NAME).map("".join), min_size=1, max_size=5,
                        unique=True))
    files: dict[bytes, bytes] = {}
    for item in ids:
        files[b"gt/" + item.encode() + b".krn"] = kern_bytes(draw, draw(kern_score()))
        if draw(st.booleans()):
            files[b"gt/" + item.encode() + b".png"] = b"\x89PNG"
    if draw(st.booleans()):
        files[b"gt/.hidden/x.krn"] = b"not read"
        files[b"gt/notes.txt"] = b"not kern"
    broken_ref = draw(st.integers(0, 2)) == 0
    if broken_ref:
        for item in _some(draw, ids):
            rel = b"gt/" + item.encode() + b".krn"
            files[rel] = draw(mutated(files[rel]))
    predictions: tuple[tuple[str, bytes], ...] = ()
    if draw(st.booleans()):
        for item in _some(draw, ids):
            sound = kern_bytes(draw, draw(kern_score()))
            content = draw(st.sampled_from(("sound", "mutated", "random")))
            files[b"pred/" + item.encode() + b".krn"] = (
                sound if content == "sound" else draw(mutated(sound)) if content == "mutated"
                else draw(BINARY))
        predictions = (("y", b"pred"),)
    refs = {item: kern_text(files[b"gt/" + item.encode() + b".krn"]) for item in sorted(ids)}
    hyps = {item: kern_text(data) for rel, data in files.items()
            if rel.startswith(b"pred/") and (item := rel[5:-4].decode()) in refs}
    broken = [(item, errors[0].line) for item, text in refs.items()
              if (errors := syntax.errors(text))]

    def refusal(exc: InputError, root: Path) -> None:
        assert broken, f"a sound reference was refused: {exc}"
        item, line = broken[0]
        assert exc.path == str(root / "gt" / (item + ".krn")) and exc.line == line, exc

    return Case(files, b"gt", predictions, task_kind="kern", must_import=not broken,
                refusal=refusal,
                expected=None if broken else (refs, {"y": hyps} if predictions else {}))


# -- choice and label: tables ----------------------------------------------------------------

TABLE_FORMAT = st.sampled_from((".csv", ".tsv", ".jsonl"))
Row = dict[str, object]  # column -> value; None (JSONL: the key left out) for no value


@st.composite
def table_bytes(draw: st.DrawFn, suffix: str, header: list[str], table: list[Row]) -> bytes:
    """``table`` as CSV, TSV (a missing value an empty cell) or JSON Lines."""
    if suffix == ".jsonl":
        return "\n".join(json.dumps({k: v for k, v in row.items() if v is not None},
                                    ensure_ascii=draw(st.booleans()))
                         for row in table).encode()
    quoting = draw(QUOTING)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter="," if suffix == ".csv" else "\t", quoting=quoting,
                        lineterminator="\r\n" if quoting == csv.QUOTE_MINIMAL else draw(LINE_END))
    writer.writerow(header)
    writer.writerows([_csv_cell(row.get(k)) for k in header] for row in table)
    return out.getvalue().encode(draw(UTF8))


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


LETTER_FORMS = ("{}", "{}", "({})", "{}.", "lower")


def letter_cell(draw: st.DrawFn, k: int) -> str:
    """Option ``k`` written as a letter: ``B``, ``(B)``, ``B.`` or ``b``."""
    form = draw(st.sampled_from(LETTER_FORMS))
    return LETTERS[k].lower() if form == "lower" else form.format(LETTERS[k])


def option_list(draw: st.DrawFn, options: list[str]) -> object:
    """An options cell: a JSON list, a Python list literal or a NumPy array repr."""
    form = draw(st.sampled_from(("json", "native", "python", "numpy")))
    if form == "json":
        return json.dumps(options, ensure_ascii=draw(st.booleans()))
    if form == "native":
        return options
    if form == "python":
        return repr(options)
    return "[" + "".join((draw(st.sampled_from((" ", "\n "))) if k else "") + repr(o)
                         for k, o in enumerate(options)) + "]"


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


@st.composite
def choice_key(draw: st.DrawFn, options: list[str]) -> tuple[str, str]:
    """``(cell, key)``: no key, one option (letter, 0-based index or text) or several."""
    letters = sorted(draw(st.lists(st.integers(0, len(options) - 1), max_size=3, unique=True)))
    if not letters:
        return draw(st.sampled_from(("", "n/a", "N/A", "-"))), ""
    key = "|".join(LETTERS[k] for k in letters)
    if len(letters) > 1:
        sep = draw(st.sampled_from(("|", ", ", ";", " ")))
        cell = sep.join(letter_cell(draw, k) for k in letters)
        # A cell that is also an option's text names that option.
        if draw(st.booleans()) or any(_normal(o) == _normal(cell) for o in options):
            cell = json.dumps([LETTERS[k] for k in letters])
        return cell, key
    (k,) = letters
    form = draw(st.sampled_from(("letter", "index", "text")))
    text = options[k]
    plain = re.fullmatch(r"[^\W\d_]{2,}( [^\W\d_]+)*", text.strip()) is not None
    if form == "text" and plain and text.strip().lower() not in ("na", "none", "null", "nan"):
        first = next(j for j, o in enumerate(options) if _normal(o) == _normal(text))
        return text, LETTERS[first]
    if form == "index":
        return draw(st.sampled_from((str(k), f"{k}.0"))), LETTERS[k]
    return letter_cell(draw, k), LETTERS[k]


@st.composite
def choice_cases(draw: st.DrawFn) -> Case:
    """A question table: options as a list column or A, B, C... columns, a key, a model."""
    suffix = draw(TABLE_FORMAT)
    ids = draw(IDS)
    with_id = draw(st.integers(0, 4)) > 0
    by_letter = draw(st.booleans())
    list_column = draw(st.sampled_from(("choices", "options")))
    width = draw(st.integers(2, 5))
    rows: list[Row] = []
    keys: dict[str, str] = {}
    answers: dict[str, str] = {}
    shown: dict[str, tuple[str, list[str]]] = {}
    given = 0
    for n, item in enumerate(ids, 1):
        item_id = item if with_id else f"row_{n}"
        count = draw(st.integers(2 if by_letter else 1, width))
        options = draw(st.lists(TEXT, min_size=count, max_size=count))
        if by_letter and not options[-1].strip():
            options[-1] = "last"
        question = draw(TEXT)
        row: Row = {"question": question}
        if with_id:
            row["id"] = item
        if by_letter:
            row.update({LETTERS[k]: (options[k] if k < count else "") for k in range(width)})
        else:
            row[list_column] = option_list(draw, options)
        row["answer"], keys[item_id] = draw(choice_key(options))
        if draw(st.integers(0, 5)) > 0:
            k = draw(st.integers(0, count - 1))
            row["pred_x"], answers[item_id] = letter_cell(draw, k), LETTERS[k]
            given += 1
        elif suffix != ".jsonl":
            row["pred_x"], answers[item_id] = "", ""
        rows.append(row)
        shown[item_id] = (question, options)
    header = list(dict.fromkeys(k for row in rows for k in row))
    name = b"questions" + suffix.encode()
    files = {name: draw(table_bytes(suffix, header, rows))}
    is_model = given > 0 and given >= len(rows) / 2
    predictions: tuple[tuple[str, bytes], ...] = ()
    preds = {"x": answers} if is_model else {}
    if draw(st.integers(0, 3)) == 0:
        answered = _some(draw, list(keys))
        letters = {i: draw(st.integers(0, 25)) for i in answered}
        files[b"answers.csv"] = draw(table_bytes(".csv", ["id", "prediction"], [
            {"id": i, "prediction": letter_cell(draw, k)} for i, k in letters.items()]))
        predictions = (("y", b"answers.csv"),)
        preds["y"] = {i: LETTERS[k] for i, k in letters.items()}

    def check(bench: Benchmark, root: Path) -> None:
        for item in bench.items:
            meta = dict(item.meta)
            question, options = shown[item.id]
            assert meta["question"] == question, item.id
            assert json.loads(meta["options"]) == options, item.id

    return Case(files, name, predictions, task_kind="choice", expected=(keys, preds),
                check=check)


# Class names: no surrounding whitespace (gold labels are read stripped).
CLASS = st.one_of(st.sampled_from(("cat", "dog", "0", "1", "10", "2", "neg", "pos")),
                  st.sampled_from(("[CLS]", "{x}", "[1, 2]", "{}")), ID)  # classes like JSON
PADDING = st.sampled_from(("", "", "", " ", "\t"))


@st.composite
def distribution(draw: st.DrawFn, classes: list[str]) -> dict[str, float]:
    """Probabilities over ``classes`` summing to 1, with one most probable class."""
    weights = draw(st.lists(st.integers(0, 9), min_size=len(classes), max_size=len(classes)))
    top = draw(st.integers(0, len(classes) - 1))
    weights[top] = max(weights) + 1
    total = sum(weights)
    return {c: w / total for c, w in zip(classes, weights, strict=True)}


def _top(probs: dict[str, float]) -> str:
    return max(probs, key=probs.__getitem__)


@st.composite
def label_cases(draw: st.DrawFn) -> Case:
    """A gold-label table with a system's classes, JSON probabilities or prob_<class> columns."""
    suffix = draw(TABLE_FORMAT)
    ids = draw(IDS)
    with_id = draw(st.integers(0, 4)) > 0
    pool = draw(st.lists(CLASS, min_size=1, max_size=4, unique=True))
    gold = {item: draw(st.sampled_from(pool)) for item in ids}
    classes = class_order(gold.values())
    layout = draw(st.sampled_from(("class", "json", "class+json", "per-class", "none")))
    rows: list[Row] = []
    refs: dict[str, str] = {}
    answers: dict[str, str] = {}
    texts: dict[str, str] = {}
    for n, item in enumerate(ids, 1):
        item_id = item if with_id else f"row_{n}"
        label = gold[item]
        text = draw(TEXT)
        row: Row = {"text": text}
        if with_id:
            row["id"] = item
        as_number = suffix == ".jsonl" and label.isascii() and label.isdigit() and \
            str(int(label)) == label and draw(st.booleans())
        row["label"] = int(label) if as_number else draw(PADDING) + label + draw(PADDING)
        refs[item_id], texts[item_id] = label, text
        if layout == "none" or draw(st.integers(0, 5)) == 0:
            if suffix != ".jsonl":
                row.update({k: "" for k in _label_columns(layout, classes)})
            rows.append(row)
            continue
        said = draw(st.sampled_from(classes))
        probs = draw(distribution(classes))
        if layout == "class":
            row["pred_x"], answers[item_id] = draw(PADDING) + said + draw(PADDING), said
        elif layout == "json":
            form = draw(st.sampled_from(("list", "object", "one class")))
            if form == "one class":
                probs = {said: 1.0}
            value = [probs[c] for c in classes] if form == "list" else probs
            row["probs_x"] = value if suffix == ".jsonl" and draw(st.booleans()) else \
                json.dumps(value)
            answers[item_id] = encode_prediction(_top(probs), probs)
        elif layout == "class+json":
            row["pred_x"], row["probs_x"] = said, json.dumps(probs)
            answers[item_id] = encode_prediction(said, probs)
        else:
            row.update({f"prob_{c}": repr(p) for c, p in probs.items()})
            answers[item_id] = encode_prediction(_top(probs), probs)
        rows.append(row)
    header = list(dict.fromkeys(k for row in rows for k in row))
    for k in _label_columns(layout, classes):  # a column no row fills
        if k not in header and suffix != ".jsonl":
            header.append(k)
    name = b"labels" + suffix.encode()
    files = {name: draw(table_bytes(suffix, header, rows))}
    system = "model" if layout == "per-class" else "x"
    columns_kept = layout != "none" and (suffix != ".jsonl" or answers)
    preds = {system: answers} if columns_kept else {}
    predictions: tuple[tuple[str, bytes], ...] = ()
    if draw(st.integers(0, 3)) == 0:
        table: list[Row] = []
        expected: dict[str, str] = {}
        per_class = draw(st.booleans())
        for item_id in _some(draw, list(refs)):
            probs = draw(distribution(classes))
            if per_class:
                table.append({"id": item_id, **{f"prob_{c}": repr(p) for c, p in probs.items()}})
                expected[item_id] = encode_prediction(_top(probs), probs)
            else:
                said = draw(st.sampled_from(classes))
                table.append({"id": item_id, "label": said})
                expected[item_id] = said
        head = ["id", *[f"prob_{c}" for c in classes]] if per_class else ["id", "label"]
        files[b"answers.csv"] = draw(table_bytes(".csv", head, table))
        predictions, preds["y"] = (("y", b"answers.csv"),), expected

    def check(bench: Benchmark, root: Path) -> None:
        for item in bench.items:
            assert dict(item.meta)["text"] == texts[item.id], item.id

    return Case(files, name, predictions, task_kind="label", expected=(refs, preds),
                check=check)


def _label_columns(layout: str, classes: list[str]) -> list[str]:
    return {"class": ["pred_x"], "json": ["probs_x"], "class+json": ["pred_x", "probs_x"],
            "per-class": [f"prob_{c}" for c in classes], "none": []}[layout]


CASES: dict[str, Callable[[], st.SearchStrategy[Case]]] = {
    "csv": lambda: table_cases(".csv", delimited_file(",")),
    "tsv": lambda: table_cases(".tsv", delimited_file("\t")),
    "jsonl": jsonl_cases,
    "parquet": parquet_cases,
    "folder": folder_cases,
    "page": page_cases,
    "alto": alto_cases,
    "xml-hostile": hostile_xml,
    "trn": lambda: task_cases(trn_cases(), b"ref.trn", "asr"),
    "stm-ctm": lambda: task_cases(nist_cases(), b"ref.stm", "asr"),
    "kaldi": lambda: task_cases(kaldi_cases(), b"text", "asr"),
    "m2": lambda: task_cases(m2_cases(), b"gold.m2", "gec"),
    "kern-folder": lambda: task_cases(kern_cases(), b"gt/a.krn", "kern"),
    "choice": lambda: task_cases(choice_cases(), b"questions.csv", "choice"),
    "label": lambda: task_cases(label_cases(), b"labels.jsonl", "label"),
}


# -- the tests ---------------------------------------------------------------------------

def test_the_slow_runs_add_up_to_ten_thousand_cases() -> None:
    assert set(SLOW) == set(CASES)
    assert sum(SLOW.values()) >= 10_000


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_sample_of_hostile_inputs(kind: str,
                                    record_property: Callable[[str, object], None]) -> None:
    run_kind(kind, FAST, record_property)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(CASES))
def test_hostile_inputs_end_in_an_import_or_a_named_error(
        kind: str, record_property: Callable[[str, object], None]) -> None:
    run_kind(kind, SLOW[kind], record_property)
