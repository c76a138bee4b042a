"""Shared helpers of the hostile-submission suite.

Every attack is a softmax submission, graded in one batch (grading.grade_many) together with
an honest control (the solution) and an honest twin (a wrong or a missing softmax), against a
copy of the course whose hidden tests, reference and solution notebook carry a random canary;
another canary sits in the grader's environment. `grade_batch` checks what every attack must
leave true, whatever it is:

- the control earns full marks;
- the batch finishes within its time budget (the grader survived: we are still here);
- no process of the sandbox uids is left and the kernel holds nothing of them (keys, System V
  IPC objects), every worker had a uid of its own, the private temporary folder ends empty,
  the staged worker files and the course folder are unchanged;
- no canary appears in anything a student sees: results.json, feedback files, grades.csv,
  junit.xml and the terminal table.

Each test then states its own promise, usually `batch.earns_like(attack, twin)`: the attack
earns exactly what its honest twin earns, per function.
"""
from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml

from autograder import course as course_mod
from autograder import grading, sandbox
from autograder.course import Assignment
from autograder.records import Report
from autograder.reports import gradebook, junit, table, write_report

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_UIDS = range(sandbox.UID_BASE, sandbox.UID_BASE + sandbox.UID_COUNT)
VISIBLE_SUFFIXES = (".json", ".csv", ".md", ".html", ".txt", ".xml")
"""Output files a student may see: results.json, feedback, grades.csv and the JUnit XML CI
publishes (the instructor's class report and nbgrader database are not written here)."""

WRONG = '''
import numpy as np

def softmax(scores):
    """Honest but wrong: forgets to normalise."""
    return np.exp(np.asarray(scores, dtype=float))
'''
"""The honest wrong softmax most attacks are measured against."""
MISSING = "pass\n"
"""An implementation cell that defines nothing: the honest missing softmax."""
UNIFORM = '''
import numpy as np

def softmax(scores):
    """Honest but wrong: every class equally likely."""
    shape = np.shape(scores)
    return np.full(shape, 1.0 / shape[-1])
'''
"""Another honest wrong softmax, for attacks whose payload returns uniform probabilities."""
SHORT_LIMITS = {"call_timeout": 1.0, "notebook_timeout": 10.0}
"""Limits of the course copy used for resource-exhaustion attacks."""


def _bubblewrap() -> sandbox.Tier | None:
    try:
        return sandbox.choose_tier(prefer="bubblewrap")
    except Exception:  # noqa: BLE001 - any failure to probe means "not available here"
        return None


needs_bwrap = pytest.mark.skipif(
    _bubblewrap() is None, reason="hostile submissions are graded only in the bubblewrap tier, "
    "and bubblewrap is not installed or cannot start here (apt-get install bubblewrap)")


@dataclass(frozen=True)
class HostileCourse:
    """A copy of the course (softmax only) whose hidden material carries a canary."""

    assignment: Assignment
    """The softmax assignment of the copy."""
    root: Path
    """The copy's folder."""
    canary: str
    """Written into the copied hidden tests, reference and solution notebook."""


def copy_course(dest: Path, limits: dict[str, float] | None = None,
                assignment: str = "softmax") -> HostileCourse:
    """course.yaml (one assignment, softmax unless told), its solutions/ and assignments/
    folders and common/, with a random canary in every hidden file: comments, a module
    constant and a string in code."""
    canary = f"hidden-canary-{secrets.token_hex(8)}"
    for folder in (f"solutions/{assignment}", f"assignments/{assignment}", "common"):
        shutil.copytree(ROOT / folder, dest / folder,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    raw = yaml.safe_load((ROOT / "course.yaml").read_text(encoding="utf-8"))
    raw["assignments"] = [a for a in raw["assignments"] if a["id"] == assignment]
    if limits:
        raw["assignments"][0]["limits"] = {**raw["assignments"][0].get("limits", {}), **limits}
    (dest / "course.yaml").write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    tests = dest / f"solutions/{assignment}/tests"
    for path in sorted(tests.glob("*.py")):
        _plant(path, canary)
    notebook = dest / f"solutions/{assignment}/{raw['assignments'][0]['notebook']}"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace(
        "### BEGIN SOLUTION", f"### BEGIN SOLUTION  # {canary}"), encoding="utf-8")
    loaded = course_mod.load(dest / "course.yaml").assignment(assignment)
    return HostileCourse(loaded, dest, canary)


