"""Course integrity, for every assignment: nbgrader grades the source's own solutions to
full marks and the untouched release to zero; plausible wrong answers fail their tests;
no solution code or hidden test reaches the release or the built site."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from wrong_answers import WRONG_ANSWERS

from customering_course import layout, release
from customering_course.grading.cohort import grade_cohort

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MODULES = layout.modules(ROOT)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def source_notebook(module: str) -> Path:
    (path,) = (ROOT / "modules" / module).glob(layout.ASSIGNMENT_GLOB)
    return path


def grade_cells(nb) -> list:
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]


def secret_lines(module: str, hidden_tests_only: bool = False) -> list[str]:
    """Lines of solution code, model answers and hidden tests: none may be published.

    With ``hidden_tests_only``, the lines of hidden tests alone, less any that a solution
    also contains: feedback rightly shows a learner's own code, which may be the solution.
    """
    nb = nbformat.read(source_notebook(module), as_version=4)
    secret, shown = [], set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        text = cell.source.splitlines()
        if meta.get("solution") and cell.cell_type == "markdown":
            (shown.update if hidden_tests_only else secret.extend)(line.strip() for line in text)
            continue
        region = None
        for line in text:
            if line.strip() in ("### END SOLUTION", "### END HIDDEN TESTS"):
                region = None
            elif line.strip() in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"):
                region = line.strip().split()[-1]
            elif region is None or (hidden_tests_only and region == "SOLUTION"):
                shown.add(line.strip())
            else:
                secret.append(line.strip())
    # A line the release shows anyway (a visible test's loop, say) gives nothing away;
    # short lines ("n = len(x)") can occur legitimately in lessons; the rest are specific.
    return [line.strip() for line in secret if len(line.strip()) >= 20 and line.strip() not in shown]


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A throwaway copy of the course, released, with two submissions per assignment
    autograded by nbgrader: the source itself ("solutions") and the untouched release."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "modules", root / "modules", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    release.release(root)
    for module in MODULES:
        name = source_notebook(module).name
        for student, notebook in (("solutions", root / "modules" / module / name), ("untouched", root / "release" / module / name)):
            target = root / "submitted" / student / module
            target.mkdir(parents=True)
            shutil.copy(notebook, target / name)
    grade_cohort(root, progress=False, echo=lambda *a: None)  # what `make grade` runs
    return root


def scores(root: Path, module: str, student: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    notebook = source_notebook(module).stem
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(notebook, module, student)
        return {g.name: (g.auto_score, g.max_score) for g in submission.grades if g.cell.cell_type == "code"}


@pytest.mark.parametrize("module", MODULES)
def test_source_solutions_score_full_marks(graded_course, module):
    got = scores(graded_course, module, "solutions")
    assert len(got) >= 4, f"{module} should have at least four autograded exercises, has {len(got)}"
    short = {name: s for name, s in got.items() if s[0] != s[1]}
    assert not short, f"the source's own solutions lose points in {module}: {short}"


@pytest.mark.parametrize("module", MODULES)
def test_untouched_release_scores_zero(graded_course, module):
    got = scores(graded_course, module, "untouched")
    earned = {name: s for name, s in got.items() if s[0] != 0}
    assert not earned, f"the untouched release of {module} earns points: {earned}"


@pytest.mark.parametrize("module", MODULES)
def test_has_a_manually_graded_written_answer(module):
    nb = nbformat.read(source_notebook(module), as_version=4)
    manual = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")]
    assert manual, f"{module} has no written answer graded by hand"


@pytest.mark.parametrize("module", MODULES)
def test_plausible_wrong_answers_fail(module):
    """Run the source with its solutions in one kernel; then, for each wrong answer, run it in
    place of its solution and run the exercise's test cell, which must fail; then restore."""
    nb = nbformat.read(source_notebook(module), as_version=4)
    wrong = WRONG_ANSWERS[source_notebook(module).stem]
    cells = nb.cells
    solution_ids = [c.metadata["nbgrader"]["grade_id"] for c in cells
                    if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    assert set(wrong) == set(solution_ids), f"wrong answers should cover exactly the exercises {solution_ids}"
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "modules" / module)}})
    passed_wrongly = []
    with client.setup_kernel():
        for index, cell in enumerate(cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        for position, cell in enumerate(cells):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id not in wrong:
                continue
            test_cell = next(c for c in cells[position + 1:] if c.metadata.get("nbgrader", {}).get("grade"))
            for mistake, code in wrong[grade_id]:
                client.execute_cell(nbformat.v4.new_code_cell(code), 0)
                try:
                    client.execute_cell(test_cell.copy(), 0)
                    passed_wrongly.append(f"{grade_id}: {mistake}")
                except CellExecutionError:
                    pass
                client.execute_cell(cell.copy(), 0)  # restore the right answer
                client.execute_cell(test_cell.copy(), 0)  # and make sure it passes again
    assert not passed_wrongly, f"these wrong answers pass their tests: {passed_wrongly}"


def _published_text(path: Path) -> str:
    body = path.read_text(encoding="utf-8", errors="ignore")
    if path.suffix in {".html", ".htm"}:
        # Highlighted code is split into <span>s: compare the text a reader sees.
        body = html.unescape(re.sub(r"<[^>]+>", "", body))
    return body


def assert_nothing_secret_in(folder: Path) -> None:
    secrets = {line for module in MODULES for line in secret_lines(module)}
    assert secrets, "no solution lines found: the check would be vacuous"
    leaks = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in {".ipynb", ".html", ".md", ".txt", ".py", ".js", ".json"}:
            continue
        text = _published_text(path)
        for marker in MARKERS:
            if marker in text:
                leaks.append(f"{path.relative_to(folder)}: marker {marker!r}")
        for line in secrets:
            if line in text:
                leaks.append(f"{path.relative_to(folder)}: {line!r}")
    assert not leaks, "published files show solutions or hidden tests:\n" + "\n".join(leaks[:20])


def test_grade_writes_feedback_and_a_grades_table(graded_course):
    import pandas as pd

    grades = pd.read_csv(graded_course / "grades" / "grades.csv")
    assert set(grades["student_id"]) == {"solutions", "untouched"}
    assert set(grades["assignment"]) == set(MODULES)
    by_student = grades.groupby("student_id")["score"].sum()
    assert by_student["untouched"] == 0 and by_student["solutions"] > 0
    for module in MODULES:
        for student in ("solutions", "untouched"):
            feedback = graded_course / "feedback" / student / module / f"{source_notebook(module).stem}.html"
            assert feedback.is_file(), f"no feedback for {student} on {module}"


@pytest.mark.parametrize("module", MODULES)
def test_feedback_shows_no_hidden_test(graded_course, module):
    hidden = secret_lines(module, hidden_tests_only=True)
    assert hidden, f"{module} should have hidden tests to look for"
    for student in ("solutions", "untouched"):
        page = graded_course / "feedback" / student / module / f"{source_notebook(module).stem}.html"
        text = _published_text(page)
        shown = [line for line in hidden if line in text]
        assert not shown, f"{student}'s feedback on {module} shows hidden tests: {shown[:3]}"
        assert "hidden tests run here" in text, "the feedback should say where hidden tests were"


def test_nbgrader_export_writes_points_per_exercise(graded_course):
    import pandas as pd

    target = graded_course / "exported.csv"
    layout.nbgrader("export", "--to", str(target), root=graded_course)
    exported = pd.read_csv(target)
    ours = pd.read_csv(graded_course / "grades" / "grades.csv")
    assert list(exported.columns) == list(ours.columns)
    assert "ex1" in exported.columns and len(exported) == 2 * len(MODULES)
    pd.testing.assert_frame_equal(exported, ours)


def test_release_holds_no_solution_or_hidden_test(graded_course):
    assert_nothing_secret_in(graded_course / "release")


def test_release_carries_the_lessons_unchanged(graded_course):
    for module in MODULES:
        for lesson in layout.lessons(module, ROOT):
            released = graded_course / "release" / module / lesson.name
            assert released.read_bytes() == lesson.read_bytes(), f"{released.name} changed on release"


def test_the_check_finds_a_leak(tmp_path):
    """The scan itself works: a release that kept one solution line is caught."""
    module = MODULES[0]
    line = secret_lines(module)[0]
    (tmp_path / "leaky.html").write_text(f"<pre><span>{html.escape(line[:10])}</span>{html.escape(line[10:])}</pre>")
    with pytest.raises(AssertionError, match="published files show solutions"):
        assert_nothing_secret_in(tmp_path)
