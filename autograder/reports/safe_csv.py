"""CSV cells a spreadsheet shows as text, never evaluates (OWASP's CSV-injection advice).

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets: a student id or an answer such as `=HYPERLINK(...)` would run.
Such a cell gets a single quote in front; plain numbers (`-0.5`) are left as they are.
Every CSV this package writes goes through `row`.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterable, Sequence

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> str:
    text = str(value)
    if text.startswith(TRIGGERS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def row(values: Iterable[object]) -> list[str]:
    return [cell(v) for v in values]


def unquote(text: str) -> str:
    """The text a cell held before `cell` protected it (for files read back)."""
    return text[1:] if text.startswith("'") and text[1:2] in TRIGGERS else text


def write(path: Path, header: Sequence[str], body: Iterable[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(row(header))
        writer.writerows(row(r) for r in body)
