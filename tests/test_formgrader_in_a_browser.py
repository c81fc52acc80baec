"""The instructor's side in Chromium: a learner's submission autograded with `make grade`,
its written answer read and graded by hand in nbgrader's Formgrader, opened from the
instructor's JupyterLab (`make formgrader`), then `make grade ARGS="--feedback-only"`;
the hand-given points reach grades.csv and the learner's feedback page, with the comment."""

from __future__ import annotations

import html
import subprocess
import sys

import nbformat
import pandas as pd
import psutil
import pytest

from customering_course import browser as browser_tools
from tests.course_copy import MODULE, NOTEBOOK, WRITTEN_ANSWER, answered, make_course

pytestmark = pytest.mark.slow

TOKEN = "formgrader-browser-test-token"
LEARNER = "learner-a"
WRITTEN = "a00-ex8-answer"
POINTS = 2.5
COMMENT = "Two numbers from the exercises would have earned the third point."


def _course_command(root, *arguments: str) -> str:
    """``python -m customering_course`` on the course copy, as the make targets run it."""
    run = subprocess.run([sys.executable, "-m", "customering_course", "--root", str(root), *arguments],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{arguments} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run.stdout


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course copy with one learner's assignment 00 submitted and autograded (`make grade`)."""
    root = make_course(tmp_path_factory.mktemp("formgrader") / "course")
    folder = root / "submitted" / LEARNER / MODULE
    folder.mkdir(parents=True)
    nbformat.write(answered(root), folder / f"{NOTEBOOK}.ipynb")
    _course_command(root, "grade", MODULE)
    grades = pd.read_csv(root / "grades" / "grades.csv").set_index(["assignment", "student_id"])
    assert grades.loc[(MODULE, LEARNER), "needs_manual_grade"], "the written answer should wait for a hand grade"
    return root


@pytest.fixture(scope="module")
def instructors_lab(graded_course, tmp_path_factory):
    folder = tmp_path_factory.mktemp("instructor")
    with browser_tools.instructors_lab(graded_course, folder, TOKEN) as (base, server):
        yield {"base": base, "log": folder / "server.log"}
        children = psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
    _, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, f"processes left running after JupyterLab stopped: {[p.pid for p in alive]}"


def test_a_written_answer_graded_in_the_formgrader_reaches_grades_and_feedback(graded_course, instructors_lab,
                                                                               browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{instructors_lab['base']}/lab?token={TOKEN}")
        page.wait_for_selector("#jp-main-statusbar", timeout=90_000)
        # As the instructor guide says: Nbgrader > Formgrader, then Manual Grading.
        page.get_by_role("menuitem", name="Nbgrader").click()
        page.get_by_role("menuitem", name="Formgrader").click()
        formgrader = page.frame_locator("iframe").first
        formgrader.get_by_role("link", name="Manual Grading").click()
        formgrader.get_by_role("link", name=MODULE).click()
        formgrader.get_by_role("link", name=NOTEBOOK).click()
        formgrader.get_by_role("link", name="Submission #1").click()

        # The learner's own words are on the page, beside the box for their points.
        formgrader.get_by_text(WRITTEN_ANSWER).wait_for(timeout=60_000)
        score = formgrader.locator(f"#{WRITTEN}")
        score.fill(str(POINTS))
        score.press("Tab")  # the Formgrader saves a score when the box loses focus
        comment = formgrader.locator(f"#{WRITTEN}-comment")
        comment.fill(COMMENT)
        comment.press("Tab")
        _wait_until_saved(page, graded_course)
        # The Formgrader loads MathJax 2 from a CDN, which a machine without internet cannot
        # reach; grading works without it (maths in an answer then shows as typed).
        assert not [e for e in errors if "MathJax" not in e], errors
    except Exception:
        page.screenshot(path=str(instructors_lab["log"].with_name("failure.png")))
        raise
    finally:
        context.close()

    printed = _course_command(graded_course, "grade", "--feedback-only")
    assert "wrote grades/grades.csv" in printed, printed
    grades = pd.read_csv(graded_course / "grades" / "grades.csv").set_index(["assignment", "student_id"])
    row = grades.loc[(MODULE, LEARNER)]
    assert row["ex8"] == POINTS
    assert not row["needs_manual_grade"]
    autograded = row["score"] - POINTS
    assert autograded == row["max_score"] - 3, "the rest of the assignment should keep its full autograded points"
    feedback = (graded_course / "feedback" / LEARNER / MODULE / f"{NOTEBOOK}.html").read_text()
    assert f"Score: {row['score']:.1f} / {row['max_score']:.1f}" in feedback, "the page's total is not the new score"
    answer = feedback[feedback.index(f'<a name="{WRITTEN}"></a>'):]
    assert answer.index(f"Score: {POINTS:.1f} / 3.0") < answer.index(html.escape(COMMENT)) < 3000, \
        "the written answer's panel does not show the hand-given points and the comment"


def _wait_until_saved(page, root, timeout_s: float = 30) -> None:
    """Until the gradebook holds the score and comment typed into the Formgrader."""
    from nbgrader.api import Gradebook

    deadline = page.evaluate("Date.now()") + timeout_s * 1000
    while True:
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
            grade = gradebook.find_grade(WRITTEN, NOTEBOOK, MODULE, LEARNER)
            comment = gradebook.find_comment(WRITTEN, NOTEBOOK, MODULE, LEARNER)
            saved = (grade.manual_score, grade.needs_manual_grade, comment.manual_comment)
        if saved == (POINTS, False, COMMENT):
            return
        assert page.evaluate("Date.now()") < deadline, f"the gradebook holds {saved} after {timeout_s:.0f} s"
        page.wait_for_timeout(500)
