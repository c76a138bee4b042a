"""Batches: the three layouts, submission times and late penalties, resume, shards, merge."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from autograder import batch
from autograder.errors import UsageError
from conftest import ROOT

UTC = dt.timezone.utc
EXAMPLES = ROOT / "examples" / "softmax"


def nbgrader_layout(root: Path, notebook: Path) -> Path:
    """submitted/<student>/softmax/ for alice (on time), bob (2 days late), carol (no notebook),
    and dave, who submitted another assignment only."""
    sub = root / "submitted"
    for student, stamp in [("alice", "2026-12-04 23:59:00.000000 UTC"),
                           ("bob", "2026-12-06 12:00:00.000000 UTC")]:
        (sub / student / "softmax").mkdir(parents=True)
        shutil.copy(notebook, sub / student / "softmax" / "softmax.ipynb")
        (sub / student / "softmax" / "timestamp.txt").write_text(stamp + "\n")
    (sub / "carol" / "softmax").mkdir(parents=True)
    (sub / "carol" / "softmax" / "notes.txt").write_text("forgot the notebook")
    (sub / "dave" / "svm").mkdir(parents=True)
    shutil.copy(notebook, sub / "dave" / "svm" / "svm.ipynb")
    return root


METADATA = """\
submission_101:
  :submitters:
  - :name: Erin E
    :sid: '9001'
    :email: erin@example.edu
  :created_at: 2026-12-05 00:10:00.123456000 +00:00
  :score: 0.0
  :history: []
submission_102:
  :submitters:
  - :name: Frank F
    :sid: ''
    :email: frank@example.edu
  - :name: Gina G
    :sid: '9003'
    :email: gina@example.edu
  :created_at: 2026-12-09 08:00:00.000000000 -08:00
  :results: !ruby/hash:ActiveSupport::HashWithIndifferentAccess
    score: 1.0
submission_103:
  :submitters:
  - :name: Hal H
    :sid: '9004'
  :created_at: 2026-12-01 10:00:00.000000000 +00:00
"""


def gradescope_layout(root: Path, notebook: Path) -> Path:
    """An export: erin (single, on time), frank+gina (a group, 5 days late), hal (2 notebooks)."""
    root.mkdir(parents=True)
    (root / "submission_metadata.yml").write_text(METADATA)
    for folder, name in [("submission_101", "softmax.ipynb"), ("submission_102", "mine.ipynb")]:
        (root / folder).mkdir()
        shutil.copy(notebook, root / folder / name)
    (root / "submission_103").mkdir()
    for name in ("a.ipynb", "b.ipynb"):
        shutil.copy(notebook, root / "submission_103" / name)
    return root


def test_flat_layout_names_students_by_file(course, tmp_path):
    """Does a flat folder give one student per <student>.ipynb, untimed unless --mtime?"""
    a = course.assignment("softmax")
    entries = batch.discover([EXAMPLES], a)
    assert batch.layout_of(EXAMPLES, a) == "flat"
    assert [e.students for e in entries] == [(n,) for n in
                                            ("alice", "bob", "carol", "dave", "erin", "frank")]
    assert all(e.submitted is None for e in entries)
    timed = batch.discover([EXAMPLES], a, use_mtime=True)
    assert all(e.submitted and e.submitted.tzinfo for e in timed)


def test_nbgrader_layout_reads_students_and_timestamps(course, tmp_path):
    """Does submitted/<student>/<assignment>/ give ids, timestamp.txt times and clear problems?"""
    a = course.assignment("softmax")
    root = nbgrader_layout(tmp_path / "course", a.solution_notebook)
    for given in (root, root / "submitted"):
        assert batch.layout_of(given, a) == "nbgrader"
        entries = batch.discover([given], a)
        assert [e.students[0] for e in entries] == ["alice", "bob", "carol"]
    alice, bob, carol = entries
    assert alice.submitted == dt.datetime(2026, 12, 4, 23, 59, tzinfo=UTC)
    assert bob.submitted == dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert carol.problem == "the submission has no notebook (expected softmax.ipynb)"


def test_gradescope_export_reads_submitters_and_created_at(course, tmp_path):
    """Does a Gradescope export give SIDs (e-mail when empty), groups, created_at and problems?"""
    a = course.assignment("softmax")
    root = gradescope_layout(tmp_path / "export", a.solution_notebook)
    assert batch.layout_of(root, a) == "gradescope"
    erin, hal, group = batch.discover([root], a)  # sorted by student id
    assert erin.students == ("9001",) and erin.path.name == "softmax.ipynb"
    assert erin.submitted == dt.datetime(2026, 12, 5, 0, 10, 0, 123456, tzinfo=UTC)
    assert group.students == ("frank@example.edu", "9003") and group.path.name == "mine.ipynb"
    assert group.submitted == dt.datetime(2026, 12, 9, 16, 0, tzinfo=UTC)
    assert "2 notebooks (a.ipynb, b.ipynb)" in hal.problem


@pytest.mark.parametrize("text, expected", [
    ("2026-12-05 10:00:00.123456 UTC", dt.datetime(2026, 12, 5, 10, 0, 0, 123456, tzinfo=UTC)),
    ("2026-12-05 02:00:00 -0800", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
    ("2026-12-05T11:00:00+01:00", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
    ("2026-12-05 02:00:00 America/Los_Angeles", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
    ("2026-12-05 10:00:00", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
    ("2026-12-05 02:00:00.000000 PST", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
    ("2026-12-05 19:00:00 KST", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
    ("2026-12-05 05:00:00 EST", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
    ("yesterday", None), ("", None), (None, None), ("2026-12-05 10:00:00 IST", None),
])
def test_submission_times_parse_to_aware_datetimes(text, expected):
    """Do nbgrader, ISO, zone-named and abbreviated timestamps parse to the same instant?"""
    assert batch.parse_time(text) == expected


@pytest.mark.parametrize("text, problem", [
    (None, ""), ("  ", ""), ("2026-12-05 10:00:00 UTC", ""),
    ("2026-12-05 10:00:00 IST", "submission time '2026-12-05 10:00:00 IST' could not be read "
                                "(unknown time zone)"),
    ("last tuesday", "submission time 'last tuesday' could not be read (not an ISO 8601 or "
                     "nbgrader time)"),
])
def test_unreadable_times_are_reported_never_taken_as_on_time(text, problem):
    """Does a time that is there but cannot be read give its raw value and the reason?"""
    when, why = batch.read_time(text)
    assert why == problem and (when is None) == (text is None or not text.strip() or bool(why))


def test_late_penalties_follow_the_course_policy(course, tier, tmp_path):
    """Do timestamps in the layouts give course.yaml's penalty: 0 in grace, 10%/day, cap 50%?"""
    from autograder import final

    a = course.assignment("softmax")
    roots = [nbgrader_layout(tmp_path / "nb", a.solution_notebook),
             gradescope_layout(tmp_path / "gs", a.solution_notebook)]
    plan = batch.prepare(a, roots, tmp_path / "out", seed=3)
    result = batch.run(plan, tier=tier)
    grades = {r.submission: final.for_report(r, course) for r in result.reports}
    got = {r.submission: (grades[r.submission].late_penalty, grades[r.submission].final_score,
                          r.problem != "") for r in result.reports}
    assert got == {"alice": (0.0, 14, False), "bob": (0.2, 11.2, False), "carol": (0.0, 0, True),
                   "9001": (0.0, 14, False),  # 11 minutes late: inside the 15 min of grace
                   "frank@example.edu": (0.5, 7, False), "9003": (0.5, 7, False),
                   "9004": (0.0, 0, True)}
    bob = next(r for r in result.reports if r.submission == "bob")
    assert bob.extra["submitted"] == "2026-12-06T12:00:00+00:00"