def _plant(path: Path, canary: str) -> None:
    """A comment before every function and a constant: whoever can read the file sees it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith(("def ", "@pytest")) and (not out or not out[-1].startswith("@")):
            out.append(f"# {canary}")
        out.append(line)
    out.append(f"\nHIDDEN_CANARY = {canary!r}\n")
    path.write_text("\n".join(out), encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_course(tmp_path_factory: pytest.TempPathFactory) -> HostileCourse:
    """The course copy with the course's own limits."""
    return copy_course(tmp_path_factory.mktemp("hostile-course"))


@pytest.fixture(scope="session")
def short_course(tmp_path_factory: pytest.TempPathFactory) -> HostileCourse:
    """The course copy with short limits (1 s per call, 10 s of cells) for exhaustion attacks."""
    return copy_course(tmp_path_factory.mktemp("short-course"), SHORT_LIMITS)


@pytest.fixture
def env_canary(monkeypatch: pytest.MonkeyPatch) -> str:
    """A random secret in the grader's environment (and so in every forked grader process)."""
    value = f"env-canary-{secrets.token_hex(8)}"
    monkeypatch.setenv("AUTOGRADER_SECRET_CANARY", value)
    monkeypatch.setenv("GRADER_API_TOKEN", f"token-{value}")
    return value


@dataclass(frozen=True)
class Batch:
    """A graded batch and everything a student could see of it."""

    reports: dict[str, Report]
    """Reports by submission name."""
    seconds: float
    """Wall time of grade_many."""
    visible: str
    """Every student-visible output, concatenated (files and terminal table)."""
    assignment: Assignment
    """The assignment graded."""

    def points(self, name: str) -> dict[str, float]:
        return {f.function: f.score for f in self.reports[name].functions}

    def earns_like(self, attack: str, twin: str) -> None:
        """The attack earns exactly what its honest twin earns, function by function."""
        differ = {f for f, v in self.points(attack).items() if v != self.points(twin)[f]}
        assert not differ, (attack, twin, [
            (name, c.name, c.status, c.message) for name in (attack, twin)
            for c in self.reports[name].checks if c.function in differ and c.status != "passed"])
        assert self.reports[attack].score == self.reports[twin].score

    def passed(self, name: str, function: str) -> set[str]:
        """Ids of the checks of `function` that the submission passed."""
        return {c.id for c in self.reports[name].checks
                if c.function == function and c.status == "passed"}

    def messages(self, name: str) -> str:
        """What the submission's checks and cells told the student."""
        report = self.reports[name]
        return "\n".join([c.message for c in report.checks] + [c.message for c in report.cells]
                         + [report.problem])


