"""``reviewer import``: references and predictions into a project database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.core.answers.extract import PRESETS as EXTRACT_PRESETS
from reviewer.core.answers.matchers import MATCHER_CHOICES, matcher_named
from reviewer.core.errors import InputError
from reviewer.core.kinds import available_kinds
from reviewer.core.normalize import PRESETS
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
    p.add_argument("--ref-text", type=Path, metavar="PATH",
                   help="gec: the corrected text, line-parallel to an original-text reference")
    p.add_argument("--normalize", default=None, choices=PRESETS,
                   help="asr: normalisation applied before alignment (default none)")
    p.add_argument("--extract", metavar="PRESET",
                   help="answer: how the final answer is found in a model's output "
                   f"({', '.join(EXTRACT_PRESETS)} or regex:PATTERN; default auto)")
    p.add_argument("--matcher", choices=MATCHER_CHOICES, metavar="NAME",
                   help=f"answer: how answers are compared ({', '.join(MATCHER_CHOICES)}; "
                   "default: numeric when every gold answer is a number, else exact)")
    p.add_argument("--unit", choices=["line", "page"], default="line",
                   help="PAGE-XML/ALTO: one item per text line (default) or per page")
    p.add_argument("--char-mode", choices=CHAR_MODES, default=None,
                   help="CER units: grapheme clusters after NFC (default, as dinglehopper) "
                        "or code points (as jiwer)")
    p.add_argument("--name", help="benchmark name shown in the window and reports")
    p.add_argument("--replace", action="store_true",
                   help="replace systems the project already has")
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

    options = ReadOptions(
        kind=args.kind, id_col=args.id_col, ref_col=args.ref_col,
        pred_cols=dict(_pairs(args.pred_col, "--pred-col")), media_col=args.media_col,
        unit=args.unit, text_col=args.text_col, label_col=args.label_col, audio=args.audio,
        ref_text=args.ref_text)
    sources = [prediction_source(value) for value in args.pred]
    preds = [(name, path) for name, path, _ in sources]
    bench = load_benchmark(args.reference, preds, options, args.format_name)
    bench.warnings[:0] = [warning for _, _, warning in sources if warning]
    for warning in bench.warnings:
        print(f"reviewer: warning: {safe(warning)}", file=sys.stderr)
    if not bench.predictions:
        print("reviewer: warning: no predictions found; items are imported for review only",
              file=sys.stderr)
    try:
        # A new project appears only once complete; a failure leaves no file behind.
        result = import_into(args.project, bench, name=args.name, replace=args.replace,
                             char_mode=args.char_mode, normalize=args.normalize,
                             extract=args.extract,
                             matcher=None if args.matcher is None else matcher_named(args.matcher),
                             progress=Bar())
    except BaseException:
        discard_extracted(bench)
        raise
    systems = safe(", ".join(bench.predictions)) or "none"
    print(f"Imported {result['items']:,} items into {safe(args.project)} "
          f"({result['pairs']:,} pairs aligned; systems: {systems})")
    return 0
