"""Files that are not what they seem: a submission that is a symbolic link, or a FIFO.

A submission path that is a symlink to the instructor's solution notebook would earn full
marks and file the solution's written answers as the student's; a FIFO would block the
grader's read forever. A safe grader refuses both with a clear message, and each earns exactly
what the untouched stub earns.
"""
import os

from .conftest import needs_bwrap

pytestmark = needs_bwrap


def test_links_and_fifos_are_refused(grade_batch, hostile_course, tmp_path):
    """Does a symlink to the solution (or a FIFO) earn what the stub earns, with a message?"""
    folder = tmp_path / "links"
    folder.mkdir()
    link = folder / "link.ipynb"
    link.symlink_to(hostile_course.root / "solutions/softmax/softmax.ipynb")
    fifo = folder / "fifo.ipynb"
    os.mkfifo(fifo)
    stub = hostile_course.assignment.release_notebook
    batch = grade_batch(hostile_course, {"link": link, "fifo": fifo, "stub": stub}, budget=60)
    batch.earns_like("link", "stub")
    batch.earns_like("fifo", "stub")
    assert "symbolic link" in batch.reports["link"].problem
    assert "not a regular file" in batch.reports["fifo"].problem
    assert not batch.reports["link"].answers
