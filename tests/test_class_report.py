"""The class report: statistics, the page, and the page as headless Chromium renders it."""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
import shutil
import struct
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from autograder import scoring
from autograder.course import Course
from autograder.grading import grade_many
from autograder.records import CheckRecord, Report
from autograder.reports import class_report
from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
"""Screenshots kept after the run (gitignored)."""
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not "
                                    "installed (apt-get install chromium; ./install.sh test)")
SIZES_SCRIPT = """<script>
window.addEventListener("load", () => {
  const sizes = [...document.images].map(i => [i.naturalWidth, i.naturalHeight,
    Math.round(i.getBoundingClientRect().width), Math.round(i.getBoundingClientRect().height)]);
  const out = document.createElement("pre");
  out.id = "figure-sizes";
  out.textContent = JSON.stringify(sizes);
  document.body.appendChild(out);
});
</script></body>"""
"""Added to a copy of the page only: the report itself has no scripts."""
HEIGHT_SCRIPT = """<script>
window.addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "page-height";
  out.textContent = String(document.documentElement.scrollHeight);
  document.body.appendChild(out);
});
</script></body>"""
UTC = dt.timezone.utc


def record(name: str, function: str, status: str, hint: str = "",
           message: str = "") -> CheckRecord:
    return CheckRecord(id=f"t.py::{name}", name=name, function=function, points=1.0,
                       score=1.0 if status == "passed" else 0.0, status=status,
                       visibility="hidden", hint=hint, message=message)


def synthetic(course: Course) -> list[Report]:
    a = course.assignment("softmax")

    def make(name: str, stable: str, hint: str = "", **more: Any) -> Report:
        checks = [record("known answers", "softmax", "passed"),
                  record("stable at 1e3", "softmax", stable, hint, "softmax overflowed")]
        return scoring.score(a, checks, submission=name, path=f"{name}.ipynb", seed=1,
                             tier="bubblewrap", **more)
    late = replace(make("cid", "failed", "subtract the max first"),
                   extra={"submitted": "2026-12-06T12:00:00+00:00"})  # 2 started days: 20%
    return [make("ann", "passed"), make("ben", "failed", "subtract the max first"), late,
            make("<b>dee</b>", "error", flags=("imports the grader: autograder (cell 3)",))]


def test_checks_are_ordered_by_pass_rate_with_their_hints(course):
    """Is the most failed check first, with the hint that fired and how often?"""
    stats = class_report.check_stats(synthetic(course))
    assert [s.name for s in stats] == ["stable at 1e3", "known answers"]
    worst = stats[0]
    assert (worst.graded, worst.passed, worst.rate) == (4, 1, 0.25)
    assert worst.hints == (("subtract the max first", 2),)
    assert worst.messages == (("softmax overflowed", 3),)


def test_late_submissions_follow_the_grace_period_and_extensions(course):
    """Is a submission inside the grace period on time, one after it late, and one with an
    extension on time?"""
    from autograder import final

    base = Report("softmax", "x", "x.ipynb", (), (), 1.0, 1.0)
    times = {"early": "2026-12-01T00:00:00+00:00", "graced": "2026-12-05T00:05:00+00:00",
             "after-grace": "2026-12-05T00:20:00+00:00", "extended": "2026-12-06T00:00:00+00:00"}
    reports = [replace(base, submission=n, extra={"submitted": t}) for n, t in times.items()]
    extended = replace(course, extensions={("extended", "softmax"): dt.datetime(
        2026, 12, 7, tzinfo=UTC)})
    grades = final.for_reports(reports, extended)
    late = class_report.late_submissions(reports, grades, course.late_policy.grace_minutes)
    assert [x.submission for x in late] == ["after-grace"]
    assert late[0].days == pytest.approx(21 / 1440) and late[0].penalty == 0.1


