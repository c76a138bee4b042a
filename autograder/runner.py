"""Runs an assignment's hidden tests (ordinary pytest files) in this trusted process.

Tests receive a `student` fixture (proxies for the submission's functions), `rng` (inputs
drawn from the run's seed and the test's name, so a regrade with the same seed is identical),
`seed`, `reference` (the instructor's tests/reference.py) and `assignment`. Markers declare
`points(n)`, `visibility(level)` and `function(name)`; module-level `pytestmark` works too.
Every test becomes one CheckRecord.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import traceback
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from .course import VISIBILITIES, Assignment
from .errors import AutograderError
from .checks import charge_root_causes
from .proxy import StudentProxy
from .records import CheckRecord

PYTEST_ARGS = [
    "-p", "no:cacheprovider", "-p", "no:doctest", "-p", "no:junitxml", "-p", "no:pastebin",
    "-p", "no:stepwise", "-p", "no:warnings", "-p", "no:logging", "-p", "no:faulthandler",
    "-p", "no:legacypath", "-p", "no:tmpdir", "-p", "no:setuponly", "-p", "no:setupplan",
    "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:capture",
    "-p", "no:terminal", "-p", "no:nose", "--import-mode=importlib", "-o", "addopts=",
    "-o", "python_files=test_*.py", "-c", os.devnull,
]
"""A bare pytest session: no plugin autoloading, no terminal, no failure formatting cost."""
GENERIC_FAILURE = "the result is not correct"
CHECK_ERROR = ("this check could not evaluate your result ({kind}); your instructor can see "
               "the details")
_MARKERS = ("points(n): points the test is worth",
            "disclosure(level): the most students may see of it: name, hint or detail",
            "visibility(level): visible, hidden, after_due_date or after_published",
            "function(name): the graded function the test checks")


class GraderPlugin:
    """Fixtures, markers and the report hook for one submission's pytest session."""

    def __init__(self, assignment: Assignment, student: StudentProxy, seed: int) -> None:
        self.assignment, self._student, self.seed = assignment, student, seed
        self.records: list[CheckRecord] = []
        self.tool_error: AutograderError | None = None
        """A tool error raised inside a test (no sandbox could start): re-raised after the
        session, since it is the machine's problem, not a failed check of the student."""

    def pytest_configure(self, config: pytest.Config) -> None:
        for line in _MARKERS:
            config.addinivalue_line("markers", line)

    @pytest.fixture(scope="session")
    def student(self) -> StudentProxy:
        return self._student

    @pytest.fixture(scope="session", name="seed")
    def seed_fixture(self) -> int:
        return self.seed

    @pytest.fixture(name="rng")
    def rng_fixture(self, request: pytest.FixtureRequest) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(request.node.nodeid.encode())])

    @pytest.fixture(scope="session", name="assignment")
    def assignment_fixture(self) -> Assignment:
        return self.assignment

    @pytest.fixture(scope="session")
    def reference(self) -> ModuleType:
        return load_reference(self.assignment)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]
                                  ) -> pytest.TestReport:
        exc = call.excinfo
        skipped = exc is not None and exc.errisinstance(pytest.skip.Exception)
        if call.when == "call" or (call.when == "setup" and exc is not None):
            self.records.append(self.record(item, exc.value if exc else None, skipped,
                                            call.duration))
        outcome = "passed" if exc is None else ("skipped" if skipped else "failed")
        longrepr = None if exc is None else ("", 0, "skipped") if skipped else "failed"
        return pytest.TestReport(item.nodeid, item.location, {}, outcome, longrepr, call.when,
                                 [], call.duration, call.start, call.stop)

    def record(self, item: pytest.Item, exc: BaseException | None, skipped: bool,
               duration: float) -> CheckRecord:
        points = float(_marker_arg(item, "points", 0.0))
        visibility = str(_marker_arg(item, "visibility", self.assignment.visibility))
        base = dict(id=item.nodeid, name=_title(item), function=str(_marker_arg(
            item, "function", "")), points=points, visibility=visibility,
            duration=round(duration, 4), level=str(_marker_arg(item, "disclosure", "")))
        if exc is None:
            return CheckRecord(score=points, status="passed", **base)
        if isinstance(exc, AutograderError) and self.tool_error is None:
            self.tool_error = exc
        if skipped:
            return CheckRecord(score=0.0, status="skipped", message="not graded", **base)
        return CheckRecord(score=0.0, **base, **failure_fields(exc, visibility == "visible"))


