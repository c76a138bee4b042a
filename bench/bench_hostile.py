"""Hardening figures: what hostile submissions cost the trusted side, as ratios in one run.

    .venv/bin/python bench/bench_hostile.py [--assignment softmax] [--budget 15] [--batch 3]

1. the trusted grading process's peak memory (ru_maxrss) and CPU time for the largest notebook
   the loader accepts (16 MiB: code cells at the per-cell and per-notebook caps holding huge
   literals, JSON values just under the cap, a large output), against an honest submission;
   each is graded in a fresh process that reports its own getrusage (workers not included);
2. the wall time of a batch of honest submissions with one more that exhausts its time
   budget (cells that each sleep just under the per-cell floor), against the same batch
   without it, with limits.submission_timeout set to --budget seconds;
3. the cost per worker of the sandbox's isolation: leasing and releasing a uid, and starting
   a worker (with its seccomp filter) until it says hello.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import notebooks  # noqa: E402

GRADE_ONE = """\
import json, resource, sys, time
from autograder import course, grading, sandbox
a = course.load(sys.argv[1]).assignment(sys.argv[2])
report = grading.grade_submission(a, sys.argv[3], seed=1, tier=sandbox.choose_tier())
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rss_kib": me.ru_maxrss, "cpu_s": me.ru_utime + me.ru_stime,
                  "score": report.score, "problem": report.problem}))
"""
"""Grades one notebook in a fresh process and prints that process's own peak RSS and CPU."""


