"""The command line end to end: batch grading, shards and merge, resume, student checks, and
the GitHub workflows calling only commands and flags these tests exercise."""
from __future__ import annotations

import ast
import io
import re
import shlex
import shutil
from collections import defaultdict
from dataclasses import replace
from itertools import takewhile
from pathlib import Path

import pytest
import yaml

from autograder import batch
from autograder.cli import build_parser, main
from conftest import ROOT

EXAMPLES = ROOT / "examples" / "softmax"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHELL_OPERATORS = {"&&", "||", ";", "|"}


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--course", str(ROOT / "course.yaml"), *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def timeless(report):
    """A report without what differs from run to run: timings, and the instructor-only
    tracebacks, whose outer frames depend on the process that happened to run the check."""
    return replace(report, execution_time=0.0,
                   checks=tuple(replace(c, duration=0.0, detail="") for c in report.checks))


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


# --- grade, merge --------------------------------------------------------------------------


def test_sharded_and_merged_grading_equals_a_single_run(tmp_path):
    """Do 3 shards merged give exactly the gradebook, files and reports of one run?"""
    code, out, _ = run_cli("grade", "softmax", str(EXAMPLES), "--seed", "5", "--jobs", "2",
                           "--quiet", "--nbgrader-db", "--out", str(tmp_path / "single"))
    assert code == 0 and "seed 5" in out
    shards = []
    for i in (1, 2, 3):
        shards.append(tmp_path / f"shard{i}")
        code, _, _ = run_cli("grade", "softmax", str(EXAMPLES), "--shard", f"{i}/3", "--seed",
                             "5", "--jobs", "2", "--quiet", "--out", str(shards[-1]))
        assert code == 0
    sizes = [len(batch.Store(s).students()) for s in shards]
    assert sizes == [2, 2, 2]
    code, out, _ = run_cli("merge", *map(str, shards), "--out", str(tmp_path / "merged"))
    assert code == 0 and "merged 6 submission(s) from 3 folder(s)" in out
    single, merged = tmp_path / "single", tmp_path / "merged"
    assert (merged / "grades.csv").read_bytes() == (single / "grades.csv").read_bytes()
    assert files_under(merged) == files_under(single)
    assert [timeless(r) for r in batch.Store(merged).reports()] == \
        [timeless(r) for r in batch.Store(single).reports()]


def test_shards_need_a_shared_seed(tmp_path):
    """Is --shard without --seed refused, so that shards cannot draw different inputs?"""
    code, _, err = run_cli("grade", "softmax", str(EXAMPLES), "--shard", "1/2",
                           "--out", str(tmp_path))
    assert code == 1 and "--shard needs --seed" in err


def test_resumed_batch_skips_what_is_graded_unless_regrade(tmp_path):
    """Does a second `grade` skip graded submissions with the recorded seed, and --regrade not?"""
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("alice", "carol"):
        shutil.copy(EXAMPLES / f"{name}.ipynb", subs)
    out = str(tmp_path / "out")
    code, first, _ = run_cli("grade", "softmax", str(subs), "--out", out, "--quiet")
    seed = re.search(r"seed (\d+)", first)[1]
    code, again, _ = run_cli("grade", "softmax", str(subs), "--out", out, "--quiet")
    assert code == 0 and f"2 submission(s) already graded in {out} with seed {seed}" in again
    assert "(2 read back" in again and f"seed {seed};" in again
    code, regraded, _ = run_cli("grade", "softmax", str(subs), "--out", out, "--regrade",
                                "--seed", "8", "--unsafe-no-sandbox")
    assert code == 0 and "already graded" not in regraded and "seed 8;" in regraded
    assert "carol [softmax]" in regraded



def test_report_rewrites_outputs_and_reveals_after_due_date_checks(tmp_path):
    """Does `report` rebuild every output from graded folders, showing after_due_date checks
    only once --now is past the due date?"""
    import json

    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(EXAMPLES / "bob.ipynb", subs)
    graded = tmp_path / "graded"
    code, _, _ = run_cli("grade", "softmax", str(subs), "--out", str(graded), "--quiet",
                         "--seed", "4")
    assert code == 0
    store = batch.Store(graded)
    fingerprint, report = store.load("bob")
    store.save(replace(report, checks=tuple(replace(c, visibility="after_due_date")
                                            for c in report.checks)), fingerprint)
    before = tmp_path / "before"
    code, out, _ = run_cli("report", str(graded), "--out", str(before),
                           "--now", "2026-11-01T00:00:00+00:00")
    assert code == 0 and "graded 1 submission(s)" in out
    after = tmp_path / "after"
    run_cli("report", str(graded), "--out", str(after), "--now", "2026-12-31T00:00:00")
    assert files_under(before) == files_under(after)
    assert "shown later" in (before / "bob" / "feedback.md").read_text()
    assert "shown later" not in (after / "bob" / "feedback.md").read_text()
    assert json.loads((after / "bob" / "results.json").read_text())["score"] == report.score
    code, _, err = run_cli("report", str(tmp_path / "subs"), "--out", str(tmp_path / "x"))
    assert code == 1 and "no graded submissions" in err

