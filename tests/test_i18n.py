"""i18n.py and the catalogs: every student-facing string in English and Korean.

A catalog that lacks a string fails here: the template must match a fresh extraction, every
msgid needs a Korean translation with the same fields, the compiled catalogs must match their
.po files, and a real Korean feedback page must have no English sentence left. The page is also
rendered in headless Chromium and its Hangul checked for tofu (missing glyphs).
"""
from __future__ import annotations

import datetime as dt
import gettext
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from autograder import i18n
from autograder.reports import feedback
from conftest import ROOT, solution_sources

LOCALE = ROOT / "autograder" / "locale"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
FIELD = re.compile(r"\{[a-z_]+\}")


def po(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "autograder.po").open("rb") as fp:
        return read_po(fp, locale=lang)


def fresh_msgids() -> set[str]:
    """What `pybabel extract -F autograder/locale/babel.cfg -k N_` finds now."""
    with (LOCALE / "babel.cfg").open() as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    keywords = {"_": None, "gettext": None, "N_": None}
    return {m if isinstance(m, str) else m[0]
            for _, _, m, _, _ in extract_from_dir(str(ROOT), method_map, options_map,
                                                 keywords=keywords) if m}


def test_the_template_matches_a_fresh_extraction():
    """Is autograder.pot what extraction finds now (run docs/translating.md's commands)?"""
    with (LOCALE / "autograder.pot").open("rb") as fp:
        template = {m.id for m in read_po(fp) if m.id}
    fresh = fresh_msgids()
    assert not fresh - template, f"not extracted yet: {sorted(fresh - template)[:10]}"
    assert not template - fresh, f"no longer in the sources: {sorted(template - fresh)[:10]}"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_msgid_is_translated_with_the_same_fields(lang):
    """Does every msgid of the template have a translation keeping its {fields}?"""
    with (LOCALE / "autograder.pot").open("rb") as fp:
        template = {m.id for m in read_po(fp) if m.id}
    catalog = {m.id: m.string for m in po(lang) if m.id}
    missing = sorted(i for i in template if not catalog.get(i))
    assert not missing, f"{lang} lacks {len(missing)}: {missing[:5]}"
    for msgid in template:
        assert sorted(FIELD.findall(msgid)) == sorted(FIELD.findall(catalog[msgid])), msgid


def test_korean_uses_the_course_terms():
    """규제 for regularization (never 정규화), and softmax / logit / cross entropy kept."""
    catalog = {m.id: m.string for m in po("ko") if m.id}
    for msgid, text in catalog.items():
        assert "정규화" not in text or "normali" in msgid, msgid  # 정규화: normalization
        if "regularization" in msgid:
            assert "규제" in text, msgid
        for term in ("softmax", "logit", "cross_entropy", "overflow"):
            if term in msgid:  # the slides capitalise some ("Logit vector")
                assert term in text.lower(), (term, msgid)
        assert HANGUL.search(text) or not re.search(r"[a-z]{4,} [a-z]{4,}", msgid), msgid


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_compiled_catalogs_match_their_po_files(lang):
    """Is each .mo compiled from its current .po (pybabel compile)?"""
    mo = gettext.GNUTranslations((LOCALE / lang / "LC_MESSAGES" / "autograder.mo").open("rb"))
    for message in po(lang):
        if message.id:
            assert mo.gettext(message.id) == message.string, message.id


def test_students_receive_only_the_check_cells_strings():
    """Is common/autograder-ko.mo the Korean catalog of publiccheck.py and the notebooks'
    `_()` strings, without any hidden check's name or hint?"""
    shipped = gettext.GNUTranslations((ROOT / "common" / "autograder-ko.mo").open("rb"))
    fresh = gettext.GNUTranslations(io.BytesIO(i18n.student_catalog(ROOT, "ko")))
    assert shipped._catalog == fresh._catalog  # type: ignore[attr-defined]
    ids = set(shipped._catalog) - {""}  # type: ignore[attr-defined]
    assert "`{function}` is not implemented yet" in ids
    assert not [i for i in ids if "svm_loss" in i or "regularization" in i]


