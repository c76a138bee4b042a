"""Command line: thin argparse adapters over the public functions.

The only place that catches broadly and maps errors to exit codes. Defaults come from the
signatures of the functions each command calls.
"""
from __future__ import annotations

import argparse
import datetime as dt
import inspect
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

import yaml

from . import batch, bundle, final, formgrader, notebooks, release, selfcheck, validate, written
from . import course as course_mod
from .errors import AutograderError, UsageError
from .i18n import LANGUAGES
from .records import Report
from .reports import table, write_all
from .sandbox import choose_tier


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    """A tool error: the course, the command line or the machine."""
    USAGE = 2
    """argparse's own status for a command line it cannot parse."""
    FAILED = 3
    """The command ran and what it checked failed (`validate`, `check`)."""


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args, stdout, stderr))
    except AutograderError as exc:
        if args.traceback:
            raise
        print(f"autograder: error: {exc}", file=stderr)
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        print("autograder: interrupted", file=stderr)
        return ExitStatus.ERROR
    except yaml.YAMLError as exc:  # a configuration file that is not YAML: never a traceback
        if args.traceback:
            raise
        print(f"autograder: error: {' '.join(str(exc).split())}", file=stderr)
        return ExitStatus.ERROR


def default(fn: Callable[..., Any], name: str) -> Any:
    """The default of a parameter, from the signature of the function a command calls."""
    return inspect.signature(fn).parameters[name].default


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=(
        "Grade Jupyter notebooks with hidden tests; student code runs in a sandbox."))
    parser.add_argument("--course", type=Path, default=Path("course.yaml"),
                        help="the course file (default: ./course.yaml)")
    parser.add_argument("--traceback", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", required=True)
    _grade_parser(sub)
    _merge_parser(sub)
    _written_parsers(sub)
    _instructor_parsers(sub)
    _gradescope_parsers(sub)
    c = sub.add_parser("check", help="run the public checks of an assignment on a notebook")
    c.add_argument("notebook", type=Path, help="the notebook to check")
    c.add_argument("--assignment", default=default(selfcheck.run_public_checks, "expected"),
                   help="the assignment it must be for (default: the notebook's metadata)")
    c.add_argument("--lang", choices=LANGUAGES, default=None,
                   help="language of the output (default: course.yaml's, else en)")
    c.set_defaults(run=cmd_check)
    return parser


def _unsafe(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="grade even if no sandbox is available (student code can then read "
                        "files and use the network)")


def _grade_parser(sub: Any) -> None:
    g = sub.add_parser("grade", help="grade submitted notebooks (flat folder, nbgrader's "
                                     "submitted/ or a Gradescope export)")
    g.add_argument("assignment", help="assignment id from course.yaml")
    g.add_argument("submissions", nargs="+", type=Path,
                   help="notebooks, or folders of them in one of the supported layouts")
    g.add_argument("--out", type=Path, default=Path("results"), help="output folder")
    g.add_argument("--jobs", type=int, default=default(batch.run, "jobs"),
                   help="submissions graded in parallel")
    g.add_argument("--seed", type=int, default=default(batch.prepare, "seed"),
                   help="seed for the hidden tests' inputs (default: the one --out recorded, "
                        "else a new one)")
    g.add_argument("--regrade", action="store_true",
                   help="grade again the submissions --out already holds")
    g.add_argument("--shard", default=None, metavar="I/N",
                   help="grade only the I-th of N parts (merge them with `autograder merge`)")
    g.add_argument("--mtime", action="store_true", default=default(batch.prepare, "use_mtime"),
                   help="use file modification times as submission times where the layout "
                        "records none (flat folders)")
    g.add_argument("--nbgrader-db", action="store_true",
                   help="also write nbgrader's gradebook database (nbgrader/gradebook.db) for "
                        "formgrader; `merge` and `report` always write it")
    _unsafe(g)
    g.add_argument("--quiet", action="store_true", help="print only the summary")
    g.set_defaults(run=cmd_grade)


def _merge_parser(sub: Any) -> None:
    m = sub.add_parser("merge", help="merge the output folders of `grade --shard` into one")
    m.add_argument("folders", nargs="+", type=Path, help="output folders of the shards")
    m.add_argument("--out", type=Path, default=Path("results"), help="merged output folder")
    m.set_defaults(run=cmd_merge)

    r = sub.add_parser("report", help="rewrite every output from graded folders (e.g. after "
                                      "the due date, or one gradebook for several assignments)")
    r.add_argument("folders", nargs="+", type=Path, help="output folders of `grade`")
    r.add_argument("--out", type=Path, default=Path("report"), help="output folder")
    r.add_argument("--now", type=_timestamp, default=None,
                   help="show after_due_date checks as of this ISO time (default: now)")
    r.add_argument("--published", action="store_true",
                   help="grades are published: show after_published checks")
    r.add_argument("--lang", choices=LANGUAGES, default=None,
                   help="language of the student feedback (default: course.yaml's, else en)")
    r.set_defaults(run=cmd_report)


def _written_parsers(sub: Any) -> None:
    f = sub.add_parser("formgrader", help="grade the written answers of a graded folder in "
                                          "nbgrader's formgrader (a local web page)")
    f.add_argument("results", type=Path, help="the --out folder of `grade` or `merge`")
    f.add_argument("--port", type=int, default=default(formgrader.prepare, "port"),
                   help="port on 127.0.0.1 (default: a free one)")
    f.set_defaults(run=cmd_formgrader)

    w = sub.add_parser("written", help="written-answer scores as a spreadsheet: export, import")
    ws = w.add_subparsers(dest="action", required=True)
    e = ws.add_parser("export", help="one row per student and written question")
    e.add_argument("results", type=Path, help="the --out folder of `grade` or `merge`")
    e.add_argument("--out", type=Path, default=Path("written.csv"), help="the CSV to write")
    e.set_defaults(run=cmd_written_export)
    i = ws.add_parser("import", help="record the score and comment columns of a spreadsheet")
    i.add_argument("results", type=Path, help="the --out folder of `grade` or `merge`")
    i.add_argument("csv", type=Path, help="the spreadsheet (columns student, question, "
                                          "score, comment)")
    i.set_defaults(run=cmd_written_import)

    x = sub.add_parser("export", help="final grades for a learning management system")
    xs = x.add_subparsers(dest="target", required=True)
    c = xs.add_parser("canvas", help="Canvas's gradebook import CSV")
    c.add_argument("folders", nargs="+", type=Path, help="graded folders (one per assignment)")
    c.add_argument("--out", type=Path, default=Path("canvas.csv"), help="the CSV to write")
    c.set_defaults(run=cmd_export_canvas)


def _instructor_parsers(sub: Any) -> None:
    v = sub.add_parser("validate", help="check the course: config, solutions, stubs, release")
    v.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    v.add_argument("--seed", type=int, default=default(validate.checklist, "seed"),
                   help="seed for the hidden tests' inputs")
    _unsafe(v)
    v.set_defaults(run=cmd_validate)

    r = sub.add_parser("release", help="build the student bundle: a folder and a zip")
    r.add_argument("assignment", help="assignment id from course.yaml")
    r.add_argument("--out", type=Path, default=default(bundle.release_bundle, "out"),
                   help="where <id>/ and <id>.zip are written")
    r.add_argument("--lang", choices=release.LANGUAGES,
                   default=default(bundle.release_bundle, "language"),
                   help="the English notebook, the Korean edition (with the glossary) or both")
    r.set_defaults(run=cmd_release)

    g = sub.add_parser("generate", help="write assignments/<id>/ from solutions/<id>/")
    g.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    g.set_defaults(run=cmd_generate)


def _gradescope_parsers(sub: Any) -> None:
    g = sub.add_parser("gradescope", help="build Gradescope's autograder.zip for an assignment")
    g.add_argument("assignment", help="assignment id from course.yaml")
    g.add_argument("--out", type=Path, default=default(bundle.gradescope_bundle, "out"),
                   help="where <id>-gradescope/autograder.zip is written")
    g.add_argument("--seed", type=int, default=default(bundle.gradescope_bundle, "seed"),
                   help="seed every submission is graded with (default: a new one)")
    g.set_defaults(run=cmd_gradescope)

    r = sub.add_parser("gradescope-run", help="inside Gradescope (run_autograder calls it): "
                                              "grade <root>/submission")
    r.add_argument("assignment", help="assignment id from course.yaml")
    r.add_argument("--root", type=Path, default=default(bundle.run_gradescope, "root"),
                   help="Gradescope's folder (default: /autograder)")
    r.add_argument("--seed", type=int, default=default(bundle.run_gradescope, "seed"))
    _unsafe(r)
    r.set_defaults(run=cmd_gradescope_run)


# --- commands -------------------------------------------------------------------------------


def cmd_grade(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    assignment = course.assignment(args.assignment)
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    shard = batch.Shard.parse(args.shard) if args.shard else None
    if shard is not None and args.seed is None:
        raise UsageError("--shard needs --seed, so that every shard draws the same inputs")
    validate.require_points(assignment)
    plan = batch.prepare(assignment, args.submissions, args.out, seed=args.seed,
                         regrade=args.regrade, shard=shard, use_mtime=args.mtime)
    if plan.reused:
        print(f"{len(plan.reused)} submission(s) already graded in {args.out} with seed "
              f"{plan.seed}: skipped (--regrade grades them again)", file=out)
    tier = choose_tier(allow_unsafe=args.unsafe_no_sandbox)
    progress = Progress(plan.students, err)
    scores = written.load(args.out)

    def done(report: Report) -> None:
        if not args.quiet:
            progress.clear()
            out.write(table.render(report, final=final.for_report(report, course, scores)))
            out.flush()
        progress.step(report.submission)

    result = batch.run(plan, tier=tier, jobs=args.jobs, on_report=done)
    progress.close()
    # the whole folder is one gradebook: every student it holds, not only this run's
    reports = batch.Store(args.out).reports()
    # the class report needs a class, and nbgrader's database costs seconds: both on request
    # (the database is kept up to date once it exists: it holds the written scores)
    write_all(reports, args.out, course=course, nbgrader=args.nbgrader_db,
              class_report_page=len(reports) > 1, written=scores)
    _time_notes(result, assignment, course, out)
    if result.previous:
        _changes(result.previous, reports, course, written.load(args.out), args.out, out)
    reused = f" ({result.reused} read back from {args.out})" if result.reused else ""
    held = f"; {args.out} holds {len(reports)}" if len(reports) != len(result.reports) else ""
    print(f"{table.summary_line(list(result.reports))}{reused}{held}; seed {result.seed}; "
          f"isolation {tier.name}; results in {args.out}", file=out)
    return ExitStatus.OK


def _time_notes(result: batch.BatchResult, assignment: course_mod.Assignment,
                course: course_mod.Course, out: TextIO) -> None:
    if result.untimed and assignment.due and course.late_policy.penalty_per_day:
        print(f"note: {result.untimed} submission(s) have no submission time in their layout, "
              "so no late penalty applies to them (--mtime uses file times)", file=out)
    if result.time_problems:
        print(f"warning: {len(result.time_problems)} submission time(s) could not be read, so "
              "no late penalty was applied to them (grades.csv marks them in `problem`):",
              file=out)
        for student, problem in result.time_problems:
            print(f"  {student}: {problem}", file=out)


def _changes(previous: Sequence[Report], reports: Sequence[Report],
             course: course_mod.Course, scores: written.Scores, folder: Path,
             out: TextIO) -> None:
    """Whose final score a regrade changed, and by how much (old records: _records/history/)."""
    now = {(r.assignment, r.submission): r for r in reports}
    lines = []
    for old in sorted(previous, key=lambda r: r.submission):
        new = now.get((old.assignment, old.submission))
        if new is None:
            continue
        before = final.for_report(old, course, scores).final_score
        after = final.for_report(new, course, scores).final_score
        if abs(after - before) > 1e-9:
            lines.append(f"  {old.submission}: {before:g} -> {after:g} "
                         f"({after - before:+g})")
    print(f"regraded {len(previous)} submission(s) (the records they replace are kept in "
          f"{folder / batch.RECORDS / batch.HISTORY}); "
          + (f"{len(lines)} final score(s) changed:" if lines else "no final score changed"),
          file=out)
    for line in lines:
        print(line, file=out)


def cmd_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    reports = batch.merge(args.folders, args.out)
    write_all(reports, args.out, course=course,
              written={**written.load_all(args.folders), **written.load(args.out)})
    print(f"merged {len(reports)} submission(s) from {len(args.folders)} folder(s); "
          f"{table.summary_line(reports)}; results in {args.out}", file=out)
    return ExitStatus.OK


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    reports = [r for folder in args.folders for r in batch.Store(folder).reports()]
    if not reports:
        raise UsageError("no graded submissions in " + ", ".join(map(str, args.folders)))
    write_all(reports, args.out, course=course, now=args.now, published=args.published,
              written=written.load_all(args.folders), lang=args.lang)
    print(f"{table.summary_line(reports)}; outputs in {args.out}", file=out)
    return ExitStatus.OK


def _graded(results: Path) -> tuple[str, list[Report]]:
    """The assignment and the reports of a graded folder (UsageError when it holds none)."""
    store = batch.Store(results)
    reports = store.reports()
    if not reports:
        raise UsageError(f"{results} holds no graded submissions (no {batch.RECORDS}/); pass "
                         "the --out folder of `autograder grade` or `autograder merge`")
    return str(store.meta().get("assignment") or reports[0].assignment), reports


def cmd_written_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    ident, reports = _graded(args.results)
    assignment = course.assignment(ident)
    count = written.export(reports, assignment, written.load(args.results), args.out)
    print(f"wrote {args.out}: {count} written answer(s) of {len(reports)} student(s); fill in "
          f"`score` and `comment`, then `autograder written import {args.results} "
          f"{args.out}`", file=out)
    return ExitStatus.OK


def cmd_written_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    ident, reports = _graded(args.results)
    assignment = course.assignment(ident)
    if not args.csv.is_file():
        raise UsageError(f"no such file: {args.csv}")
    entries = written.read_import(args.csv, assignment, [r.submission for r in reports])
    written.record(args.results, course, assignment, reports, entries)
    write_all(reports, args.results, course=course, class_report_page=len(reports) > 1,
              written=written.load(args.results))
    scored = sum(e.score is not None for e in entries)
    print(f"recorded {scored} score(s) and {sum(bool(e.comment) for e in entries)} "
          f"comment(s) from {args.csv}; outputs in {args.results} rewritten", file=out)
    return ExitStatus.OK


def cmd_export_canvas(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .reports import canvas

    course = course_mod.load(args.course)
    reports = [r for folder in args.folders for r in batch.Store(folder).reports()]
    if not reports:
        raise UsageError("no graded submissions in " + ", ".join(map(str, args.folders)))
    grades = final.for_reports(reports, course, written.load_all(args.folders))
    canvas.write(grades, course, args.out)
    print(f"wrote {args.out}: final grades of {len({g.student for g in grades})} student(s) "
          "for Canvas (Grades > Import)", file=out)
    return ExitStatus.OK


def cmd_formgrader(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    server = formgrader.prepare(args.results, course, port=args.port)
    print(f"formgrader for {args.results} (nbgrader course folder {server.root}):\n  "
          f"{server.url}\nopen it in a browser on this machine; Ctrl-C stops it. Scores "
          f"entered there count in every output: run `autograder report {args.results} "
          "--out report` or grade again.", file=out, flush=True)
    return ExitStatus.OK if formgrader.serve(server) in (0, -15) else ExitStatus.ERROR


def _timestamp(text: str) -> "dt.datetime":
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    tier = choose_tier(allow_unsafe=args.unsafe_no_sandbox)
    print(f"Checking the course in {args.course} (isolation {tier.name}):", file=out)
    items = 0
    failed = 0
    for item in validate.checklist(args.course, tier=tier, seed=args.seed,
                                   ids=args.assignments):
        items += 1
        failed += not item.ok
        mark = "[ok]  " if item.ok else "[FAIL]"
        print(f"  {mark} {item.title}" + (f" -- {item.detail}" if item.detail else ""),
              file=out, flush=True)
    print(f"{items - failed} of {items} checks passed"
          + (f"; {failed} failed" if failed else ""), file=out)
    return ExitStatus.FAILED if failed else ExitStatus.OK


def cmd_release(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    made = bundle.release_bundle(course.assignment(args.assignment), args.out, args.lang)
    names = ", ".join(sorted(p.name for p in (made.folder or args.out).iterdir()))
    print(f"wrote {made.folder}/ and {made.zip_path} ({names})", file=out)
    return ExitStatus.OK


def cmd_generate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    ids = args.assignments or [a.id for a in course.assignments]
    for ident in ids:
        for path in release.generate(course.assignment(ident)):
            print(f"wrote {path}", file=out)
    return ExitStatus.OK


def cmd_gradescope(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    validate.require_points(course.assignment(args.assignment))
    made = bundle.gradescope_bundle(course, course.assignment(args.assignment), args.out,
                                    seed=args.seed)
    print(f"wrote {made.zip_path} (every submission is graded with seed {made.seed}); upload "
          "it as the autograder of a Gradescope programming assignment", file=out)
    return ExitStatus.OK


def cmd_gradescope_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    tier = choose_tier(allow_unsafe=args.unsafe_no_sandbox)
    assignment = course.assignment(args.assignment)
    report = bundle.run_gradescope(course, assignment, args.root, tier=tier, seed=args.seed)
    out.write(table.render(report, final=bundle.gradescope_grade(course, assignment, args.root,
                                                                 report)))
    print(f"grader {Path(__file__).resolve().parent}; isolation {tier.name}; results in "
          f"{args.root / 'results' / 'results.json'}", file=out)
    return ExitStatus.OK


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course) if args.course.is_file() else None
    ident = args.assignment or _notebook_assignment(args.notebook)
    if course is not None and ident in {a.id for a in course.assignments}:
        validate.require_points(course.assignment(ident))
    # The student's own code, as Jupyter would run it: a sandbox when one is available,
    # the plain resource-limited worker otherwise.
    tier = choose_tier(allow_unsafe=True)
    result = selfcheck.run_public_checks(args.notebook, tier=tier, course=course,
                                         expected=args.assignment)
    lang = args.lang or (course.language if course else "en")
    print(selfcheck.render(result, lang), file=out, end="")
    return ExitStatus.OK if result.all_passed else ExitStatus.FAILED


def _notebook_assignment(path: Path) -> str:
    try:
        return notebooks.load(path).assignment_hint
    except (notebooks.BrokenNotebook, OSError):
        return ""  # run_public_checks says what is wrong with it


class Progress:
    """A progress bar on stderr for batches of 5 or more (one line per 10% when not a TTY)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.enabled = total >= 5
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def clear(self) -> None:
        """Erase the bar before a result line is printed, so each gets a line of its own."""
        if self.enabled and self.tty and self.done:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = int(30 * self.done / self.total)
        bar = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {name[:30]}"
        if self.tty:
            self.stream.write("\r" + bar[:80].ljust(80))
        elif self.done * 10 // self.total != (self.done - 1) * 10 // self.total:
            self.stream.write(bar + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
