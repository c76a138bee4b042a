"""course.yaml -> frozen dataclasses, validated once.

Unknown keys, missing files and bad values raise ConfigError naming the file and the key.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import ConfigError, UnknownAssignment

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

    @property
    def root(self) -> Path:
        return self.path.parent

    def assignment(self, name: str) -> Assignment:
        for a in self.assignments:
            if a.id == name:
                return a
        raise UnknownAssignment.named(name, [a.id for a in self.assignments])


COURSE_KEYS = {"name", "late_policy", "limits", "visibility", "assignments"}
ASSIGNMENT_KEYS = {"id", "title", "notebook", "due", "files", "functions", "written", "limits",
                   "visibility"}


def load(path: str | Path = "course.yaml") -> Course:
    """Read and validate course.yaml."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"{path}: course file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
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
                  late_policy=v.dataclass(top.get("late_policy", {}), "late_policy", LatePolicy()))


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

    def due(self, raw: Any, where: str) -> dt.datetime | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            try:
                raw = dt.datetime.fromisoformat(raw)
            except ValueError:
                raise ConfigError.bad_value(self.path, where, "due",
                                            "must be an ISO 8601 date-time") from None
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
