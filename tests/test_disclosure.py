"""disclosure.py: the one rule of what a student may see of a check, and when."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from autograder import checks, course as course_mod, disclosure
from autograder.disclosure import DETAIL, HINT, NAME, NONE, Disclosure, Moment
from autograder.errors import ConfigError
from autograder.records import CheckRecord
from conftest import ROOT

UTC = dt.timezone.utc
DUE = dt.datetime(2026, 12, 4, 23, 59, tzinfo=UTC)
BEFORE, AFTER = Moment(DUE - dt.timedelta(hours=1), DUE), Moment(DUE + dt.timedelta(hours=1), DUE)
PUBLISHED = Moment(DUE + dt.timedelta(days=1), DUE, published=True)


def record(visibility: str = "hidden", **more: str) -> CheckRecord:
    fields = dict(id="test_s.py::test_svm_random", name="the loss matches", function="svm",
                  points=1.0, score=0.0, status="failed", visibility=visibility,
                  message="the loss of svm is not correct", hint="a factor of N",
                  full="the loss of svm is not correct: max relative error 5e+00 over 6 rows",
                  observed="max relative error 5e+00", tolerance="rtol 1e-07")
    fields.update(more)
    return CheckRecord(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("visibility, levels", [
    ("visible", (DETAIL, DETAIL, DETAIL)),
    ("hidden", (HINT, DETAIL, DETAIL)),
    ("after_due_date", (NONE, DETAIL, DETAIL)),
    ("after_published", (NONE, NONE, DETAIL)),
])
def test_default_levels_by_visibility_and_moment(visibility, levels):
    """Do the defaults give visible checks detail, hidden checks the hint level and detail after
    the due date, and the later visibilities nothing until their moment?"""
    got = tuple(disclosure.level(record(visibility), m) for m in (BEFORE, AFTER, PUBLISHED))
    assert got == levels


def test_a_hidden_test_may_lower_its_own_level_but_never_raise_it():
    """Does `disclosure("name")` cap the level, and an unknown cap fall back to the name?"""
    assert disclosure.level(record(level="name"), AFTER) == NAME
    assert disclosure.level(record(level="hint"), PUBLISHED) == HINT
    assert disclosure.level(record("after_published", level="detail"), BEFORE) == NONE
    assert disclosure.level(record(level="everything"), AFTER) == NAME


def test_each_level_shows_only_its_part():
    """Name: nothing but the name; hint: the safe message and hint, no numbers; detail: the
    full message and the observed error."""
    check = record()
    assert disclosure.view(check, NAME).notes == ()
    hint = " ".join(disclosure.view(check, HINT).notes)
    assert "not correct" in hint and "a factor of N" in hint
    assert "5e+00" not in hint and "6 rows" not in hint
    detail = " ".join(disclosure.view(check, DETAIL).notes)
    assert "6 rows" in detail and "5e+00" in detail
    assert disclosure.view(replace(check, status="passed", score=1.0), DETAIL).notes == ()


def test_a_property_check_charged_to_the_value_check_says_so():
    """Does a check whose failure is another check's wrong value say "not awarded: the value is
    wrong (see ...)" and nothing of its own at every level that shows messages?"""
    check = record(charged_to="svm: the loss matches the reference")
    for shown in (HINT, DETAIL):
        assert disclosure.view(check, shown).notes == (
            "not awarded: the value is wrong (see svm: the loss matches the reference)",)


def test_charge_root_causes_points_property_checks_at_the_failed_value_check():
    """Is a wrong value charged once: property checks (by test name) that failed on the value
    point at the value check, a property that fails itself keeps its message, and a property
    check with no failed value check keeps its own failure?"""
    value = record(id="t.py::test_svm_random", name="svm: the loss", kind="value")
    mutated = record(id="t.py::test_svm_not_mutated", name="svm: inputs", kind="value")
    loop = record(id="t.py::test_svm_no_loops", name="svm: no loops", kind="",
                  message="`svm` must be vectorized but uses a `for` loop (line 3 of its "
                          "definition)")
    other = record(id="t.py::test_other_edges", function="other", name="other: edges",
                   kind="value")
    out = checks.charge_root_causes([value, mutated, loop, other])
    assert out[0].charged_to == "" and out[1].charged_to == "svm: the loss"
    assert out[2].charged_to == "" and "line 3" in disclosure.view(out[2], HINT).notes[0]
    assert out[3].charged_to == ""
    assert all(r.score == 0.0 for r in out)


def test_course_yaml_sets_levels_language_and_the_total(tmp_path: Path):
    """Does course.yaml's `disclosure:` override the defaults it names, `language:` pick the
    language, and a bad level name the file and key?"""
    text = (ROOT / "course.yaml").read_text(encoding="utf-8")
    path = tmp_path / "course.yaml"
    for folder in ("solutions", "common"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    path.write_text(text.replace("visibility: visible ", "language: ko\ndisclosure:\n"
                                 "  before_due: {hidden: name}\n"
                                 "  score_before_published: false\nvisibility: visible "),
                    encoding="utf-8")
    course = course_mod.load(path)
    assert course.language == "ko" and not course.disclosure.score_before_published
    assert disclosure.level(record(), BEFORE, course.disclosure) == NAME
    assert disclosure.level(record(), AFTER, course.disclosure) == DETAIL
    assert not disclosure.show_score(BEFORE, course.disclosure)
    assert disclosure.show_score(PUBLISHED, course.disclosure)
    path.write_text(text.replace("visibility: visible ", "disclosure:\n  after_due: {hidden: "
                                 "all}\nvisibility: visible "), encoding="utf-8")
    with pytest.raises(ConfigError, match="disclosure.after_due.*hidden"):
        course_mod.load(path)
    path.write_text(text.replace("visibility: visible ", "language: fr\nvisibility: visible "),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="language"):
        course_mod.load(path)


def test_the_default_policy_is_the_documented_table():
    """Is Disclosure() exactly DEFAULT_LEVELS, with the total shown before publishing?"""
    assert Disclosure().levels == disclosure.DEFAULT_LEVELS
    assert Disclosure().score_before_published
