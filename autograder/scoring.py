"""Pure scoring: check records -> Report. No files, no processes, no printing."""
from __future__ import annotations

import datetime as dt
import math
from typing import Iterable

from .course import Assignment, LatePolicy
from .records import CellOutcome, CheckRecord, FunctionScore, Report


def score(assignment: Assignment, records: Iterable[CheckRecord], *, submission: str,
          path: str, seed: int, tier: str, cells: tuple[CellOutcome, ...] = (),
          neutralised: tuple[str, ...] = (), flags: tuple[str, ...] = (),
          execution_time: float = 0.0) -> Report:
    """Per-function and total points; a function never earns more than course.yaml gives it."""
    records = tuple(records)
    earned = {fn: 0.0 for fn in assignment.functions}
    for r in records:
        if r.function in earned:
            earned[r.function] += r.score
    functions = tuple(FunctionScore(fn, round(min(earned[fn], pts), 6), pts)
                      for fn, pts in assignment.functions.items())
    return Report(assignment=assignment.id, submission=submission, path=path, checks=records,
                  functions=functions, score=round(sum(f.score for f in functions), 6),
                  max_score=assignment.auto_points, manual_pending=assignment.manual_points,
                  seed=seed, tier=tier, cells=cells, neutralised=neutralised, flags=flags,
                  execution_time=round(execution_time, 3))


def broken(assignment: Assignment, *, submission: str, path: str, problem: str, seed: int,
           tier: str, execution_time: float = 0.0) -> Report:
    """A submission that could not be read: zero points, the reason, every function listed."""
    functions = tuple(FunctionScore(fn, 0.0, pts) for fn, pts in assignment.functions.items())
    return Report(assignment=assignment.id, submission=submission, path=path, checks=(),
                  functions=functions, score=0.0, max_score=assignment.auto_points,
                  manual_pending=assignment.manual_points, seed=seed, tier=tier,
                  problem=problem, execution_time=round(execution_time, 3))


def late_penalty(policy: LatePolicy, due: dt.datetime | None,
                 submitted: dt.datetime | None) -> float:
    """Fraction lost: penalty_per_day per started day after due + grace, capped."""
    if due is None or submitted is None:
        return 0.0
    late = submitted - due - dt.timedelta(minutes=policy.grace_minutes)
    if late <= dt.timedelta(0):
        return 0.0
    days = math.ceil(late / dt.timedelta(days=1))
    return round(min(policy.max_penalty, days * policy.penalty_per_day), 6)
