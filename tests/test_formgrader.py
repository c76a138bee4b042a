"""`autograder formgrader`: nbgrader's formgrader over a results folder, on loopback, driven
through its own HTTP API, and its landing page as headless Chromium renders it."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from autograder import batch, final, formgrader, written
from conftest import ROOT
from test_class_report import ARTIFACTS, chromium, needs_chromium
from test_written import results_folder

pytestmark = pytest.mark.slow


def api(server: formgrader.Server, path: str, method: str = "GET",
        body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def wait_until_up(server: formgrader.Server, process: Any, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process.poll() is not None:
            log = (server.root / "formgrader.log").read_text(errors="replace")
            raise AssertionError(f"the server exited: {log[-2000:]}")
        try:
            api(server, "/formgrader/api/status")
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise AssertionError("formgrader did not answer in time")


@pytest.fixture(scope="module")
def running(course, tmp_path_factory):  # type: ignore[no-untyped-def]
    results = results_folder(course, tmp_path_factory.mktemp("formgrader") / "results")
    server = formgrader.prepare(results, course)
    process = formgrader.start(server)
    try:
        wait_until_up(server, process)
        yield results, server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except Exception:  # noqa: BLE001 - a server that will not stop is killed
            process.kill()


def test_the_folder_has_what_formgrader_needs(running):
    """Does the course folder hold source/, autograded/ and the database, on loopback only?"""
    results, server = running
    root = results / "nbgrader"
    assert (root / "source" / "softmax" / "softmax.ipynb").is_file()
    assert (root / "autograded" / "ann" / "softmax" / "softmax.ipynb").is_file()
    assert (root / "gradebook.db").is_file()
    assert "--ServerApp.ip=127.0.0.1" in server.command()
    assert server.url.startswith(f"http://127.0.0.1:{server.port}/formgrader?token=")


def test_the_assignment_is_listed_and_a_written_answer_can_be_scored(course, running):
    """Through formgrader's API: is softmax listed with its submissions, and does a score PUT
    there reach the store and the final grade?"""
    results, server = running
    assignments = api(server, "/formgrader/api/assignments")
    assert [a["name"] for a in assignments] == ["softmax"]
    assert assignments[0]["num_submissions"] == 2
    notebooks = api(server, "/formgrader/api/submitted_notebooks/softmax/softmax")
    ann = next(n for n in notebooks if n["student"] == "ann")
    grades = api(server, f"/formgrader/api/grades?submission_id={ann['id']}")
    answer = next(g for g in grades if g["name"] == "softmax-q-scale")
    assert answer["needs_manual_grade"] and answer["max_score"] == 2
    saved = api(server, f"/formgrader/api/grade/{answer['id']}", "PUT", {"manual_score": 1.5})
    assert saved["manual_score"] == 1.5
    scores = written.load(results)
    assert scores[("softmax", "ann")]["softmax-q-scale"].score == 1.5
    (report,) = [r for r in batch.Store(results).reports() if r.submission == "ann"]
    assert final.for_report(report, course, scores).written == 1.5


@needs_chromium
def test_the_landing_page_renders(running, tmp_path):
    """Does headless Chromium show formgrader's landing page (kept as a screenshot)?"""
    from matplotlib.image import imread

    _, server = running
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "formgrader.png"
    shot.unlink(missing_ok=True)
    dom = chromium("--virtual-time-budget=15000", "--dump-dom", server.url,
                   profile=tmp_path / "dom")
    assert "softmax" in dom and "Manage Assignments" in dom, dom[-1500:]
    chromium("--virtual-time-budget=15000", f"--screenshot={shot}", server.url,
             profile=tmp_path / "shot", height=900)
    pixels = imread(shot)
    assert pixels.shape[:2] == (900, 1200) and pixels[..., :3].std() > 0.05
    assert Path(shot).stat().st_size > 10_000
    assert ROOT.is_dir()
