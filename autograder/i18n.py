"""Student-facing text in English or Korean, through gettext catalogs (msgids are the English).

Records keep English; outputs translate when they render. `translate` finds a text in the
catalog as a whole, or as an instance of a catalog template with `{name}` fields ("the loss of
{function} is not correct: {observed}"), whose fields are translated in turn. A text the
catalog does not know stays English.

Catalogs: autograder/locale/<lang>/LC_MESSAGES/autograder.po/.mo, extracted and compiled with
Babel (docs/translating.md); common/autograder-ko.mo is the copy students receive beside
publiccheck.py.
"""
from __future__ import annotations

import functools
import gettext
import re
from pathlib import Path

DOMAIN = "autograder"
LANGUAGES = ("en", "ko")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_FIELD = re.compile(r"\{([a-z_]+)\}")
_FIELD_PATTERNS = {"function": r"([A-Za-z_][\w.]*)", "first": r"([A-Za-z_][\w.]*)",
                   "second": r"([A-Za-z_][\w.]*)",
                   "probe": r"(logits of magnitude 1e3(?: with mixed signs)?|all-equal logits)"}
"""Fields that hold an identifier match only one, so "{what} is not correct" is not read as
"the loss of {function}" with a sentence for the function."""


def N_(text: str) -> str:
    """Marks a string for extraction; translated later, where it is shown."""
    return text


@functools.lru_cache(maxsize=None)
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English: none, msgids are English)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, [lang], fallback=True)


@functools.lru_cache(maxsize=None)
def _templates(lang: str) -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    """(pattern, msgid, fields) for each msgid with fields; the longest literal text first."""
    found = []
    for msgid in getattr(catalog(lang), "_catalog", {}):
        if not isinstance(msgid, str) or "{" not in msgid:
            continue
        fields = tuple(_FIELD.findall(msgid))
        if not fields:
            continue
        parts = _FIELD.split(msgid)
        regex = "".join(re.escape(p) if i % 2 == 0 else _FIELD_PATTERNS.get(p, "(.+?)")
                        for i, p in enumerate(parts))
        found.append((re.compile(f"^{regex}$", re.S), msgid, fields))
    found.sort(key=lambda t: -len(_FIELD.sub("", t[1])))
    return tuple(found)


