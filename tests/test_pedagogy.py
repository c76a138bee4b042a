"""The solution notebooks teach: questions ask for what the text does not give, docstrings state
conventions rather than the expression to type, checks use public_check, figures are labelled.

Overlap measure (written questions): the model answer of a graded written question (its cell up
to the rubric) and every Markdown cell before the question's prompt are reduced to their prose
words (math between $...$ and backticked code removed, lower case, stop words dropped); the
measure is the share of the answer's word trigrams that occur in that earlier text. A copied
answer scores near 1; the answers of the previous edition that repeated their section scored up
to 0.13; every current answer must stay below OVERLAP_LIMIT.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from autograder import course as course_mod
from conftest import ROOT

COURSE = course_mod.load(ROOT / "course.yaml")
IDS = [a.id for a in COURSE.assignments]
OVERLAP_LIMIT = 0.08
STOP_WORDS = frozenset("""
a an the of to in on at by for with and or but if then so as is are be been was were it its this
that these those there here from into than which who whom what when where why how not no can could
would should will may might must do does did we you they he she i our your their his her my me us
them one two all any each every some such more most less very also only just about over under
between both either neither same other another up down out off again further once own too has have
had
""".split())


def notebook(ident: str) -> dict:
    return json.loads(COURSE.assignment(ident).solution_notebook.read_text())


def source(cell: dict) -> str:
    return "".join(cell["source"])


def nbgrader(cell: dict) -> dict:
    return cell["metadata"].get("nbgrader", {})


def is_written_answer(cell: dict) -> bool:
    meta = nbgrader(cell)
    return cell["cell_type"] == "markdown" and bool(meta.get("solution") and meta.get("grade"))


def prose_words(text: str) -> list[str]:
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", " ", text, flags=re.S).lower()
    return [w for w in re.findall(r"(?<![\\a-z])[a-z]+", text)
            if w not in STOP_WORDS and len(w) > 1]


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = prose_words(text)
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def model_answer(text: str) -> str:
    return re.split(r"\*\*Rubric", text)[0].replace("**Model answer", "")


def overlap(answer: str, earlier: list[str]) -> float:
    """Share of the answer's prose trigrams that occur in the earlier Markdown text."""
    grams = trigrams(model_answer(answer))
    seen = set().union(*(trigrams(t) for t in earlier)) if earlier else set()
    return len(grams & seen) / max(1, len(grams))


def written_questions(nb: dict) -> list[tuple[str, str, list[str]]]:
    """(grade_id, answer, Markdown text before the question's prompt) per graded question."""
    found, markdown = [], []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        if is_written_answer(cell):
            found.append((nbgrader(cell)["grade_id"], source(cell), markdown[:-1]))
        else:
            markdown.append(source(cell))
    return found


def test_overlap_measure_flags_a_copied_answer_and_passes_a_new_one():
    """Does the measure score an answer copied from the text high and an unrelated one low?"""
    text = ("The hinge loss is zero once every margin is met, so scaling the weights up keeps "
            "the loss at zero and the data loss cannot choose between W and 2W.")
    assert overlap(text, [text]) == 1.0
    assert overlap("Confidence on wrong predictions is lower on average.", [text]) == 0.0
    assert overlap("$x$ and `code` only", [text]) == 0.0


@pytest.mark.parametrize("ident", IDS)
def test_written_questions_ask_for_what_the_text_does_not_give(ident):
    """Is every model answer's prose mostly absent from the Markdown before its question?"""
    too_close = {gid: round(overlap(answer, earlier), 3)
                 for gid, answer, earlier in written_questions(notebook(ident))
                 if overlap(answer, earlier) >= OVERLAP_LIMIT}
    assert not too_close


@pytest.mark.parametrize("ident", IDS)
def test_every_written_question_has_a_model_answer_and_a_rubric(ident):
    """Do all written answers of course.yaml carry a model answer and a rubric for graders?"""
    found = {gid: answer for gid, answer, _ in written_questions(notebook(ident))}
    assert set(found) == set(COURSE.assignment(ident).written)
    missing = [gid for gid, answer in found.items()
               if "**Model answer" not in answer or "**Rubric" not in answer]
    assert not missing


