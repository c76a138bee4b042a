"""`autograder validate`: the course checked as a checklist, and the leak check it uses.

For every assignment: the solution earns full marks, the untouched student notebook earns 0,
assignments/<id>/ is what `autograder generate` writes, and nothing students receive contains a
solution line, an nbgrader marker, a hidden-test line or an instructor-only file, and every
markdown cell has a current Korean translation (the leak and sync checks cover both editions).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from . import course as course_mod
from . import grading, release, runner, translations
from .course import Assignment, Course
from .errors import AutograderError, ConfigError
from .records import Report
from .sandbox import Tier

MARKERS = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)")
"""nbgrader's markers: never in anything a student receives."""
INSTRUCTOR_NAMES = re.compile(r"(^|/)(reference\.py|test_[^/]*\.py|conftest\.py)$")
"""File names that only instructors' material uses (hidden tests, reference implementation)."""
MIN_SECRET_LINE = 25
"""Shorter lines (`return x`, `else:`) are too common to say anything about a leak."""


@dataclass(frozen=True)
class Item:
    """One line of the checklist."""

    title: str
    """What was checked, e.g. "softmax: the solution scores full marks"."""
    ok: bool
    """Whether it holds."""
    detail: str = ""
    """The figures that show it, or what is wrong and how to fix it."""


def checklist(course_path: Path, *, tier: Tier, seed: int = 0,
              ids: Sequence[str] = ()) -> Iterator[Item]:
    """Check the course; yields each item as soon as it is known (grading takes a while)."""
    try:
        course = course_mod.load(course_path)
        chosen = [course.assignment(i) for i in ids] if ids else list(course.assignments)
    except ConfigError as exc:
        yield Item("course.yaml is valid", False, str(exc))
        return
    yield Item("course.yaml is valid", True,
               f"{len(course.assignments)} assignments, late policy {_policy(course)}")
    for a in chosen:
        yield _guarded(f"{a.id}: course.yaml and the hidden tests give the same points",
                       lambda: points_agree(a))
        yield _guarded(f"{a.id}: the solution scores full marks",
                       lambda: solution_scores_full_marks(a, tier, seed))
        yield _guarded(f"{a.id}: the untouched student notebook scores 0",
                       lambda: stub_scores_zero(a, tier, seed))
        yield release_in_sync(a)
        yield release_leaks_nothing(a)
        yield _guarded(f"{a.id}: every markdown cell has a current Korean translation",
                       lambda: translations_current(a))


def _guarded(title: str, check: Callable[[], Item]) -> Item:
    """A tool error in one item (hidden tests that do not collect) fails that item only."""
    try:
        return check()
    except AutograderError as exc:
        return Item(title, False, str(exc))


def _policy(course: Course) -> str:
    p = course.late_policy
    return (f"{p.penalty_per_day:.0%} per day after {p.grace_minutes:g} min, "
            f"at most {p.max_penalty:.0%}")


def solution_scores_full_marks(a: Assignment, tier: Tier, seed: int) -> Item:
    report = grading.grade_submission(a, a.solution_notebook, seed=seed, tier=tier)
    title = f"{a.id}: the solution scores full marks"
    problems = _failures(report)
    return Item(title, not problems and report.score == a.auto_points,
                "; ".join(problems[:3]) or f"{report.score:g} / {a.auto_points:g}")


def points_problems(a: Assignment) -> list[str]:
    """One line per function whose points differ between course.yaml and the hidden tests."""
    declared = runner.declared_points(a)
    lines = []
    for function in dict.fromkeys([*a.functions, *declared]):
        ours, theirs = a.functions.get(function), declared.get(function)
        name = function or "(tests without a function marker)"
        if ours is None and theirs:
            lines.append(f"{name}: course.yaml does not list it; the hidden tests give it "
                         f"{theirs:g} point(s)")
        elif ours is not None and theirs is None:
            lines.append(f"{name}: course.yaml gives {ours:g} point(s); no hidden test "
                         "checks it (0)")
        elif ours is not None and theirs is not None and abs(ours - theirs) > 1e-9:
            lines.append(f"{name}: course.yaml gives {ours:g} point(s), the hidden tests "
                         f"{theirs:g}")
    return lines


def points_agree(a: Assignment) -> Item:
    problems = points_problems(a)
    return Item(f"{a.id}: course.yaml and the hidden tests give the same points", not problems,
                "\n        ".join(problems) or f"{len(a.functions)} functions, "
                f"{a.auto_points:g} points")


def require_points(a: Assignment) -> None:
    """Refuse an assignment whose course.yaml points and hidden-test points disagree."""
    problems = points_problems(a)
    if problems:
        raise ConfigError(f"{a.root / 'course.yaml'}: the points of {a.id} in course.yaml and "
                          f"in its hidden tests ({a.tests_dir}) disagree; make them equal:\n  "
                          + "\n  ".join(problems))


def stub_scores_zero(a: Assignment, tier: Tier, seed: int) -> Item:
    report = grading.grade_submission(a, a.release_notebook, seed=seed, tier=tier)
    title = f"{a.id}: the untouched student notebook scores 0"
    earned = [f"{c.id} passed" for c in report.checks if c.score > 0]
    crashed = [f"{c.id}: {c.status}" for c in report.checks
               if c.status not in ("failed", "timeout")]
    problems = ([report.problem] if report.problem else []) + earned + crashed
    return Item(title, not problems and report.score == 0,
                "; ".join(problems[:3]) or f"0 / {a.auto_points:g}, every check failed cleanly")


