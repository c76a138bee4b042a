"""course.yaml -> frozen dataclasses, validated once.

Unknown keys, missing files and bad values raise ConfigError naming the file and the key.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from .disclosure import DEFAULT_LEVELS, LEVELS, PHASES, Disclosure
from .errors import ConfigError, UnknownAssignment
from .i18n import LANGUAGES

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
"""Gradescope's visibility levels, usable in course.yaml and in the `visibility` marker."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission's sandboxed worker."""

    call_timeout: float = 2.0
    """Seconds one call of a student function may take."""
    notebook_timeout: float = 60.0
    """Seconds for running the submission's cells (each restart of the worker too)."""
    submission_timeout: float = 120.0
    """Seconds for everything one submission's code does: cells (and their reruns), calls and
    reading their replies; once used up, the remaining checks fail and the batch moves on."""
    memory_mb: int = 1024
    """Address-space limit of the worker, in MiB."""
    processes: int = 32
    """Processes and threads the worker's uid may own."""
    file_size_mb: int = 16
    """Largest file the worker may write, in MiB (its disk is a tmpfs of 4x this)."""
    output_kb: int = 64
    """Output a submission may print that is kept for the instructor, in KiB."""


@dataclass(frozen=True)
class LatePolicy:
    """How late submissions lose points."""

    grace_minutes: float = 0.0
    """Minutes after the due date that still count as on time."""
    penalty_per_day: float = 0.0
    """Fraction of the score lost per started day late (after the grace period)."""
    max_penalty: float = 1.0
    """Largest fraction that lateness can take away."""


@dataclass(frozen=True)
class Assignment:
    """One assignment: its notebooks, graded functions, points and limits."""

    id: str
    """Short name, also the folder name under solutions/ and assignments/."""
    title: str
    """Human-readable title."""
    notebook: str
    """File name of the notebook in solutions/<id>/ and assignments/<id>/."""
    root: Path
    """Folder that holds course.yaml; every path is relative to it."""
    functions: Mapping[str, float]
    """Graded functions and their points, in order."""
    written: Mapping[str, float] = field(default_factory=lambda: {})
    """Manually graded answer cells (nbgrader grade_id) and their points."""
    due: dt.datetime | None = None
    """Due date (timezone-aware), or None."""
    files: tuple[Path, ...] = ()
    """Extra files students receive and the worker can import (e.g. the data helper)."""
    limits: Limits = Limits()
    """Sandbox limits."""
    visibility: str = "visible"
    """Visibility of checks whose tests do not say."""

    @property
    def solution_dir(self) -> Path:
        return self.root / "solutions" / self.id

    @property
    def release_dir(self) -> Path:
        return self.root / "assignments" / self.id

    @property
    def tests_dir(self) -> Path:
        return self.solution_dir / "tests"

    @property
    def solution_notebook(self) -> Path:
        return self.solution_dir / self.notebook

    @property
    def release_notebook(self) -> Path:
        return self.release_dir / self.notebook

    @property
    def auto_points(self) -> float:
        return float(sum(self.functions.values()))

    @property
    def manual_points(self) -> float:
        return float(sum(self.written.values()))


@dataclass(frozen=True)
class Course:
    """The whole course as course.yaml describes it."""

    name: str
    """Course name."""
    path: Path
    """The course.yaml file."""
    assignments: tuple[Assignment, ...]
    """Assignments in the order course.yaml lists them."""
    late_policy: LatePolicy = LatePolicy()
    """Late penalties."""
    extensions: Mapping[tuple[str, str], dt.datetime] = field(default_factory=lambda: {})
    """Per-student due dates from extensions.csv: (student, assignment id) -> due date."""
    canvas_ids: Mapping[str, str] = field(default_factory=lambda: {})
    """Canvas assignment ids by assignment id (course.yaml `canvas_ids`), for the export."""
    language: str = "en"
    """Language of student-facing text: en or ko."""
    disclosure: Disclosure = Disclosure()
    """What students see of each check, and when."""

    @property
    def root(self) -> Path:
        return self.path.parent

    def due_for(self, assignment: Assignment, student: str) -> dt.datetime | None:
        """The student's due date: their extension, else the assignment's."""
        return self.extensions.get((student, assignment.id), assignment.due)

    def assignment(self, name: str) -> Assignment:
        for a in self.assignments:
            if a.id == name:
                return a
        raise UnknownAssignment.named(name, [a.id for a in self.assignments])


COURSE_KEYS = {"name", "late_policy", "limits", "visibility", "assignments", "canvas_ids",
               "language", "disclosure"}
EXTENSIONS = "extensions.csv"
"""Per-student due dates, beside course.yaml: columns student, assignment, due (ISO 8601)."""
EXTENSION_COLUMNS = ("student", "assignment", "due")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"
                      r"(Z|[+-]\d{2}(:?\d{2}(:\d{2})?)?)?")
