"""The largest notebook the loader accepts: huge literals, a million JSON values, 16 MiB.

A notebook with a list of millions of elements in one cell once drove the trusted process to
gigabytes, and its parsed trees stayed cached while later submissions were graded. A safe
grader bounds what it reads and parses (bytes, JSON values, characters per cell and per
notebook) and what it keeps: the largest accepted notebook, a correct solution padded to
every cap, earns exactly what the unpadded control earns, and grading it costs the trusted
process no more than a small multiple of the memory and CPU an honest submission costs.
"""
import sys

from .conftest import ROOT, needs_bwrap

pytestmark = needs_bwrap

sys.path.insert(0, str(ROOT / "bench"))
import bench_hostile  # noqa: E402

MEMORY_RATIO, CPU_RATIO = 2.0, 4.0
"""How much more the largest accepted notebook may cost the trusted process than an honest
one (measured 1.1x memory and 1.6x CPU)."""


def test_the_largest_accepted_notebook_is_graded_cheaply(grade_batch, hostile_course,
                                                         tmp_path):
    """Is a notebook at every cap graded like the control, at a small multiple of its cost?"""
    largest = bench_hostile.largest_notebook(hostile_course.assignment, tmp_path / "big.ipynb")
    honest = bench_hostile.honest_notebook(hostile_course.assignment, tmp_path / "honest.ipynb")
    batch = grade_batch(hostile_course, {"largest": largest}, budget=90)
    batch.earns_like("largest", "control")
    course_yaml = hostile_course.root / "course.yaml"
    base = bench_hostile.trusted_cost(course_yaml, "softmax", honest)
    big = bench_hostile.trusted_cost(course_yaml, "softmax", largest)
    assert big["score"] == base["score"] and not big["problem"]
    assert big["rss_kib"] <= MEMORY_RATIO * base["rss_kib"], (big, base)
    assert big["cpu_s"] <= CPU_RATIO * base["cpu_s"], (big, base)
