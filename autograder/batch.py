"""Batches of submissions: find them in a folder, grade a shard, resume, merge shards.

Three layouts are recognised, and each gives the student ids and, when it records one, the
submission time that late penalties use:

- flat: `<student>.ipynb` files (in a folder and its subfolders). No submission time, unless
  `use_mtime` asks for the files' modification times (meaningful only when the files kept
  their upload times, e.g. unzipped from an LMS download; a git checkout resets them).
- nbgrader: `submitted/<student>/<assignment>/<notebook>.ipynb` with nbgrader's
  `timestamp.txt` next to the notebook.
- Gradescope "export submissions": `submission_metadata.yml` next to one
  `submission_<id>/` folder per submission; ids are the submitters' SIDs (their e-mail when a
  SID is empty) and the time is `:created_at:`. A group submission is graded once and gives
  every member a row.

Every graded report is saved at once in `<out>/_records/<student>.report.json` (the full record,
instructor-only detail included), so an interrupted batch resumes where it stopped. The seed
is saved in `<out>/_records/batch.json`: a resumed batch draws the same inputs.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import secrets
import types
import typing
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import yaml

from . import grading, notebooks, scoring, translations
from .course import Assignment, iso_time
from .errors import UsageError
from .records import Report
from .sandbox import Tier

RECORDS = "_records"
"""Folder of <out> that holds the full records of a batch (instructor-only)."""
RECORD_VERSION = 2
"""2: no stored late penalty (final.py derives it), `time_problem`. Version 1 still loads."""
RECORD_SUFFIX = ".report.json"
HISTORY = "history"
"""Folder of the records that holds the records a regrade replaced, one folder per regrade."""
METADATA_YML = "submission_metadata.yml"
"""The file that marks a Gradescope export."""
UTC_NAMES = {"UTC", "GMT", "Z", "UT"}
ZONE_ABBREVIATIONS = {
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "KST": 9, "JST": 9, "HKT": 8, "SGT": 8, "AWST": 8,
    "ACST": 9.5, "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13}
"""Offsets (hours) of the zone abbreviations nbgrader writes with `%Z` when its timezone is
not UTC. CST is the US one; IST and other ambiguous names are refused, not guessed."""


@dataclass(frozen=True)
class Entry:
    """One submission found in a folder."""

    students: tuple[str, ...]
    """Student ids (several for a Gradescope group submission)."""
    path: Path
    """The notebook to grade."""
    submitted: dt.datetime | None = None
    """When it was submitted (timezone-aware), or None when the layout does not say."""
    problem: str = ""
    """Why there is nothing to grade (no notebook in the folder); empty if there is."""
    time_problem: str = ""
    """The layout records a submission time that could not be read: raw value and reason."""


@dataclass(frozen=True)
class Shard:
    """`--shard i/n`: the i-th of n disjoint parts of a batch (1-based)."""

    index: int
    """Which part, from 1 to count."""
    count: int
    """How many parts."""

    @classmethod
    def parse(cls, text: str) -> "Shard":
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise UsageError(f"--shard must be i/n with 1 <= i <= n, e.g. 2/4 (got {text!r})")
        return cls(int(match[1]), int(match[2]))

    def select(self, entries: Sequence[Entry]) -> list[Entry]:
        """Every n-th entry of the sorted batch: parts are disjoint, balanced and cover all."""
        return list(entries[self.index - 1::self.count])


@dataclass(frozen=True)
class BatchResult:
    """What a batch run produced."""

    reports: tuple[Report, ...]
    """One report per student of the batch (graded now or read back), sorted by student."""
    graded: int
    """Submissions graded in this run."""
    reused: int
    """Reports read back from the records (already graded with the same seed and file)."""
    seed: int
    """The seed every report of the batch used."""
    untimed: int
    """Submissions without a submission time (no late penalty could apply)."""
    time_problems: tuple[tuple[str, str], ...] = ()
    """(student, problem) of the submissions whose recorded time could not be read."""
    previous: tuple[Report, ...] = ()
    """The reports a --regrade replaced (kept in _records/history/)."""


# --- finding submissions ------------------------------------------------------------------


def discover(paths: Sequence[Path], assignment: Assignment, *,
             use_mtime: bool = False) -> list[Entry]:
    """Every submission in the given files and folders, sorted by student id."""
    entries: list[Entry] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
        reader = LAYOUTS[layout_of(path, assignment)]
        root = path if path.is_dir() else path.parent  # paths leading out of it are refused
        entries += [dataclasses.replace(e, problem=e.problem or notebooks.refusal(e.path, root))
                    for e in reader(path, assignment, use_mtime)]
    return _unique(sorted(entries, key=lambda e: e.students))


def layout_of(path: Path, assignment: Assignment) -> str:
    """"gradescope", "nbgrader" or "flat" (a single file counts as flat)."""
    if path.is_dir() and (path / METADATA_YML).is_file():
        return "gradescope"
    if path.is_dir() and (_nbgrader_root(path, assignment) is not None):
        return "nbgrader"
    return "flat"


def _nbgrader_root(path: Path, assignment: Assignment) -> Path | None:
    """The `submitted/` folder: `path` itself, or `path/submitted`; None if neither fits."""
    for root in (path / "submitted", path):
        if root.is_dir() and any((d / assignment.id).is_dir() for d in root.iterdir()
                                 if d.is_dir()):
            return root
    return None


def read_flat(path: Path, assignment: Assignment, use_mtime: bool) -> list[Entry]:
    files = grading.submissions_in([path])
    names = unique_names(files)
    return [Entry((name,), f, _mtime(f) if use_mtime else None) for name, f in zip(names, files)]


def read_nbgrader(path: Path, assignment: Assignment, use_mtime: bool) -> list[Entry]:
    root = _nbgrader_root(path, assignment)
    assert root is not None  # layout_of chose this reader because the root exists
    entries = []
    for student in sorted(d for d in root.iterdir() if (d / assignment.id).is_dir()):
        folder = student / assignment.id
        notebook, problem = pick_notebook(folder, assignment)
        stamp = folder / "timestamp.txt"
        raw = stamp.read_text(encoding="utf-8", errors="replace") if stamp.is_file() else None
        when, why = read_time(raw)
        if when is None and not why and use_mtime and notebook.is_file():
            when = _mtime(notebook)
        entries.append(Entry((student.name,), notebook, when, problem, why))
    return entries


def read_gradescope(path: Path, assignment: Assignment, use_mtime: bool) -> list[Entry]:
    meta = load_gradescope_metadata(path / METADATA_YML)
    entries = []
    for folder_name, info in sorted(meta.items()):
        folder = path / str(folder_name)
        info = info if isinstance(info, dict) else {}
        students = tuple(_submitter_id(s) for s in info.get(":submitters") or []
                         if isinstance(s, dict)) or (str(folder_name),)
        notebook, problem = pick_notebook(folder, assignment)
        when, why = read_time(info.get(":created_at"))
        if when is None and not why and use_mtime and notebook.is_file():
            when = _mtime(notebook)
        entries.append(Entry(tuple(safe_id(s) for s in students), notebook, when, problem,
                             why))
    return entries


LAYOUTS: dict[str, Callable[[Path, Assignment, bool], list[Entry]]] = {
    "flat": read_flat, "nbgrader": read_nbgrader, "gradescope": read_gradescope}
"""Readers of the supported layouts, by the name layout_of gives."""


class _LenientLoader(yaml.SafeLoader):
    """Safe YAML that reads unknown tags (Gradescope's exports may carry Ruby ones) as data."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_LenientLoader.add_multi_constructor("!", _untagged)


def load_gradescope_metadata(path: Path) -> dict[str, Any]:
    """submission_metadata.yml: {folder: {":submitters": [...], ":created_at": ...}}."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML ({exc})".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected one entry per submission folder")
    return {str(k): v for k, v in data.items()}


def _submitter_id(submitter: dict[str, Any]) -> str:
    for key in (":sid", ":email", ":name"):
        if str(submitter.get(key) or "").strip():
            return str(submitter[key]).strip()
    return "unknown"


def pick_notebook(folder: Path, assignment: Assignment) -> tuple[Path, str]:
    """The notebook of a submission folder: the assignment's file name, else the only .ipynb.

    Returns the path and a problem for the student when there is no single notebook.
    """
    expected = folder / assignment.notebook
    korean = folder / translations.edition_name(assignment.notebook)
    if expected.is_file() or korean.is_file():
        return (expected if expected.is_file() else korean), ""
    found = grading.submissions_in([folder]) if folder.is_dir() else []
    found = [p for p in found if "__MACOSX" not in p.parts]
    if len(found) == 1:
        return found[0], ""
    if not found:
        return expected, f"the submission has no notebook (expected {assignment.notebook})"
    names = ", ".join(p.name for p in found[:5])
    return expected, (f"the submission has {len(found)} notebooks ({names}) and none is named "
                      f"{assignment.notebook}")


def read_time(value: Any) -> tuple[dt.datetime | None, str]:
    """A recorded submission time and, when there is one that cannot be read, why not.

    (None, "") means the layout recorded no time; (None, problem) a time that could not be
    read, which must be reported, never taken as "on time".
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    when = parse_time(value)
    if when is not None:
        return when, ""
    raw = str(value).strip()[:80]
    why = "unknown time zone" if re.fullmatch(r".*\d\s+[A-Za-z]{2,5}", raw) else \
        "not an ISO 8601 or nbgrader time"
    return None, f"submission time {raw!r} could not be read ({why})"


def parse_time(value: Any) -> dt.datetime | None:
    """A timestamp from nbgrader's timestamp.txt or Gradescope's metadata, as aware datetime.

    Accepts ISO 8601, nbgrader's "2026-12-05 10:00:00.123456 UTC" (a zone name, a zone
    abbreviation such as PST or KST, or a numeric offset last) and YAML datetimes. Times
    without a zone are UTC, as nbgrader writes them. Returns None for anything else.
    """
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return parse_time(iso_time(text))
    except ValueError:
        pass
    head, _, zone = text.rpartition(" ")
    tz = _zone(zone)
    try:
        return iso_time(head).replace(tzinfo=tz) if tz and head else None
    except ValueError:
        return None


def _zone(name: str) -> dt.tzinfo | None:
    if name.upper() in UTC_NAMES:
        return dt.timezone.utc
    if name.upper() in ZONE_ABBREVIATIONS:
        return dt.timezone(dt.timedelta(hours=ZONE_ABBREVIATIONS[name.upper()]))
    match = re.fullmatch(r"([+-])(\d\d):?(\d\d)", name)
    if match:
        offset = dt.timedelta(hours=int(match[2]), minutes=int(match[3]))
        return dt.timezone(offset if match[1] == "+" else -offset)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc)