def failure_fields(exc: BaseException, visible: bool) -> dict[str, Any]:
    """Status and messages of a failed check; a hidden check never shows values."""
    detail = "".join(traceback.format_exception(exc, limit=-6))[-4000:]
    message = getattr(exc, "message", None)
    if isinstance(message, str):  # StudentFailure or checks.CheckFailed: written to be shown
        extra = getattr(exc, "detail", "")
        return dict(status=getattr(exc, "status", "failed"), message=message,
                    full=str(getattr(exc, "full", "") or message),
                    kind=str(getattr(exc, "kind", "")),
                    hint=getattr(exc, "hint", ""), observed=getattr(exc, "observed", ""),
                    tolerance=getattr(exc, "tolerance", ""),
                    detail=(f"{extra}\n{detail}" if extra else detail)[-4000:])
    if isinstance(exc, AssertionError):
        return dict(status="failed", message=GENERIC_FAILURE, detail=detail)
    return dict(status="error", message=CHECK_ERROR.format(kind=type(exc).__name__),
                detail=detail)


def _session(assignment: Assignment) -> tuple[tuple[Path, int], "HiddenTests"]:
    key = (assignment.tests_dir.resolve(), os.getpid())
    if key not in _SESSIONS:
        _SESSIONS[key] = HiddenTests(assignment)
    return key, _SESSIONS[key]


def declared_points(assignment: Assignment) -> dict[str, float]:
    """Points per function as the hidden tests' markers declare them (collected, not run;
    the collection is the one grading reuses in this process)."""
    _, tests = _session(assignment)
    points: dict[str, float] = {}
    for item in tests.session.items:
        function = str(_marker_arg(item, "function", ""))
        points[function] = points.get(function, 0.0) + float(_marker_arg(item, "points", 0.0))
    return points


def run_checks(assignment: Assignment, student: StudentProxy, seed: int) -> list[CheckRecord]:
    """Run the hidden tests against one submission and return a record per test."""
    key, tests = _session(assignment)
    try:
        plugin = tests.run(assignment, student, seed)
    except BaseException:  # e.g. interrupted half-way: never run a half-torn-down session
        _SESSIONS.pop(key, None)
        raise
    if plugin.tool_error is not None:
        raise plugin.tool_error
    if not plugin.records:
        raise _not_run(assignment, "no test ran")
    return charge_root_causes(plugin.records)