@pytest.fixture
def grade_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env_canary: str,
                submission: Callable[..., Path]) -> Callable[..., Batch]:
    """grade_batch(course, {name: notebook}, budget=s, jobs=1) -> Batch, after checking the
    promises every attack must leave true (see the module docstring). A control submission
    (the solution) is added last, so it is graded after every attack."""
    tier = _bubblewrap()
    if tier is None:
        pytest.skip("bubblewrap is not installed or cannot start here")
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    uid_log = tmp_path / "uids.log"
    original_allocate = sandbox.allocate_uid

    def logging_allocate() -> sandbox.UidLease:
        lease = original_allocate()
        with open(uid_log, "a", encoding="utf-8") as f:  # also from forked pool processes
            f.write(f"{lease.uid} {'+' if sandbox.processes_of(lease.uid) else '-'}\n")
        return lease

    monkeypatch.setattr(sandbox, "allocate_uid", logging_allocate)

    def run(course: HostileCourse, attacks: dict[str, Path], *, budget: float,
            jobs: int = 1) -> Batch:
        control = submission(course.assignment.id, name="control")
        names = [*attacks, "control"]
        paths = [*attacks.values(), control]
        _reset_sandboxes()
        before = _tree_digest(course.root)
        start = time.monotonic()
        reports = grading.grade_many(course.assignment, paths, seed=20240, tier=tier,
                                     jobs=jobs, names=names)
        seconds = time.monotonic() - start
        out = tmp_path / "out"
        for report in reports:  # what students receive; instructor outputs are not scanned
            write_report(report, out / report.submission, course=None)
        gradebook.write(reports, out / "grades.csv")
        junit.write(reports, out / "junit.xml")
        visible = _visible(out) + "".join(table.render(r) for r in reports) \
            + table.summary_line(reports)
        batch = Batch({r.submission: r for r in reports}, seconds, visible, course.assignment)
        assert seconds <= budget, f"the batch took {seconds:.1f} s, over its {budget} s budget"
        _assert_control_full(batch.reports["control"], course.assignment)
        _assert_stages_untouched(private, course)
        _reset_sandboxes()  # also ends the fresh worker each sandbox keeps starting
        _assert_no_processes(_uids(uid_log))
        _assert_no_kernel_residue(_uids(uid_log))
        assert not list(private.iterdir()), f"left in the temporary folder: " \
                                            f"{sorted(p.name for p in private.iterdir())}"
        assert _tree_digest(course.root) == before, "the course folder was modified"
        for canary in (course.canary, env_canary):
            assert canary not in visible, f"a canary reached student-visible output: {canary}"
        return batch

    return run


def _reset_sandboxes() -> None:
    """Close the cached sandboxes: the cache is keyed by assignment id, and the course copies
    share the id "softmax" with the real course but not its files or limits."""
    for box in grading._SANDBOXES.values():
        box.close()
    grading._SANDBOXES.clear()


def _visible(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace")
                   for p in sorted(out.rglob("*")) if p.suffix in VISIBLE_SUFFIXES)


def _assert_control_full(report: Report, assignment: Assignment) -> None:
    failed = [(c.name, c.message) for c in report.checks if c.status != "passed"]
    assert report.score == assignment.auto_points and not failed, failed


def _uids(log: Path) -> set[int]:
    """The uids the batch's workers ran under: each one nobody else held when it was taken."""
    rows = [line.split() for line in log.read_text().splitlines()] if log.exists() else []
    uids = {int(uid) for uid, _ in rows}
    assert uids and uids <= set(SANDBOX_UIDS), uids
    assert all(busy == "-" for _, busy in rows), "a uid was leased while it had processes"
    return uids


def _assert_no_kernel_residue(uids: set[int]) -> None:
    left = [r for uid in sorted(uids) for r in sandbox.kernel_residue(uid)]
    assert not left, f"the kernel still holds objects of sandbox uids: {left}"


def sandbox_processes(uids: set[int]) -> list[str]:
    """"pid uid command" of every live process whose real uid is one of `uids`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmd = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ")[:80]
        except OSError:
            continue
        uid_line = next((line for line in text.splitlines() if line.startswith("Uid:")), "")
        if uid_line and int(uid_line.split()[1]) in uids and "\nState:\tZ" not in text:
            found.append(f"{status.parent.name} {uid_line.split()[1]} "
                         f"{cmd.decode(errors='replace')}")
    return found


def _assert_no_processes(uids: set[int]) -> None:
    deadline = time.monotonic() + 5.0  # the kernel tears a pid namespace down asynchronously
    while (left := sandbox_processes(uids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"sandbox processes left behind: {left}"


def _assert_stages_untouched(private: Path, course: HostileCourse) -> None:
    """Every staged sandbox holds exactly the worker files and the assignment's files."""
    here = ROOT / "autograder"
    expected = {f"grader/{n}": (here / n).read_bytes() for n in sandbox.WORKER_FILES}
    expected[f"grader/{sandbox.SECCOMP_FILE}"] = sandbox.seccomp_program(deny_mount=True)
    expected.update({f"course/{Path(f).name}": (course.root / f).read_bytes()
                     for f in course.assignment.files})
    for stage in private.iterdir():
        assert stage.name.startswith("autograder-stage-"), f"unexpected file {stage}"
        found = {str(p.relative_to(stage)): p.read_bytes() for p in stage.rglob("*")
                 if p.is_file()}
        assert found == expected, f"{stage} was modified: {sorted(found)}"


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}
