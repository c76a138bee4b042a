"""The full Report as JSON, so outputs can be rendered again later (merging batches, shards).

Instructor-only: it holds every check's `detail`. Written to <out>/instructor/<name>.json.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import AutograderError
from ..records import CellOutcome, CheckRecord, FunctionScore, Report

FORMAT = "autograder-report/1"
"""Written into every file; a file without it is not one of ours."""


def to_dict(report: Report) -> dict[str, Any]:
    return {"format": FORMAT, **asdict(report)}


def from_dict(data: dict[str, Any]) -> Report:
    """The Report a to_dict produced; raises AutograderError for anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AutograderError(f"not an autograder report (format {FORMAT!r} expected)")
    fields = {k: v for k, v in data.items() if k != "format"}
    try:
        return Report(**{
            **fields,
            "checks": tuple(CheckRecord(**c) for c in fields["checks"]),
            "functions": tuple(FunctionScore(**f) for f in fields["functions"]),
            "cells": tuple(CellOutcome(**c) for c in fields.get("cells", ())),
            "neutralised": tuple(fields.get("neutralised", ())),
            "flags": tuple(fields.get("flags", ())),
            "answers": tuple((str(g), str(t)) for g, t in fields.get("answers", ())),
            "extra": dict(fields.get("extra", {}))})
    except (KeyError, TypeError, ValueError) as exc:
        raise AutograderError(f"a saved report is incomplete or malformed ({exc})") from None


def write(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_dict(report), indent=1) + "\n", encoding="utf-8")


def read(path: Path) -> Report:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AutograderError(f"{path}: cannot read the saved report ({exc})") from None
    try:
        return from_dict(data)
    except AutograderError as exc:
        raise AutograderError(f"{path}: {exc}") from None


def read_all(folders: list[Path]) -> list[Report]:
    """Every saved report under the given output folders (their instructor/ subfolders)."""
    paths = []
    for folder in folders:
        paths += sorted(folder.glob("instructor/**/*.json")) if folder.is_dir() else [folder]
    return [read(p) for p in paths]
