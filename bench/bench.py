"""Benchmark: our grader and nbgrader's autograde on the same submissions, and the floor.

    .venv/bin/python bench/bench.py [--n 20] [--assignment softmax] [--skip-nbgrader]

In one run it
1. generates N submissions from the assignment's student notebook: correct ones, partly wrong
   ones (one graded function off by 1 %) and hostile ones (np.allclose patched, an object that
   equals everything, os._exit in a call, sys.exit in a cell, an output flood);
2. measures the floor: one sandboxed `python -c "import numpy"`, started the way the grader
   starts its workers;
3. grades them with our grader, each time a fresh `autograder grade` process: one submission
   (latency, command start to results written), the batch with --jobs 1 (cost per submission)
   and with --jobs 2 (throughput);
4. grades the same submissions with nbgrader's `autograde`, in a throwaway course folder
   (source/release/submitted) whose source notebook has one hidden test cell per graded
   function. Those cells run our hidden tests inside the student's kernel (bench/
   nbgrader_checks.py): the same pytest files, seed, inputs and checks, but the student's
   functions are called directly, as nbgrader does. nbgrader runs every cell of the notebooks
   as submitted, figures included (our grader never runs demo cells); --nbgrader-strip-demo
   removes the demo cells first, so that both run the same code. nbgrader has no sandbox:
   hostile submissions can fool it, which this benchmark does not score, it only times;
5. prints latency, throughput, the ratios to nbgrader and to the floor, and peak memory (the
   largest process of each phase, from getrusage of its children).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = 12345
MEASURE = """\
import os, resource, subprocess, sys, time
out, watch, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seen = None
while proc.poll() is None:
    if seen is None and watch and os.path.exists(watch):
        seen = time.perf_counter() - start
    time.sleep(0.002)
done = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(out, "w").write(f"{done} {seen if seen is not None else done} {rss} {proc.returncode}")
"""
"""Runs a command; records when a file appeared (the results), when the command ended, and
the peak RSS of its largest process (KiB)."""
HOSTILE = {
    "tamper": "import numpy as np, builtins\nnp.allclose = lambda *a, **k: True\n"
              "np.isclose = lambda *a, **k: True\nbuiltins.abs = lambda x: 0\n",
    "always_equal": "class _Eq:\n    def __eq__(self, other): return True\n"
                    "def {fn}(*args, **kwargs):\n    return _Eq()\n",
    "exit_in_call": "import os\ndef {fn}(*args, **kwargs):\n    os._exit(0)\n",
    "flood": "_orig_{fn} = {fn}\ndef {fn}(*args, **kwargs):\n    print('x' * 1_000_000)\n"
             "    return _orig_{fn}(*args, **kwargs)\n",
}
"""Hostile cells appended after the solution (exit_at_import is prepended instead)."""
WRONG = ("_orig_{fn} = {fn}\ndef {fn}(*args, **kwargs):\n    out = _orig_{fn}(*args, **kwargs)\n"
         "    return tuple(o * 1.01 for o in out) if isinstance(out, tuple) else out * 1.01\n")
"""An honest mistake appended after the solution: one function off by 1 %."""
HIDDEN = "bench-hidden-"
"""grade_id prefix of the hidden test cells of the nbgrader notebook."""


@dataclass(frozen=True)
class Run:
    """One measured command."""

    seconds: float
    """Wall time from command start to its results written (the watched file's appearance)."""
    exit_seconds: float
    """Wall time from command start to exit."""
    peak_mb: float
    """Largest resident set of any process it started (MiB)."""
    status: int = 0
    """Its exit status."""


def measure(cmd: list[str], cwd: Path, log: Path, watch: Path | None = None,
            may_fail: bool = False) -> Run:
    """Run and time a command; it must succeed unless `may_fail` (nbgrader exits with 1 when
    a notebook could not be graded, e.g. after os._exit killed its kernel)."""
    out = log.with_suffix(".measure")
    subprocess.run([sys.executable, "-c", MEASURE, str(out), str(watch or ""), *cmd], cwd=cwd,
                   check=True)
    done, seen, rss, code = out.read_text().split()
    if code != "0" and not may_fail:
        raise SystemExit(f"bench: {' '.join(cmd[:6])} ... failed with exit status {code}")
    return Run(float(seen), float(done), int(rss) / 1024, int(code))


# --- submissions -----------------------------------------------------------------------------


def solution_sources(notebook: Path) -> dict[str, str]:
    """grade_id -> source of every solution code cell, markers stripped."""
    out = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and nbg.get("solution"):
            out[nbg["grade_id"]] = "\n".join(
                line for line in "".join(cell["source"]).splitlines()
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
    return out


def plan(n: int, functions: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(name, cells to prepend, cells to append) for N submissions: 2/5 correct, 2/5 partly
    wrong, 1/5 hostile, cycling through the functions and the kinds of attack."""
    kinds = [*HOSTILE, "exit_at_import"]
    out = []
    for i in range(n):
        fn = functions[i % len(functions)]
        if i % 5 in (0, 1):
            out.append((f"s{i:03d}-correct", [], []))
        elif i % 5 in (2, 3):
            out.append((f"s{i:03d}-wrong-{fn}", [], [WRONG.format(fn=fn)]))
        else:
            kind = kinds[(i // 5) % len(kinds)]
            if kind == "exit_at_import":
                out.append((f"s{i:03d}-{kind}", ["import sys\nsys.exit(0)\n"], []))
            else:
                out.append((f"s{i:03d}-{kind}", [], [HOSTILE[kind].format(fn=fn)]))
    return out


def write_submission(release: Path, dest: Path, sources: dict[str, str], prepend: list[str],
                     append: list[str], drop_tags: frozenset[str] = frozenset()) -> None:
    """The student notebook with the solution in its implementation cells, plus edits."""
    nb = json.loads(release.read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        if drop_tags & set(cell.get("metadata", {}).get("tags", [])):
            continue
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell["cell_type"] == "code" and gid in sources:
            cell["source"] = sources[gid]
        cells.append(cell)
    new = [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [],
            "execution_count": None, "id": f"extra-{i}"} for i, s in enumerate(prepend + append)]
    # a student's cells go before nbgrader's hidden test cells, which end the notebook
    end = next((i for i, c in enumerate(cells) if c.get("metadata", {}).get("nbgrader", {})
                .get("grade_id", "").startswith(HIDDEN)), len(cells))
    nb["cells"] = new[:len(prepend)] + cells[:end] + new[len(prepend):] + cells[end:]
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1), encoding="utf-8")


# --- our grader ---------------------------------------------------------------------------


def ours(args: argparse.Namespace, work: Path, subs: Path, one: Path) -> dict[str, Run]:
    """Fresh `autograder grade` processes; results are written when results.json (one
    submission) or grades.csv (a batch, after every results.json) appears."""
    grade = [sys.executable, "-m", "autograder", "--course", str(ROOT / "course.yaml"), "grade",
             args.assignment, "--seed", str(SEED), "--quiet"]
    single = [measure([*grade, str(one), "--out", str(work / f"single{i}")], ROOT,
                      work / f"single{i}", work / f"single{i}" / one.stem / "results.json")
              for i in range(args.repeat)]
    return {
        "single": min(single, key=lambda r: r.seconds) if args.best else _median(single),
        **{f"jobs{j}": measure([*grade, str(subs), "--out", str(work / f"jobs{j}"), "--jobs",
                                str(j)], ROOT, work / f"jobs{j}", work / f"jobs{j}" / "grades.csv")
           for j in (1, 2)},
    }


def floor(args: argparse.Namespace) -> float:
    """Seconds to start one sandboxed `python -c "import numpy"` the way workers start."""
    sys.path.insert(0, str(ROOT))
    from autograder import course, sandbox

    limits = course.load(ROOT / "course.yaml").assignment(args.assignment).limits
    box = sandbox.Sandbox(sandbox.choose_tier(), limits, files=())
    try:
        times = []
        for _ in range(args.repeat * 3):
            start = time.perf_counter()
            box.run_code("import numpy").check_returncode()
            times.append(time.perf_counter() - start)
    finally:
        box.close()
    return statistics.median(times)


def _median(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[len(ordered) // 2]


# --- nbgrader -----------------------------------------------------------------------------


def nbgrader(args: argparse.Namespace, work: Path, planned: list[tuple[str, list[str],
             list[str]]]) -> dict[str, Run]:
    """A throwaway nbgrader course: generate_assignment, then autograde (one, then all)."""
    sys.path.insert(0, str(ROOT))
    from autograder import course

    a = course.load(ROOT / "course.yaml").assignment(args.assignment)
    root = work / "nbgrader"
    src = root / "source" / a.id
    src.mkdir(parents=True)
    drop = frozenset({"demo"}) if args.nbgrader_strip_demo else frozenset()
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{root}/gradebook.db'\n"
        f"c.ExecutePreprocessor.timeout = {int(a.limits.notebook_timeout)}\n", encoding="utf-8")
    source = _nbgrader_source(a, drop)
    (src / a.notebook).write_text(json.dumps(source, indent=1), encoding="utf-8")
    for f in a.files:
        shutil.copy(a.root / f, src / Path(f).name)
    nbg = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*nbg, "generate_assignment", a.id, "--force", "--log-level", "ERROR"],
                   cwd=root, check=True)
    release = root / "release" / a.id / a.notebook
    sources = solution_sources(a.solution_notebook)
    for name, prepend, append in planned[:args.nbgrader_n or None]:
        folder = root / "submitted" / name / a.id
        write_submission(release, folder / a.notebook, sources, prepend, append, drop)
        for f in a.files:
            shutil.copy(a.root / f, folder / Path(f).name)
    first = planned[0][0]
    autograde = [*nbg, "autograde", a.id, "--create", "--force", "--log-level", "ERROR"]
    single = measure([*autograde, "--student", first], root, work / "nbg-single")
    shutil.rmtree(root / "autograded", ignore_errors=True)
    batch = measure(autograde, root, work / "nbg-batch", may_fail=True)
    return {"single": single, "batch": batch}


def _nbgrader_source(a: Any, drop: frozenset[str]) -> dict[str, Any]:
    """The solution notebook plus one hidden test cell per graded function."""
    nb = json.loads(a.solution_notebook.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if not drop & set(c.get("metadata", {}).get("tags", []))]
    for i, (fn, points) in enumerate(a.functions.items()):
        code = (f"### BEGIN HIDDEN TESTS\nimport sys\nsys.path[:0] = [{str(ROOT / 'bench')!r}, "
                f"{str(ROOT)!r}]\nimport nbgrader_checks\nnbgrader_checks.check("
                f"{str(a.root / 'course.yaml')!r}, {a.id!r}, {fn!r}, globals(), {SEED})\n"
                "### END HIDDEN TESTS\n")
        nb["cells"].append({
            "cell_type": "code", "execution_count": None, "outputs": [], "source": code,
            "id": f"hidden-{i}", "metadata": {"nbgrader": {
                "grade": True, "solution": False, "locked": True, "points": points,
                "grade_id": f"{HIDDEN}{fn}", "schema_version": 3}}})
    return nb


# --- report ---------------------------------------------------------------------------


def report(n: int, floor_s: float, mine: dict[str, Run], theirs: dict[str, Run] | None,
           nbg_n: int, mode: str = "") -> str:
    """The figures, one per line: value, then what it is compared with."""
    # per submission: what one more submission adds to a batch (the process start, imports
    # and tier probe are paid once per batch, and are in the single-submission figure)
    per1 = (mine["jobs1"].seconds - mine["single"].seconds) / max(1, n - 1)
    per2 = (mine["jobs2"].seconds - mine["single"].seconds) / max(1, n - 1)
    thr = n / mine["jobs2"].seconds
    rows = [
        ("floor: one sandboxed python -c 'import numpy'", f"{floor_s * 1000:.0f} ms", ""),
        ("ours: one submission, command start to results.json", f"{mine['single'].seconds:.3f} s",
         f"target <= 1 s; the command ended after {mine['single'].exit_seconds:.2f} s"),
        ("ours: batch --jobs 1, cost of one more submission", f"{per1 * 1000:.0f} ms",
         f"{per1 / floor_s:.2f} x floor (target <= 2)"),
        ("ours: batch --jobs 2, cost of one more submission", f"{per2 * 1000:.0f} ms",
         f"{per2 / floor_s:.2f} x floor"),
        ("ours: batch --jobs 2, throughput", f"{thr:.2f} /s",
         f"{n} in {mine['jobs2'].seconds:.2f} s to grades.csv; the command ended after "
         f"{mine['jobs2'].exit_seconds:.2f} s"),
        ("ours: peak memory, largest process", f"{max(r.peak_mb for r in mine.values()):.0f} MiB",
         ""),
    ]
    if theirs is not None:
        nthr = nbg_n / theirs["batch"].seconds
        rows += [
            ("nbgrader: one submission (autograde --student)",
             f"{theirs['single'].seconds:.3f} s",
             f"{theirs['single'].seconds / mine['single'].seconds:.1f} x ours"),
            ("nbgrader: batch (autograde), throughput", f"{nthr:.3f} /s",
             f"{nbg_n} in {theirs['batch'].seconds:.2f} s ({mode}"
             + ("; it reported notebooks it could not grade" if theirs["batch"].status else "")
             + ")"),
            ("nbgrader: peak memory, largest process",
             f"{max(r.peak_mb for r in theirs.values()):.0f} MiB", ""),
            ("ratio: throughput ours (--jobs 2) / nbgrader", f"{thr / nthr:.1f} x",
             "target >= 20"),
        ]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{name:<{width}}  {value:>10}  {note}".rstrip() for name, value, note in rows)


def scripts_on_path(env: dict[str, str]) -> dict[str, str]:
    """`env` with this interpreter's scripts folder first on PATH: nbgrader runs `alembic` by
    name, and a virtual environment that is not activated (`.venv/bin/python bench/bench.py`)
    is not on PATH."""
    here = str(Path(sys.executable).parent)  # not resolved: a venv's python is a symlink
    parts = [p for p in env.get("PATH", "").split(os.pathsep) if p]
    return env if here in parts else {**env, "PATH": os.pathsep.join([here, *parts])}


def main(argv: list[str] | None = None) -> int:
    os.environ.update(scripts_on_path(dict(os.environ)))  # for every command run below
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20, help="submissions to generate (default 20)")
    parser.add_argument("--assignment", default="softmax")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the single-submission and floor measurements")
    parser.add_argument("--best", action="store_true", help="report the best single run, "
                        "not the median")
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--nbgrader-n", type=int, default=0,
                        help="grade only this many submissions with nbgrader (default: all)")
    parser.add_argument("--nbgrader-strip-demo", action="store_true",
                        help="remove the demo cells (figures) from the nbgrader notebooks, so "
                             "that nbgrader runs the same code as our grader")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sys.path.insert(0, str(ROOT))
        from autograder import course

        a = course.load(ROOT / "course.yaml").assignment(args.assignment)
        planned = plan(args.n, list(a.functions))
        subs = work / "submissions"
        sources = solution_sources(a.solution_notebook)
        for name, prepend, append in planned:
            write_submission(a.release_notebook, subs / f"{name}.ipynb", sources, prepend, append)
        kinds = {"correct": sum("correct" in p[0] for p in planned),
                 "wrong": sum("-wrong-" in p[0] for p in planned)}
        print(f"{args.n} submissions of {a.id}: {kinds['correct']} correct, {kinds['wrong']} "
              f"partly wrong, {args.n - kinds['correct'] - kinds['wrong']} hostile; "
              f"{os.cpu_count()} cores", flush=True)
        floor_s = floor(args)
        mine = ours(args, work, subs, subs / f"{planned[0][0]}.ipynb")
        theirs = None if args.skip_nbgrader else nbgrader(args, work, planned)
        mode = "demo cells removed" if args.nbgrader_strip_demo else "notebooks as submitted"
        print(report(args.n, floor_s, mine, theirs, min(args.nbgrader_n or args.n, args.n), mode))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
