"""The Korean edition: translation files, their freshness, and the translated notebook.

The solution notebook stays the one source. Its translation lives beside it in
`solutions/<id>/<stem>.ko.yaml`, one entry per markdown cell keyed by the cell's id:

    language: ko
    cells:
      intro:
        hash: '3f2a9c1b7d4e'    # sha256 of the English cell source it translates (12 hex)
        text: |-
          # Softmax, Cross entropy와 KL divergence
          ...

Code cells, grade_ids, points and checks are never translated or copied: the Korean notebook
is the solution notebook with its markdown sources swapped, built here from plain JSON (no
nbgrader, no nbformat), so the grading path can rebuild it too. When the English cell changes,
its hash no longer matches and `problems` reports the entry as stale.
"""
from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from .course import Assignment
from .errors import ConfigError
from .notebooks import syntax_tree

LANGUAGE = "ko"
"""The one translated language; editions are named `<stem>.ko.ipynb`."""
HASH_DIGITS = 12
"""Hex digits of sha256 kept in a translation file: short to read, long enough to never clash."""
FILE_KEYS = {"language", "cells"}
ENTRY_KEYS = {"hash", "text"}
GLOSSARY = Path("docs/glossary.md")
"""The Korean-English glossary (relative to the course root), shipped beside the edition."""
PUBLICCHECK_IMPORT = re.compile(r"^([ \t]*)(from publiccheck import .*|import publiccheck.*)$",
                                re.M)
SET_LANGUAGE = ('{indent}from publiccheck import set_language\n'
                '{indent}set_language("ko")  # 확인 셀의 메시지를 한국어로 (영어: set_language("en"))')
"""Added after the check helper's import in the Korean edition: its check cells speak Korean."""
FIELD = re.compile(r"\{[^{}]*\}")
"""A str.format field of a check message: the Korean must keep every one."""


@dataclass(frozen=True)
class Entry:
    """The translation of one markdown cell."""

    hash: str
    """source_hash of the English cell source this text translates ("" when not yet done)."""
    text: str
    """The translated Markdown."""


@dataclass(frozen=True)
class TranslationFile:
    """A notebook's translation file, loaded and checked."""

    path: Path
    """The file, e.g. solutions/softmax/softmax.ko.yaml."""
    cells: Mapping[str, Entry]
    """Entries by cell id, in file order."""


@dataclass(frozen=True)
class Problem:
    """A markdown cell whose Korean counterpart is missing or out of date."""

    cell_id: str
    """The English cell's id (or the id of an entry that matches no markdown cell)."""
    kind: str
    """"missing", "stale" or "orphan"."""
    detail: str
    """What to do about it, with the hash the entry must carry."""

    def __str__(self) -> str:
        return f"{self.cell_id}: {self.kind} ({self.detail})"


def source_hash(source: str) -> str:
    """The hash a translation records of the English cell source it translates."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def edition_name(notebook: str) -> str:
    """`softmax.ipynb` -> `softmax.ko.ipynb`."""
    return f"{Path(notebook).stem}.{LANGUAGE}.ipynb"


def file_for(assignment: Assignment) -> Path:
    """Where the assignment's translation lives (whether or not it exists yet)."""
    return assignment.solution_dir / f"{Path(assignment.notebook).stem}.{LANGUAGE}.yaml"


def has_edition(assignment: Assignment) -> bool:
    """The assignment has a Korean edition: its translation file exists."""
    return file_for(assignment).is_file()


def load(path: Path) -> TranslationFile:
    """Read and check a translation file; a bad one is a ConfigError naming file and key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    raw = _mapping(raw, path, "the file", FILE_KEYS)
    if raw.get("language", LANGUAGE) != LANGUAGE:
        raise ConfigError.bad_value(path, "the file", "language", f"must be {LANGUAGE!r}")
    cells = _mapping(raw.get("cells") or {}, path, "the file", None, "cells")
    return TranslationFile(path, {str(k): _entry(v, path, str(k)) for k, v in cells.items()})


def _mapping(raw: Any, path: Path, where: str, allowed: set[str] | None,
             key: str = "") -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError.bad_value(path, where, key or "(top level)", "must be a mapping")
    for k in raw:
        if allowed is not None and k not in allowed:
            raise ConfigError.unknown_key(path, where, str(k), allowed)
    return raw


def _entry(raw: Any, path: Path, cell_id: str) -> Entry:
    where = f"cells.{cell_id}"
    raw = _mapping(raw, path, where, ENTRY_KEYS, "(entry)")
    for key in ENTRY_KEYS:
        if not isinstance(raw.get(key, ""), str):
            raise ConfigError.bad_value(path, where, key, "must be a string (in quotes, so "
                                        "that a hash of digits stays text)")
    return Entry(str(raw.get("hash", "")), str(raw.get("text", "")))


def translatable(notebook: Mapping[str, Any]) -> dict[str, str]:
    """The cells a translation must cover, id -> English source: every markdown cell."""
    found = {}
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        if not cell.get("id"):
            raise ConfigError(f"markdown cell {index + 1} has no id; translations are keyed "
                              "by cell id (save the notebook with nbformat 4.5 or later)")
        found[str(cell["id"])] = _text(cell.get("source", ""))
    return found


def problems(notebook: Mapping[str, Any], translation: TranslationFile) -> list[Problem]:
    """Every markdown cell without a current translation, and every entry without a cell."""
    english = translatable(notebook)
    found = []
    for cell_id, source in english.items():
        entry = translation.cells.get(cell_id)
        want = source_hash(source)
        if entry is None or not entry.hash or not entry.text.strip():
            found.append(Problem(cell_id, "missing", f"add it with hash {want}"))
        elif entry.hash != want:
            found.append(Problem(cell_id, "stale", f"translates English {entry.hash}, the cell "
                                 f"is now {want}: update the text, then the hash"))
    found += [Problem(cell_id, "orphan", "no markdown cell has this id: remove the entry")
              for cell_id in translation.cells if cell_id not in english]
    return found


def messages_file_for(assignment: Assignment) -> Path:
    """Where the Korean check messages of the assignment's notebook live (a gettext .po file,
    merged into the course's catalog, autograder/locale/ko, that publiccheck.py reads)."""
    return file_for(assignment).with_suffix(".po")