def test_old_records_still_load(course, tmp_path):
    """Does a version 1 record (with the late penalty it stored) load, without that penalty?"""
    a = course.assignment("softmax")
    old = {"version": 1, "fingerprint": "x", "report": {
        "assignment": "softmax", "submission": "zed", "path": "z.ipynb", "checks": [],
        "functions": [{"function": "softmax", "score": 2.0, "max_score": 2.0}], "score": 2.0,
        "max_score": 14.0, "manual_pending": 5.0, "late_penalty": 0.3,
        "extra": {"submitted": "2026-12-05T12:00:00+00:00"}}}
    folder = tmp_path / batch.RECORDS
    folder.mkdir()
    (folder / f"zed{batch.RECORD_SUFFIX}").write_text(json.dumps(old))
    (report,) = batch.Store(tmp_path).reports()
    assert report.score == 2 and report.submitted == "2026-12-05T12:00:00+00:00"
    assert not hasattr(report, "late_penalty") and a.id == report.assignment


def test_a_subset_graded_into_a_folder_keeps_the_whole_gradebook(course, tier, tmp_path):
    """Are the folder's other students still in its records after grading one more?"""
    a = course.assignment("softmax")
    out = tmp_path / "out"
    batch.run(batch.prepare(a, [EXAMPLES / "alice.ipynb", EXAMPLES / "bob.ipynb"], out,
                            seed=2), tier=tier)
    batch.run(batch.prepare(a, [EXAMPLES / "carol.ipynb"], out), tier=tier)
    assert batch.Store(out).students() == ["alice", "bob", "carol"]


def test_a_regrade_keeps_the_records_it_replaces(course, tier, tmp_path):
    """Does --regrade copy the old records to _records/history/ before replacing them?"""
    a = course.assignment("softmax")
    out = tmp_path / "out"
    batch.run(batch.prepare(a, [EXAMPLES / "alice.ipynb"], out, seed=2), tier=tier)
    plan = batch.prepare(a, [EXAMPLES / "alice.ipynb"], out, seed=5, regrade=True)
    assert [r.seed for r in plan.previous] == [2]
    batch.run(plan, tier=tier)
    (kept,) = (out / batch.RECORDS / batch.HISTORY).glob(f"*/alice{batch.RECORD_SUFFIX}")
    assert json.loads(kept.read_text())["report"]["seed"] == 2
    assert batch.Store(out).report("alice").seed == 5


