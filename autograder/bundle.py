"""What leaves the course repository: the student bundle and Gradescope's autograder.zip.

The student bundle holds exactly the generated release files (the notebook and the shipped
helpers) and is refused if the leak check finds anything of the solution or hidden tests in it;
beside them, a wheel of the grader for `autograder check` (the package only, and without
nbgrader among its dependencies, so no instructor menus appear in the student's JupyterLab).
The Gradescope zip is instructor material: it carries the grader's source, a course.yaml with
this one assignment, the assignment's solutions folder (hidden tests) and the shipped files.
"""
from __future__ import annotations

import datetime as dt
import base64
import hashlib
import io
import json
import secrets
import shutil
import stat
import time
import zipfile
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

import yaml

from . import batch, final, grading, i18n, release, scoring, validate
from .course import Assignment, Course
from .errors import AutograderError
from .records import Report
from .reports import gradescope
from .sandbox import Tier

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every zip entry gets this time, so the same input gives the same zip, byte for byte."""
EXECUTABLE = frozenset({"setup.sh", "run_autograder"})
FALLBACK_REQUIREMENTS = ("numpy>=1.24", "pytest>=7.4", "pyyaml>=6", "nbformat>=5.9",
                         "nbgrader>=0.9", "scikit-learn>=1.3", "matplotlib>=3.7")
"""The grader's dependencies, when the package metadata is not installed."""
STUDENT_REQUIREMENTS = ("numpy>=1.24", "pyyaml>=6", "nbformat>=5.9", "pytest>=8,<10",
                        "scikit-learn>=1.3", "pyseccomp>=0.1.2; sys_platform == 'linux'")
"""What `autograder check` and the notebooks need: not nbgrader, matplotlib or Babel
(pyseccomp: the sandbox's system-call filter, where bubblewrap can run the checks)."""
STUDENT_INSTALL = "python -m pip install autograder-*.whl"
"""The one command, run in the bundle's folder, that installs the checker."""
ROOT_ENV = "AUTOGRADER_ROOT"
"""Environment variable that replaces /autograder in run_autograder (tests use it)."""

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# Choose the Ubuntu 24.04 base image: the grader needs Python 3.11 or later.
set -euo pipefail
cd "$(dirname "$0")"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip bubblewrap util-linux
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11) and "the grader needs Python 3.11 \
or later: choose the Ubuntu 24.04 base image")'
# System-wide, because the sandboxed worker runs the system interpreter in isolated mode (-I).
python3 -m pip install -q --break-system-packages -r requirements.txt
# The hidden tests and the solution stay readable by root only: student code runs under
# another, non-root uid and cannot read them, whatever isolation the container allows.
chmod -R go-rwx "$(pwd)"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission, as root, from /autograder: it grades
# /autograder/submission and writes /autograder/results/results.json.
# {root_env} replaces /autograder and AUTOGRADER_PYTHON the interpreter (for tests).
# --unsafe-no-sandbox lets grading go on where the container forbids bubblewrap and unshare:
# each submission has a fresh container, and student code still runs as a non-root uid that
# cannot read the hidden tests (setup.sh made them root-only).
set -euo pipefail
root="${{{root_env}:-/autograder}}"
cd "$root/source"
exec "${{AUTOGRADER_PYTHON:-python3}}" -m autograder --course course.yaml \\
    gradescope-run {assignment} --root "$root" --seed {seed} --unsafe-no-sandbox
"""


@dataclass(frozen=True)
class Bundle:
    """Files written by a bundle command."""

    zip_path: Path
    """The zip file."""
    folder: Path | None = None
    """The unpacked folder, when one was written (the student bundle)."""
    seed: int | None = None
    """The seed baked into the Gradescope autograder."""


# --- student bundle ---------------------------------------------------------------------------


def release_bundle(assignment: Assignment, out: Path = Path("dist"), language: str = "en"
                   ) -> Bundle:
    """Write <out>/<id>/ and <out>/<id>.zip with what students receive, and nothing else.

    `language` picks the edition: "en", "ko" (the Korean notebook and the glossary) or "both";
    a Korean edition whose translation is missing or stale is refused.
    """
    if language != "en":
        validate.require_korean(assignment)
    files = release.edition_files(assignment, release.release_files(assignment), language)
    problems = validate.leaks(assignment, files)
    if problems:
        raise AutograderError(f"refusing to release {assignment.id}: " + "; ".join(problems))
    folder = out / assignment.id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    wheel_name, wheel = student_wheel(assignment.root)
    (folder / wheel_name).write_bytes(wheel)
    files = {**files, wheel_name: wheel}
    zip_path = out / f"{assignment.id}.zip"
    write_zip(zip_path, {f"{assignment.id}/{name}": data for name, data in files.items()})
    return Bundle(zip_path, folder)


def student_wheel(root: Path) -> tuple[str, bytes]:
    """(file name, bytes) of a pure-Python wheel of the grader for students' `check`.

    Written directly (a wheel is a zip with a dist-info folder): the same source gives the same
    bytes, and no build tool runs at release time. Its catalogs hold the grader's own strings,
    never the check names or hints of the hidden tests under `root`.
    """
    version = _version()
    info = f"autograder-{version}.dist-info"
    files = package_files()
    for name in [n for n in files if n.endswith(f"/LC_MESSAGES/{i18n.DOMAIN}.mo")]:
        files[name] = i18n.package_catalog(root, name.split("/")[2])
    files[f"{info}/METADATA"] = (
        "Metadata-Version: 2.1\nName: autograder\n"
        f"Version: {version}\nSummary: the course's public checks (autograder check)\n"
        "Requires-Python: >=3.11\n"
        + "".join(f"Requires-Dist: {r}\n" for r in STUDENT_REQUIREMENTS)).encode()
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: autograder\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    files[f"{info}/entry_points.txt"] = b"[console_scripts]\nautograder = autograder.cli:main\n"
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in sorted(files.items())]
    files[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info_ = zipfile.ZipInfo(name, ZIP_TIME)
            info_.external_attr = 0o644 << 16
            zf.writestr(info_, files[name])
    return f"autograder-{version}-py3-none-any.whl", buffer.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _version() -> str:
    try:
        return metadata.version("autograder")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def write_zip(path: Path, files: Mapping[str, bytes]) -> None:
    """A reproducible zip: sorted entries, fixed times, 0755 for the scripts, 0644 otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            mode = 0o755 if Path(name).name in EXECUTABLE else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])