def check_messages(notebook: Mapping[str, Any]) -> list[str]:
    """The English messages of the notebook's check cells: `_("...")` calls, in order."""
    found: dict[str, None] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "\n".join(line for line in _text(cell.get("source", "")).splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        tree = syntax_tree(source)  # None for a cell that is not Python: no messages
        for node in ast.walk(tree) if tree is not None else ():
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found[node.args[0].value] = None
    return list(found)


def read_messages(path: Path) -> dict[str, str]:
    """English -> Korean of a .po file (empty when it does not exist)."""
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fp:
        catalog = read_po(fp, locale=LANGUAGE)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def message_problems(notebook: Mapping[str, Any], messages: Mapping[str, str]
                     ) -> list[Problem]:
    """Check messages without a Korean translation, or whose `{fields}` differ from the
    English, and translations of messages the notebook no longer has."""
    found = []
    wanted = check_messages(notebook)
    for msgid in wanted:
        korean = messages.get(msgid, "")
        if not korean.strip():
            found.append(Problem(_short(msgid), "missing", "no Korean check message"))
        elif sorted(FIELD.findall(korean)) != sorted(FIELD.findall(msgid)):
            found.append(Problem(_short(msgid), "stale", "its {fields} differ from the English"))
    found += [Problem(_short(m), "orphan", "no check cell has this message: remove it")
              for m in messages if m not in wanted]
    return found


def _short(msgid: str) -> str:
    text = " ".join(msgid.split())
    return "message " + repr(text if len(text) <= 50 else text[:47] + "...")


def translate(notebook: Mapping[str, Any], translation: TranslationFile,
              messages: bool = True) -> dict[str, Any]:
    """The Korean edition of a notebook (a deep copy): markdown cells with a translation take
    its text (a stale one too: `problems` reports it), the others keep the English. With
    `messages`, the cell that imports the check helper also selects its Korean messages."""
    nb = copy.deepcopy(dict(notebook))
    for cell in nb.get("cells", []):
        entry = translation.cells.get(str(cell.get("id", "")))
        if cell.get("cell_type") == "markdown" and entry is not None and entry.text.strip():
            cell["source"] = entry.text
        elif cell.get("cell_type") == "code" and messages:
            cell["source"] = korean_messages(_text(cell.get("source", "")))
    meta = nb.setdefault("metadata", {})
    meta["autograder"] = {**meta.get("autograder", {}), "language": LANGUAGE}
    return nb


def korean_messages(source: str) -> str:
    """A code cell's source with `set_language("ko")` after its import of publiccheck, if any."""
    m = PUBLICCHECK_IMPORT.search(source)
    if m is None:
        return source
    return source[:m.end()] + "\n" + SET_LANGUAGE.format(indent=m[1]) + source[m.end():]


def speaks_korean(assignment: Assignment) -> bool:
    """The check helper the assignment ships can switch its messages (`set_language`)."""
    helpers = [assignment.root / f for f in assignment.files if Path(f).name == "publiccheck.py"]
    return any(p.is_file() and "def set_language(" in p.read_text(encoding="utf-8")
               for p in helpers)


def korean_solution(assignment: Assignment, english: Mapping[str, Any]) -> dict[str, Any]:
    """The Korean edition of the assignment's solution notebook `english`."""
    return translate(english, load(file_for(assignment)), speaks_korean(assignment))


def solution_editions(assignment: Assignment) -> list[dict[str, Any]]:
    """The solution notebook as JSON, and its Korean edition when the assignment has one."""
    english = json.loads(assignment.solution_notebook.read_text(encoding="utf-8"))
    if not has_edition(assignment):
        return [english]
    return [english, korean_solution(assignment, english)]


def render(translation: Mapping[str, Entry]) -> str:
    """A translation file's text: block scalars, so Markdown and LaTeX stay verbatim."""
    body = {"language": LANGUAGE,
            "cells": {k: {"hash": e.hash, "text": e.text} for k, e in translation.items()}}
    return yaml.dump(body, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def _text(source: Any) -> str:
    return "".join(str(s) for s in source) if isinstance(source, list) else str(source)
