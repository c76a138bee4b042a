"""The pipeline: load -> run (sandboxed worker + hidden tests here) -> score. And batches."""
from __future__ import annotations

import atexit
import datetime as dt
import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import integrity, notebooks, runner, scoring
from .course import Assignment
from .proxy import StudentProxy, StudentSession
from .records import Report
from .sandbox import Sandbox, Tier

NOT_GRADED_TAGS = frozenset({"demo", "public-check"})
"""Cells with these tags in the solution notebook are not run when grading."""
WRONG_ASSIGNMENT = ("this notebook is for assignment {found!r}, not {expected!r}; submit your "
                    "{expected} notebook instead")


def grade_submission(assignment: Assignment, path: Path, *, seed: int, tier: Tier,
                     name: str | None = None, submitted: dt.datetime | None = None) -> Report:
    """Grade one notebook. Student failures become records; only tool errors raise.

    `submitted` (timezone-aware) is recorded; the late penalty is not decided here but by
    final.final_grade whenever an output is written.
    """
    start = time.monotonic()
    name = name or Path(path).stem
    try:
        submission = notebooks.load(path)
    except notebooks.BrokenNotebook as exc:
        return _stamp(scoring.broken(assignment, submission=name, path=str(path),
                                     problem=str(exc), seed=seed, tier=tier.name,
                                     execution_time=time.monotonic() - start), submitted)
    if submission.assignment_hint not in ("", assignment.id):
        problem = WRONG_ASSIGNMENT.format(found=submission.assignment_hint,
                                          expected=assignment.id)
        return _stamp(scoring.broken(assignment, submission=name, path=str(path),
                                     problem=problem, seed=seed, tier=tier.name), submitted)
    session = StudentSession(submission, sandbox_for(assignment, tier), skipped_cells(assignment),
                             list(assignment.functions), assignment.limits.call_timeout,
                             assignment.limits.notebook_timeout)
    try:
        records = runner.run_checks(assignment, StudentProxy(session), seed)
    finally:
        session.close()
    flags = integrity.combine(integrity.static_flags(submission, assignment),
                              integrity.runtime_flags(session.opened))
    report = scoring.score(assignment, records, submission=name, path=str(path), seed=seed,
                           tier=tier.name, cells=session.cell_report(),
                           neutralised=tuple(n for c in submission.cells for n in c.neutralised),
                           flags=flags, execution_time=time.monotonic() - start)
    return _stamp(replace(report, answers=submission.answers), submitted)


def _stamp(report: Report, submitted: dt.datetime | None) -> Report:
    """Record the submission time (the late penalty is derived from it when outputs are
    written)."""
    if submitted is None:
        return report
    return replace(report, extra={**report.extra, "submitted": submitted.isoformat()})


def grade_many(assignment: Assignment, paths: Sequence[Path], *, seed: int, tier: Tier,
               jobs: int = 1, names: Sequence[str] | None = None,
               on_report: Callable[[Report], None] | None = None,
               submitted: Sequence[dt.datetime | None] | None = None) -> list[Report]:
    """Grade a batch, in parallel processes when jobs > 1; results keep the input order."""
    names = list(names) if names is not None else [Path(p).stem for p in paths]
    times = list(submitted) if submitted is not None else [None] * len(paths)
    options = [dict(seed=seed, tier=tier, name=name, submitted=when)
               for name, when in zip(names, times)]
    reports: list[Report | None] = [None] * len(paths)

    def finish(i: int, report: Report) -> None:
        reports[i] = report
        if on_report:
            on_report(report)

    if jobs > 1 and len(paths) > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(grade_submission, assignment, paths[i], **options[i]): i
                       for i in range(len(paths))}
            for future in as_completed(futures):
                try:
                    finish(futures[future], future.result())
                except BrokenProcessPool:
                    continue  # a grading process died (e.g. killed by the OS): see below
    # sequential grading, and whatever a dead pool process left, happen here
    for i, report in enumerate(reports):
        if report is None:
            finish(i, grade_submission(assignment, paths[i], **options[i]))
    return [r for r in reports if r is not None]


_SANDBOXES: dict[tuple[str, str, int], Sandbox] = {}


def sandbox_for(assignment: Assignment, tier: Tier) -> Sandbox:
    """One staged sandbox per assignment, tier and process (forked pools get their own)."""
    import os

    key = (assignment.id, tier.name, os.getpid())
    if key not in _SANDBOXES:
        files = tuple(assignment.root / f for f in assignment.files)
        box = Sandbox(tier, assignment.limits, files, hide=(assignment.root,))
        atexit.register(box.close)
        _SANDBOXES[key] = box
    return _SANDBOXES[key]


def skipped_cells(assignment: Assignment) -> frozenset[str]:
    """grade_ids the grader does not run: public checks, demos and other test cells.

    Read from the solution notebook, never from the student's copy of the metadata.
    """
    return _skipped(assignment.solution_notebook)


@lru_cache(maxsize=None)
def _skipped(solution: Path) -> frozenset[str]:
    data = json.loads(solution.read_text(encoding="utf-8"))
    skip = set()
    for cell in data.get("cells", []):
        meta = cell.get("metadata", {})
        nbg = meta.get("nbgrader", {})
        if cell.get("cell_type") != "code" or not nbg.get("grade_id"):
            continue
        if NOT_GRADED_TAGS & set(meta.get("tags", [])) or (nbg.get("grade") and
                                                           not nbg.get("solution")):
            skip.add(nbg["grade_id"])
    return frozenset(skip)


def submissions_in(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the notebooks they hold (sorted); keep files as given."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts)
        else:
            out.append(p)
    return out