# --- Gradescope -------------------------------------------------------------------------------


def gradescope_bundle(course: Course, assignment: Assignment, out: Path = Path("dist"), *,
                      seed: int | None = None) -> Bundle:
    """Write <out>/<id>-gradescope/autograder.zip for Gradescope's programming assignments.

    Every submission is graded with `seed` (default: one drawn now and baked in), so all
    students get the same inputs and a regrade on Gradescope gives the same result.
    """
    seed = secrets.randbelow(2**31) if seed is None else seed
    files = dict(package_files())
    files["course.yaml"] = single_assignment_course(course, assignment)
    for path in sorted(assignment.solution_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[path.relative_to(course.root).as_posix()] = path.read_bytes()
    for f in assignment.files:
        files[Path(f).as_posix()] = (course.root / f).read_bytes()
    files["requirements.txt"] = ("\n".join(requirements()) + "\n").encode()
    files["setup.sh"] = SETUP_SH.encode()
    files["run_autograder"] = RUN_AUTOGRADER.format(
        assignment=assignment.id, seed=seed, root_env=ROOT_ENV).encode()
    zip_path = out / f"{assignment.id}-gradescope" / "autograder.zip"
    write_zip(zip_path, files)
    return Bundle(zip_path, seed=seed)


def package_files() -> dict[str, bytes]:
    """The grader's source (autograder/**/*.py) and compiled catalogs, as this process has
    them."""
    here = Path(__file__).resolve().parent
    found = [*here.rglob("*.py"), *here.glob("locale/*/LC_MESSAGES/*.mo")]
    return {f"autograder/{p.relative_to(here).as_posix()}": p.read_bytes()
            for p in sorted(found) if "__pycache__" not in p.parts}


def requirements() -> list[str]:
    """The grader's runtime dependencies (not the test extras)."""
    try:
        found = metadata.requires("autograder") or []
    except metadata.PackageNotFoundError:
        return list(FALLBACK_REQUIREMENTS)
    return [r for r in found if "extra ==" not in r] or list(FALLBACK_REQUIREMENTS)


def single_assignment_course(course: Course, assignment: Assignment) -> bytes:
    """course.yaml with only this assignment: the zip holds no other assignment's files."""
    raw = yaml.safe_load(course.path.read_text(encoding="utf-8"))
    raw["assignments"] = [a for a in raw["assignments"] if a.get("id") == assignment.id]
    return yaml.safe_dump(raw, sort_keys=False, allow_unicode=True).encode()


def run_gradescope(course: Course, assignment: Assignment, root: Path = Path("/autograder"),
                   *, tier: Tier, seed: int = 0) -> Report:
    """Grade <root>/submission and write <root>/results/results.json (inside Gradescope).

    From Gradescope's documented <root>/submission_metadata.json: the submission time is
    `created_at`; the due date is the submitter's own (`users[].assignment.due_date`, where
    Gradescope puts an extension), else `assignment.due_date`, else course.yaml's (with
    extensions.csv). `late_due_date` is Gradescope's last moment to submit, not a penalty.
    """
    start = time.monotonic()
    meta = _json(root / "submission_metadata.json")
    notebook, problem = batch.pick_notebook(root / "submission", assignment)
    name = _submitter(meta)
    submitted, time_problem = batch.read_time(meta.get("created_at"))
    if problem:
        report = scoring.broken(assignment, submission=name, path=str(notebook),
                                problem=problem, seed=seed, tier=tier.name,
                                execution_time=time.monotonic() - start)
    else:
        report = grading.grade_submission(assignment, notebook, seed=seed, tier=tier,
                                          name=name, submitted=submitted)
    report = replace(report, time_problem=time_problem)
    gradescope.write(report, root / "results" / "results.json",
                     gradescope_grade(course, assignment, root, report),
                     policy=course.disclosure, lang=course.language)
    return report


def gradescope_grade(course: Course, assignment: Assignment, root: Path,
                     report: Report) -> final.FinalGrade:
    """The final grade of a submission graded in <root>: Gradescope's due date, else ours."""
    due = gradescope_due(_json(root / "submission_metadata.json")) or \
        course.due_for(assignment, report.submission)
    return final.final_grade(report, written_points=assignment.written, due=due,
                             policy=course.late_policy)


def gradescope_due(meta: dict[str, Any]) -> dt.datetime | None:
    """The due date Gradescope gives this submission: the first submitter's own (an
    extension), else the assignment's; None when the metadata has neither."""
    users = meta.get("users") or []
    first = users[0] if users and isinstance(users[0], dict) else {}
    for source in (first.get("assignment"), meta.get("assignment")):
        if isinstance(source, dict) and source.get("due_date"):
            when = batch.parse_time(source["due_date"])
            if when is not None:
                return when
    return None


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _submitter(meta: dict[str, Any]) -> str:
    users = meta.get("users") or []
    first = users[0] if users and isinstance(users[0], dict) else {}
    return batch.safe_id(str(first.get("email") or first.get("name") or "submission"))

