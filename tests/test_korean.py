"""The Korean edition: one source, two renderings, kept in sync, graded identically.

The course's own editions are checked from files only (freshness, shared code cells, the
rules of the translation); the mechanism (stale and missing cells, release, grading, the
leak check) is checked on a copy of softmax with a made-up translation.
"""
from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from autograder import batch, bundle, integrity, release, translations, validate
from autograder import course as course_mod
from autograder.cli import main
from autograder.course import Assignment
from autograder.errors import AutograderError, ConfigError
from conftest import ROOT, edit_notebook, solution_sources

COURSE = course_mod.load(ROOT / "course.yaml")
IDS = [a.id for a in COURSE.assignments]
KOREAN = [a.id for a in COURSE.assignments if translations.has_edition(a)]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+?\$|`[^`\n]+`", re.S)
"""Display and inline math and inline code: never translated, so each must reappear."""


def spans(markdown: str) -> set[str]:
    """The math and code spans of a cell, whitespace normalised (a translation may rewrap)."""
    return {" ".join(m.split()) for m in MATH.findall(markdown)}


def cells_by_id(path: Path) -> dict[str, dict]:
    return {c["id"]: c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]}


def text(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def korean_path(a: Assignment) -> Path:
    return a.release_dir / translations.edition_name(a.notebook)


# --- the course's translations: files only ----------------------------------------------------


@pytest.mark.parametrize("ident", IDS)
def test_every_markdown_cell_has_a_current_korean_translation(ident):
    """Does every markdown cell of the English source have an entry made from its current text?"""
    a = COURSE.assignment(ident)
    if not translations.has_edition(a):
        pytest.skip(f"no Korean edition yet: {translations.file_for(a).relative_to(ROOT)}")
    english = json.loads(a.solution_notebook.read_text(encoding="utf-8"))
    problems = translations.problems(english, translations.load(translations.file_for(a)))
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("ident", IDS)
def test_every_check_message_has_a_korean_translation(ident):
    """Does every `_()` message of the check cells have Korean with the same {fields}?"""
    a = COURSE.assignment(ident)
    if not translations.has_edition(a):
        pytest.skip(f"no Korean edition yet: {translations.file_for(a).relative_to(ROOT)}")
    english = json.loads(a.solution_notebook.read_text(encoding="utf-8"))
    korean = translations.read_messages(translations.messages_file_for(a))
    assert [str(p) for p in translations.message_problems(english, korean)] == []


def test_message_problems_name_missing_changed_and_orphan_messages():
    """Are a missing message, one whose fields differ and one no cell uses each reported?"""
    cell = {"cell_type": "code", "source": "%matplotlib inline\nassert x, _('got {a}, want 1')\n"
            "assert y, _('y must be 0.')\nprint(_('got {a}, want 1'))\n"}
    broken = {"cell_type": "code", "source": "def f(:\n    _('never read')\n"}
    nb = {"cells": [cell, broken, {"cell_type": "markdown", "source": "_('not code')"}]}
    assert translations.check_messages(nb) == ["got {a}, want 1", "y must be 0."]
    found = translations.message_problems(nb, {"got {a}, want 1": "결과는 {b}입니다",
                                               "gone": "사라진 메시지"})
    assert [str(p) for p in found] == [
        "message 'got {a}, want 1': stale (its {fields} differ from the English)",
        "message 'y must be 0.': missing (no Korean check message)",
        "message 'gone': orphan (no check cell has this message: remove it)"]


@pytest.mark.parametrize("ident", KOREAN)
def test_korean_edition_shares_code_ids_and_points(ident):
    """Are the Korean edition's cells the English cells in order, code unchanged, prose Korean?"""
    a = COURSE.assignment(ident)
    en = json.loads(a.release_notebook.read_text(encoding="utf-8"))["cells"]
    ko = json.loads(korean_path(a).read_text(encoding="utf-8"))["cells"]
    assert [c["id"] for c in ko] == [c["id"] for c in en]
    for e, k in zip(en, ko):
        strip = {"checksum"}
        e_nbg = {x: y for x, y in e["metadata"].get("nbgrader", {}).items() if x not in strip}
        assert {x: y for x, y in k["metadata"].get("nbgrader", {}).items()
                if x not in strip} == e_nbg
        if e["cell_type"] == "code":
            same = translations.korean_messages if translations.speaks_korean(a) else str
            assert text(k) == same(text(e)), e["id"]
        elif text(e).strip() != "YOUR ANSWER HERE":
            assert HANGUL.search(text(k)) and text(k) != text(e), f"{e['id']} is not translated"


@pytest.mark.parametrize("ident", KOREAN)
def test_translations_keep_math_code_and_terms(ident):
    """Does every translation keep the English cell's math and code verbatim, and say 규제,
    never 정규화, for regularization?"""
    a = COURSE.assignment(ident)
    english = translations.translatable(json.loads(a.solution_notebook.read_text("utf-8")))
    entries = translations.load(translations.file_for(a)).cells
    lost = {cid: sorted(spans(src) - spans(entries[cid].text))
            for cid, src in english.items() if cid in entries}
    assert {cid: found for cid, found in lost.items() if found} == {}
    assert [cid for cid, e in entries.items() if "정규화" in e.text] == []


@pytest.mark.parametrize("ident", KOREAN)
def test_korean_edition_links_the_glossary_and_accepts_either_language(ident):
    """Does the Korean edition link the glossary (shipped beside it) and say that written
    answers may be in Korean or English?"""
    a = COURSE.assignment(ident)
    prose = "\n".join(text(c) for c in cells_by_id(korean_path(a)).values()
                      if c["cell_type"] == "markdown")
    assert "](glossary.md" in prose
    assert re.search(r"한국어.{0,12}영어|영어.{0,12}한국어", prose)
    assert (a.release_dir / "glossary.md").read_bytes() == (ROOT / "docs/glossary.md").read_bytes()


def test_glossary_says_kyuje_for_regularization():
    """Does the glossary give 규제 for regularization and warn that 정규화 is normalization?"""
    rows = [line for line in (ROOT / "docs/glossary.md").read_text().splitlines()
            if line.startswith("| regularization |")]
    assert rows and "규제" in rows[0]
    assert "| normalize | Normalize, 정규화 |" in (ROOT / "docs/glossary.md").read_text()


# --- the mechanism, on a copy of softmax ------------------------------------------------------


def fake_translation(a: Assignment) -> dict[str, translations.Entry]:
    english = translations.translatable(json.loads(a.solution_notebook.read_text("utf-8")))
    return {cid: translations.Entry(translations.source_hash(src), f"한국어판: {src}")
            for cid, src in english.items()}


@pytest.fixture
def ko_course(tmp_path: Path) -> Path:
    """softmax alone, with a complete (made-up) translation and both editions generated."""
    a = COURSE.assignment("softmax")
    (tmp_path / "course.yaml").write_bytes(bundle.single_assignment_course(COURSE, a))
    for folder in ("solutions/softmax", "common"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.ko.yaml"))
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs/glossary.md", tmp_path / "docs/glossary.md")
    copy = course_mod.load(tmp_path / "course.yaml").assignment("softmax")
    translations.file_for(copy).write_text(translations.render(fake_translation(copy)))
    release.generate(copy)
    return tmp_path / "course.yaml"


def answer_id(a: Assignment) -> str:
    """The first written answer (a markdown solution cell) of the solution notebook."""
    return next(c["id"] for c in json.loads(a.solution_notebook.read_text())["cells"]
                if c["cell_type"] == "markdown"
                and c["metadata"].get("nbgrader", {}).get("solution"))


def softmax_of(course_file: Path) -> Assignment:
    return course_mod.load(course_file).assignment("softmax")


def run_cli(course_file: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--course", str(course_file), *argv], stdout=out, stderr=out)
    return code, out.getvalue()


def test_generate_writes_both_editions(ko_course):
    """Does generate write the Korean edition with translated prose and cleared answers?"""
    a = softmax_of(ko_course)
    shipped = sorted(Path(f).name for f in a.files)
    assert sorted(p.name for p in a.release_dir.iterdir()) == sorted(
        shipped + ["glossary.md", "softmax.ipynb", "softmax.ko.ipynb"])
    ko = cells_by_id(a.release_dir / "softmax.ko.ipynb")
    assert text(ko["intro"]).startswith("한국어판: # Softmax")
    assert text(ko[answer_id(a)]).strip() == "YOUR ANSWER HERE"
    assert "raise NotImplementedError()" in text(ko["softmax-impl"])
    meta = json.loads((a.release_dir / "softmax.ko.ipynb").read_text())["metadata"]
    assert meta["autograder"] == {"assignment": "softmax", "language": "ko"}


def test_validate_lists_every_stale_and_missing_cell(ko_course):
    """After the English changes, does validate name each stale, missing and orphan cell?"""
    a = softmax_of(ko_course)
    tf = translations.load(translations.file_for(a))
    assert validate.translations_current(a).ok
    entries = dict(tf.cells)
    del entries["summary"]
    entries["gone"] = translations.Entry("0" * 12, "지워진 셀")
    translations.file_for(a).write_text(translations.render(entries))
    nb = json.loads(a.solution_notebook.read_text())
    for cell in nb["cells"]:
        if cell["id"] in ("intro", "kl-text"):
            cell["source"] = text(cell) + "\nOne more sentence."
    a.solution_notebook.write_text(json.dumps(nb, indent=1))
    item = validate.translations_current(a)
    assert not item.ok
    assert [p.split(" (")[0] for p in item.detail.split("; ")] == [
        "intro: stale", "kl-text: stale", "summary: missing", "gone: orphan"]
    code, out = run_cli(ko_course, "release", "softmax", "--lang", "ko", "--out",
                        str(ko_course.parent / "dist"))
    assert code == 1 and "refusing to release softmax in Korean: intro: stale" in out


def test_a_bad_translation_file_names_file_and_key(ko_course):
    """Is a malformed entry a one-line error naming the file and the key?"""
    a = softmax_of(ko_course)
    translations.file_for(a).write_text("language: ko\ncells:\n  intro:\n    hsh: abc\n")
    with pytest.raises(ConfigError, match=r"softmax.ko.yaml: unknown key 'hsh' in cells.intro"):
        translations.load(translations.file_for(a))
    code, out = run_cli(ko_course, "generate")
    assert code == 1 and out.count("\n") == 1 and "unknown key 'hsh' in cells.intro" in out


def test_stale_edition_fails_the_sync_check(ko_course):
    """Is a Korean edition not regenerated after its translation changed out of sync?"""
    a = softmax_of(ko_course)
    assert release.out_of_sync(a) == []
    path = translations.file_for(a)
    path.write_text(path.read_text().replace("한국어판: # Softmax", "한국어판: # 소프트맥스"))
    assert release.out_of_sync(a) == ["softmax.ko.ipynb: differs from the generated version"]


def test_release_lang_picks_the_edition(ko_course):
    """Does release --lang en|ko|both zip exactly that edition's files?"""
    dist = ko_course.parent / "dist"
    names = {}
    for lang in ("en", "ko", "both"):
        code, out = run_cli(ko_course, "release", "softmax", "--lang", lang, "--out",
                            str(dist / lang))
        assert code == 0, out
        with zipfile.ZipFile(dist / lang / "softmax.zip") as zf:
            names[lang] = sorted(zf.namelist())
    ko, en = {"softmax/glossary.md", "softmax/softmax.ko.ipynb"}, {"softmax/softmax.ipynb"}
    shipped = {f"softmax/{Path(f).name}" for f in softmax_of(ko_course).files}
    assert ko | en | shipped <= set(names["both"])
    assert names["en"] == sorted(set(names["both"]) - ko)
    assert names["ko"] == sorted(set(names["both"]) - en)


def test_release_without_korean_edition_is_refused_in_korean(ko_course, tmp_path):
    """Is --lang ko refused, with the reason, for an assignment without a translation file,
    while the English release still works?"""
    a = softmax_of(ko_course)
    translations.file_for(a).unlink()
    with pytest.raises(AutograderError, match="refusing to release softmax in Korean: no "
                       "Korean edition: solutions/softmax/softmax.ko.yaml does not exist"):
        bundle.release_bundle(a, tmp_path, "ko")
    assert not (tmp_path / "softmax.zip").exists()
    assert bundle.release_bundle(a, tmp_path, "en").zip_path.is_file()


def test_leak_check_covers_the_korean_edition(ko_course):
    """Is a Korean model answer pasted into the Korean release caught, and the clean one not?"""
    a = softmax_of(ko_course)
    entries = dict(translations.load(translations.file_for(a)).cells)
    leaked = "시그모이드 출력과 MSE를 함께 쓰면 gradient가 작아져 학습이 느려집니다."
    entries[answer_id(a)] = translations.Entry(entries[answer_id(a)].hash, leaked)
    translations.file_for(a).write_text(translations.render(entries))
    release.generate(a)
    assert validate.leaks(a, validate.release_material(a)) == []
    path = a.release_dir / "softmax.ko.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["id"] == answer_id(a):
            cell["source"] = leaked
    path.write_text(json.dumps(nb))
    found = validate.leaks(a, validate.release_material(a))
    assert found == ["assignments/softmax/softmax.ko.ipynb contains 1 line(s) of the solution or "
                     f"the hidden tests, e.g. {leaked!r}"]


def test_korean_messages_follow_the_check_helpers_import():
    """Is set_language("ko") added right after the publiccheck import, and nowhere else?"""
    src = "import numpy as np\n\nfrom publiccheck import public_check, _\n\nx = 1\n"
    out = translations.korean_messages(src)
    assert out.splitlines()[2:5] == ["from publiccheck import public_check, _",
                                     "from publiccheck import set_language",
                                     'set_language("ko")  # 확인 셀의 메시지를 한국어로 '
                                     '(영어: set_language("en"))']
    assert out.endswith("\nx = 1\n")
    assert translations.korean_messages("import numpy as np\n") == "import numpy as np\n"


def test_pick_notebook_accepts_the_korean_edition(tmp_path):
    """Does a submission folder holding only softmax.ko.ipynb grade that notebook?"""
    a = COURSE.assignment("softmax")
    (tmp_path / "other.txt").write_text("x")
    (tmp_path / "softmax.ko.ipynb").write_text("{}")
    assert batch.pick_notebook(tmp_path, a) == (tmp_path / "softmax.ko.ipynb", "")
    (tmp_path / "softmax.ipynb").write_text("{}")
    assert batch.pick_notebook(tmp_path, a) == (tmp_path / "softmax.ipynb", "")


def test_korean_cells_are_not_flagged_as_edited(ko_course, tmp_path):
    """Is an untouched Korean edition free of locked-cell flags, and an edited one flagged?"""
    a = softmax_of(ko_course)
    ko = json.loads((a.release_dir / "softmax.ko.ipynb").read_text())
    assert integrity.locked_cell_flags(integrity.expected_locked(a), ko) == []
    for cell in ko["cells"]:
        if cell["id"] == "kl-text":
            cell["source"] = "고쳐 쓴 설명"
    assert integrity.locked_cell_flags(integrity.expected_locked(a), ko) == [
        "edits a locked cell: kl-text"]
    shutil.rmtree(a.release_dir)  # Gradescope: no assignments/, the solution and translation
    assert integrity.locked_cell_flags(integrity.expected_locked(a), ko) == [
        "edits a locked cell: kl-text"]


def _comparable(report) -> list:
    return [dataclasses.replace(c, duration=0.0) for c in report.checks]


@pytest.mark.parametrize("solved", [True, False], ids=["solution", "stub"])
def test_both_editions_with_the_same_code_get_the_same_records(ko_course, tier, tmp_path,
                                                              solved):
    """Do a Korean-edition submission and an English one with the same code get the same
    check records, score and flags (full marks for the solution, 0 for the stub)?"""
    from autograder.grading import grade_submission

    a = softmax_of(ko_course)
    code = solution_sources(a) if solved else {}
    code["cross-entropy-impl"] = "def cross_entropy(scores, y):\n    return 0.5\n"
    reports = []
    for name in ("softmax.ipynb", "softmax.ko.ipynb"):
        path = edit_notebook(a.release_dir / name, tmp_path / name.replace(".", "-", 1), code)
        reports.append(grade_submission(a, path, seed=3, tier=tier))
    en, ko = reports
    assert _comparable(en) == _comparable(ko)
    assert (en.score, en.flags, en.problem, en.cells) == (ko.score, ko.flags, ko.problem, ko.cells)
    assert en.flags == ()
    assert en.score == (a.auto_points - a.functions["cross_entropy"] if solved else 0)


# --- both editions run in Jupyter -------------------------------------------------------------


@pytest.mark.parametrize("ident", KOREAN)
def test_korean_solution_runs_and_draws_its_figures(ident, tmp_path, monkeypatch):
    """Does the Korean edition of the solution run top to bottom and draw its figures?"""
    from test_notebook_runs import execute, outputs

    a = COURSE.assignment(ident)
    english = json.loads(a.solution_notebook.read_text(encoding="utf-8"))
    path = tmp_path / translations.edition_name(a.notebook)
    path.write_text(json.dumps(translations.korean_solution(a, english)), encoding="utf-8")
    nb, _ = execute(path, tmp_path, monkeypatch, allow_errors=False, files=a.files)
    figures = [o for kind in ("display_data", "execute_result") for o in outputs(nb, kind)
               if "image/png" in o.get("data", {})]
    assert figures, "no figure was drawn"


@pytest.mark.parametrize("ident", KOREAN)
def test_korean_student_notebook_fails_only_at_the_stubs(ident, tmp_path, monkeypatch):
    """Are the Korean student notebook's only errors NotImplementedError and its checks?"""
    from test_notebook_runs import ALLOWED_STUDENT_ERRORS, execute, outputs

    a = COURSE.assignment(ident)
    nb, _ = execute(korean_path(a), tmp_path, monkeypatch, allow_errors=True, files=a.files)
    errors = [o["ename"] for o in outputs(nb, "error")]
    assert "NotImplementedError" in errors
    assert set(errors) <= ALLOWED_STUDENT_ERRORS, errors


# --- what a Korean student sees: the section and its check failure, rendered ----------------

ARTIFACTS = ROOT / "test-artifacts"
SECTION = ("setup", "softmax-text", "softmax-impl", "softmax-check")
ROWS_NOT_NORMALISED = "    e = np.exp(s - np.max(s))\n    return e / np.sum(e)\n"
"""A softmax that normalises over the whole array: right for one vector, wrong for a batch."""


@pytest.fixture(scope="module")
def korean_section(tmp_path_factory) -> Path:
    """Section 3 of the Korean softmax notebook with a wrong softmax, run by Jupyter."""
    from test_notebook_runs import execute

    a = COURSE.assignment("softmax")
    nb = json.loads(korean_path(a).read_text(encoding="utf-8"))
    cells = {c["id"]: c for c in nb["cells"]}
    impl = text(cells["softmax-impl"])
    cells["softmax-impl"]["source"] = impl[:impl.index("    # YOUR CODE HERE")] + \
        '    s = np.asarray(scores, dtype=np.float64)\n' + ROWS_NOT_NORMALISED
    nb["cells"] = [cells[cid] for cid in SECTION]
    tmp = tmp_path_factory.mktemp("section")
    path = tmp / "softmax.ko.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        ran, _ = execute(path, tmp, mp, allow_errors=True, files=a.files)
    import nbformat

    nbformat.write(ran, path)
    return path


def check_error(path: Path) -> dict:
    cells = {c["id"]: c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]}
    errors = [o for o in cells["softmax-check"]["outputs"] if o["output_type"] == "error"]
    assert len(errors) == 1
    return errors[0]


def test_korean_check_failure_message(korean_section):
    """Does the check cell of the Korean edition fail on a batch that is not normalised per
    row, and say so in Korean once the check helper can switch language?"""
    error = check_error(korean_section)
    english = "Each row (the class axis is the last axis) must sum to 1."
    if not translations.speaks_korean(COURSE.assignment("softmax")):
        assert english in error["evalue"]
        pytest.skip("the shipped publiccheck.py has no set_language: messages stay English")
    korean = translations.read_messages(translations.messages_file_for(
        COURSE.assignment("softmax")))[english]
    assert korean in error["evalue"] and HANGUL.search(error["evalue"])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
GLYPHS = "<html><body style='margin:0'>" + "".join(
    f"<div style='position:absolute;left:{20 + 140 * i}px;top:20px;font:96px sans-serif'>"
    f"{ch}</div>" for i, ch in enumerate(["한", "글", "\ue000", "\ue001"])) + "</body></html>"
"""Two Hangul syllables and two private-use characters (which no font has: missing-glyph
boxes) at known places."""


def screenshot(url: str, out: Path, profile: Path, size: str = "1200,1800") -> None:
    import subprocess

    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                    f"--window-size={size}", f"--screenshot={out}", url],
                   capture_output=True, timeout=120, check=True)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                    "(./install.sh test)")
def test_korean_section_renders_without_missing_glyph_boxes(korean_section, tmp_path):
    """Rendered in Chromium, is Hangul drawn with real glyphs (two syllables differ from each
    other and from a missing-glyph box), and is the Korean section with its failed check kept
    as test-artifacts/korean-softmax-section.png?"""
    from matplotlib.image import imread
    from nbconvert import HTMLExporter

    probe = tmp_path / "glyphs.html"
    probe.write_text(GLYPHS, encoding="utf-8")
    screenshot(probe.as_uri(), tmp_path / "glyphs.png", tmp_path / "profile", "600,200")
    pixels = imread(tmp_path / "glyphs.png")[..., :3].mean(axis=-1)
    boxes = [pixels[20:150, 20 + 140 * i:140 + 140 * i] for i in range(4)]
    assert np.allclose(boxes[2], boxes[3]), "the private-use reference is not a missing-glyph box"
    assert all(b.std() > 0.05 for b in boxes[:2]), "a Hangul syllable drew nothing"
    assert not np.allclose(boxes[0], boxes[1], atol=0.05), "Hangul drawn as identical boxes"
    assert not np.allclose(boxes[0], boxes[2], atol=0.05), "Hangul drawn as missing glyphs"
    html, _ = HTMLExporter(template_name="lab").from_filename(str(korean_section))
    page = tmp_path / "section.html"
    page.write_text(html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "korean-softmax-section.png"
    screenshot(page.as_uri(), shot, tmp_path / "profile")
    assert imread(shot)[..., :3].std() > 0.05
    assert "Softmax layer와 Logit" in html and check_error(korean_section)["ename"] in html


@pytest.mark.parametrize("ident", KOREAN)
def test_korean_solution_full_marks_and_stub_zero(ident, grade, tmp_path):
    """Does the Korean edition of the solution earn every point and its untouched student
    notebook none, as the English ones do?"""
    a = COURSE.assignment(ident)
    english = json.loads(a.solution_notebook.read_text(encoding="utf-8"))
    solution = tmp_path / translations.edition_name(a.notebook)
    solution.write_text(json.dumps(translations.korean_solution(a, english)), encoding="utf-8")
    full, stub = grade(a, solution), grade(a, korean_path(a))
    assert (full.problem, full.score, full.flags) == ("", a.auto_points, ())
    assert (stub.problem, stub.score) == ("", 0)
    assert all(c.status in ("failed", "timeout") for c in stub.checks)