def test_translate_matches_templates_and_keeps_unknown_text():
    """Is a composed message translated through its template, fields in turn, and unknown text
    left as it is?"""
    text = "the loss of svm_loss_naive with reg = 0 is not correct"
    assert i18n.translate(text, "ko") == \
        "svm_loss_naive의 손실 (reg = 0): 값이 틀렸습니다"
    assert i18n.translate(text, "en") == text
    assert i18n.translate("the gradient dW of svm_loss_naive is not correct", "ko") == \
        "svm_loss_naive의 그래디언트 dW: 값이 틀렸습니다"
    assert i18n.translate("something no catalog has", "ko") == "something no catalog has"


def test_publiccheck_speaks_korean_beside_the_notebook_and_english_without_a_catalog(tmp_path):
    """In a released folder (publiccheck.py and its catalog), with AUTOGRADER_LANG=ko, does a
    stub say it is not implemented in Korean, and English with no catalog at all?"""
    shutil.copy(ROOT / "common" / "publiccheck.py", tmp_path)
    script = ("import numpy as np\nfrom publiccheck import public_check\n"
              "def softmax(x):\n    raise NotImplementedError\n"
              "try:\n    with public_check('softmax'):\n        softmax(np.zeros(3))\n"
              "except AssertionError as exc:\n    print(type(exc).__name__, exc)\n")
    (tmp_path / "cell.py").write_text(script, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "AUTOGRADER_LANG": "ko"}
    python = sys._base_executable  # not the venv: no autograder package to borrow catalogs from

    def run() -> str:
        done = subprocess.run([python, "-s", "-E", "cell.py"], cwd=tmp_path, env=env,
                              text=True, capture_output=True, timeout=60)
        assert "import autograder" not in done.stderr, done.stderr
        return done.stdout.strip()
    assert run() == "PublicCheckFailed `softmax` is not implemented yet"
    shutil.copy(ROOT / "common" / "autograder-ko.mo", tmp_path)
    assert run() == "PublicCheckFailed `softmax`이(가) 아직 구현되지 않았습니다"


@pytest.fixture(scope="module")
def korean_page(tmp_path_factory):
    """The Korean student feedback of an svm using 0.5 * reg, as `grade` writes it."""
    from autograder import course as course_mod, sandbox
    from autograder.grading import grade_submission
    from conftest import edit_notebook

    course = course_mod.load(ROOT / "course.yaml")
    a = course.assignment("svm")
    cells = solution_sources(a)
    cells["svm-vectorized-impl"] = cells["svm-vectorized-impl"].replace(
        "+ reg * np.sum(W * W)", "+ 0.5 * reg * np.sum(W * W)").replace(
        "+ 2 * reg * W", "+ reg * W")
    folder = tmp_path_factory.mktemp("ko")
    path = edit_notebook(a.release_notebook, folder / "student.ipynb", cells)
    report = grade_submission(a, path, seed=5, tier=sandbox.choose_tier(allow_unsafe=True))
    page = feedback.build(report, due=a.due, now=a.due - dt.timedelta(days=1), title=a.title,
                          policy=course.disclosure, lang="ko")
    feedback.write(report, folder, due=a.due, now=a.due - dt.timedelta(days=1), title=a.title,
                   policy=course.disclosure, lang="ko")
    return page, folder / "feedback.html"


def test_korean_feedback_has_no_english_sentence_left(korean_page):
    """Is every heading, check name and note of a real Korean page in Korean?"""
    page, _ = korean_page
    texts = [page.title, *page.summary]
    for section in page.sections:
        texts += [section.title, *section.intro]
        if not section.table:
            texts += [t for line in section.lines for t in (line.title, *line.notes)]
    english = [t for t in texts if not HANGUL.search(t)]
    assert not english, english