"""What fromisoformat may read: Python 3.11 also accepts junk such as "10:00:00.0 XYZ"."""


def iso_time(text: str) -> dt.datetime:
    """datetime.fromisoformat, for ISO 8601 text only (ValueError otherwise)."""
    if not ISO_TIME.fullmatch(text.strip()):
        raise ValueError(f"not ISO 8601: {text!r}")
    # nanoseconds (Gradescope) are more than datetime holds: keep microseconds
    return dt.datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text.strip()))


class _NoTimestamps(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so a bad date is one clear error, not a traceback."""


_NoTimestamps.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in rules if tag != "tag:yaml.org,2002:timestamp"]
    for key, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()}
ASSIGNMENT_KEYS = {"id", "title", "notebook", "due", "files", "functions", "written", "limits",
                   "visibility"}


def load(path: str | Path = "course.yaml") -> Course:
    """Read and validate course.yaml."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"{path}: course file not found")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoTimestamps)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}".replace("\n", " ")) from None
    v = _Validator(path)
    top = v.mapping(raw, "course", COURSE_KEYS, required={"name", "assignments"})
    limits = v.dataclass(top.get("limits", {}), "limits", Limits())
    visibility = v.visibility(top.get("visibility", "visible"), "course")
    entries = top["assignments"]
    if not isinstance(entries, list) or not entries:
        raise ConfigError.bad_value(path, "course", "assignments", "must be a non-empty list")
    assignments = tuple(v.assignment(e, i, limits, visibility) for i, e in enumerate(entries))
    ids = [a.id for a in assignments]
    if len(set(ids)) != len(ids):
        raise ConfigError.bad_value(path, "course", "assignments", f"duplicate ids in {ids}")
    return Course(name=v.string(top["name"], "course", "name"), path=path,
                  assignments=assignments,
                  late_policy=v.dataclass(top.get("late_policy", {}), "late_policy", LatePolicy()),
                  extensions=load_extensions(path.parent / EXTENSIONS, ids),
                  canvas_ids=v.names(top.get("canvas_ids"), "canvas_ids", set(ids)),
                  language=v.choice(top.get("language", "en"), "course", "language", LANGUAGES),
                  disclosure=v.disclosure(top.get("disclosure", {})))


def load_extensions(path: Path, ids: list[str]) -> dict[tuple[str, str], dt.datetime]:
    """extensions.csv (optional): one row per student and assignment with the new due date.

    Every problem is one ConfigError naming the file, the line and the column.
    """
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in EXTENSION_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ConfigError(f"{path}:1: missing column(s) {', '.join(missing)} (expected "
                              f"{','.join(EXTENSION_COLUMNS)})")
        out: dict[tuple[str, str], dt.datetime] = {}
        for row in reader:
            key, due = _extension(path, reader.line_num, row, ids)
            if key in out:
                raise ConfigError(f"{path}:{reader.line_num}: student: a second extension for "
                                  f"{key[0]} on {key[1]}")
            out[key] = due
    return out


def _extension(path: Path, line: int, row: dict[str, Any], ids: list[str]
               ) -> tuple[tuple[str, str], dt.datetime]:
    student = str(row.get("student") or "").strip()
    assignment = str(row.get("assignment") or "").strip()
    if not student:
        raise ConfigError(f"{path}:{line}: student: empty")
    if assignment not in ids:
        raise ConfigError(f"{path}:{line}: assignment: unknown assignment {assignment!r} "
                          f"(course.yaml has: {', '.join(ids)})")
    return (student, assignment), parse_due(str(row.get("due") or "").strip(),
                                            f"{path}:{line}: due")


def parse_due(text: str, where: str) -> dt.datetime:
    """An ISO 8601 date-time with a time zone; ConfigError naming `where` otherwise."""
    try:
        when = iso_time(text)
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not an ISO 8601 date-time, e.g. "
                          "2026-12-04T23:59:00+00:00") from None
    if when.tzinfo is None:
        raise ConfigError(f"{where}: {text!r} has no time zone, e.g. 2026-12-04T23:59:00+00:00")
    return when


