"""Test the tests: known-buggy variants lose points on the check meant to catch them, with a
hint that names the mistake; different but correct variants earn full marks.

A variant is a file tests/variants/<assignment>/<name>.py whose header says what it is:

    # kind: buggy                      (or: correct)
    # replaces: softmax-impl           (grade_id of the solution cell it replaces)
    # catches: test_softmax_stable     (buggy: test names that must lose points, comma-separated)
    # hint: overflow                   (buggy: words that must appear in one of their hints)

The rest of the file is the cell's new source. The submission is the solution notebook with
that one cell replaced, graded with a fixed seed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import function_points

VARIANTS = sorted((Path(__file__).parent / "variants").glob("*/*.py"))


def header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text().splitlines():
        if not line.startswith("# ") or ":" not in line:
            break
        key, value = line[2:].split(":", 1)
        fields[key.strip()] = value.strip()
    return fields


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_variant(path, course, submission, grade):
    """Is a buggy variant caught (with its hint) and a correct one given full marks?"""
    meta = header(path)
    assert meta.get("kind") in ("buggy", "correct"), f"{path}: header needs '# kind:'"
    a = course.assignment(path.parent.name)
    report = grade(a, submission(a.id, name=path.stem, replace={meta["replaces"]: path.read_text()}),
                   seed=2024)
    if meta["kind"] == "correct":
        assert report.score == a.auto_points, [(c.id, c.message) for c in report.checks
                                               if c.status != "passed"]
        return
    names = [n.strip() for n in meta["catches"].split(",")]
    for name in names:
        matching = [c for c in report.checks if c.id.split("::")[-1].split("[")[0] == name]
        assert matching, f"no check named {name}"
        assert all(c.score < c.points for c in matching), f"{name} did not catch {path.stem}"
    caught = [c for c in report.checks if c.id.split("::")[-1].split("[")[0] in names]
    words = meta.get("hint", "").lower()
    if words:
        hints = " | ".join(c.hint for c in caught).lower()
        assert words in hints, f"hint {words!r} not in: {hints[:500]}"
    assert report.score < a.auto_points
    assert function_points(report) != dict(a.functions)