def _failures(report: Report) -> list[str]:
    if report.problem:
        return [report.problem]
    return [f"{c.id}: {c.status}: {c.message}" for c in report.checks if c.status != "passed"]


def release_in_sync(a: Assignment) -> Item:
    problems = release.out_of_sync(a)
    detail = "; ".join(problems[:3]) + f"; run `autograder generate {a.id}`" if problems else \
        f"{', '.join(sorted(release.release_files(a)))}"
    return Item(f"{a.id}: assignments/{a.id}/ is generated from solutions/{a.id}/",
                not problems, detail)


def translations_current(a: Assignment) -> Item:
    """Every markdown cell of the solution has a Korean entry made from its current source,
    and every check message a Korean translation."""
    title = f"{a.id}: every markdown cell has a current Korean translation"
    path = translations.file_for(a)
    if not path.is_file():
        return Item(title, False, f"no Korean edition: {path.relative_to(a.root)} does not "
                    "exist (see docs/translating.md)")
    english = json.loads(a.solution_notebook.read_text(encoding="utf-8"))
    messages = translations.messages_file_for(a)
    problems = translations.problems(english, translations.load(path)) + \
        translations.message_problems(english, translations.read_messages(messages))
    return Item(title, not problems, "; ".join(map(str, problems))
                or f"{len(translations.translatable(english))} cells and "
                f"{len(translations.check_messages(english))} check messages, {path.name} and "
                f"{messages.name}")


def require_korean(a: Assignment) -> None:
    """Refuse to release a Korean edition that does not exist or is not current."""
    item = translations_current(a)
    if not item.ok:
        raise AutograderError(f"refusing to release {a.id} in Korean: {item.detail}")


def release_leaks_nothing(a: Assignment) -> Item:
    problems = leaks(a, release_material(a))
    names = ", ".join(sorted(release.release_files(a)))
    return Item(f"{a.id}: the release material contains no hidden or solution content",
                not problems, "; ".join(problems[:3])
                or f"{names}, as generated and as in assignments/{a.id}/")


def release_material(a: Assignment) -> dict[str, bytes]:
    """Everything students receive: assignments/<id>/ as it is on disk, and as generated."""
    files = {f"generated/{k}": v for k, v in release.release_files(a).items()}
    if a.release_dir.is_dir():
        files.update({str(p.relative_to(a.root)): p.read_bytes()
                      for p in sorted(a.release_dir.rglob("*")) if p.is_file()})
    return files


# --- leak check -------------------------------------------------------------------------------


SECRET_REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)(.*?)### END \1", re.S)


def secret_lines(a: Assignment) -> set[str]:
    """Non-trivial lines of the solution regions, model answers (of every edition) and
    instructor-only files.

    Lines the solution notebook also shows outside those regions (a signature, a known answer
    in a public check) are public by the instructor's choice and do not count.
    """
    secret: set[str] = set()
    public: set[str] = set()
    for cell in [c for nb in translations.solution_editions(a) for c in nb["cells"]]:
        src = _source(cell)
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and nbg.get("solution"):
            secret |= _stripped(src)
            continue
        secret |= {line for m in SECRET_REGION.finditer(src) for line in _stripped(m[2])}
        public |= _stripped(SECRET_REGION.sub("", src))
    for path in a.tests_dir.rglob("*.py"):
        secret |= _stripped(path.read_text(encoding="utf-8"))
    return {line for line in secret - public if len(line) >= MIN_SECRET_LINE
            and not line.startswith(("#", '"""', "import ", "from "))}


def _stripped(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines()}


def leaks(a: Assignment, files: Mapping[str, bytes]) -> list[str]:
    """What in `files` (name -> bytes, e.g. a release zip) students must not receive."""
    secret = secret_lines(a)
    instructor = {p.read_bytes(): str(p.relative_to(a.root))
                  for p in a.solution_dir.rglob("*") if p.is_file()}
    problems = []
    for name, data in sorted(files.items()):
        if data in instructor:
            problems.append(f"{name} is the instructor-only file {instructor[data]}")
        if INSTRUCTOR_NAMES.search(name):
            problems.append(f"{name} is named like a hidden test or reference implementation")
        text = data.decode("utf-8", errors="replace")
        if MARKERS.search(text):
            problems.append(f"{name} contains an nbgrader solution or hidden-test marker")
        leaked = sorted(secret & shipped_lines(name, text))
        if leaked:
            problems.append(f"{name} contains {len(leaked)} line(s) of the solution or the "
                            f"hidden tests, e.g. {leaked[0][:80]!r}")
    return problems


def shipped_lines(name: str, text: str) -> set[str]:
    """Stripped lines of a file; for a notebook, of its cells' sources and text outputs."""
    lines = {line.strip() for line in text.splitlines()}
    if name.endswith(".ipynb"):
        try:
            cells = json.loads(text).get("cells", [])
        except (json.JSONDecodeError, AttributeError):
            cells = []
        for cell in cells if isinstance(cells, list) else []:
            body = _source(cell) + "\n" + "\n".join(_outputs(cell))
            lines |= {line.strip() for line in body.splitlines()}
    return lines


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _outputs(cell: dict) -> list[str]:
    texts = []
    for out in cell.get("outputs", []) or []:
        for value in [out.get("text", "")] + list((out.get("data") or {}).values()):
            if isinstance(value, list):
                value = "".join(str(v) for v in value)
            if isinstance(value, str):
                texts.append(value)
    return texts