def png_size(uri: str) -> tuple[int, int]:
    data = base64.b64decode(uri.split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_page_embeds_figures_and_escapes_names(course):
    """Does the page hold five PNG figures of the declared size and escape student names?"""
    page = class_report.render(synthetic(course), course=course)
    images = re.findall(r'<img src="(data:image/png;base64,[^"]+)" width="(\d+)" '
                        r'height="(\d+)"', page)
    assert len(images) == 5  # scores, functions, checks, lateness, flags
    for uri, width, height in images:
        assert png_size(uri) == (int(width), int(height)) and int(width) > 100
    assert "<b>dee</b>" not in page and "&lt;b&gt;dee&lt;/b&gt;" in page
    assert "imports the grader: autograder (cell 3)" in page
    assert "subtract the max first (x2)" in page
    assert "<script" not in page


def test_page_without_submissions_or_checks(course):
    """Do an empty batch and a batch of unreadable notebooks still give a page?"""
    assert "No submissions." in class_report.render([], course=course)
    broken = scoring.broken(course.assignment("softmax"), submission="f", path="f.ipynb",
                            problem="not JSON", seed=1, tier="none")
    page = class_report.render([broken], course=course)
    assert "No check ran" in page and "not JSON" in page


@pytest.fixture(scope="module")
def graded_examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Report], Path]:
    """The sample submissions, graded for real, two of them stamped late; the written page."""
    from autograder import course as course_mod
    from autograder.sandbox import choose_tier

    course = course_mod.load(ROOT / "course.yaml")
    a = course.assignment("softmax")
    paths = sorted((ROOT / "examples" / "softmax").glob("*.ipynb"))
    times = [a.due - dt.timedelta(hours=h) for h in (30, -20, 2, 5, -50, 1)]
    reports = grade_many(a, paths, seed=11, tier=choose_tier(allow_unsafe=True), jobs=2,
                         submitted=times)
    path = tmp_path_factory.mktemp("report") / "class-report.html"
    class_report.write(reports, path, course=course)
    return reports, path


def chromium(*args: str, profile: Path, height: int = 2000) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               f"--window-size=1200,{height}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@needs_chromium
def test_chromium_renders_every_figure(graded_examples, tmp_path):
    """Does headless Chromium load every figure of a real batch's report with a real size?"""
    reports, path = graded_examples
    from autograder import course as course_mod
    from autograder import final

    grades = final.for_reports(reports, course_mod.load(ROOT / "course.yaml"))
    assert any(g.late_penalty > 0 for g in grades) and any(r.flags for r in reports)
    probe = path.with_name("probe.html")
    probe.write_text(path.read_text().replace("</body>", SIZES_SCRIPT), encoding="utf-8")
    dom = chromium("--dump-dom", probe.as_uri(), profile=tmp_path / "profile")
    found = re.search(r'<pre id="figure-sizes">([^<]*)</pre>', dom)
    assert found, dom[-500:]
    sizes = json.loads(found.group(1))
    assert len(sizes) == 5
    for natural_w, natural_h, shown_w, shown_h in sizes:
        assert natural_w > 100 and natural_h > 100 and shown_w > 100 and shown_h > 100
    for heading in ("Scores", "Points per function", "Checks: the most common mistakes first",
                    "Late submissions", "Integrity flags"):
        assert f"<h3>{heading}</h3>" in dom


@needs_chromium
def test_chromium_screenshot_is_kept_as_an_artifact(graded_examples, tmp_path):
    """Are screenshots of the rendered report (top, whole page) kept, and not blank?"""
    from matplotlib.image import imread

    _, path = graded_examples
    ARTIFACTS.mkdir(exist_ok=True)
    shot, full = ARTIFACTS / "class-report.png", ARTIFACTS / "class-report-full.png"
    for old in (shot, full):
        old.unlink(missing_ok=True)
    chromium(f"--screenshot={shot}", path.as_uri(), profile=tmp_path / "profile")
    pixels = imread(shot)
    assert pixels.shape[:2] == (2000, 1200)
    assert pixels[..., :3].std() > 0.05  # text and figures, not an empty page
    probe = path.with_name("height.html")
    probe.write_text(path.read_text().replace("</body>", HEIGHT_SCRIPT), encoding="utf-8")
    height = int(re.search(r'<pre id="page-height">(\d+)</pre>',
                           chromium("--dump-dom", probe.as_uri(),
                                    profile=tmp_path / "profile")).group(1))
    chromium(f"--screenshot={full}", path.as_uri(), profile=tmp_path / "profile",
             height=min(height + 40, 16000))
    assert imread(full).shape[0] > 2000
    shutil.copy(path, ARTIFACTS / "class-report.html")