def test_written_question_ids_are_unique_across_the_course():
    """Is every written question graded in one place only?"""
    ids = [gid for a in COURSE.assignments for gid in a.written]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("ident", IDS)
def test_the_answer_language_is_stated_once(ident):
    """Does exactly one Markdown cell say that answers may be in Korean or in English?"""
    cells = [c for c in notebook(ident)["cells"] if c["cell_type"] == "markdown"
             and re.search(r"Korean or\s+(in\s+)?English", source(c))]
    assert len(cells) == 1


@pytest.mark.parametrize("ident", IDS)
def test_lecture_notes_are_named_by_title_not_by_file(ident):
    """Does no cell call the lecture notes "seed 000/001/002"?"""
    hits = [c["id"] for c in notebook(ident)["cells"]
            if re.search(r"\bseed\s+00\d", source(c), flags=re.I)]
    assert not hits


def expressions(function: ast.FunctionDef) -> set[str]:
    """Normalised expressions of a function body with at least two binary operators."""
    found = set()
    for node in ast.walk(function):
        if isinstance(node, ast.BinOp) and sum(isinstance(n, ast.BinOp)
                                               for n in ast.walk(node)) >= 2:
            found.add(normalise(ast.unparse(node)))
    return found


def normalise(text: str) -> str:
    text = re.sub(r"\b(np|numpy|math)\.", "", text)
    text = re.sub(r"(\d)\.0\b", r"\1", text)
    return re.sub(r"\s+", "", text)


def graded_definitions(ident: str) -> dict[str, ast.FunctionDef]:
    graded = set(COURSE.assignment(ident).functions)
    found = {}
    for cell in notebook(ident)["cells"]:
        if cell["cell_type"] == "code" and nbgrader(cell).get("solution"):
            for node in ast.parse(source(cell)).body:
                if isinstance(node, ast.FunctionDef) and node.name in graded:
                    found[node.name] = node
    return found


def reference_definitions(ident: str) -> dict[str, ast.FunctionDef]:
    path = ROOT / "solutions" / ident / "tests" / "reference.py"
    tree = ast.parse(path.read_text()) if path.exists() else ast.Module(body=[], type_ignores=[])
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def spelled_out(docstring: str, implementations: list[ast.FunctionDef]) -> set[str]:
    """Expressions of the implementations found in the docstring, and formulas written in it."""
    text = normalise(docstring)
    return {e for f in implementations for e in expressions(f) if e in text} | formulas(docstring)


def formulas(text: str) -> set[str]:
    """Python expressions with two or more binary operators written in a text (not word lists
    such as "overflow/invalid/divide", not prose joined by "and")."""
    found = set()
    for run in re.findall(r"[\w.*+\-/()\[\] @,]+", text):
        starts = [m.start() for m in re.finditer(r"\b\w|\(", run)]
        ends = sorted({m.end() for m in re.finditer(r"\w\b|\)", run)}, reverse=True)
        for start in starts:
            piece = next((run[start:end] for end in ends if end > start
                          and is_formula(run[start:end])), None)
            if piece:
                found.add(piece)
                break
    return found


def is_formula(piece: str) -> bool:
    try:
        nodes = list(ast.walk(ast.parse(piece, mode="eval")))
    except SyntaxError:
        return False
    operators = [n for n in nodes if isinstance(n, ast.BinOp)]
    word_list = all(isinstance(n.op, ast.Div) for n in operators) and not any(
        isinstance(n, (ast.Call, ast.Constant, ast.Subscript)) for n in nodes)
    return (len(operators) >= 2 and not word_list
            and not any(isinstance(n, ast.BoolOp) for n in nodes))