TEMPLATES = (
    # feedback pages, results.json, junit
    N_("{title}: feedback for {student}"), N_("Your notebook could not be graded: {problem}"),
    N_("Score: 0 / {max}."), N_("Autograded score: {score} / {max}."),
    N_("Written answers: {written} / {max}."),
    N_("Written answers ({points} points) are graded by hand: {count} not graded yet."),
    N_("Written answers ({points} points) are graded by hand: {count} not graded yet, "
       "{written} points so far."),
    N_("Late penalty: {penalty} of the whole grade."), N_("Final score: {score} / {max}."),
    N_("{count} more check(s) worth {points} point(s) are shown later (after the due date or "
       "when results are published)."),
    N_("Checks of {function}"), N_("Checks of the notebook"), N_("Your notebook's cells"),
    N_("{count} magic or shell line(s) were not run: {lines}"),
    N_("- {count} magic or shell line(s) were not run: {lines}"),
    N_("error: {message}"), N_("timeout: {message}"), N_("crashed: {message}"),
    N_("skipped: {message}"), N_("- {label}: {status}: {message}"),
    N_("Hint: {hint}"), N_("observed: {observed}; tolerance: {tolerance}"),
    N_("observed: {observed}"), N_("{name}: details"), N_("function"), N_("points"),
    N_("not run"), N_("floating-point error: {error}"),
    N_("no overflow, invalid or divide warning"), N_("max relative error {error}"),
    N_("max absolute error {error}"), N_("relative error {error}"),
    N_("the result contains nan"), N_("the result contains inf"),
    N_("the result contains nan or inf"), N_("the gradient contains nan or inf"),
    # messages of checks.py and proxy.py
    N_("{what} is not correct"),
    N_("{what} is not correct: {observed}, allowed {tolerance}. Expected {expected}, got {got}"),
    N_("{what} is not correct: {observed}, allowed {tolerance}"),
    N_("{what} is not numerically stable: numpy reported '{error}'. The right value after an "
       "overflow (or other floating-point) warning does not count: rewrite the computation so "
       "that nothing overflows, divides by 0 or takes log(0)."),
    N_("{what} at {probe}"),
    N_("{what} has the wrong shape"), N_("{what} has shape {got}; it should have shape {want}"),
    N_("{what} must be a float, not {kind}"),
    N_("{what} must be a numpy array of numbers, not {kind}"),
    N_("{what} must return a pair (loss, gradient), not {kind}"),
    N_("{what} does not match a numerical gradient"),
    N_("{what} does not match a numerical gradient: {observed}, allowed {threshold}"),
    N_("{first} and {second} disagree on the loss"),
    N_("{first} and {second} disagree on the gradient"),
    N_("{second} gives the negative of {first}: one of them has a sign error"),
    N_("{second} gives twice what {first} gives: a factor 2 differs"),
    N_("{second} gives half what {first} gives: a factor 2 differs"),
    N_("{function} raised {error}"), N_("{function} raised {error}: {message}"),
    N_("function `{function}` is not defined in your notebook"),
    N_("{function} did not return within {seconds}"),
    N_("`{function}` must be vectorized but uses {found} (line {line} of its definition)"),
    N_("`{function}` must be vectorized but calls `{name}`, which uses {found} (line {line} of "
       "that definition)"),
    N_("`{name}` (which `{fn}` is or calls) is not bound by a plain top-level `def`: it is "
       "assigned, imported, decorated or defined under if/for/try/with, so the grader cannot "
       "check that it has no loops; define it with a top-level `def`"),
    N_("{function} modified its input in place ({which}); work on a copy instead (e.g. x = "
       "x.copy() or x - x.max(...) creates a new array)"),
    N_("{what}: a larger reg did not give smaller weights"),
    N_("{what}: the same seed gave different weights"),
    N_("{what}: validation accuracy {accuracy}, required {threshold}"),
    N_("{what}: the weights contain nan or inf"),
    N_("{what} took {seconds} s, more than the {budget} s allowed"),
    N_("{what} changed numpy's floating-point error settings (np.seterr) instead of avoiding "
       "the overflow"),
    N_("the source of `{function}` was not found as a top-level `def {function}` in your "
       "notebook"),
    N_("the source of `{function}` could not be parsed"),
    N_("two runs with different seeds gave the same weights"),
    N_("training with a larger reg"), N_("two runs with the same seed"),
    N_("the loss of {function}"), N_("the gradient dW of {function}"),
    N_("the gradient returned by {function}"), N_("the loss returned by {function}"),
    N_("value {index} returned by {function}"), N_("{function}(...)"),
    N_("{thing} with a single example (N = 1)"), N_("{thing} with C = 2 classes"),
    N_("{thing} when all examples are in one class"), N_("{thing} with reg = 0"),
    N_("{thing} with labels of dtype {dtype}"), N_("{thing} when some margins are exactly 0"),
    N_("{thing} on the digits data"),
    # `autograder check`
    N_("Public checks of {notebook}"), N_("Public checks of {notebook} ({assignment})"),
    N_("This notebook has no public checks."),
    N_("all public checks passed ({passed} of {total}); the hidden tests that grade your "
       "notebook check more than these."),
    N_("{passed} of {total} public checks passed."),
    N_("your cell {cell} did not run cleanly: {message}"),
    N_("the check cell after \"{heading}\""), N_("the check cell of {function}"),
    # the class report's headings
    N_("Class report: {name}"), N_("Class report"), N_("Scores"), N_("Points per function"),
    N_("Checks"), N_("Checks: the most common mistakes first"), N_("Late submissions"),
    N_("Integrity flags"), N_("Notebook problems"), N_("Submissions"),
)
"""English sentences with fields that outputs produce; translate() matches text against them."""


def translate(text: str, lang: str = "en", _depth: int = 0) -> str:
    """`text` in `lang`: a catalog entry, an instance of a catalog template, or unchanged."""
    if lang == "en" or not text:
        return text
    found = catalog(lang).gettext(text)
    if found != text or _depth > 3:
        return found
    for pattern, msgid, fields in _templates(lang):
        match = pattern.match(text)
        if match:
            values = {f: translate(v, lang, _depth + 1) for f, v in zip(fields, match.groups())}
            return catalog(lang).gettext(msgid).format(**values)
    return text


_HEADING = re.compile(r"<(h1|h3|title)>([^<]*)</\1>")


def translate_headings(page: str, lang: str) -> str:
    """An HTML page with its title, h1 and h3 headings in `lang` (the rest unchanged)."""
    if lang == "en":
        return page
    page = page.replace('<html lang="en">', f'<html lang="{html_lang(lang)}">', 1)
    return _HEADING.sub(lambda m: f"<{m[1]}>{_escaped(translate(_unescaped(m[2]), lang))}"
                                  f"</{m[1]}>", page)