def test_layout_folders_grade_with_their_student_ids(course, tmp_path):
    """Does `grade` on an nbgrader tree name students by folder and report late penalties?"""
    a = course.assignment("softmax")
    folder = tmp_path / "submitted" / "zoe" / "softmax"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "alice.ipynb", folder / "softmax.ipynb")
    (folder / "timestamp.txt").write_text("2026-12-07 09:00:00.000000 UTC")
    code, out, _ = run_cli("grade", "softmax", str(tmp_path), "--out", str(tmp_path / "r"),
                           "--seed", "1", "--mtime")
    assert code == 0 and f"zoe [{a.id}]: 9.8 / 14" in out  # 3 started days late: 30% off
    assert "no late penalty applies" not in out


def test_a_notebook_for_another_assignment_gets_a_clear_problem(tmp_path):
    """Does grading the softmax notebook as svm say so, with no zero-and-traceback?"""
    code, out, err = run_cli("grade", "svm", str(EXAMPLES / "alice.ipynb"), "--seed", "1",
                             "--out", str(tmp_path))
    assert code == 0 and "Traceback" not in out + err
    assert "alice [svm]: 0 / 10  -- this notebook is for assignment 'softmax', not 'svm'" in out


# --- check ---------------------------------------------------------------------------------


def test_check_reports_public_checks_in_the_right_words(submission):
    """Does `check` say "all public checks passed" (never "all tests passed") and exit 0?"""
    code, out, _ = run_cli("check", str(submission("softmax")))
    assert code == 0 and "all public checks passed (6 of 6)" in out
    assert "all tests passed" not in out.lower()
    code, out, _ = run_cli("check", str(EXAMPLES / "bob.ipynb"), "--assignment", "softmax")
    assert code == 3 and "FAIL  the check cell of softmax: overflow in softmax: compute it " \
        "stably, e.g. subtract the max logit first" in out
    assert "softmax-check" not in out
    assert "5 of 6 public checks passed." in out and "all public checks" not in out
    code, out, _ = run_cli("check", str(EXAMPLES / "bob.ipynb"), "--lang", "ko")
    assert code == 3 and "FAIL  softmax 검사 셀: softmax에서 overflow가 발생했습니다: " \
        "안정적으로 계산하세요" in out
    assert "공개 검사 6개 중 5개를 통과했습니다." in out


def test_check_of_the_wrong_assignment_is_one_line(course):
    """Does `check --assignment svm` on the softmax notebook exit 1 with one clear line?"""
    code, out, err = run_cli("check", str(EXAMPLES / "alice.ipynb"), "--assignment", "svm")
    assert code == 1 and out == ""
    assert err.strip() == (f"autograder: error: {EXAMPLES / 'alice.ipynb'} is for assignment "
                           "'softmax', not 'svm'")


def test_check_works_in_a_student_repository_without_the_course(course, tmp_path,
                                                                 monkeypatch):
    """In a folder with only the notebook and lossdata.py, does `check` run its own checks?"""
    for f in course.assignment("softmax").release_dir.iterdir():
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "softmax.ipynb", "--assignment", "softmax"], stdout=out, stderr=err)
    assert code == 3 and "0 of 6 public checks passed." in out.getvalue()


# --- the workflows -------------------------------------------------------------------------


def expand(text: str, env: dict[str, str]) -> str:
    """A workflow's text with ${{ expressions }} as 1 and $VARIABLES from its env."""
    text = re.sub(r"\$\{\{[^}]*\}\}", "1", str(text))
    return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m[1], "1"), text)


def workflow_calls(workflow: Path) -> list[list[str]]:
    """The argv of every `autograder ...` in a workflow's run steps."""
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    calls = []
    for job in doc["jobs"].values():
        for step in job.get("steps", []):
            env = {k: expand(v, {}) for scope in (doc, job, step)
                   for k, v in (scope.get("env") or {}).items()}
            script = expand(step.get("run", ""), env).replace("\\\n", " ")
            for line in script.splitlines():
                tokens = shlex.split(line, comments=True)
                for i, token in enumerate(tokens):
                    command = i == 0 or tokens[i - 1] in SHELL_OPERATORS
                    if command and (token == "autograder" or token.endswith("/autograder")):
                        calls.append(list(takewhile(lambda t: t not in SHELL_OPERATORS,
                                                    tokens[i + 1:])))
    return calls