def test_docstring_measure_catches_a_formula():
    """Is a docstring that gives the solution's expression caught, and a convention not?"""
    tree = ast.parse('def l2(W, reg):\n    """Returns grad = 2 * reg * W."""\n'
                     "    return reg * np.sum(W * W), 2.0 * reg * W\n")
    assert "2*reg*W" in spelled_out(ast.get_docstring(tree.body[0]), [tree.body[0]])
    assert not spelled_out("The gradient has the shape of W.", [tree.body[0]])
    assert formulas("Returns mean(log(2 * b) + abs(target - pred) / b) over all elements.")
    assert not formulas("No overflow/invalid/divide warning; x_k + h and x_k - h and then.")


@pytest.mark.parametrize("ident", IDS)
def test_no_docstring_of_a_graded_function_spells_out_the_solution(ident):
    """Does no graded docstring contain an expression of the solution or the reference?"""
    references = reference_definitions(ident)
    definitions = graded_definitions(ident)
    assert set(definitions) == set(COURSE.assignment(ident).functions)
    leaks = {name: spelled_out(ast.get_docstring(f) or "", [f, references.get(name, f)])
             for name, f in definitions.items()}
    assert not {name: hits for name, hits in leaks.items() if hits}


def check_blocks(cell: dict) -> list[str]:
    """Function names of the `with public_check(name):` blocks at the top of a cell."""
    names = []
    for node in ast.parse(source(cell)).body:
        if isinstance(node, ast.With):
            call = node.items[0].context_expr
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "public_check":
                names.append(ast.literal_eval(call.args[0]))
    return names


@pytest.mark.parametrize("ident", IDS)
def test_public_checks_use_public_check_once_per_function_and_cell(ident):
    """Is every public check a set of public_check blocks, one per graded function it tests?"""
    graded = set(COURSE.assignment(ident).functions)
    cells = [c for c in notebook(ident)["cells"] if "public-check" in
             c["metadata"].get("tags", [])]
    assert cells
    for cell in cells:
        names = check_blocks(cell)
        assert names and set(names) <= graded, (cell["id"], names)
        assert len(names) == len(set(names)), cell["id"]
        assert "strict_floats" not in source(cell) and "public checks passed" not in source(cell)


@pytest.mark.parametrize("ident", IDS)
def test_each_public_check_block_calls_the_function_it_names(ident):
    """Does every block test student code, the function it is named after?"""
    for cell in notebook(ident)["cells"]:
        if "public-check" not in cell["metadata"].get("tags", []):
            continue
        for node in ast.parse(source(cell)).body:
            if isinstance(node, ast.With):
                name = ast.literal_eval(node.items[0].context_expr.args[0])
                called = {getattr(n.func, "id", "") for n in ast.walk(node)
                          if isinstance(n, ast.Call)}
                assert name in called, (cell["id"], name)


@pytest.mark.parametrize("ident", IDS)
def test_setup_imports_public_check_and_ships_it(ident):
    """Does the setup import publiccheck, and does the assignment ship the module?"""
    a = COURSE.assignment(ident)
    assert Path("common/publiccheck.py") in a.files
    setup = [c for c in notebook(ident)["cells"] if c["cell_type"] == "code"
             and "from publiccheck import _, public_check" in source(c)]
    assert setup and not nbgrader(setup[0]).get("solution")


@pytest.mark.parametrize("ident", IDS)
def test_cell_ids_are_unique_and_meaningful(ident):
    """Has every cell a unique, readable id (words joined by hyphens)?"""
    ids = [c["id"] for c in notebook(ident)["cells"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+|intro|setup|summary", i) for i in ids)


DRAWS = re.compile(r"\.(plot|semilogx|semilogy|loglog|hist|bar|scatter|contourf?)\(")


@pytest.mark.parametrize("ident", IDS)
def test_figures_are_labelled_in_english(ident):
    """Has every cell that draws axes labels, every image a colorbar, and no Korean text?"""
    for cell in notebook(ident)["cells"]:
        if cell["cell_type"] != "code":
            continue
        text = source(cell)
        assert not re.search(r"[\uac00-\ud7a3]", text), cell["id"]
        if DRAWS.search(text):
            assert "set_xlabel" in text and "set_ylabel" in text, cell["id"]
        if re.search(r"\.(imshow|contourf)\(", text):
            assert "colorbar" in text, cell["id"]
