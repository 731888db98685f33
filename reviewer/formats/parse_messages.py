"""What a CSV or JSON parser's complaint means, in words a user acts on.

The ``csv`` and ``json`` modules describe a problem in the parser's terms ("',' expected
after '\"'", "Expecting property name enclosed in double quotes"); a message names the
mistake in the file instead, and never passes the parser's own text on.
"""

from __future__ import annotations

import csv
import json

from reviewer.core.limits import MAX_CELL_CHARS

# The json module's messages, by how they begin (json.decoder and the C scanner share them).
_JSON = (
    ("Expecting value", "a value is missing or is not JSON (text needs double quotes; "
                        "true, false and null are lower case)"),
    ("Expecting property name", "a key is not text in double quotes, or a comma is left "
                                "before a closing }"),
    ("Expecting ':'", "a key is not followed by a colon"),
    ("Expecting ','", "a comma is missing between two values, or the object is not closed "
                      "on this line"),
    ("Unterminated string", "a text value is not closed (its closing \" is missing)"),
    ("Extra data", "the line holds more after its JSON object ends"),
    ("Invalid control character", "a text value holds a raw control character (write a tab "
                                  "as \\t and a line break as \\n)"),
    ("Invalid \\uXXXX", "a \\u escape is not followed by four hexadecimal digits"),
    ("Invalid \\escape", "a text value holds an unknown \\ escape (write a backslash as \\\\)"),
)


def json_problem(exc: json.JSONDecodeError) -> str:
    """What is wrong with a JSON line, and where on it, for the parser's error ``exc``."""
    words = next((text for start, text in _JSON if exc.msg.startswith(start)),
                 "it is not valid JSON")
    return f"malformed JSON: {words} (column {exc.colno})"


def csv_problem(exc: csv.Error, delimiter: str) -> str:
    """What is wrong with a CSV or TSV row, for the parser's error ``exc``."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell holds more than {MAX_CELL_CHARS:,} characters, the limit for one cell"
    if "end of data" in text:
        return ("malformed row: a quoted cell is never closed (the file ends inside it; "
                "a cell that starts with \" ends with \")")
    if "expected after" in text:
        between = "a comma" if delimiter == "," else "a tab"
        return ("malformed row: a quoted cell goes on after its closing quote; write a \" "
                f"inside a quoted cell as \"\", and nothing but {between} after the closing one")
    return "malformed row: it cannot be read as " + ("CSV" if delimiter == "," else "TSV")
