"""Tool errors: problems with the course, the command line or the machine, never with a student.

A student's mistake is a failed check (see records.CheckRecord), not an exception. These
exceptions reach cli.main, which prints their one-line message and picks the exit status.
"""
from __future__ import annotations

from pathlib import Path

UNKNOWN_KEY = "{file}: unknown key {key!r} in {where} (allowed: {allowed})"
MISSING_KEY = "{file}: missing key {key!r} in {where}"
BAD_VALUE = "{file}: {where}.{key}: {problem}"
MISSING_FILE = "{file}: {where}.{key}: file not found: {path}"
UNKNOWN_ASSIGNMENT = "unknown assignment {name!r} (course.yaml has: {known})"
NO_SANDBOX = (
    "no sandbox is available ({reason}); grading untrusted notebooks without one lets student "
    "code read files and open network connections. Install bubblewrap (apt-get install "
    "bubblewrap) or pass --unsafe-no-sandbox to grade anyway."
)


class AutograderError(Exception):
    """Base of every error the tool reports as a one-line message."""


class ConfigError(AutograderError):
    """course.yaml (or another configuration file) is invalid."""

    @classmethod
    def unknown_key(cls, file: Path, where: str, key: str, allowed: object) -> "ConfigError":
        names = ", ".join(sorted(str(a) for a in allowed))  # type: ignore[attr-defined]
        return cls(UNKNOWN_KEY.format(file=file, key=key, where=where, allowed=names))

    @classmethod
    def missing_key(cls, file: Path, where: str, key: str) -> "ConfigError":
        return cls(MISSING_KEY.format(file=file, key=key, where=where))

    @classmethod
    def bad_value(cls, file: Path, where: str, key: str, problem: str) -> "ConfigError":
        return cls(BAD_VALUE.format(file=file, where=where, key=key, problem=problem))

    @classmethod
    def missing_file(cls, file: Path, where: str, key: str, path: Path) -> "ConfigError":
        return cls(MISSING_FILE.format(file=file, where=where, key=key, path=path))


class UnknownAssignment(AutograderError):
    """The command named an assignment that course.yaml does not list."""

    @classmethod
    def named(cls, name: str, known: list[str]) -> "UnknownAssignment":
        return cls(UNKNOWN_ASSIGNMENT.format(name=name, known=", ".join(known)))


class SandboxUnavailable(AutograderError):
    """No isolation tier can run here and unsafe grading was not requested."""

    @classmethod
    def because(cls, reason: str) -> "SandboxUnavailable":
        return cls(NO_SANDBOX.format(reason=reason))


class UsageError(AutograderError):
    """The command line names something that does not exist or does not fit."""
