"""What leaves the course repository: the student bundle and Gradescope's autograder.zip.

The student bundle holds exactly the generated release files (the notebook and the shipped
helpers) and is refused if the leak check finds anything of the solution or hidden tests in it.
The Gradescope zip is instructor material: it carries the grader's source, a course.yaml with
this one assignment, the assignment's solutions folder (hidden tests) and the shipped files.
"""
from __future__ import annotations

import json
import secrets
import shutil
import stat
import time
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

import yaml

from . import batch, grading, release, scoring, validate
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


def release_bundle(assignment: Assignment, out: Path = Path("dist")) -> Bundle:
    """Write <out>/<id>/ and <out>/<id>.zip with what students receive, and nothing else."""
    files = release.release_files(assignment)
    problems = validate.leaks(assignment, files)
    if problems:
        raise AutograderError(f"refusing to release {assignment.id}: " + "; ".join(problems))
    folder = out / assignment.id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    zip_path = out / f"{assignment.id}.zip"
    write_zip(zip_path, {f"{assignment.id}/{name}": data for name, data in files.items()})
    return Bundle(zip_path, folder)


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
    """The grader's source (autograder/**/*.py), as this process imports it."""
    here = Path(__file__).resolve().parent
    return {f"autograder/{p.relative_to(here).as_posix()}": p.read_bytes()
            for p in sorted(here.rglob("*.py")) if "__pycache__" not in p.parts}


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

    The submission time for the late penalty is `created_at` of
    <root>/submission_metadata.json.
    """
    start = time.monotonic()
    meta = _json(root / "submission_metadata.json")
    notebook, problem = batch.pick_notebook(root / "submission", assignment)
    name = _submitter(meta)
    submitted = batch.parse_time(meta.get("created_at"))
    if problem:
        report = scoring.broken(assignment, submission=name, path=str(notebook),
                                problem=problem, seed=seed, tier=tier.name,
                                execution_time=time.monotonic() - start)
    else:
        report = grading.grade_submission(assignment, notebook, seed=seed, tier=tier,
                                          name=name, submitted=submitted,
                                          late_policy=course.late_policy)
    gradescope.write(report, root / "results" / "results.json", policy=course.disclosure,
                     lang=course.language)
    return report


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

