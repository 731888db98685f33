"""M2 files (CoNLL-2014, BEA-2019, ERRANT): an ``S`` line per sentence, then its ``A`` edits.

::

    S This are a great sentences .
    A 1 2|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0
    A 4 5|||R:NOUN:NUM|||sentence|||REQUIRED|||-NONE-|||0

Sentences are separated by a blank line and numbered from 1: the numbers are the item
ids, so a system's M2 pairs with the gold M2 sentence by sentence (its ``S`` lines must
be the gold's). Every annotator's edits are kept (the last field); ``noop`` lines too.
An item's reference is its whole block, a prediction its ``A`` lines
(:mod:`reviewer.core.kinds.gec`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reviewer.core.atomic import atomic_path
from reviewer.core.errors import InputError
from reviewer.core.gec import M2Edit, block_text, edits_text, parse_block, parse_line
from reviewer.core.items import Item
from reviewer.formats.registry import Loaded, ReadOptions, register, register_kind_table
from reviewer.formats.tableparse import Table
from reviewer.formats.textio import decode_utf8, read_bytes, text_lines

SUFFIX = ".m2"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One M2 block: the tokenised source, its edits and the line its ``S`` is on."""

    source: str
    edits: tuple[M2Edit, ...]
    line: int


def looks_like_m2(path: Path) -> bool:
    """A ``.m2`` file, or a file whose first line is an ``S`` line followed by ``A`` lines."""
    if not path.is_file():
        return False
    if path.suffix.lower() == SUFFIX:
        return True
    try:
        with open(path, "rb") as fh:
            head = text_lines(fh.read(4096).decode("utf-8", "replace").lstrip("\ufeff"))
    except OSError:
        return False
    return (len(head) > 1 and head[0].startswith("S ") and head[1].startswith("A ")
            and head[1].count("|||") == 5)


def parse_m2(path: Path) -> list[Sentence]:
    """Every sentence of an M2 file; an :class:`InputError` names the line of a bad one."""
    text = decode_utf8(read_bytes(path), path)
    sentences: list[Sentence] = []
    source: str | None = None
    start = 0
    edits: list[M2Edit] = []
    for n, line in enumerate(text_lines(text), start=1):
        if not line.strip():
            if source is not None:
                sentences.append(Sentence(source, tuple(edits), start))
            source, edits = None, []
        elif line.startswith("S ") or line == "S":
            if source is not None:
                raise InputError(path, "an S line follows another sentence without a blank "
                                 "line between them", line=n)
            source, start = line[2:], n
        elif line.startswith("A "):
            if source is None:
                raise InputError(path, "an A (edit) line before any S (sentence) line", line=n)
            edits.append(_edit(path, n, line, len(source.split())))
        else:
            raise InputError(path, f"expected an S or A line, got {line[:40]!r}", line=n)
    if source is not None:
        sentences.append(Sentence(source, tuple(edits), start))
    if not sentences:
        raise InputError(path, "no sentences (S lines) in this M2 file")
    return sentences


def _edit(path: Path, n: int, line: str, tokens: int) -> M2Edit:
    try:
        edit = parse_line(line)
    except ValueError as exc:
        raise InputError(path, str(exc), line=n) from None
    if edit.end > tokens:
        raise InputError(path, f"the span {edit.start} {edit.end} ends past the sentence's "
                         f"{tokens} tokens", line=n)
    return edit


def sentence_ids(count: int) -> list[str]:
    """The item ids of ``count`` sentences: ``1``, ``2``, ..."""
    return [str(k) for k in range(1, count + 1)]


def check_count(path: Path, count: int, options: ReadOptions) -> None:
    """A system's sentences must be as many as the reference's."""
    if options.known_ids is not None and count != len(options.known_ids):
        raise InputError(path, f"has {count} sentences, the reference has "
                         f"{len(options.known_ids)}; sentences pair by position")


@register("m2", priority=50, detect=looks_like_m2,
          description="M2 edits (.m2): S sentence lines with A edit lines, several annotators")
def read_m2(path: Path, options: ReadOptions) -> Loaded:
    """Gold edits (reference role) or one system's edits (prediction role)."""
    if options.kind != "gec":
        raise InputError(path, "M2 files hold grammatical-error-correction edits; import them "
                         "with --kind gec")
    sentences = parse_m2(path)
    ids = sentence_ids(len(sentences))
    if options.role == "prediction":
        check_count(path, len(sentences), options)
        _check_sources(path, sentences, options)
        system = options.system or path.stem
        return Loaded(predictions={system: {i: edits_text(s.edits)
                                            for i, s in zip(ids, sentences, strict=True)}},
                      sources=[path])
    items = [Item(i, block_text(s.source, s.edits), None, (("source", s.source),))
             for i, s in zip(ids, sentences, strict=True)]
    return Loaded(items=items, sources=[path])


def _check_sources(path: Path, sentences: list[Sentence], options: ReadOptions) -> None:
    """A system's ``S`` lines must be the reference's sentences."""
    for item_id, mine in zip(sentence_ids(len(sentences)), sentences, strict=True):
        theirs = reference_source(options, item_id)
        if theirs is not None and mine.source.split() != theirs.split():
            raise InputError(path, f"sentence {item_id} is not the reference's "
                             f"({theirs[:60]!r})", line=mine.line)


def reference_source(options: ReadOptions, item_id: str) -> str | None:
    """The source sentence of reference item ``item_id`` (``None`` when not known)."""
    block = (options.references or {}).get(item_id)
    if block is None:
        return None
    try:
        return parse_block(block)[0]
    except ValueError:
        return None


def write_m2(path: Path, blocks: Iterable[tuple[str, str]]) -> None:
    """Write ``(item id, M2 block)`` pairs (gec references) as an M2 file, atomically."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for item_id, block in blocks:
            lines = [line for line in text_lines(block) if line.strip()]
            if not lines or not lines[0].startswith("S "):
                raise InputError(path, "the item's reference is not an M2 block (an S line, "
                                 "then A lines)", record=item_id)
            fh.write("\n".join(lines) + "\n\n")


@register_kind_table("gec")
def build_table(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """Tables are not GEC input (the table reader hands gec tables here): say what is."""
    raise InputError(path, "GEC benchmarks are read from M2 files (S and A lines) or from "
                     "parallel text (.txt with --ref-text), not from tables")
