"""``reviewer import``: references and predictions into a project database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.cli.cluster_option import add_scheduler, cluster_of
from reviewer.core.answers.extract import PRESETS as EXTRACT_PRESETS
from reviewer.core.answers.matchers import MATCHER_CHOICES, matcher_named
from reviewer.core.errors import InputError
from reviewer.core.fstalign_standard import EXTRA as STANDARD_EXTRA
from reviewer.core.fstalign_standard import available as standard_available
from reviewer.core.items import BenchmarkStream
from reviewer.core.kern.unreadable import DEFAULT_UNREADABLE, UNREADABLE_CHOICES
from reviewer.core.kinds import available_kinds
from reviewer.core.lattice_wer import SEARCHES, STANDARD_SEARCHES
from reviewer.core.normalize.kind_presets import ALL_PRESETS
from reviewer.core.tokenize import CHAR_MODES
from reviewer.formats.registry import ReadOptions, formats


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(f.name for f in formats())
    p = sub.add_parser(
        "import", help="import a benchmark (references and predictions) into a project",
        description="Import references and one or more systems' predictions into a project "
        f"database, aligning and scoring every pair. Formats: {names}.",
        epilog="examples:\n"
        "  reviewer import bench.db ocr.jsonl --kind text\n"
        "  reviewer import bench.db gt/ --kind text --pred tess=tess_out/ "
        "--pred kraken=kraken_out/\n"
        "  reviewer import bench.db lines.csv --ref-col gt --pred-col tess=tesseract\n"
        "  reviewer import gsm.db runs.jsonl --kind answer --text-col question "
        "--label-col answer --pred-col modelA=out_a\n"
        "  reviewer import gsm.db run_a/samples_gsm8k_*.jsonl --kind answer "
        "--pred 'run_b/samples_gsm8k_*.jsonl'",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("project", type=Path, help="project database to create or add to")
    p.add_argument("reference", type=Path, help="reference file or folder")
    p.add_argument("--kind", choices=available_kinds(), default="text",
                   help="task kind (default: text)")
    p.add_argument("--pred", action="append", default=[], metavar="NAME=PATH",
                   help="a system's predictions (file or folder; a pattern such as "
                   "run/samples_*.jsonl reads its newest match; an evaluation log without "
                   "NAME= is named after its model); repeatable")
    p.add_argument("--format", dest="format_name", help="force the reference's format")
    p.add_argument("--id-col", help="table column holding item ids")
    p.add_argument("--ref-col", help="table column holding the reference")
    p.add_argument("--pred-col", action="append", default=[], metavar="NAME=COLUMN",
                   help="table column holding a system's prediction; repeatable")
    p.add_argument("--media-col", help="table column holding the image path")
    p.add_argument("--text-col", help="label/choice/answer: table column holding the item "
                   "text or question")
    p.add_argument("--label-col", help="label/choice/answer: table column holding the gold "
                   "label, answer key or gold answer(s)")
    p.add_argument("--audio", type=Path, metavar="WAV_SCP",
                   help="asr: a Kaldi wav.scp (item id -> audio file) giving each item's audio")
    p.add_argument("--normalizations", type=Path, metavar="DIR",
                   help="asr, NLP references: folder of ID.norm.json sidecars (default: beside "
                   "the references, or a sibling folder 'normalizations')")
    p.add_argument("--wer-tags", type=Path, metavar="DIR",
                   help="asr, NLP references: folder of ID.wer_tag.json entity sidecars "
                   "(default: beside the references, or a sibling folder 'wer_tags')")
    p.add_argument("--synonyms", type=Path, metavar="FILE",
                   help="asr, NLP references: fstalign-style synonym rules, "
                   "'LHS | RHS1; RHS2' per line")
    p.add_argument("--no-compound-hyphens", dest="compound_hyphens", action="store_false",
                   help="asr, NLP references: do not match hyphenated compounds with their "
                   "parts (fstalign before 2022, as the Earnings-21 tables were computed)")
    p.add_argument("--nlp-search", choices=SEARCHES, default="exact",
                   help="asr, NLP references: which alignment path the fstalign-style WER "
                   "counts: 'exact' (the least-cost path, default); 'fstalign-adapted' "
                   "(the path fstalign's own pruned search picks, as its tests expect; "
                   "10-40 times slower on long calls); 'fstalign-standard' (fstalign's "
                   "--composition-approach standard) or 'fstalign-2021' (the same as "
                   "fstalign's 2021 releases ran it by default, the Earnings-21 tables' "
                   "setting; with --no-compound-hyphens). The last two need the "
                   f"'{STANDARD_EXTRA}' extra")
    p.add_argument("--ref-text", type=Path, metavar="PATH",
                   help="gec: the corrected text, line-parallel to an original-text reference")
    p.add_argument("--normalize", default=None, choices=ALL_PRESETS,
                   help="asr: normalisation applied before alignment (default none); "
                   "text: dinglehopper compares as dinglehopper 0.11 does")
    p.add_argument("--extract", metavar="PRESET",
                   help="answer: how the final answer is found in a model's output "
                   f"({', '.join(EXTRACT_PRESETS)} or regex:PATTERN; default auto)")
    p.add_argument("--matcher", choices=MATCHER_CHOICES, metavar="NAME",
                   help=f"answer: how answers are compared ({', '.join(MATCHER_CHOICES)}; "
                   "default: numeric when every gold answer is a number, else exact)")
    p.add_argument("--unit", choices=["line", "page"], default="line",
                   help="PAGE-XML/ALTO: one item per text line (default) or per page")
    p.add_argument("--ref-group", metavar="GROUP",
                   help="text: the reference is an OCR-D workspace's mets.xml and GROUP its "
                   "ground-truth file group; each --pred NAME=GROUP (or GROUP) names an OCR "
                   "file group")
    p.add_argument("--unreadable", choices=UNREADABLE_CHOICES, default=DEFAULT_UNREADABLE,
                   help="kern: a reference that is not a readable score is imported and "
                        "marked (default: every one is listed and can be corrected) or "
                        "refused, stopping the import")
    p.add_argument("--char-mode", choices=CHAR_MODES, default=None,
                   help="CER units: grapheme clusters after NFC (default, as dinglehopper) "
                        "or code points (as jiwer)")
    p.add_argument("--name", help="benchmark name shown in the window and reports")
    p.add_argument("--replace", action="store_true",
                   help="replace systems the project already has")
    add_scheduler(p, "score every pair")
    p.set_defaults(run=run)


def _pairs(values: list[str], flag: str) -> list[tuple[str, str]]:
    out = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise InputError(None, f"{flag} takes NAME=VALUE, got {value!r}")
        out.append((name, rest))
    return out


def run(args: argparse.Namespace) -> int:
    from reviewer.cli.terminal import Bar, safe
    from reviewer.formats.load import discard_extracted, load_benchmark
    from reviewer.formats.pred_sources import prediction_source
    from reviewer.store.importer import import_into
    from reviewer.store.stream_import import import_streamed

    if args.nlp_search in STANDARD_SEARCHES and not standard_available():
        raise InputError(None, f"--nlp-search {args.nlp_search} needs OpenFst's Python "
                         f"bindings: pip install 'reviewer[{STANDARD_EXTRA}]'")
    cluster = cluster_of(args)
    options = ReadOptions(
        kind=args.kind, id_col=args.id_col, ref_col=args.ref_col,
        pred_cols=dict(_pairs(args.pred_col, "--pred-col")), media_col=args.media_col,
        unit=args.unit, text_col=args.text_col, label_col=args.label_col, audio=args.audio,
        ref_text=args.ref_text, normalizations=args.normalizations, wer_tags=args.wer_tags,
        synonyms=args.synonyms, compound_hyphens=args.compound_hyphens,
        nlp_search=args.nlp_search,
        unreadable=args.unreadable, normalize=args.normalize)
    import_options = {
        "name": args.name, "replace": args.replace, "char_mode": args.char_mode,
        "normalize": args.normalize, "extract": args.extract,
        "matcher": None if args.matcher is None else matcher_named(args.matcher),
        "workers": cluster}
    if args.ref_group is not None:
        from reviewer.formats.mets_load import group_sources, load_mets_benchmark

        sources = []
        bench = load_mets_benchmark(args.reference, args.ref_group, group_sources(args.pred),
                                    options)
    else:
        sources = [prediction_source(value) for value in args.pred]
        preds = [(name, path) for name, path, _ in sources]
        # A large table streams, a chunk at a time; other sources are read whole.
        streamed = import_streamed(args.project, args.reference, preds, options,
                                   args.format_name, **import_options, progress=Bar())
        if streamed is not None:
            return _report(args, *streamed)
        bench = load_benchmark(args.reference, preds, options, args.format_name,
                               progress=Bar())
    bench.warnings[:0] = [warning for _, _, warning in sources if warning]
    for warning in bench.warnings:
        print(f"reviewer: warning: {safe(warning)}", file=sys.stderr)
    if not bench.predictions:
        print("reviewer: warning: no predictions found; items are imported for review only",
              file=sys.stderr)
    try:
        # A new project appears only once complete; a failure leaves no file behind.
        result = import_into(args.project, bench, **import_options, progress=Bar())
    except BaseException:
        discard_extracted(bench)
        raise
    systems = safe(", ".join(bench.predictions)) or "none"
    print(f"Imported {result['items']:,} items into {safe(args.project)} "
          f"({result['pairs']:,} pairs aligned; systems: {systems})")
    return 0


def _report(args: argparse.Namespace, result: dict[str, int], stream: BenchmarkStream) -> int:
    """What a streamed import prints once done: its warnings (known only once the whole
    table was read), then what was imported."""
    from reviewer.cli.terminal import safe

    for warning in stream.warnings:
        print(f"reviewer: warning: {safe(warning)}", file=sys.stderr)
    if not stream.systems:
        print("reviewer: warning: no predictions found; items are imported for review only",
              file=sys.stderr)
    systems = safe(", ".join(stream.systems)) or "none"
    print(f"Imported {result['items']:,} items into {safe(args.project)} "
          f"({result['pairs']:,} pairs aligned; systems: {systems})")
    return 0
