"""The values that flow from running checks to every report: one record per check."""
from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("passed", "failed", "error", "timeout", "skipped")


@dataclass(frozen=True)
class CheckRecord:
    """The outcome of one hidden check; every output is rendered from these."""

    id: str
    """Stable id: test file and test name, e.g. "test_softmax.py::test_known_answers"."""
    name: str
    """Readable name (the test docstring's first line, or the test name)."""
    function: str
    """The graded function it tests."""
    points: float
    """Points it is worth."""
    score: float
    """Points earned."""
    status: str
    """passed, failed, error (the check itself broke: instructor's problem), timeout, skipped."""
    visibility: str
    """visible, hidden, after_due_date or after_published."""
    message: str = ""
    """What the student may read: never inputs or expected values of a hidden check."""
    hint: str = ""
    """A cataloged mistake that matches the output, in words for the student."""
    detail: str = ""
    """Instructor-only detail: traceback, values, worker output."""
    tolerance: str = ""
    """The tolerance a numeric comparison used, e.g. "rtol 1e-07, atol 1e-10"."""
    observed: str = ""
    """The observed error of a numeric comparison, e.g. "max relative error 3.1e-02"."""
    duration: float = 0.0
    """Seconds the check took."""
    full: str = ""
    """The message with values (observed error, shapes; inputs and expected values of visible
    checks): what students see at the detail level (disclosure.py)."""
    kind: str = ""
    """"value" when the check failed on a wrong, mistyped or misshaped value, else ""."""
    level: str = ""
    """The most the hidden test lets students see (name, hint or detail); "" is no limit."""
    charged_to: str = ""
    """The check that reports this one's wrong value (one root cause, one charge)."""


@dataclass(frozen=True)
class CellOutcome:
    """How one code cell of the submission ran in the worker."""

    label: str
    """"cell 4 (softmax-impl)"."""
    status: str
    """ok, error, timeout, crashed or skipped."""
    message: str = ""
    """What went wrong, for the student (their own code, so it may be shown)."""


@dataclass(frozen=True)
class FunctionScore:
    """Points for one graded function."""

    function: str
    score: float
    max_score: float


@dataclass(frozen=True)
class Report:
    """The graded submission: the single source of every output format."""

    assignment: str
    """Assignment id."""
    submission: str
    """Submission name (the notebook's file stem, or the student id of a batch layout)."""
    path: str
    """The notebook that was graded."""
    checks: tuple[CheckRecord, ...]
    """Every hidden check, in test order."""
    functions: tuple[FunctionScore, ...]
    """Per-function points, in course.yaml order."""
    score: float
    """Autograded points earned (before any late penalty)."""
    max_score: float
    """Autograded points available."""
    manual_pending: float = 0.0
    """Written-answer points of the assignment when it was graded (final.py uses course.yaml's
    current points; this stays for older readers of the records)."""
    seed: int = 0
    """The seed the hidden tests drew their inputs from."""
    tier: str = ""
    """Isolation tier that ran the student's code."""
    problem: str = ""
    """Why nothing could be graded (broken notebook), for the student; empty if graded."""
    cells: tuple[CellOutcome, ...] = ()
    """How the notebook's cells ran."""
    neutralised: tuple[str, ...] = ()
    """Magic and shell lines that were not run."""
    flags: tuple[str, ...] = ()
    """Integrity flags for the instructor (never change the score)."""
    answers: tuple[tuple[str, str], ...] = ()
    """(grade_id, text) of the written answers, for manual grading (nbgrader's formgrader)."""
    execution_time: float = 0.0
    """Seconds from start to finish of this submission's grading."""
    extra: dict[str, str] = field(default_factory=dict)
    """Further facts outputs may show: "submitted", the submission time (ISO 8601)."""
    time_problem: str = ""
    """Why the submission time could not be read (its raw value and the reason); empty when
    it was read or the layout records none. The late penalty is not stored: final.py derives
    it whenever an output is written."""

    @property
    def submitted(self) -> str:
        """The submission time as ISO 8601, or "" when unknown."""
        return self.extra.get("submitted", "")


@dataclass(frozen=True)
class WrittenScore:
    """A grader's score of one written answer (formgrader or `written import`)."""

    question: str
    """The answer cell's nbgrader grade_id."""
    score: float | None
    """Points given; None while the answer is not graded yet."""
    comment: str = ""
    """The grader's comment."""
    needs_review: bool = False
    """The answer changed since it was scored (or formgrader marks it): look at it again."""