TOFU_PROBE = """<script>
window.addEventListener("load", () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const g = canvas.getContext("2d");
  const family = getComputedStyle(document.body).fontFamily;
  const draw = ch => { g.clearRect(0, 0, 64, 64); g.font = "40px " + family;
    g.fillText(ch, 4, 48); return Array.from(g.getImageData(0, 0, 64, 64).data).join(","); };
  const tofu = draw("\\u{10FFFD}");
  const chars = [...new Set(document.body.innerText.match(/[\\uAC00-\\uD7A3]/g))].slice(0, 80);
  const shapes = chars.map(draw);
  const out = document.createElement("pre");
  out.id = "tofu";
  out.textContent = JSON.stringify({chars: chars.length,
    tofu: chars.filter((c, i) => shapes[i] === tofu), distinct: new Set(shapes).size,
    missingIsTofu: draw("\\u{10FFFC}") === tofu});
  document.body.appendChild(out);
});
</script></body>"""
"""Draws each Hangul syllable of the page in the page's fonts and compares it with the glyph
Chromium draws for a code point no font has (tofu); added to a copy of the page only."""


def chromium(*args: str, profile: Path) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--window-size=1200,1600",
               *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                    "(./install.sh test)")
def test_korean_feedback_renders_without_tofu(korean_page, tmp_path):
    """In headless Chromium, does every Hangul syllable of the page draw as its own glyph, none
    like the missing-glyph box (the detector itself sees a missing code point as tofu)?"""
    from matplotlib.image import imread

    _, path = korean_page
    probe = path.with_name("probe.html")
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", TOFU_PROBE),
                     encoding="utf-8")
    dom = chromium("--dump-dom", probe.as_uri(), profile=tmp_path / "profile")
    found = json.loads(re.search(r'<pre id="tofu">([^<]*)</pre>', dom).group(1))
    assert found["missingIsTofu"], "the detector cannot tell a missing glyph"
    assert found["chars"] >= 40 and not found["tofu"], found
    assert found["distinct"] == found["chars"], found
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "feedback-ko.png"
    shot.unlink(missing_ok=True)
    chromium(f"--screenshot={shot}", path.as_uri(), profile=tmp_path / "profile")
    pixels = imread(shot)
    assert pixels.shape[:2] == (1600, 1200) and pixels[..., :3].std() > 0.05
    shutil.copy(path, ARTIFACTS / "feedback-ko.html")


def test_report_rewrites_student_feedback_in_korean(tmp_path):
    """Does `report --lang ko` re-render a graded folder's student feedback in Korean, leaving
    the records English?"""
    from autograder.cli import main

    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(ROOT / "examples" / "softmax" / "bob.ipynb", subs / "bob.ipynb")
    course = ["--course", str(ROOT / "course.yaml")]
    assert main([*course, "grade", "softmax", str(subs), "--out", str(tmp_path / "graded"),
                 "--seed", "4"]) == 0
    english = (tmp_path / "graded" / "bob" / "feedback.md").read_text(encoding="utf-8")
    assert "Points by function" in english
    assert main([*course, "report", str(tmp_path / "graded"), "--out", str(tmp_path / "ko"),
                 "--lang", "ko"]) == 0
    korean = (tmp_path / "ko" / "bob" / "feedback.md").read_text(encoding="utf-8")
    assert "함수별 점수" in korean and "Points by function" not in korean
    assert "softmax에서" in korean or "힌트:" in korean
    doc = json.loads((tmp_path / "ko" / "bob" / "results.json").read_text(encoding="utf-8"))
    assert "자동 채점" in doc["output"]


def test_class_report_headings_follow_the_course_language(course, tmp_path):
    """With lang ko, are the class report's title and headings Korean, its data unchanged?"""
    from autograder import scoring
    from autograder.records import CheckRecord
    from autograder.reports import write_all

    a = course.assignment("softmax")
    check = CheckRecord(id="t.py::test_softmax_random", name="softmax matches", function="softmax",
                        points=1.0, score=0.0, status="failed", visibility="hidden")
    reports = [scoring.score(a, [check], submission=name, path=f"{name}.ipynb", seed=1,
                             tier="none") for name in ("amy", "ben")]
    write_all(reports, tmp_path, course=course, nbgrader=False, lang="ko")
    page = (tmp_path / "class-report.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "<h3>함수별 점수</h3>" in page
    assert "<h1>전체 수강생 보고서: Loss functions for linear classifiers</h1>" in page
    assert "<h3>Scores</h3>" not in page and "amy" in page
