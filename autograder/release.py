"""Build the student notebook from the solution with nbgrader's own preprocessors.

This is the only module that imports nbgrader: the grading path never does.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from . import translations
from .course import Assignment

LANGUAGES = ("en", "ko", "both")
"""What `release --lang` accepts."""


def student_notebook(assignment: Assignment, language: str = "en") -> str:
    """The release notebook's exact text (nbformat JSON), generated from the solution; with
    language "ko", from the solution's Korean edition, through the same preprocessors."""
    import nbformat
    from nbconvert.preprocessors import ClearOutputPreprocessor
    from nbgrader.preprocessors import (ClearHiddenTests, ClearSolutions, ComputeChecksums,
                                        LockCells)

    nb = nbformat.read(assignment.solution_notebook, as_version=4)
    if language == translations.LANGUAGE:
        nb = nbformat.from_dict(translations.korean_solution(assignment, nb))
    resources: dict = {}
    for pp in (ClearSolutions(enforce_metadata=True), ClearHiddenTests(),
               ClearOutputPreprocessor(), LockCells(), ComputeChecksums()):
        nb, resources = pp.preprocess(nb, resources)
    nb.metadata["autograder"] = {"assignment": assignment.id,
                                 **({"language": language} if language != "en" else {})}
    nb.metadata.pop("widgets", None)
    return nbformat.writes(nb) + "\n"


def release_files(assignment: Assignment) -> dict[str, bytes]:
    """Every file of assignments/<id>/ by name: the notebook, its Korean edition and the
    glossary when the assignment has a translation, and the shipped helpers."""
    files = {assignment.notebook: student_notebook(assignment).encode()}
    if translations.has_edition(assignment):
        files[translations.edition_name(assignment.notebook)] = student_notebook(
            assignment, translations.LANGUAGE).encode()
        files[translations.GLOSSARY.name] = (assignment.root / translations.GLOSSARY).read_bytes()
    for f in assignment.files:
        files[Path(f).name] = (assignment.root / f).read_bytes()
    return files


def edition_files(assignment: Assignment, files: dict[str, bytes],
                  language: str) -> dict[str, bytes]:
    """The release files of one edition ("en" or "ko"), or of both."""
    korean = {translations.edition_name(assignment.notebook), translations.GLOSSARY.name}
    if language == "en":
        return {k: v for k, v in files.items() if k not in korean}
    if language == "ko":
        return {k: v for k, v in files.items() if k != assignment.notebook}
    return dict(files)


def generate(assignment: Assignment) -> list[Path]:
    """Write assignments/<id>/ from solutions/<id>/, replacing what was there."""
    target = assignment.release_dir
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    written = []
    for name, data in release_files(assignment).items():
        (target / name).write_bytes(data)
        written.append(target / name)
    return written


def out_of_sync(assignment: Assignment) -> list[str]:
    """Files of assignments/<id>/ that differ from what `generate` would write."""
    expected = release_files(assignment)
    target = assignment.release_dir
    present = {p.name for p in target.iterdir() if p.is_file()} if target.is_dir() else set()
    problems = [f"{name}: missing" for name in expected if name not in present]
    problems += [f"{name}: differs from the generated version" for name in expected
                 if name in present and (target / name).read_bytes() != expected[name]]
    problems += [f"{name}: not generated from solutions/" for name in sorted(present - set(expected))]
    return problems
