"""course.yaml loading: frozen dataclasses, and errors that name the file and the key."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from autograder import course
from autograder.errors import ConfigError, UnknownAssignment
from conftest import ROOT


def write_course(tmp_path: Path, text: str) -> Path:
    (tmp_path / "solutions/hw").mkdir(parents=True)
    (tmp_path / "solutions/hw/hw.ipynb").write_text("{}")
    path = tmp_path / "course.yaml"
    path.write_text(text)
    return path


GOOD = """
name: Test course
assignments:
  - id: hw
    notebook: hw.ipynb
    due: 2026-12-01T23:59:00+00:00
    functions: {f: 2, g: 1.5}
    written: {q1: 3}
    limits: {call_timeout: 5}
"""


def test_the_real_course_loads():
    """Does the shipped course.yaml load with six assignments?"""
    c = course.load(ROOT / "course.yaml")
    assert [a.id for a in c.assignments] == ["likelihood", "softmax", "svm", "softmax_classifier",
                                             "logistic", "regularization"]
    assert c.assignment("softmax").auto_points == 14


def test_values_are_typed_and_frozen(tmp_path):
    """Are points floats, the due date timezone-aware, limits merged, and all of it frozen?"""
    c = course.load(write_course(tmp_path, GOOD))
    a = c.assignment("hw")
    assert a.functions == {"f": 2.0, "g": 1.5} and a.manual_points == 3
    assert a.due == dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.timezone.utc)
    assert a.limits.call_timeout == 5 and a.limits.memory_mb == 1024
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.title = "x"  # type: ignore[misc]


@pytest.mark.parametrize("edit, fragment", [
    (("functions: {f: 2, g: 1.5}", "functions: {f: 2}\n    colour: red"),
     "unknown key 'colour' in assignments[0]"),
    (("name: Test course", "name: Test course\nsurprise: 1"), "unknown key 'surprise' in course"),
    (("functions: {f: 2, g: 1.5}", "functions: {f: -1}"), "assignments[hw].functions.f"),
    (("due: 2026-12-01T23:59:00+00:00", "due: tomorrow"), "assignments[hw].due"),
    (("due: 2026-12-01T23:59:00+00:00", "due: 2026-12-01 23:59:00"), "time zone"),
    (("notebook: hw.ipynb", "notebook: other.ipynb"), "file not found"),
    (("limits: {call_timeout: 5}", "limits: {call_timeout: 0}"), "must be positive"),
    (("limits: {call_timeout: 5}", "limits: {call_timout: 5}"), "unknown key 'call_timout'"),
    (("limits: {call_timeout: 5}", "limits: 5"), "must be a mapping"),
    (("    functions: {f: 2, g: 1.5}\n", ""), "missing key 'functions'"),
])
def test_errors_name_the_file_and_the_key(tmp_path, edit, fragment):
    """Does every invalid course.yaml give a ConfigError naming the file and the key?"""
    path = write_course(tmp_path, GOOD.replace(*edit))
    with pytest.raises(ConfigError) as info:
        course.load(path)
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_an_impossible_date_is_one_line_naming_the_key(tmp_path):
    """Is `2026-12-32` a ConfigError naming the file and the due key, not a traceback?"""
    path = write_course(tmp_path, GOOD.replace("2026-12-01T23:59", "2026-12-32T23:59"))
    with pytest.raises(ConfigError) as info:
        course.load(path)
    assert str(info.value) == (f"{path}: assignments[hw].due: '2026-12-32T23:59:00+00:00' is "
                               "not a valid ISO 8601 date-time")


def test_extensions_give_students_their_own_due_date(tmp_path):
    """Does extensions.csv beside course.yaml move one student's due date, and only theirs?"""
    path = write_course(tmp_path, GOOD)
    (tmp_path / "extensions.csv").write_text("student,assignment,due\n"
                                             "ann,hw,2026-12-03T23:59:00+09:00\n")
    c = course.load(path)
    a = c.assignment("hw")
    assert c.due_for(a, "ann") == dt.datetime(2026, 12, 3, 14, 59, tzinfo=dt.timezone.utc)
    assert c.due_for(a, "bob") == a.due


@pytest.mark.parametrize("rows, fragment", [
    ("ann,hw,2026-12-32T00:00:00+00:00", "extensions.csv:3: due: '2026-12-32T00:00:00+00:00' "
                                          "is not an ISO 8601 date-time"),
    ("ann,hx,2026-12-05T00:00:00+00:00", "extensions.csv:3: assignment: unknown assignment "
                                          "'hx' (course.yaml has: hw)"),
    ("ann,hw,2026-12-05T00:00:00", "extensions.csv:3: due: '2026-12-05T00:00:00' has no "
                                   "time zone"),
    (",hw,2026-12-05T00:00:00+00:00", "extensions.csv:3: student: empty"),
    ("bob,hw,2026-12-05T00:00:00+00:00", "extensions.csv:3: student: a second extension"),
])
def test_bad_extension_rows_name_the_file_line_and_column(tmp_path, rows, fragment):
    """Is every bad row of extensions.csv one error naming the file, its line and column?"""
    path = write_course(tmp_path, GOOD)
    (tmp_path / "extensions.csv").write_text("student,assignment,due\n"
                                             f"bob,hw,2026-12-05T00:00:00+00:00\n{rows}\n")
    with pytest.raises(ConfigError) as info:
        course.load(path)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_invalid_yaml_and_missing_file(tmp_path):
    """Are unparsable YAML and a missing course file reported with the path?"""
    with pytest.raises(ConfigError, match="not found"):
        course.load(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        course.load(bad)


def test_unknown_assignment_lists_the_known_ones(tmp_path):
    """Does asking for an unknown assignment say which ones exist?"""
    c = course.load(write_course(tmp_path, GOOD))
    with pytest.raises(UnknownAssignment, match="course.yaml has: hw"):
        c.assignment("nope")