def test_resume_skips_graded_submissions_and_keeps_the_seed(course, tier, tmp_path):
    """Does a second run read reports back (same seed), regrade a changed file, and --regrade?"""
    a = course.assignment("softmax")
    folder = tmp_path / "subs"
    shutil.copytree(EXAMPLES, folder)
    out = tmp_path / "out"
    first = batch.run(batch.prepare(a, [folder], out), tier=tier)
    assert (first.graded, first.reused) == (6, 0)
    again = batch.run(batch.prepare(a, [folder], out), tier=tier)
    assert (again.graded, again.reused, again.seed) == (0, 6, first.seed)
    assert again.reports == first.reports
    shutil.copy(EXAMPLES / "alice.ipynb", folder / "bob.ipynb")  # bob resubmits
    changed = batch.run(batch.prepare(a, [folder], out), tier=tier)
    assert (changed.graded, changed.reused) == (1, 5)
    bob = next(r for r in changed.reports if r.submission == "bob")
    assert bob.score == 14 and bob.seed == first.seed
    with pytest.raises(UsageError, match=f"pass --seed {first.seed} to resume"):
        batch.prepare(a, [folder], out, seed=first.seed + 1)
    regraded = batch.run(batch.prepare(a, [folder], out, seed=99, regrade=True), tier=tier)
    assert (regraded.graded, regraded.seed) == (6, 99)
    assert {r.seed for r in regraded.reports} == {99}


def test_records_round_trip_every_field(course, grade, submission):
    """Does a saved record read back into the very same Report (checks, cells, extras)?"""
    report = grade("softmax", submission("softmax", append=["import numpy as np\n"
                                                              "np.sum = sum\n"]))
    report = replace(report, extra={"submitted": "2026-12-05T00:00:00+00:00"})
    data = json.loads(json.dumps(batch.report_to_data(report)))
    assert batch.report_from_data(data) == report


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_bad_shards_are_refused(text):
    """Is a shard outside 1..n, or not i/n, a usage error?"""
    with pytest.raises(UsageError, match="--shard must be i/n"):
        batch.Shard.parse(text)


def test_shards_are_disjoint_and_cover_the_batch(course):
    """Do the n shards split the sorted batch into disjoint parts that cover it?"""
    entries = batch.discover([EXAMPLES], course.assignment("softmax"))
    parts = [batch.Shard.parse(f"{i}/4").select(entries) for i in range(1, 5)]
    names = [e.students[0] for part in parts for e in part]
    assert sorted(names) == [e.students[0] for e in entries] and len(set(names)) == len(names)
    assert [len(p) for p in parts] == [2, 2, 1, 1]


def test_merge_refuses_overlapping_or_inconsistent_shards(course, tier, tmp_path):
    """Does merge refuse a student graded twice, different seeds, and a folder with no records?"""
    a = course.assignment("softmax")
    one = EXAMPLES / "alice.ipynb"
    for name, seed in [("s1", 1), ("s2", 1)]:
        batch.run(batch.prepare(a, [one], tmp_path / name, seed=seed), tier=tier)
    with pytest.raises(UsageError, match="alice was graded in both"):
        batch.merge([tmp_path / "s1", tmp_path / "s2"], tmp_path / "m")
    shutil.rmtree(tmp_path / "s2" / batch.RECORDS)
    batch.run(batch.prepare(a, [EXAMPLES / "bob.ipynb"], tmp_path / "s2", seed=2), tier=tier)
    with pytest.raises(UsageError, match="differ in seed"):
        batch.merge([tmp_path / "s1", tmp_path / "s2"], tmp_path / "m")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="holds no graded batch"):
        batch.merge([tmp_path / "empty"], tmp_path / "m")
    with pytest.raises(UsageError, match="one of the shards"):
        batch.merge([tmp_path / "s1"], tmp_path / "s1")


def test_merge_refuses_shards_of_different_batches_or_a_missing_part(course, tier, tmp_path):
    """Are shards of other folders, or 2 of 3 parts, refused with what is wrong?"""
    a = course.assignment("softmax")
    two = tmp_path / "two"
    two.mkdir()
    for name in ("alice", "bob"):
        shutil.copy(EXAMPLES / f"{name}.ipynb", two)
    for i in (1, 2):
        batch.prepare(a, [EXAMPLES], tmp_path / f"all{i}", seed=1, shard=batch.Shard(i, 3))
        batch.prepare(a, [two], tmp_path / f"two{i}", seed=1, shard=batch.Shard(i, 2))
    with pytest.raises(UsageError, match="missing 3/3"):
        batch.merge([tmp_path / "all1", tmp_path / "all2"], tmp_path / "m")
    with pytest.raises(UsageError, match="do not cover the same batch"):
        batch.merge([tmp_path / "all1", tmp_path / "two2"], tmp_path / "m")
