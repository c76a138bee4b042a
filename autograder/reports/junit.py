"""JUnit XML for CI: a testsuite per submission, a testcase per check.

Testcases say what a student may see now (disclosure.py): a check not shown yet is left out,
failures carry the message at the check's level and its hint, never the instructor's detail or
the seed, so the file can be published by CI. A notebook that could not be read is one failing
testcase.
Flags are not written here: they are for the instructor (grades.csv and the class report).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Sequence

import datetime as dt

from .. import disclosure
from ..disclosure import NONE, Disclosure, Moment
from ..final import FinalGrade, for_report
from ..records import CheckRecord, Report

_XML_BAD = {c: None for c in range(32) if chr(c) not in "\t\n\r"}
"""Control characters XML 1.0 cannot hold (a student's exception text may contain them)."""


def _text(value: object) -> str:
    return str(value).translate(_XML_BAD)


def testsuites(reports: Sequence[Report], finals: Sequence[FinalGrade] | None = None, *,
               now: dt.datetime | None = None,
               published: bool = False, policy: Disclosure | None = None,
               dues: dict[str, dt.datetime | None] | None = None) -> ET.Element:
    """The <testsuites> element of a batch, as students may see it at `now`."""
    now = now or dt.datetime.now(dt.timezone.utc)
    root = ET.Element("testsuites", name="autograder")
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    time = 0.0
    finals = finals or [for_report(r, None) for r in reports]
    for report, final in zip(reports, finals):
        moment = Moment(now, (dues or {}).get(report.assignment), published)
        suite = _suite(report, final, moment, policy)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
        time += report.execution_time
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{time:.3f}")
    return root


def _suite(report: Report, final: FinalGrade, moment: Moment, policy: Disclosure | None
           ) -> ET.Element:
    suite = ET.Element("testsuite", name=_text(f"{report.assignment}.{report.submission}"),
                       time=f"{report.execution_time:.3f}")
    props = ET.SubElement(suite, "properties")
    for name, value in (("score", f"{report.score:g}"), ("max_score", f"{report.max_score:g}"),
                        ("late_penalty", f"{final.late_penalty:g}"),
                        ("final_score", f"{final.final_score:g}"), ("isolation", report.tier)):
        ET.SubElement(props, "property", name=name, value=_text(value))
    shown = [(c, disclosure.level(c, moment, policy)) for c in report.checks]
    cases = [_case(report, c, lv) for c, lv in shown if lv != NONE] or [_problem_case(report)]
    suite.extend(cases)
    counts = {"failures": "failure", "errors": "error", "skipped": "skipped"}
    for key, tag in counts.items():
        suite.set(key, str(sum(1 for c in cases if c.find(tag) is not None)))
    suite.set("tests", str(len(cases)))
    cells = [f"{c.label}: {c.status}: {c.message}" for c in report.cells if c.status != "ok"]
    if cells:
        ET.SubElement(suite, "system-out").text = _text("\n".join(cells))
    return suite


def _case(report: Report, check: CheckRecord, level: str) -> ET.Element:
    case = ET.Element("testcase", name=_text(check.name),
                      classname=_text(f"{report.assignment}.{report.submission}."
                                      f"{check.function or 'notebook'}"),
                      time=f"{check.duration:.3f}")
    if check.status == "passed":
        return case
    if check.status == "skipped":
        ET.SubElement(case, "skipped", message=_text(check.message or "not graded"))
        return case
    tag = "error" if check.status == "error" else "failure"
    body = list(disclosure.view(check, level).notes) or [check.status]
    element = ET.SubElement(case, tag, message=_text(body[0]), type=check.status)
    element.text = _text("\n".join(body) + f"\n({check.score:g} / {check.points:g} points)")
    return case


def _problem_case(report: Report) -> ET.Element:
    case = ET.Element("testcase", name="the notebook can be read",
                      classname=_text(f"{report.assignment}.{report.submission}.notebook"),
                      time="0.000")
    if report.problem:
        ET.SubElement(case, "failure", message=_text(report.problem), type="problem").text = \
            _text(report.problem)
    return case


def write(reports: Sequence[Report], path: Path, finals: Sequence[FinalGrade] | None = None,
          **when: object) -> None:
    """junit.xml; `when` as testsuites takes it (now, published, policy, dues)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(testsuites(reports, finals, **when))  # type: ignore[arg-type]
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
