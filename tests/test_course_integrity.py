"""Course integrity, for every assignment: nbgrader grades the source's own solutions to
full marks and the untouched release to zero, and each exercise answered alone to exactly
its points; no solution code or hidden test reaches the release or the built site.
(Plausible wrong answers are run in test_wrong_answers_fail.py, a file of its own so that
the other test worker can take it.)"""

from __future__ import annotations

import ast
import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from customering_course import integrity, layout, release
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
    # A line the release shows anyway (a visible test's loop, say, or the line an exercise's
    # text asks for, "Then set `revenue = revenue_by_customer(cdnow)`") gives nothing away;
    # short lines ("n = len(x)") can occur legitimately in lessons; the rest are specific.
    instructions = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"
                             and not c.metadata.get("nbgrader", {}).get("solution"))
    # The lessons travel with the release and teach every computation an assignment asks
    # for, so a line a lesson shows ("days.groupby(...)") is not a solution given away.
    taught = {line.strip() for other in MODULES for lesson in layout.lessons(other, ROOT)
              for cell in nbformat.read(lesson, as_version=4).cells for line in cell.source.splitlines()}
    return [line.strip() for line in secret if len(line.strip()) >= 20 and line.strip() not in shown
            and line.strip() not in instructions and line.strip() not in taught]


def exercise_of(grade_id: str) -> str | None:
    found = re.search(r"-(ex\d+)-", grade_id)
    return found.group(1) if found else None


def autograded_exercises(module: str) -> list[str]:
    """The exercises of an assignment that have autograded test cells, in order."""
    nb = nbformat.read(source_notebook(module), as_version=4)
    return list(dict.fromkeys(exercise_of(c.metadata["nbgrader"]["grade_id"]) for c in grade_cells(nb)))


def only_one_exercise_answered(module: str, released: Path, exercise: str):
    """The released notebook with the source's solution filled in for one exercise only."""
    source = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(source_notebook(module), as_version=4).cells
              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id in source and exercise_of(grade_id) == exercise:
            cell.source = "\n".join(line for line in source[grade_id].splitlines()
                                    if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return nb


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A throwaway copy of the course, released, with submissions per assignment autograded
    by nbgrader: the source itself ("solutions"), the untouched release, and for each
    exercise the release with only that exercise answered ("only-ex1", "only-ex2", ...)."""
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
        for exercise in autograded_exercises(module):
            target = root / "submitted" / f"only-{exercise}" / module
            target.mkdir(parents=True)
            nbformat.write(only_one_exercise_answered(module, root / "release" / module / name, exercise), target / name)
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
def test_each_exercise_alone_earns_exactly_its_own_points(graded_course, module):
    """A correct answer earns its points whatever the learner did elsewhere: the release with
    one exercise answered scores that exercise's points and nothing else."""
    for exercise in autograded_exercises(module):
        got = scores(graded_course, module, f"only-{exercise}")
        wrong = {name: score for name, score in got.items()
                 if score[0] != (score[1] if exercise_of(name) == exercise else 0)}
        assert not wrong, f"{module}, {exercise} answered alone: cells scored (points, out of) {wrong}"


@pytest.mark.parametrize("module", MODULES)
def test_hidden_tests_compute_their_own_references(module):
    """No test cell reads a name that another exercise's test cell assigns: a hidden test that
    leaned on an earlier one's reference would fail whenever the earlier one did."""
    nb = nbformat.read(source_notebook(module), as_version=4)
    assigned: dict[str, set[str]] = {}
    for cell in grade_cells(nb):
        exercise = exercise_of(cell.metadata["nbgrader"]["grade_id"])
        tree = ast.parse(cell.source)
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        assigned.setdefault(exercise, set()).update(names)
    for cell in grade_cells(nb):
        exercise = exercise_of(cell.metadata["nbgrader"]["grade_id"])
        reads = integrity.free_names(cell.source)
        borrowed = {name: other for other, names in assigned.items() if other != exercise
                    for name in reads & names}
        assert not borrowed, f"{module} {exercise}'s tests read names another exercise's tests assign: {borrowed}"


@pytest.mark.parametrize("module", MODULES)
def test_every_written_answer_has_a_three_level_rubric(module):
    nb = nbformat.read(source_notebook(module), as_version=4)
    written = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")]
    for cell in written:
        points = cell.metadata["nbgrader"]["points"]
        assert "**Rubric" in cell.source, f"{cell.metadata['nbgrader']['grade_id']} has no rubric"
        levels = [int(p) for p in re.findall(r"^- \*\*(\d+) points?:\*\*", cell.source, re.MULTILINE)]
        assert levels[:3] == [points, points - 1, points - 2] and len(levels) >= 3, (
            f"{cell.metadata['nbgrader']['grade_id']}: the rubric should say what earns {points}, {points - 1} and "
            f"{points - 2} points (found levels {levels})")


@pytest.mark.parametrize("module", MODULES)
def test_has_a_manually_graded_written_answer(module):
    nb = nbformat.read(source_notebook(module), as_version=4)
    manual = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")]
    assert manual, f"{module} has no written answer graded by hand"


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
    assert {"solutions", "untouched"} <= set(grades["student_id"])
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
    assert "ex1" in exported.columns and len(exported) == len(ours) == len(set(ours["student_id"])) * len(MODULES)
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