class HiddenTests:
    """One pytest session for a folder of hidden tests: configured and collected once per
    process, its items run again for every submission (pytest.main per submission spent
    30 of its 50 ms configuring pytest and collecting the same tests again)."""

    def __init__(self, assignment: Assignment) -> None:
        from _pytest.config import _prepareconfig
        from _pytest.main import Session

        tests = assignment.tests_dir
        _forget_other_test_modules(tests)
        self.plugin = GraderPlugin(assignment, None, 0)  # type: ignore[arg-type]
        previous = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        try:
            config = _prepareconfig([*PYTEST_ARGS, "--rootdir", str(tests), str(tests)],
                                    plugins=[self.plugin])
            config._do_configure()
            self.session = Session.from_config(config)
            config.hook.pytest_sessionstart(session=self.session)
            self.session.perform_collect()
        except pytest.UsageError as exc:
            raise _not_run(assignment, str(exc)) from None
        finally:
            if previous is None:
                os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
            else:
                os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = previous
        if self.session.testsfailed or not self.session.items:
            raise _not_run(assignment, "collection failed" if self.session.testsfailed
                           else "no tests were collected")

    def run(self, assignment: Assignment, student: StudentProxy, seed: int) -> GraderPlugin:
        """Every test against one submission, set up and torn down as pytest would.

        The proxy is told whether each check is visible: once a worker has served a hidden
        check, nothing the student's code says (exception text, type names) reaches a
        message, so what a function saw in hidden checks cannot reach a student.
        """
        self.plugin.__init__(assignment, student, seed)  # type: ignore[misc]
        items = self.session.items
        for i, item in enumerate(items):
            item._initrequest()  # type: ignore[attr-defined]  # fresh fixtures, as reruns do
            if isinstance(student, StudentProxy):  # not a stand-in (bench/nbgrader_checks.py)
                student.begin_check(visible=_visible(item, assignment))
            item.ihook.pytest_runtest_protocol(item=item, nextitem=items[i + 1]
                                               if i + 1 < len(items) else None)
        return self.plugin


_SESSIONS: dict[tuple[Path, int], HiddenTests] = {}
"""Sessions by hidden-tests folder and process (a forked pool process makes its own)."""


def _not_run(assignment: Assignment, why: str) -> AutograderError:
    tests = assignment.tests_dir
    return AutograderError(f"the hidden tests of {assignment.id} in {tests} could not be "
                           f"collected or run ({why}); run `python -m pytest {tests}` to see why")


def _forget_other_test_modules(tests: Path) -> None:
    """Drop cached modules that share a name with one of these test files but not its path.

    pytest (importlib mode) names a test module by its file name and reuses any module of
    that name already imported, so a second course or assignment in this process with a
    `test_basic.py` of its own would otherwise run the first one's tests. Modules of this
    folder stay cached: a batch imports its hidden tests once.
    """
    for path in [*tests.rglob("test_*.py"), *tests.rglob("conftest.py")]:
        module = sys.modules.get(path.stem)
        where = getattr(module, "__file__", None) if module is not None else None
        if module is not None and (where is None or Path(where).resolve() != path.resolve()):
            del sys.modules[path.stem]


_MODULES: dict[Path, ModuleType] = {}


def load_module(path: Path) -> ModuleType:
    """Import a trusted instructor file by path, once per process, under a unique name.

    Hidden tests are imported without a package, so a test file reaches its neighbours
    (mistakes.py, reference.py) with `load_module(Path(__file__).with_name("mistakes.py"))`.
    """
    path = Path(path).resolve()
    if path not in _MODULES:
        name = f"_autograder_{len(_MODULES)}_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None or not path.is_file():
            raise AutograderError(f"{path}: file not found")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _MODULES[path] = module
    return _MODULES[path]


def load_reference(assignment: Assignment) -> ModuleType:
    """The instructor's tests/reference.py."""
    path = assignment.tests_dir / "reference.py"
    if not path.is_file():
        raise AutograderError(f"{path}: reference implementation not found")
    return load_module(path)


def _visible(item: pytest.Item, assignment: Assignment) -> bool:
    marker = item.get_closest_marker("visibility")
    level = marker.args[0] if marker is not None and marker.args else assignment.visibility
    return level == "visible"


def _marker_arg(item: pytest.Item, name: str, default: Any) -> Any:
    marker = item.get_closest_marker(name)
    if marker is None or not marker.args:
        return default
    value = marker.args[0]
    if name == "visibility" and value not in VISIBILITIES:
        raise AutograderError(f"{item.nodeid}: visibility must be one of {VISIBILITIES}")
    return value


def _title(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
    first = doc.strip().splitlines()[0].strip() if doc.strip() else item.name
    params = getattr(getattr(item, "callspec", None), "id", "")
    return f"{first} [{params}]" if params and doc.strip() else first