def exercised() -> dict[str, set[str]]:
    """Subcommand -> flags, from every CLI call with literal arguments in the tests."""
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore
    used: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "tests").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(
                    node.func, "attr", "")) in ("main", "run_cli"):
                strings = _literal_strings(node)
                sub = next((s for s in strings if s in commands), None)
                if sub:
                    used[sub] |= {s.split("=")[0] for s in strings if s.startswith("--")}
    return used


def _literal_strings(call: ast.Call) -> list[str]:
    args = [e for a in call.args for e in (a.elts if isinstance(a, (ast.List, ast.Tuple))
                                           else [a])]
    return [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def unexercised(argv: list[str], used: dict[str, set[str]]) -> list[str]:
    """What of one invocation no test exercises: its subcommand, or some of its flags."""
    command = build_parser().parse_args(argv).command
    flags = {t.split("=")[0] for t in argv if t.startswith("--")}
    if command not in used:
        return [command]
    return sorted(flags - used[command])


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_call_only_commands_the_tests_exercise(workflow):
    """Is every `autograder` subcommand and flag of the workflow exercised by a test?"""
    calls = workflow_calls(workflow)
    assert calls, f"{workflow.name} calls no autograder command"
    used = exercised()
    for argv in calls:
        assert unexercised(argv, used) == [], argv


def test_the_workflows_grade_in_shards_merge_and_check():
    """Do the workflows shard `grade` as their matrix says, merge, and run `check`?"""
    calls = {p.name: workflow_calls(p) for p in WORKFLOWS}
    grade = next(c for c in calls["grade.yml"] if c[0] == "grade")
    matrix = yaml.safe_load((ROOT / ".github/workflows/grade.yml").read_text())[
        "jobs"]["grade"]["strategy"]["matrix"]["shard"]
    assert grade[grade.index("--shard") + 1] == f"1/{len(matrix)}" and "--seed" in grade
    assert any(c[0] == "merge" for c in calls["grade.yml"])
    assert [c[0] for c in calls["classroom-checks.yml"]] == ["check"]


def test_the_coverage_check_can_fail():
    """Does a flag or a subcommand that no test uses show up as unexercised?"""
    used = {"grade": {"--out"}}
    assert unexercised(["grade", "softmax", "x", "--jobs", "2"], used) == ["--jobs"]
    assert unexercised(["merge", "a", "b"], used) == ["merge"]


def test_the_readme_shows_every_command():
    """Does README.md give an example of every subcommand the parser knows?"""
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [c for c in commands if f"autograder {c} " not in readme] == []


def test_an_empty_folder_is_an_error_that_writes_nothing(tmp_path):
    """Does `grade` on a folder without notebooks say so and leave no output folder?"""
    (tmp_path / "empty").mkdir()
    code, _, err = run_cli("grade", "softmax", str(tmp_path / "empty"), "--out",
                           str(tmp_path / "out"))
    assert code == 1 and "no notebooks found" in err and not (tmp_path / "out").exists()


def test_grade_writes_the_slow_outputs_only_when_they_make_sense(tmp_path):
    """Does one submission skip the class report and nbgrader's database unless asked, while
    --nbgrader-db on a batch writes both?"""
    one = tmp_path / "one"
    code, _, _ = run_cli("grade", "softmax", str(EXAMPLES / "alice.ipynb"), "--out", str(one),
                         "--quiet", "--seed", "3")
    assert code == 0 and (one / "alice" / "results.json").is_file()
    assert not (one / "class-report.html").exists() and not (one / "nbgrader").exists()
    both = tmp_path / "both"
    code, _, _ = run_cli("grade", "softmax", str(EXAMPLES / "alice.ipynb"),
                         str(EXAMPLES / "carol.ipynb"), "--out", str(both), "--quiet",
                         "--seed", "3", "--nbgrader-db")
    assert code == 0 and (both / "class-report.html").is_file()
    assert (both / "nbgrader" / "gradebook.db").is_file()


class Terminal(io.StringIO):
    """stdout and stderr of one terminal: what a person sees after the carriage returns."""

    def isatty(self) -> bool:
        return True

    def screen(self) -> list[str]:
        lines = []
        for raw in self.getvalue().split("\n"):
            shown = ""
            for part in raw.split("\r"):
                shown = part + shown[len(part):]
            lines.append(shown.rstrip())
        return lines


def test_the_progress_bar_and_result_lines_get_lines_of_their_own(tmp_path):
    """In a terminal, does every student's result line start a line of its own, never after
    the progress bar?"""
    term = Terminal()
    code = main(["--course", str(ROOT / "course.yaml"), "grade", "softmax", str(EXAMPLES),
                 "--out", str(tmp_path / "out"), "--seed", "3"], stdout=term, stderr=term)
    assert code == 0
    heads = [line for line in term.screen() if "[softmax]" in line]
    assert len(heads) == 6 and all(re.match(r"\w+ \[softmax\]: ", line) for line in heads)
    assert any(line.startswith("[###") for line in term.screen())