def solution_notebook(assignment: Any) -> dict[str, Any]:
    """The release notebook with the solution's code cells (a full-marks submission)."""
    solution = json.loads(assignment.solution_notebook.read_text(encoding="utf-8"))
    sources = {}
    for cell in solution["cells"]:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and nbg.get("solution"):
            text = "".join(cell["source"])
            sources[nbg["grade_id"]] = "\n".join(
                line for line in text.splitlines() if "### BEGIN SOLUTION" not in line
                and "### END SOLUTION" not in line)
    nb = json.loads(assignment.release_notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in sources:
            cell["source"] = sources[gid]
    return nb


def largest_notebook(assignment: Any, dest: Path) -> Path:
    """The honest solution plus everything the loader still accepts: code cells holding huge
    literals up to the per-notebook code cap, a metadata list of JSON values up to the value
    cap, and an output string that brings the file to its byte cap."""
    nb = solution_notebook(assignment)
    used = sum(len("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code")
    per_cell = notebooks.MAX_CELL_SOURCE - 100
    cells = []
    for i in range((notebooks.MAX_CODE_SOURCE - used) // per_cell):
        body = "1, " * ((per_cell - 20) // 3)
        cells.append({"cell_type": "code", "metadata": {}, "outputs": [], "id": f"big{i}",
                      "execution_count": None, "source": f"big_{i} = [{body}]\n"})
    nb["cells"] += cells
    text = json.dumps(nb)
    room = notebooks.MAX_JSON_ITEMS - (text.count(",") + text.count("[") + text.count("{"))
    nb["metadata"]["pad"] = [0] * max(0, room - 1000)
    text = json.dumps(nb)
    filler = notebooks.MAX_NOTEBOOK_BYTES - len(text.encode()) - 200
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout",
                                  "text": "x" * max(0, filler)}] if nb["cells"][0][
        "cell_type"] == "code" else []
    if nb["cells"][0]["cell_type"] != "code":
        nb["metadata"]["filler"] = "x" * max(0, filler)
    dest.write_text(json.dumps(nb), encoding="utf-8")
    return dest


def honest_notebook(assignment: Any, dest: Path) -> Path:
    dest.write_text(json.dumps(solution_notebook(assignment)), encoding="utf-8")
    return dest


def trusted_cost(course_yaml: Path, assignment_id: str, notebook: Path) -> dict[str, Any]:
    """Peak RSS (KiB) and CPU seconds of a fresh process that grades `notebook`."""
    proc = subprocess.run([sys.executable, "-c", GRADE_ONE, str(course_yaml), assignment_id,
                           str(notebook)], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def budget_course(dest: Path, assignment_id: str, budget: float) -> Path:
    """A copy of course.yaml (one assignment) whose submissions get `budget` seconds."""
    raw = yaml.safe_load((ROOT / "course.yaml").read_text(encoding="utf-8"))
    raw["assignments"] = [a for a in raw["assignments"] if a["id"] == assignment_id]
    raw["assignments"][0]["limits"] = {**raw["assignments"][0].get("limits", {}),
                                       "submission_timeout": budget}
    for folder in (f"solutions/{assignment_id}", f"assignments/{assignment_id}", "common"):
        shutil.copytree(ROOT / folder, dest / folder)
    (dest / "course.yaml").write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return dest / "course.yaml"


def batch_seconds(course_yaml: Path, assignment_id: str, paths: list[Path]) -> float:
    from autograder import course, grading, sandbox

    a = course.load(course_yaml).assignment(assignment_id)
    start = time.monotonic()
    grading.grade_many(a, paths, seed=1, tier=sandbox.choose_tier())
    for box in grading._SANDBOXES.values():
        box.close()
    grading._SANDBOXES.clear()
    return time.monotonic() - start


def isolation_cost(repeat: int = 20) -> dict[str, float]:
    """Milliseconds to lease and release a uid, and to start a worker until hello."""
    from autograder import sandbox
    from autograder.course import Limits

    leases = []
    for _ in range(repeat):
        start = time.perf_counter()
        sandbox.allocate_uid().release()
        leases.append((time.perf_counter() - start) * 1000)
    box = sandbox.Sandbox(sandbox.choose_tier(), Limits(), files=())
    starts = []
    try:
        for _ in range(max(3, repeat // 4)):
            start = time.perf_counter()
            worker = box._spawn()
            worker.expect_hello()
            starts.append((time.perf_counter() - start) * 1000)
            worker.kill()
    finally:
        box.close()
    return {"lease_ms": statistics.median(leases), "worker_start_ms": statistics.median(starts)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="softmax")
    parser.add_argument("--budget", type=float, default=15.0,
                        help="limits.submission_timeout for the batch figure (seconds)")
    parser.add_argument("--batch", type=int, default=3, help="honest submissions per batch")
    args = parser.parse_args(argv)
    from autograder import course

    a = course.load(ROOT / "course.yaml").assignment(args.assignment)
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        work = Path(tmp)
        honest = honest_notebook(a, work / "honest.ipynb")
        largest = largest_notebook(a, work / "largest.ipynb")
        base = trusted_cost(ROOT / "course.yaml", a.id, honest)
        big = trusted_cost(ROOT / "course.yaml", a.id, largest)
        print(f"largest accepted notebook: {largest.stat().st_size / 2**20:.1f} MiB, "
              f"score {big['score']} (honest {base['score']})")
        print(f"trusted peak memory: {big['rss_kib'] / 1024:.0f} MiB vs honest "
              f"{base['rss_kib'] / 1024:.0f} MiB = {big['rss_kib'] / base['rss_kib']:.2f}x")
        print(f"trusted CPU: {big['cpu_s']:.2f} s vs honest {base['cpu_s']:.2f} s = "
              f"{big['cpu_s'] / base['cpu_s']:.2f}x")
        course_yaml = budget_course(work / "course", a.id, args.budget)
        slow = json.loads(honest.read_text())
        slow["cells"] += [{"cell_type": "code", "metadata": {}, "outputs": [], "id": f"s{i}",
                           "execution_count": None, "source": "import time\ntime.sleep(0.45)\n"}
                          for i in range(200)]
        (work / "slow.ipynb").write_text(json.dumps(slow))
        honest_batch = [honest] * args.batch
        without = batch_seconds(course_yaml, a.id, honest_batch)
        with_slow = batch_seconds(course_yaml, a.id, [*honest_batch, work / "slow.ipynb"])
        print(f"batch of {args.batch}: {without:.1f} s; with one budget-exhausting submission "
              f"(budget {args.budget:g} s): {with_slow:.1f} s = {with_slow / without:.2f}x, "
              f"+{with_slow - without:.1f} s")
        cost = isolation_cost()
        print(f"per worker: uid lease and release {cost['lease_ms']:.1f} ms, start until hello "
              f"{cost['worker_start_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