def _unescaped(text: str) -> str:
    import html
    return html.unescape(text)


def _escaped(text: str) -> str:
    import html
    return html.escape(text, quote=True)


def html_lang(lang: str) -> str:
    """The page's lang attribute."""
    return lang if lang in LANGUAGES else "en"


# --- extraction (Babel extractors; see docs/translating.md) ----------------------------------

HINT_MAKERS = frozenset({"ratio_hint", "same_as", "offset_hint", "nonfinite_hint"})
"""checks.py's catalog entries: their string arguments are hints."""


def extract_checks(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """Babel extractor for hidden tests and mistake catalogs: check names and hints.

    Yields each test's name (its docstring's first line), every module-level string constant
    (the catalog's hints) and the `_()`/`N_()` calls Babel's Python extractor finds.
    """
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    tree = ast.parse(source)
    for node in ast.walk(tree):  # hints written inline: ratio_hint(2.0, "the gradient is ...")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in HINT_MAKERS:
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield node.lineno, None, arg.value, []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node)
            if doc:
                yield node.lineno, None, doc.strip().splitlines()[0].strip(), []
        elif isinstance(node, ast.Assign) and node.targets \
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper():
            values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) \
                        and " " in value.value.strip():
                    yield node.lineno, None, value.value, []
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)


def extract_ipynb(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """Babel extractor for notebooks: `_("...")` in code cells (line numbers count the cells'
    lines in order)."""
    import io
    import json

    from babel.messages.extract import extract_python

    cells = json.load(fileobj).get("cells", [])
    code = "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list)
                     else str(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
    code = "\n".join(line for line in code.splitlines()
                     if not line.lstrip().startswith(("%", "!")))
    yield from extract_python(io.BytesIO(code.encode("utf-8")), keywords, comment_tags,
                              {**options, "encoding": "utf-8"})


# --- the catalog students receive beside publiccheck.py ---------------------------------------

STUDENT_SOURCES = ("common/publiccheck.py", "solutions/*/*.ipynb")
"""Where the strings students' check cells show come from: only these reach the student
catalog (never hidden checks' names or hints)."""


def student_msgids(root: Path) -> set[str]:
    """Msgids of publiccheck.py and of the solution notebooks' `_()` calls."""
    found: set[str] = set()
    for pattern in STUDENT_SOURCES:
        extract = extract_ipynb if pattern.endswith(".ipynb") else extract_checks
        for path in sorted(root.glob(pattern)):
            with path.open("rb") as fp:
                found |= {m if isinstance(m, str) else (m or ("",))[0]
                          for _, _, m, _ in extract(fp, ("_", "N_"), [], {})}
    return {m for m in found if m}


def student_catalog(root: Path, lang: str) -> bytes:
    """The compiled catalog of `lang` restricted to student_msgids (a .mo file's bytes)."""
    return _compiled(lang, lambda msgid: msgid in student_msgids(root))


def hidden_test_msgids(root: Path) -> set[str]:
    """Msgids that only the hidden tests hold: their check names and the mistake catalogs."""
    def found(patterns: tuple[str, ...]) -> set[str]:
        ids: set[str] = set()
        for pattern in patterns:
            for path in sorted(root.glob(pattern)):
                with path.open("rb") as fp:
                    ids |= {m if isinstance(m, str) else (m or ("",))[0]
                            for _, _, m, _ in extract_checks(fp, ("_", "N_"), [], {})}
        return ids
    return found(("solutions/*/tests/*.py",)) - found(("autograder/*.py",
                                                       "autograder/reports/*.py"))


def package_catalog(root: Path, lang: str) -> bytes:
    """The catalog of `lang` for the checker students install: the grader's own strings
    (`check`'s output), without the hidden tests' check names or hints."""
    hidden = hidden_test_msgids(root)
    return _compiled(lang, lambda msgid: msgid not in hidden)


def _compiled(lang: str, keep) -> bytes:  # type: ignore[no-untyped-def]
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as fp:
        full = read_po(fp, locale=lang)
    for message in list(full):
        if message.id and not keep(message.id):
            del full[message.id]
    out = io.BytesIO()
    write_mo(out, full)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """`python autograder/i18n.py student-catalog [ROOT]`: write common/autograder-ko.mo."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "student-catalog":
        print("usage: python autograder/i18n.py student-catalog [course root]", file=sys.stderr)
        return 2
    root = Path(args[1] if len(args) > 1 else ".")
    for lang in LANGUAGES[1:]:
        target = root / "common" / f"{DOMAIN}-{lang}.mo"
        target.write_bytes(student_catalog(root, lang))
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