def safe_id(student: str) -> str:
    """A student id usable as a folder name (outputs go to <out>/<student>/)."""
    cleaned = re.sub(r"[^\w.@+-]", "_", student).strip(".")
    return cleaned or "student"


def unique_names(paths: Sequence[Path]) -> list[str]:
    """File stems, made unique with the parent folder's name, then a number, when they clash."""
    stems = [p.stem for p in paths]
    names = [f"{p.parent.name}-{p.stem}" if stems.count(p.stem) > 1 else p.stem for p in paths]
    return _numbered([safe_id(n) for n in names])


def _numbered(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out


def _unique(entries: list[Entry]) -> list[Entry]:
    """Number student ids that two submissions share (e.g. the same name in two folders)."""
    flat = _numbered(s for e in entries for s in e.students)
    out, i = [], 0
    for e in entries:
        out.append(dataclasses.replace(e, students=tuple(flat[i:i + len(e.students)])))
        i += len(e.students)
    return out


# --- grading, resuming ----------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What a batch run will grade and what it reads back."""

    assignment: Assignment
    """The assignment graded."""
    out: Path
    """The output folder, which holds the records."""
    seed: int
    """The seed of the whole batch."""
    todo: tuple[Entry, ...]
    """Submissions to grade now."""
    reused: tuple[Report, ...]
    """Reports of submissions already graded from the same file with the same seed."""
    found: int
    """Submissions found in the given paths, before sharding."""
    untimed: int
    """Submissions of this shard without a submission time (no late penalty can apply)."""
    time_problems: tuple[tuple[str, str], ...] = ()
    """(student, problem) for every submission whose recorded time could not be read."""
    previous: tuple[Report, ...] = ()
    """Records that this run replaces (a regrade or a resubmission), as they were."""

    @property
    def students(self) -> int:
        """Reports the run will produce (a group submission gives one per member)."""
        return sum(len(e.students) for e in self.todo)


def prepare(assignment: Assignment, paths: Sequence[Path], out: Path, *,
            seed: int | None = None, regrade: bool = False, shard: Shard | None = None,
            use_mtime: bool = False) -> Plan:
    """Find the submissions, pick the shard, and decide what `out` already holds.

    A submission is reused when its record in `out` was graded from the same file and time
    with the same seed, unless `regrade`. Without `seed`, the batch takes the seed `out`
    recorded, or draws a new one; the seed is saved in `out` at once, with the students of
    the whole batch and the shard (what `merge` checks).
    """
    entries = discover(paths, assignment, use_mtime=use_mtime)
    found = len(entries)
    if not found:
        raise UsageError("no notebooks found in the given folders")
    everyone = sorted(s for e in entries for s in e.students)
    if shard is not None:
        entries = shard.select(entries)
    store = Store(out)
    seed = store.start(assignment.id, seed, regrade, batch=everyone, shard=shard)
    reused: list[Report] = []
    todo: list[Entry] = []
    previous: list[Report] = []
    for entry in entries:
        old = None if regrade else store.reusable(entry, seed)
        if old is None:
            todo.append(entry)
            previous += [r for s in entry.students if (r := store.report(s)) is not None]
        else:
            reused += old
    problems = tuple((s, e.time_problem) for e in entries if e.time_problem for s in e.students)
    return Plan(assignment, out, seed, tuple(todo), tuple(reused), found,
                untimed=sum(e.submitted is None and not e.time_problem for e in entries),
                time_problems=problems, previous=tuple(previous))


def run(plan: Plan, *, tier: Tier, jobs: int = 1,
        on_report: Callable[[Report], None] | None = None) -> BatchResult:
    """Grade what the plan says, saving each report as it comes; `on_report` sees each.

    Records a regrade replaces are kept first in _records/history/<time>/.
    """
    store = Store(plan.out)
    store.keep_history(plan.previous)
    graded = _grade(plan.assignment, list(plan.todo), store, seed=plan.seed,
                    tier=tier, jobs=jobs, on_report=on_report)
    reports = sorted([*plan.reused, *graded], key=lambda r: r.submission)
    return BatchResult(tuple(reports), graded=len(plan.todo), reused=len(plan.reused),
                       seed=plan.seed, untimed=plan.untimed,
                       time_problems=plan.time_problems, previous=plan.previous)


def _grade(assignment: Assignment, todo: list[Entry], store: "Store", *, seed: int,
           tier: Tier, jobs: int, on_report: Callable[[Report], None] | None) -> list[Report]:
    by_name = {e.students[0]: e for e in todo}
    graded: list[Report] = []

    def done(report: Report) -> None:
        entry = by_name[report.submission]
        report = dataclasses.replace(report, time_problem=entry.time_problem)
        for member in _members(report, entry):
            store.save(member, fingerprint(entry))
            graded.append(member)
            if on_report:
                on_report(member)

    for entry in (e for e in todo if e.problem):
        done(scoring.broken(assignment, submission=entry.students[0], path=str(entry.path),
                            problem=entry.problem, seed=seed, tier=tier.name))
    runnable = [e for e in todo if not e.problem]
    grading.grade_many(assignment, [e.path for e in runnable], seed=seed, tier=tier, jobs=jobs,
                       names=[e.students[0] for e in runnable], on_report=done,
                       submitted=[e.submitted for e in runnable])
    return graded


def _members(report: Report, entry: Entry) -> list[Report]:
    """The report of a group submission, once per member (the same grade for each)."""
    return [dataclasses.replace(report, submission=s) for s in entry.students]


def fingerprint(entry: Entry) -> str:
    """What a record must match to be reused: the notebook's bytes and its submission time."""
    digest = hashlib.sha256(entry.path.read_bytes() if entry.path.is_file() else b"")
    digest.update(str(entry.submitted.isoformat() if entry.submitted else "").encode())
    digest.update(entry.problem.encode())
    return digest.hexdigest()


class Store:
    """The records of one output folder: batch.json (assignment, seed) and one file per student."""

    def __init__(self, out: Path) -> None:
        self.folder = out / RECORDS

    def meta(self) -> dict[str, Any]:
        path = self.folder / "batch.json"
        return dict(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else {}

    def start(self, assignment: str, seed: int | None, regrade: bool,
              batch: Sequence[str] = (), shard: Shard | None = None) -> int:
        """The batch's seed: the given one, or the recorded one, or a new one; saved with
        the students of the whole batch and the shard, which `merge` compares."""
        meta = self.meta()
        if meta and meta.get("assignment") != assignment:
            raise UsageError(f"{self.folder.parent} holds results of assignment "
                             f"{meta.get('assignment')!r}; choose another --out")
        recorded = meta.get("seed")
        if seed is not None and recorded is not None and seed != recorded and not regrade \
                and self.students():
            raise UsageError(f"{self.folder.parent} was graded with seed {recorded}; pass "
                             f"--seed {recorded} to resume it, or --regrade to grade it all "
                             f"again with seed {seed}")
        if seed is None:
            seed = int(recorded) if recorded is not None else secrets.randbelow(2**31)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write("batch.json", {"version": RECORD_VERSION, "assignment": assignment,
                                   "seed": seed, "batch": batch_digest(batch),
                                   "shard": f"{shard.index}/{shard.count}" if shard else ""})
        return seed

    def students(self) -> list[str]:
        return sorted(p.name[:-len(RECORD_SUFFIX)] for p in self.folder.glob(f"*{RECORD_SUFFIX}"))

    def save(self, report: Report, fingerprint: str) -> None:
        self._write(f"{report.submission}{RECORD_SUFFIX}", {"version": RECORD_VERSION,
                                                            "fingerprint": fingerprint,
                                                            "report": report_to_data(report)})

    def load(self, student: str) -> tuple[str, Report] | None:
        path = self.folder / f"{student}{RECORD_SUFFIX}"
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data.get("fingerprint", "")), report_from_data(data["report"])

    def report(self, student: str) -> Report | None:
        loaded = self.load(student)
        return loaded[1] if loaded else None

    def keep_history(self, reports: Sequence[Report]) -> Path | None:
        """Copy the records about to be replaced into history/<UTC time>/ (for audits)."""
        if not reports:
            return None
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        folder = self.folder / HISTORY / stamp
        folder.mkdir(parents=True, exist_ok=True)
        for report in reports:
            name = f"{report.submission}{RECORD_SUFFIX}"
            (folder / name).write_bytes((self.folder / name).read_bytes())
        return folder

    def reusable(self, entry: Entry, seed: int) -> list[Report] | None:
        """The saved reports of every member, if all were graded from this file and seed."""
        found = [self.load(s) for s in entry.students]
        if any(f is None for f in found):
            return None
        want = fingerprint(entry)
        if any(f[0] != want or f[1].seed != seed for f in found if f):
            return None
        return [f[1] for f in found if f]

    def reports(self) -> list[Report]:
        return [loaded[1] for s in self.students() if (loaded := self.load(s))]

    def adopt(self, meta: dict[str, Any], others: Sequence["Store"]) -> None:
        """Become the union of other stores (merged shards): their meta and every record."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(f"*{RECORD_SUFFIX}"):
            stale.unlink()
        self._write("batch.json", meta)
        for other in others:
            for student in other.students():
                name = f"{student}{RECORD_SUFFIX}"
                (self.folder / name).write_bytes((other.folder / name).read_bytes())

    def _write(self, name: str, data: dict[str, Any]) -> None:
        # write-then-rename, so an interrupted batch never leaves half a record behind
        tmp = self.folder / f".{name}.tmp"
        tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        tmp.replace(self.folder / name)


# --- merging shards -------------------------------------------------------------------------


def batch_digest(students: Sequence[str]) -> str:
    """A short fingerprint of the students of a whole batch (before sharding)."""
    return hashlib.sha256("\n".join(sorted(students)).encode()).hexdigest()[:16]


def merge(folders: Sequence[Path], out: Path) -> list[Report]:
    """The reports of several shard outputs as one batch; also saved as `out`'s records.

    The shards must hold the same assignment and seed, no student twice, and be the parts
    of one batch: the same submissions found, every part i/n once.
    """
    if out.resolve() in {f.resolve() for f in folders}:
        raise UsageError(f"--out {out} is one of the shards; merge into a new folder")
    owner: dict[str, Path] = {}
    reports: list[Report] = []
    metas = []
    for folder in folders:
        store = Store(folder)
        meta = store.meta()
        if not meta:
            raise UsageError(f"{folder} holds no graded batch (no {RECORDS}/batch.json); pass "
                             "the --out folders of `autograder grade`")
        metas.append(meta)
        for report in store.reports():
            if report.submission in owner:
                raise UsageError(f"{report.submission} was graded in both "
                                 f"{owner[report.submission]} and {folder}; were all shards "
                                 "made with the same --shard i/n count?")
            owner[report.submission] = folder
            reports.append(report)
    _same(metas, "assignment", folders)
    _same(metas, "seed", folders)
    _cover(metas, folders)
    if metas:
        Store(out).adopt(metas[0], [Store(f) for f in folders])
    return sorted(reports, key=lambda r: r.submission)


def _same(metas: list[dict[str, Any]], key: str, folders: Sequence[Path]) -> None:
    values = {str(m.get(key)) for m in metas}
    if len(values) > 1:
        listing = ", ".join(f"{f}: {m.get(key)}" for f, m in zip(folders, metas))
        raise UsageError(f"the shards differ in {key} ({listing}); grade every shard with the "
                         f"same {key}")


def _cover(metas: list[dict[str, Any]], folders: Sequence[Path]) -> None:
    """Shards of one batch: the same submissions found, and the parts 1..n each once."""
    if any(not m.get("batch") for m in metas):
        return  # records written before batches were fingerprinted: nothing to compare
    if len({m["batch"] for m in metas}) > 1:
        raise UsageError("the shards do not cover the same batch: they were graded from "
                         "different submission folders (" + ", ".join(map(str, folders)) + ")")
    parts = [str(m.get("shard") or "1/1") for m in metas]
    counts = {p.split("/")[1] for p in parts}
    wanted = {f"{i}/{n}" for n in counts for i in range(1, int(n) + 1)}
    if len(counts) > 1 or sorted(parts) != sorted(wanted):
        missing = sorted(wanted - set(parts))
        raise UsageError("the shards do not cover the same batch: got parts "
                         f"{', '.join(parts)}" + (f"; missing {', '.join(missing)}"
                                                   if missing else ""))


# --- reports as JSON --------------------------------------------------------------------------


def report_to_data(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data (nested dataclasses become dicts)."""
    return dataclasses.asdict(report)


def report_from_data(data: dict[str, Any]) -> Report:
    """The inverse of report_to_data; unknown keys are ignored, missing ones take defaults.

    Version 1 records stored a late penalty fixed at grading time: it is dropped here (the
    penalty is derived from the submission time whenever an output is written).
    """
    value = _build(Report, data)
    assert isinstance(value, Report)
    return value


def _build(tp: Any, value: Any) -> Any:
    """Rebuild a value of type `tp` (a dataclass, tuple[X, ...], dict or plain) from JSON."""
    if dataclasses.is_dataclass(tp) and isinstance(tp, type) and isinstance(value, dict):
        hints = typing.get_type_hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _build(hints[k], v) for k, v in value.items() if k in known})
    origin = typing.get_origin(tp)
    if origin is tuple and isinstance(value, list):
        inner = typing.get_args(tp)[0] if typing.get_args(tp) else Any
        return tuple(_build(inner, v) for v in value)
    if origin in (typing.Union, types.UnionType):
        return value
    if origin is dict and isinstance(value, dict):
        return dict(value)
    return value
