"""The import's messages worded for the import dialog: its fields where the command line
has options.

The readers word their messages for the command line ("choose it with --ref-col"). In the
dialog, the same message names the field that does the same ("choose it under Reference
column"), or, where the dialog shows no such field, says what to do in the file instead.
No message in the dialog names a command-line option.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# The command line's options and the dialog's fields that do the same: one table, from which
# the form takes its labels too.
FIELDS: dict[str, str] = {
    "--kind": "Task kind",
    "--id-col": "Id column",
    "--ref-col": "Reference column",
    "--media-col": "Media column",
    "--pred-col": "Prediction columns",
    "--text-col": "Text column",
    "--label-col": "Label column",
    "--audio": "Audio",
    "--ref-text": "Corrected text",
    "--normalize": "Normalisation",
    "--unit": "PAGE-XML/ALTO",
    "--pred": "Predictions",
    "--unreadable": "Unreadable references",
    "--nlp-search": "fstalign path (NLP)",
}
ONE_ITEM_PER_PAGE = "one item per page"
# kern: the choices of --unreadable as the dialog offers them (the default first)
UNREADABLE_LABELS: dict[str, str] = {"mark": "Import and mark them, with the rest",
                                     "refuse": "Refuse the import"}

# asr, NLP references: the choices of --nlp-search as the dialog offers them (the default
# first)
SEARCH_LABELS: dict[str, str] = {
    "exact": "Least cost (fast)",
    "fstalign-adapted": "fstalign's own (adapted composition, slower)",
    "fstalign-standard": "fstalign's standard composition (slowest)",
    "fstalign-2021": "fstalign 2021, standard composition (as the Earnings-21 tables)",
}

_ARGUMENT = r"(?: (?:NAME|[^\s=;,()]+)=(?:COLUMN|PATH))?"  # --pred-col x=COLUMN
_PREDICTION_FILE_COLUMN = r" [^\s=;,()]+=COLUMN"  # a prediction file's column: no field for it
_CHOOSE = r"\b(choose|chosen)((?: [^;,()]*?)?) with "  # "choose it with", "chosen with", ...
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
_FIXED = (
    (re.compile(r"\(see `reviewer import --help`\)"),
     "(the dialog reads tables, folders of NAME.gt.txt files, PAGE-XML/ALTO files and each "
     "kind's own formats: see the kind's guide)"),
    (re.compile(r"--unit page"), f"“{ONE_ITEM_PER_PAGE}” under {FIELDS['--unit']}"),
    (re.compile(r"--unreadable refuse"),
     f"“{UNREADABLE_LABELS['refuse']}” under {FIELDS['--unreadable']}"),
    (re.compile(r"\bname (it|one) with --pred NAME=PATH"),
     rf"give \1 a name in the System column of {FIELDS['--pred']}"),
    (re.compile(r"\bimport (?:it |them )?with --kind (\w+)"),
     rf"choose \1 under {FIELDS['--kind']}"),
    (re.compile(r"--kind (\w+)"), FIELDS["--kind"] + r" \1"),
)


def for_dialog(message: str, shown: Collection[str]) -> str:
    """``message`` with each command-line option replaced by the dialog's field.

    ``shown`` holds the options whose fields the dialog shows now; a message about an
    option without one says to rename the column in the file instead, or leaves the
    alternative out.
    """
    for pattern, words in _FIXED:
        message = pattern.sub(words, message)
    for flag, field in FIELDS.items():
        if flag not in message:
            continue
        name = re.escape(flag) + r"(?![\w-])"  # --pred, not the start of --pred-col
        if flag in shown:
            message = re.sub(_CHOOSE + name + _PREDICTION_FILE_COLUMN,
                             "rename the column in the file", message)
            message = re.sub(_CHOOSE + name, rf"\1\2 under {field}", message)
            message = re.sub(rf"\bfrom {name}", f"from {field}", message)
        else:
            message = re.sub(r",? or " + _CHOOSE + name + _ARGUMENT, "", message)
            message = re.sub(rf"\bchoose one with {name}{_ARGUMENT}",
                             "rename the others in the file", message)
            message = re.sub(rf"\bchoose(?: it)? with {name}{_ARGUMENT}",
                             "rename the column in the file", message)
            message = re.sub(rf" \(from {name}{_ARGUMENT}\)", "", message)
            field = f"the command-line import's “{field}” setting"
        message = re.sub(name + _ARGUMENT, field, message)
    # An option no field stands for (a newer reader's) is named by what it is.
    return _FLAG.sub("an option of the command-line import", message)
