"""A student installs the checker from the release bundle and runs `autograder check`.

The README's student command, run in the unpacked bundle, in a fresh virtual environment (it
sees the machine's site-packages, as a student's Python with numpy would, but not this
project's): the wheel installs, nbgrader does not come with it, and `check` runs the released
notebook's public checks and says, in English or Korean, what is not implemented yet.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import bundle
from conftest import edit_notebook, solution_sources

pytestmark = pytest.mark.slow


def run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{Path(argv[0]).parent}:/usr/bin:/bin", "HOME": str(cwd),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(list(argv), cwd=cwd, env=env, text=True, capture_output=True,
                          timeout=600)


@pytest.fixture(scope="module")
def installed(course, tmp_path_factory):
    """(venv bin folder, unpacked svm bundle) after the README's install command."""
    root = tmp_path_factory.mktemp("student")
    folder = bundle.release_bundle(course.assignment("svm"), root / "dist").folder
    assert folder is not None
    venv = root / "venv"
    made = run(sys._base_executable, "-m", "venv", "--system-site-packages", str(venv),
               cwd=root)
    assert made.returncode == 0, made.stderr
    command = bundle.STUDENT_INSTALL.split()
    assert command[:4] == ["python", "-m", "pip", "install"]
    wheels = sorted(p.name for p in folder.glob(command[4]))  # the shell's glob
    done = run(str(venv / "bin" / "python"), *command[1:4], *wheels, cwd=folder)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin", folder


def test_the_wheel_installs_without_nbgrader(installed):
    """Is `autograder` on the venv's PATH, and nbgrader (its JupyterLab menus) absent?"""
    bin_dir, folder = installed
    assert (bin_dir / "autograder").is_file()
    probe = run(str(bin_dir / "python"), "-c", "import autograder, sys; import nbgrader",
                cwd=folder)
    assert "No module named 'nbgrader'" in probe.stderr


def test_check_runs_on_the_released_notebook(installed, course, tmp_path):
    """Does `autograder check` on the untouched released notebook name the unimplemented
    functions, in English and with --lang ko, and pass a solved copy?"""
    bin_dir, folder = installed
    done = run(str(bin_dir / "autograder"), "check", "svm.ipynb", cwd=folder)
    assert done.returncode == 3, done.stderr[-2000:]
    assert "`svm_loss_naive` is not implemented yet" in done.stdout
    assert "public checks passed." in done.stdout and "Traceback" not in done.stderr
    korean = run(str(bin_dir / "autograder"), "check", "svm.ipynb", "--lang", "ko", cwd=folder)
    assert "`svm_loss_naive`이(가) 아직 구현되지 않았습니다" in korean.stdout
    work = tmp_path / "work"
    shutil.copytree(folder, work)
    edit_notebook(work / "svm.ipynb", work / "svm.ipynb",
                  solution_sources(course.assignment("svm")))
    solved = run(str(bin_dir / "autograder"), "check", "svm.ipynb", cwd=work)
    assert solved.returncode == 0 and "all public checks passed" in solved.stdout, \
        solved.stdout + solved.stderr[-2000:]


def test_readme_and_classroom_workflow_use_the_same_install_command():
    """Do the README's student section and the classroom workflow install the checker with the
    command this test runs, from the bundle, with no placeholder URL?"""
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    student = readme[readme.index("### Student"):readme.index("### GitHub Actions")]
    workflow = (ROOT / ".github" / "workflows" / "classroom-checks.yml").read_text()
    assert bundle.STUDENT_INSTALL in student and bundle.STUDENT_INSTALL in workflow
    assert "example.invalid" not in workflow and "git+" not in workflow
