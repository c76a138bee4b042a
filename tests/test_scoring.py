"""Scoring is pure: records in, per-function and total points out. And results.json."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from autograder.course import Assignment, LatePolicy
from autograder.records import CheckRecord
from autograder.reports import gradescope
from autograder.scoring import broken, late_penalty, score

HW = Assignment(id="hw", title="HW", notebook="hw.ipynb", root=Path("."),
                functions={"f": 2.0, "g": 1.0}, written={"q": 3.0})


def rec(fn, points, earned, status="passed", vis="visible", **kw) -> CheckRecord:
    return CheckRecord(id=f"t::{fn}{points}{earned}", name=f"{fn} check", function=fn,
                       points=points, score=earned, status=status, visibility=vis, **kw)


def test_points_add_up_per_function_and_never_exceed_course_points():
    """Are checks summed per function, capped at course.yaml's points, unknown functions ignored?"""
    report = score(HW, [rec("f", 1, 1), rec("f", 1, 0, "failed"), rec("g", 2, 2),
                        rec("other", 5, 5)], submission="s", path="s.ipynb", seed=3, tier="x")
    assert [(f.function, f.score, f.max_score) for f in report.functions] == [
        ("f", 1.0, 2.0), ("g", 1.0, 1.0)]
    assert report.score == 2 and report.max_score == 3 and report.manual_pending == 3
    assert report.seed == 3 and report.tier == "x"


def test_broken_submission_scores_zero_with_its_problem():
    """Does an unreadable notebook get 0 on every function and keep its message?"""
    report = broken(HW, submission="s", path="s.ipynb", problem="bad JSON", seed=1, tier="x")
    assert report.score == 0 and report.problem == "bad JSON"
    assert [f.score for f in report.functions] == [0, 0]


def test_late_penalty_per_started_day_after_grace_and_capped():
    """Is lateness charged per started day after the grace period, up to the cap?"""
    policy = LatePolicy(grace_minutes=15, penalty_per_day=0.1, max_penalty=0.25)
    due = dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.timezone.utc)
    minutes = lambda m: due + dt.timedelta(minutes=m)  # noqa: E731
    assert late_penalty(policy, due, minutes(10)) == 0
    assert late_penalty(policy, due, minutes(16)) == 0.1
    assert late_penalty(policy, due, minutes(15 + 24 * 60 + 1)) == 0.2
    assert late_penalty(policy, due, minutes(10 * 24 * 60)) == 0.25
    assert late_penalty(policy, None, minutes(99999)) == 0


def test_results_json_follows_gradescope_and_hides_detail():
    """Does results.json have Gradescope's fields, tag the function, and omit instructor detail?"""
    report = score(HW, [rec("f", 2, 0, "failed", vis="hidden", message="wrong: max relative "
                            "error 1e-2", hint="sum instead of mean", detail="SECRET expected 4.2")],
                   submission="s", path="s.ipynb", seed=1, tier="bubblewrap")
    doc = gradescope.results(report)
    assert {"score", "max_score", "execution_time", "output", "tests"} <= set(doc)
    test = doc["tests"][0]
    assert {k: test[k] for k in ("name", "score", "max_score", "status", "visibility", "tags")} \
        == {"name": "f check", "score": 0, "max_score": 2, "status": "failed",
            "visibility": "visible", "tags": ["f"]}  # a hidden check's hint: before the due date
    assert "sum instead of mean" in test["output"]
    assert "SECRET" not in json.dumps(doc)
