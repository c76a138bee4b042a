"""Command line: thin argparse adapters over the public functions.

The only place that catches broadly and maps errors to exit codes.
"""
from __future__ import annotations

import argparse
import secrets
import sys
from enum import IntEnum
from pathlib import Path
from typing import Sequence, TextIO

from . import course as course_mod
from . import grading, release
from .errors import AutograderError, UsageError
from .records import Report
from .reports import gradescope, table, write_all
from .sandbox import choose_tier


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=(
        "Grade Jupyter notebooks with hidden tests; student code runs in a sandbox."))
    parser.add_argument("--course", type=Path, default=Path("course.yaml"),
                        help="the course file (default: ./course.yaml)")
    parser.add_argument("--traceback", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade submitted notebooks")
    g.add_argument("assignment", help="assignment id from course.yaml")
    g.add_argument("submissions", nargs="+", type=Path, help="notebooks or folders of them")
    g.add_argument("--out", type=Path, default=Path("results"), help="output folder")
    g.add_argument("--jobs", type=int, default=1, help="submissions graded in parallel")
    g.add_argument("--seed", type=int, default=None,
                   help="seed for the hidden tests' inputs (default: a new one, recorded)")
    g.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="grade even if no sandbox is available (student code can then read "
                        "files and use the network)")
    g.add_argument("--quiet", action="store_true", help="print only the summary")
    g.set_defaults(run=cmd_grade)

    r = sub.add_parser("generate", help="write assignments/<id>/ from solutions/<id>/")
    r.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    r.set_defaults(run=cmd_generate)
    return parser


def cmd_grade(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    assignment = course.assignment(args.assignment)
    paths = grading.submissions_in(args.submissions)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    if not paths:
        raise UsageError("no notebooks found in the given folders")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    tier = choose_tier(allow_unsafe=args.unsafe_no_sandbox)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    names = _unique_names(paths)
    progress = Progress(len(paths), err)

    def done(report: Report) -> None:
        gradescope.write(report, args.out / report.submission / "results.json")
        progress.step(report.submission)
        if not args.quiet:
            out.write(table.render(report))

    reports = grading.grade_many(assignment, paths, seed=seed, tier=tier, jobs=args.jobs,
                                 names=names, on_report=done)
    progress.close()
    write_all(reports, args.out)
    print(f"{table.summary_line(reports)}; seed {seed}; isolation {tier.name}; "
          f"results in {args.out}", file=out)
    return ExitStatus.OK


def cmd_generate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    course = course_mod.load(args.course)
    ids = args.assignments or [a.id for a in course.assignments]
    for ident in ids:
        for path in release.generate(course.assignment(ident)):
            print(f"wrote {path}", file=out)
    return ExitStatus.OK


def _unique_names(paths: list[Path]) -> list[str]:
    """File stems, made unique with the parent folder's name, then a number, when they clash."""
    stems = [p.stem for p in paths]
    names = [f"{p.parent.name}-{p.stem}" if stems.count(p.stem) > 1 else p.stem for p in paths]
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return unique


class Progress:
    """A progress bar on stderr for batches of 5 or more (one line per 10% when not a TTY)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.enabled = total >= 5
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = int(30 * self.done / self.total)
        bar = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {name[:30]}"
        if self.tty:
            self.stream.write("\r" + bar.ljust(80))
        elif self.done * 10 // self.total != (self.done - 1) * 10 // self.total:
            self.stream.write(bar + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