class _Validator:
    """Checks raw YAML values; every error names the file and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def mapping(self, raw: Any, where: str, allowed: set[str],
                required: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
        if not isinstance(raw, dict):
            raise ConfigError(f"{self.path}: {where} must be a mapping")
        for key in raw:
            if key not in allowed:
                raise ConfigError.unknown_key(self.path, where, str(key), allowed)
        for key in sorted(required):
            if key not in raw:
                raise ConfigError.missing_key(self.path, where, key)
        return raw

    def string(self, raw: Any, where: str, key: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise ConfigError.bad_value(self.path, where, key, "must be a non-empty string")
        return raw

    def number(self, raw: Any, where: str, key: str, minimum: float = 0.0) -> float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw < minimum:
            raise ConfigError.bad_value(self.path, where, key, f"must be a number >= {minimum}")
        return float(raw)

    def visibility(self, raw: Any, where: str) -> str:
        if raw not in VISIBILITIES:
            raise ConfigError.bad_value(self.path, where, "visibility",
                                        f"must be one of {', '.join(VISIBILITIES)}")
        return str(raw)

    def choice(self, raw: Any, where: str, key: str, allowed: tuple[str, ...]) -> str:
        if raw not in allowed:
            raise ConfigError.bad_value(self.path, where, key,
                                        f"must be one of {', '.join(allowed)}")
        return str(raw)

    def disclosure(self, raw: Any) -> Disclosure:
        """`disclosure:` {phase: {visibility: level}}, score_before_published."""
        raw = self.mapping(raw or {}, "disclosure", {*PHASES, "score_before_published"})
        levels = {phase: {**DEFAULT_LEVELS[phase], **{
            self.choice(vis, f"disclosure.{phase}", str(vis), VISIBILITIES):
            self.choice(lv, f"disclosure.{phase}", str(vis), LEVELS)
            for vis, lv in self.mapping(raw.get(phase, {}), f"disclosure.{phase}",
                                        set(VISIBILITIES)).items()}} for phase in PHASES}
        show = raw.get("score_before_published", True)
        if not isinstance(show, bool):
            raise ConfigError.bad_value(self.path, "disclosure", "score_before_published",
                                        "must be true or false")
        return Disclosure(levels, show)

    def dataclass(self, raw: Any, where: str, default: Any) -> Any:
        names = {f.name: f for f in fields(default)}
        raw = self.mapping(raw, where, set(names))
        values: dict[str, Any] = {}
        for key, value in raw.items():
            number = self.number(value, where, key)
            values[key] = int(number) if isinstance(getattr(default, key), int) else number
            if values[key] <= 0 and key not in ("grace_minutes", "penalty_per_day"):
                raise ConfigError.bad_value(self.path, where, key, "must be positive")
        return replace(default, **values)

    def points(self, raw: Any, where: str, key: str) -> Mapping[str, float]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise ConfigError.bad_value(self.path, where, key, "must map names to points")
        return {str(k): self.number(v, f"{where}.{key}", str(k))
                for k, v in raw.items()}

    def names(self, raw: Any, where: str, allowed: set[str]) -> dict[str, str]:
        if raw is None:
            return {}
        return {str(k): str(v) for k, v in self.mapping(raw, where, allowed).items()}

    def due(self, raw: Any, where: str) -> dt.datetime | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            try:
                raw = iso_time(raw)
            except ValueError:
                raise ConfigError.bad_value(self.path, where, "due",
                                            f"{raw!r} is not a valid ISO 8601 date-time"
                                            ) from None
        if not isinstance(raw, dt.datetime) or raw.tzinfo is None:
            raise ConfigError.bad_value(self.path, where, "due",
                                        "must be a date-time with a time zone, "
                                        "e.g. 2026-12-04T23:59:00+00:00")
        return raw

    def assignment(self, raw: Any, index: int, limits: Limits, visibility: str) -> Assignment:
        where = f"assignments[{index}]"
        raw = self.mapping(raw, where, ASSIGNMENT_KEYS, required={"id", "notebook", "functions"})
        ident = self.string(raw["id"], where, "id")
        where = f"assignments[{ident}]"
        functions = self.points(raw["functions"], where, "functions")
        if not functions:
            raise ConfigError.bad_value(self.path, where, "functions", "must list a function")
        root = self.path.parent
        files = raw.get("files", [])
        if not isinstance(files, list):
            raise ConfigError.bad_value(self.path, where, "files", "must be a list of paths")
        for f in files:
            if not (root / str(f)).is_file():
                raise ConfigError.missing_file(self.path, where, "files", root / str(f))
        a = Assignment(
            id=ident, title=str(raw.get("title", ident)),
            notebook=self.string(raw["notebook"], where, "notebook"), root=root,
            functions=functions, written=self.points(raw.get("written"), where, "written"),
            due=self.due(raw.get("due"), where), files=tuple(Path(str(f)) for f in files),
            limits=self.dataclass({**_asdict(limits), **self.mapping(
                raw.get("limits", {}), f"{where}.limits", {f.name for f in fields(Limits)})},
                f"{where}.limits", Limits()),
            visibility=self.visibility(raw.get("visibility", visibility), where))
        if not a.solution_notebook.is_file():
            raise ConfigError.missing_file(self.path, where, "notebook", a.solution_notebook)
        return a


def _asdict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}
