"""Every command the README shows works exactly as written, in a fresh copy of the repository.

The copy holds the repository's files (what a clone holds) and an environment of its own
that runs the copy's code with the packages this checkout installed (so `./install.sh` finds
everything installed and returns at once, and never touches this checkout's `.venv`). Commands run in README
order in one copy, with `.venv/bin` on PATH as the README asks (`source .venv/bin/activate`);
`[...]` marks optional arguments and is left out. The Student section runs in a student's
folder: the released bundle `dist/softmax/`. Two commands are not run here: the test suite
itself (CI runs it, `.ci/run`) and the benchmark, which has a test of its own below.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow
LONG_RUNNING = ("autograder formgrader",)
"""Servers: started, checked to print their URL, then stopped."""


@dataclass(frozen=True)
class Command:
    """One command of a ```bash block."""

    section: str
    """The heading it is under."""
    line: str
    """The command as written, comments removed."""


def _uncomment(line: str) -> str:
    quote = ""
    for i, c in enumerate(line):
        if c in "'\"" and quote in ("", c):
            quote = "" if quote else c
        elif c == "#" and not quote and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def commands(text: str) -> list[Command]:
    out, section, block = [], "", None
    for raw in text.replace("\\\n", " ").splitlines():
        if block is None and raw.startswith("#"):
            section = raw.lstrip("#").strip()
        elif raw.startswith("```"):
            block = [] if block is None and raw.strip() == "```bash" else None
        elif block is not None:
            line = re.sub(r"\s*\[[^\]]*\]", "", _uncomment(raw)).strip()
            if line:
                out.append(Command(section, line))
    return out


README = commands((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_commands_are_found():
    """Are the README's commands found, its two opening commands first?"""
    lines = [c.line for c in README]
    assert lines[0].startswith("./install.sh && .venv/bin/autograder grade softmax")
    assert lines[1] == "./install.sh test && .venv/bin/python -m pytest -q"
    assert any(c.startswith("autograder written import") for c in lines)
    assert commands("# A\n```bash\nx [--y 1]  # note\n# only\n```\n") == [Command("A", "x")]


SCRIPT = """#!{python}
import sys
from {module} import {function}
sys.exit({function}())
"""
SCRIPTS = {"autograder": ("autograder.cli", "main"), "alembic": ("alembic.config", "main")}
"""Console scripts of the copy's environment (`alembic`: nbgrader runs it by name)."""


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's files in a new folder, with an environment of its own that imports
    the copy's code and reuses this checkout's installed packages (nothing is installed, and
    nothing in this checkout's .venv changes)."""
    copy = tmp_path_factory.mktemp("clone") / "repo"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    environment_of_its_own(copy / ".venv", copy)
    return copy


def environment_of_its_own(venv: Path, code: Path) -> None:
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                   check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    (Path(purelib) / "readme-clone.pth").write_text(
        f"{code}\n{sysconfig.get_paths()['purelib']}\n", encoding="utf-8")
    for name, (module, function) in SCRIPTS.items():
        script = venv / "bin" / name
        script.write_text(SCRIPT.format(python=python, module=module, function=function))
        script.chmod(0o755)
    for stamp in (".installed", ".installed[test]"):  # what install.sh checks: installed
        (venv / stamp).touch()


def environment(clone: Path) -> dict[str, str]:
    return {**os.environ, "PATH": f"{clone / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}


def student_environment(clone: Path) -> dict[str, str]:
    """A student's own Python environment (the checker's wheel is installed there, never in
    the instructor's)."""
    venv = clone / "student-venv"
    if not venv.exists():
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    return {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}


def run(command: Command, clone: Path) -> None:
    student = command.section == "Student"
    cwd = clone / "dist" / "softmax" if student else clone
    if command.line.startswith(LONG_RUNNING):
        return serve(command, cwd, clone)
    env = student_environment(clone) if student else environment(clone)
    done = subprocess.run(["bash", "-c", command.line], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)
    allowed = {0, 3} if command.line.startswith("autograder check") else {0}  # 3: checks fail
    assert done.returncode in allowed, (command.line, done.stdout[-2000:], done.stderr[-2000:])


def serve(command: Command, cwd: Path, clone: Path) -> None:
    log = cwd / ".server.log"
    with log.open("w") as sink:
        process = subprocess.Popen(["bash", "-c", f"exec {command.line}"], cwd=cwd,
                                   env=environment(clone), stdout=sink,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        end = time.monotonic() + 120
        while "http://127.0.0.1:" not in log.read_text() and process.poll() is None \
                and time.monotonic() < end:
            time.sleep(0.5)
        assert "http://127.0.0.1:" in log.read_text(), (command.line, log.read_text()[-2000:])
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def test_every_command_works_as_written(clone):
    """Does every command of the README run successfully, in order, in a fresh copy?"""
    ran = []
    for command in README:
        if "pytest" in command.line or command.line.startswith(".venv/bin/python bench/"):
            continue
        run(command, clone)
        ran.append(command.line)
    assert len(ran) >= 15
    assert (clone / "canvas.csv").is_file() and (clone / "report-softmax" / "grades.csv").is_file()


BENCHMARKS = [c for c in README if c.line.startswith(".venv/bin/python bench/")]


@pytest.mark.parametrize("bench", BENCHMARKS, ids=[c.line.split()[1] for c in BENCHMARKS])
def test_the_benchmark_commands_work_as_written(clone, bench):
    """Does each README benchmark command run as written (nbgrader finds alembic although
    the virtual environment is not activated) and print its figures?"""
    path = [p for p in os.environ["PATH"].split(os.pathsep)
            if not Path(p, "alembic").exists()]
    done = subprocess.run(["bash", "-c", bench.line], cwd=clone, capture_output=True,
                          text=True, timeout=1800, env={**os.environ,
                                                        "PATH": os.pathsep.join(path)})
    assert done.returncode == 0, done.stderr[-3000:]
    if "bench/bench.py" in bench.line:
        assert "nbgrader" in done.stdout and "throughput" in done.stdout
    else:
        assert "trusted peak memory" in done.stdout and "budget" in done.stdout, done.stdout


def test_the_readme_shows_both_benchmarks():
    """Are the grading benchmark and the hostile-input benchmark both in the README?"""
    assert [c.line.split()[1] for c in BENCHMARKS] == ["bench/bench.py",
                                                        "bench/bench_hostile.py"]
