"""Grading a real cohort: ordinary, broken and hostile submissions, graded in one run.

One throwaway copy of the course gets a cohort of assignment 00 submissions. Each
hostile or broken one is built from the source's solutions (full marks when honest) or
from plausible wrong answers (zero when honest), then changed in one way, so its expected
score is known exactly. ``course.grade`` (what ``make grade`` runs) grades them all at
once; the tests then check each learner's points cell by cell, the grading log, the
feedback pages, the gradebook and the other learners' files. A second copy is graded by
plain ``nbgrader autograde``, one submission at a time, and must give the same scores.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from customering_course import sandbox
from customering_course.grading.cohort import grade_cohort, refresh_feedback
from customering_course.grading.records import DEFAULT_MAX_OUTPUT
from tests.course_copy import MODULE, NOTEBOOK, SOURCE, answered, released_notebook
from tests.course_copy import make_course as _make_course

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CELL_TIMEOUT = 10
HAS_BUBBLEWRAP = sandbox.bubblewrap_problem() is None
needs_bubblewrap = pytest.mark.skipif(not HAS_BUBBLEWRAP, reason=f"no sandbox: {sandbox.bubblewrap_problem()}")

TESTS = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in SOURCE.cells
         if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"}
FULL = sum(TESTS.values())


def cell(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def prepend(nb, grade_id: str, code: str):
    target = cell(nb, grade_id)
    target.source = code + "\n" + target.source
    return nb


def add_cell_before(nb, grade_id: str, code: str):
    """A new cell of the learner's, before the given one (nbgrader keeps cells learners add)."""
    index = nb.cells.index(cell(nb, grade_id))
    nb.cells.insert(index, nbformat.v4.new_code_cell(code))
    return nb


# Hostile code that knows the instructor's layout: it is given the course's real paths.
READ_SECRETS = '''
import pathlib, json
found = {}
for path in SECRET_PATHS:
    try:
        found[path] = len(pathlib.Path(path).read_bytes())
    except Exception as error:
        found[path] = type(error).__name__
print("READ ATTEMPTS", json.dumps(found))
try:
    import customering_course.integrity
    print("TOOLING IMPORT ok", customering_course.integrity.__file__)
except Exception as error:
    print("TOOLING IMPORT", type(error).__name__)
stolen = None
try:
    source = json.loads(pathlib.Path(SECRET_PATHS[0]).read_text())
    stolen = [c["source"] for c in source["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    for code in stolen:
        exec("".join(code).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
except Exception as error:
    print("could not use the source:", type(error).__name__)
'''

VANDALISE = '''
import os, pathlib, shutil, sqlite3
done = {}
for path in TARGETS:
    p = pathlib.Path(path)
    try:
        if p.is_dir():
            shutil.rmtree(p)
        elif p.suffix == ".db":
            sqlite3.connect(p).execute("UPDATE grade SET auto_score = 100")
            p.unlink()
        else:
            p.write_text("overwritten by another learner")
        done[path] = "changed"
    except Exception as error:
        done[path] = type(error).__name__
print("VANDAL", done)
'''

STRIP_ASSERTS = '''
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(_NoAsserts())
_quiet = lambda *args, **kwargs: None
expect_type = expect_length = expect_between = expect_close = expect_sorted = _quiet
'''

PATCH_CHECKS = '''
import customering_utils.checks as _checks
for _name in ("expect_type", "expect_length", "expect_between", "expect_close", "expect_sorted"):
    setattr(_checks, _name, lambda *args, **kwargs: None)
from customering_utils.checks import *
'''

PATCH_NUMPY = '''
import numpy, math
numpy.isclose = lambda *args, **kwargs: numpy.True_
numpy.allclose = lambda *args, **kwargs: True
math.isclose = lambda *args, **kwargs: True
'''

SWALLOW_ERRORS = '''
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
'''

SHADOW_BUILTINS = '''
class _Anything(int):
    def __eq__(self, other): return True
    def __lt__(self, other): return True
    def __gt__(self, other): return True
    def __le__(self, other): return True
    def __ge__(self, other): return True
len = lambda *args: _Anything(0)
sum = lambda *args, **kwargs: _Anything(0)
'''


def build_cohort(root: Path, mode: str) -> dict[str, dict]:
    """Write every submission; return what each one should score, test cell by test cell.

    Code that reads the instructor's files or destroys them is submitted only when grading
    in the sandbox: in workdir mode it would really do it."""
    paths = {"source": root / "modules" / MODULE / f"{NOTEBOOK}.ipynb",
             "release": root / "release" / MODULE / f"{NOTEBOOK}.ipynb",
             "gradebook": root / "gradebook.db",
             "other": root / "submitted" / "full-marks" / MODULE / f"{NOTEBOOK}.ipynb",
             "repo_source": ROOT / "modules" / MODULE / f"{NOTEBOOK}.ipynb"}
    everything = dict.fromkeys(TESTS, "full")
    nothing = dict.fromkeys(TESTS, 0)
    cohort: dict[str, dict] = {}

    def submit(student: str, nb=None, expect=None, *, name: str = f"{NOTEBOOK}.ipynb",
               raw: bytes | None = None, graded: bool = True, reason: str = ""):
        folder = root / "submitted" / student / MODULE
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
        if raw is not None:
            (folder / name).write_bytes(raw)
        elif nb is not None:
            nbformat.write(nb, folder / name)
        cohort[student] = {"expect": expect or nothing, "graded": graded, "reason": reason}

    submit("full-marks", answered(root), everything)
    submit("untouched", released_notebook(root), nothing)
    submit("wrong-answers", answered(root, wrong=True), nothing)
    submit("endless-loop", prepend(answered(root), "a00-ex2-top20", "while True:\n    pass"),
           {**everything, "a00-ex2-tests": 0}, reason=f"stopped at the {CELL_TIMEOUT} s limit")
    submit("loop-ignoring-interrupts",
           prepend(answered(root), "a00-ex7-base",
                   "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
           {**everything, "a00-ex7-tests": 0}, reason="ignored its interrupt")
    submit("huge-output",
           prepend(answered(root), "a00-ex1-revenue", 'for _ in range(400):\n    print("x" * 100_000)'),
           everything, reason="output cut")
    submit("not-json", raw=b'{"cells": [ this is not JSON', graded=False, reason="not a valid notebook")
    submit("empty-file", raw=b"", graded=False, reason="empty file")
    submit("missing-notebook", raw=b"my answers are in my head", name="notes.txt", graded=False,
           reason="is missing")
    submit("renamed", answered(root), everything, name=f"Copy of {NOTEBOOK}.ipynb", reason="renamed")
    edited = released_notebook(root)
    for c in edited.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") in TESTS or c.metadata.get("nbgrader", {}).get("grade_id") == "a00-setup":
            c.source = "pass  # edited by the learner"
    cell(edited, "a00-setup").source = ("import numpy as np\nimport pandas as pd\n"
                                        "expect_type = expect_length = expect_between = expect_close = print")
    submit("edited-tests", edited, nothing)
    deleted = released_notebook(root)
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in TESTS]
    submit("deleted-tests", deleted, nothing)
    for student, code in (("strips-asserts", STRIP_ASSERTS), ("patches-checks", PATCH_CHECKS),
                          ("patches-numpy", PATCH_NUMPY), ("swallows-errors", SWALLOW_ERRORS),
                          ("shadows-builtins", SHADOW_BUILTINS)):
        submit(student, add_cell_before(answered(root, wrong=True), "a00-ex1-revenue", code), nothing,
               reason="integrity")
    submit("exits-kernel", prepend(answered(root), "a00-ex4-active", "import os\nos._exit(0)"),
           {**everything, "a00-ex4-tests": 0, "a00-ex5-tests": 0, "a00-ex6-tests": 0, "a00-ex7-tests": 0},
           reason="kernel stopped")
    if mode != "bubblewrap":
        return cohort
    secrets = [str(paths[k]) for k in ("source", "repo_source", "release", "gradebook")]
    secrets.append(str(sandbox.TOOLING_DIR / "integrity.py"))  # what the integrity check watches
    submit("reads-hidden-tests",
           add_cell_before(released_notebook(root), "a00-ex1-revenue",
                           f"SECRET_PATHS = {secrets!r}\n" + READ_SECRETS), nothing)
    targets = [str(paths["gradebook"]), str(paths["other"]), str(root / "autograded"), str(root / "feedback"),
               str(root / "modules")]
    submit("vandal", add_cell_before(answered(root), "a00-ex1-revenue", f"TARGETS = {targets!r}\n" + VANDALISE),
           everything)
    return cohort


def make_course(folder: Path) -> Path:
    return _make_course(folder, cell_timeout=CELL_TIMEOUT)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: Every guarantee is checked in each sandbox mode this machine can grade in.
MODES = ["bubblewrap", "workdir"] if HAS_BUBBLEWRAP else ["workdir"]


@pytest.fixture(scope="module", params=MODES)
def cohort(request, tmp_path_factory):
    mode = request.param
    root = make_course(tmp_path_factory.mktemp(f"cohort-{mode}") / "course")
    expected = build_cohort(root, mode)
    before = {p: digest(p) for p in (root / "submitted").rglob("*") if p.is_file()}
    before_source = {p: digest(p) for p in (root / "modules").rglob("*.ipynb")}
    messages: list[str] = []
    # The run's temporary folders (its kernels' sockets among them) in a folder of its own,
    # so that kernels of other grading runs on the other test worker are not taken for its own.
    private = tmp_path_factory.mktemp("grading-tmp")
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(private), str(private)
    try:
        report = grade_cohort(root, progress=False, echo=messages.append, sandbox_mode=mode)
    finally:
        tempfile.tempdir = saved[1]
        if saved[0] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[0]
    return {"root": root, "expected": expected, "report": report, "messages": messages,
            "before": before, "before_source": before_source, "tmp": private}


def scores(root: Path, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(NOTEBOOK, MODULE, student)
        return {g.name: g.auto_score for g in notebook.grades if g.name in TESTS}


def expected_points(expect: dict) -> dict[str, float]:
    return {name: float(TESTS[name] if value == "full" else value) for name, value in expect.items()}


STUDENTS = ["full-marks", "untouched", "wrong-answers", "endless-loop", "loop-ignoring-interrupts",
            "huge-output", "not-json", "empty-file", "missing-notebook", "renamed", "edited-tests",
            "deleted-tests", "strips-asserts", "patches-checks", "patches-numpy", "swallows-errors",
            "shadows-builtins", "exits-kernel"] + (["reads-hidden-tests", "vandal"] if HAS_BUBBLEWRAP else [])


def _submitted(cohort, student: str) -> None:
    if student not in cohort["expected"]:
        pytest.skip(f"{student} is graded only in the sandbox: in {cohort['report'].mode} mode its code would "
                    "really reach the course")


@pytest.mark.parametrize("student", STUDENTS)
def test_every_learner_gets_exactly_the_points_earned(cohort, student):
    _submitted(cohort, student)
    want = expected_points(cohort["expected"][student]["expect"])
    got = scores(cohort["root"], student)
    assert got == want, f"{student}: expected {want}, got {got}"


@pytest.mark.parametrize("student", STUDENTS)
def test_the_log_gives_each_problem_a_reason(cohort, student):
    _submitted(cohort, student)
    expected = cohort["expected"][student]
    outcome = next(o for o in cohort["report"].outcomes if o.student == student)
    assert outcome.graded is expected["graded"], outcome.line()
    log = (cohort["root"] / "grades" / "grading-log.txt").read_text()
    line = next(line for line in log.splitlines() if f" {student} " in line)
    if expected["reason"]:
        assert expected["reason"] in line, f"the log does not say why: {line}"
    else:
        assert line.endswith("(ok)"), f"an ordinary submission is reported as a problem: {line}"


@pytest.mark.parametrize("student", ["not-json", "empty-file", "missing-notebook"])
def test_an_ungradable_submission_gets_a_feedback_page_saying_why(cohort, student):
    page = cohort["root"] / "feedback" / student / MODULE / f"{NOTEBOOK}.html"
    text = page.read_text()
    assert "not graded" in text and cohort["expected"][student]["reason"] in text


def test_feedback_explains_timeouts_dead_kernels_and_tampering(cohort):
    feedback = cohort["root"] / "feedback"
    assert "CellTimeoutError" in (feedback / "endless-loop" / MODULE / f"{NOTEBOOK}.html").read_text()
    assert "KernelDied" in (feedback / "exits-kernel" / MODULE / f"{NOTEBOOK}.html").read_text()
    assert "NotRun" in (feedback / "exits-kernel" / MODULE / f"{NOTEBOOK}.html").read_text()
    page = (feedback / "patches-checks" / MODULE / f"{NOTEBOOK}.html").read_text()
    assert "GradingIntegrityError" in page and "customering_utils.checks.expect_type was replaced" in page


def test_huge_output_is_cut_not_kept(cohort):
    nb = nbformat.read(cohort["root"] / "autograded" / "huge-output" / MODULE / f"{NOTEBOOK}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for o in cell(nb, "a00-ex1-revenue").outputs)
    assert len(text) < 2 * DEFAULT_MAX_OUTPUT, f"{len(text):,} characters of output were kept"


def test_renamed_notebook_is_graded_under_its_proper_name(cohort):
    assert (cohort["root"] / "autograded" / "renamed" / MODULE / f"{NOTEBOOK}.ipynb").exists()


def test_learners_files_and_the_source_are_untouched(cohort):
    after = {p: digest(p) for p in (cohort["root"] / "submitted").rglob("*") if p.is_file()}
    assert after == cohort["before"], "grading changed a submitted file"
    source = {p: digest(p) for p in (cohort["root"] / "modules").rglob("*.ipynb")}
    assert source == cohort["before_source"], "grading changed a source notebook"


@needs_bubblewrap
def test_hostile_code_cannot_reach_the_instructors_files(cohort):
    root = cohort["root"]
    if cohort["report"].mode != "bubblewrap":
        pytest.skip("only the sandbox keeps code from the instructor's files")
    nb = nbformat.read(root / "autograded" / "reads-hidden-tests" / MODULE / f"{NOTEBOOK}.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    attempts = json.loads(re.search(r"READ ATTEMPTS (\{.*\})", printed).group(1))
    assert all(result == "FileNotFoundError" for result in attempts.values()), attempts
    assert re.search(r"TOOLING IMPORT (ModuleNotFoundError|ImportError|FileNotFoundError)", printed), printed[:2000]
    vandal = nbformat.read(root / "autograded" / "vandal" / MODULE / f"{NOTEBOOK}.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in vandal.cells if c.cell_type == "code" for o in c.outputs)
    assert "VANDAL" in printed and "changed" not in printed.split("VANDAL", 1)[1], printed[:500]
    assert (root / "modules" / MODULE / f"{NOTEBOOK}.ipynb").exists()


@needs_bubblewrap
def test_the_tooling_is_hidden_even_where_it_is_installed_beside_the_learners_package(tmp_path):
    """Installed into one environment (a JupyterHub image), the tooling sits inside a path the
    sandbox must be able to read; it is covered by an empty folder there."""
    site = tmp_path / "site-packages"
    (site / "customering_course").mkdir(parents=True)
    (site / "customering_course" / "integrity.py").write_text("WATCHED = 'secret'")
    (site / "customering_utils").mkdir()
    (site / "customering_utils" / "checks.py").write_text("ok = True")
    work, sockets = tmp_path / "work", tmp_path / "sockets"
    work.mkdir()
    sockets.mkdir()
    listing = [sys.executable, "-c", f"import os; print(sorted(os.listdir({str(site)!r})), "
                                     f"os.listdir({str(site / 'customering_course')!r}))"]
    command = sandbox.bubblewrap_command(listing, work, sockets, sandbox.readable_paths() + [site],
                                         sandbox.Limits(), hidden=[site / "customering_course"])
    shown = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "['customering_course', 'customering_utils'] []", shown.stdout
    assert sandbox.hidden_paths() == [] or sandbox.TOOLING_DIR in sandbox.hidden_paths()


def test_the_gradebook_stays_whole(cohort):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{cohort['root'] / 'gradebook.db'}") as gradebook:
        assert {s.id for s in gradebook.students} == set(cohort["expected"])
        assert max(g.auto_score or 0 for s in cohort["expected"]
                   for g in gradebook.find_submission_notebook(NOTEBOOK, MODULE, s).grades) <= 3


def test_feedback_never_shows_a_hidden_test(cohort):
    from tests.test_course_integrity import secret_lines

    hidden = secret_lines(MODULE, hidden_tests_only=True)
    assert hidden, "the assignment should have hidden tests to look for"
    pages = sorted((cohort["root"] / "feedback").rglob("*.html"))
    assert len(pages) == len(cohort["expected"])
    leaks = []
    for page in pages:
        text = re.sub(r"<[^>]+>", "", page.read_text())
        import html as html_module

        text = html_module.unescape(text)
        leaks += [f"{page.parent.parent.name}: {line}" for line in hidden if line in text]
    assert not leaks, "feedback shows hidden tests:\n" + "\n".join(leaks[:10])


def test_grades_csv_has_one_row_per_learner_with_points_per_exercise(cohort):
    grades = pd.read_csv(cohort["root"] / "grades" / "grades.csv")
    ours = grades[grades["assignment"] == MODULE].set_index("student_id")
    assert len(ours) == len(cohort["expected"]) and ours.index.is_unique
    exercises = [c for c in grades.columns if re.fullmatch(r"ex\d+", c)]
    assert exercises[:8] == [f"ex{i}" for i in range(1, 9)]
    assert ours.loc["full-marks", "ex1"] == 2 and ours.loc["full-marks", "ex3"] == 3
    assert ours.loc["endless-loop", "ex2"] == 0 and ours.loc["endless-loop", "ex3"] == 3
    assert (ours[exercises[:8]].sum(axis=1) == ours["score"]).all()


def test_item_analysis_matches_the_grades(cohort):
    items = pd.read_csv(cohort["root"] / "grades" / f"item-analysis-{MODULE}.csv", index_col="exercise")
    grades = pd.read_csv(cohort["root"] / "grades" / "grades.csv")
    ours = grades[(grades["assignment"] == MODULE) & grades["submitted"]]
    assert items.loc["ex1", "learners"] == len(ours) == len(cohort["expected"])
    assert items.loc["ex2", "mean_score"] == pytest.approx(ours["ex2"].mean(), abs=1e-4)
    assert items.loc["ex2", "full_marks_share"] == pytest.approx((ours["ex2"] == 2).mean(), abs=1e-4)
    assert (cohort["root"] / "grades" / f"item-analysis-{MODULE}.png").stat().st_size > 10_000


def test_no_kernel_is_left_running(cohort):
    """Every kernel the run forked and every zygote are stopped, the stubborn and the killed kernels included."""
    import psutil

    folders = f"{cohort['tmp']}/cz-"  # each zygote names its folder on its command line; its kernels inherit it
    left = [p.info["cmdline"] for p in psutil.process_iter(["cmdline"]) if folders in " ".join(p.info["cmdline"] or [])]
    assert not left, f"{len(left)} grading process(es) still running"
    assert not list(cohort["tmp"].glob("cz-*")), "a zygote's folder was left behind"


def test_make_grade_says_which_sandbox_it_is_in(cohort):
    assert cohort["messages"][0].startswith(f"sandbox: {cohort['report'].mode} (")


# --------------------------------------------------------------------------- same as nbgrader alone

EQUIVALENT = ["full-marks", "wrong-answers", "endless-loop", "edited-tests", "deleted-tests", "partial"]


@pytest.fixture(scope="module")
def side_by_side(tmp_path_factory):
    """The same ordinary cohort graded twice: by course.grade, and by plain nbgrader autograde."""
    base = tmp_path_factory.mktemp("side-by-side")
    root = make_course(base / "parallel")
    build_cohort(root, "workdir")  # the ordinary submissions are all it keeps
    for student in [p.name for p in (root / "submitted").iterdir()]:
        if student not in EQUIVALENT:
            shutil.rmtree(root / "submitted" / student)
    partial = answered(root)
    for grade_id in ("a00-ex2-top20", "a00-ex5-retention"):
        cell(partial, grade_id).source = released_notebook(root).cells[
            partial.cells.index(cell(partial, grade_id))].source
    folder = root / "submitted" / "partial" / MODULE
    folder.mkdir(parents=True)
    nbformat.write(partial, folder / f"{NOTEBOOK}.ipynb")
    # The same course, release, gradebook and submissions, for nbgrader alone.
    roots = {"parallel": root, "sequential": base / "sequential"}
    shutil.copytree(root, roots["sequential"])
    grade_cohort(roots["parallel"], progress=False, echo=lambda *a: None)
    env_path = f"{Path(sys.executable).parent}:{__import__('os').environ['PATH']}"
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", MODULE, "--force"], cwd=roots["sequential"],
                   check=True, capture_output=True, env={**__import__("os").environ, "PATH": env_path})
    return roots


def test_parallel_grading_leaves_the_same_gradebook_as_nbgrader_alone(side_by_side):
    from nbgrader.api import Gradebook

    def table(root):
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
            return {(s.student.id, g.name): (g.auto_score, g.needs_manual_grade)
                    for s in gradebook.assignment_submissions(MODULE)
                    for nb in s.notebooks for g in nb.grades}

    parallel, sequential = table(side_by_side["parallel"]), table(side_by_side["sequential"])
    assert {student for student, _ in sequential} == set(EQUIVALENT)
    assert parallel == sequential
    assert parallel[("partial", "a00-ex2-tests")][0] == 0 and parallel[("partial", "a00-ex3-tests")][0] == 3


def test_manual_grades_reach_the_export_without_executing_again(cohort):
    """After grading a written answer by hand, --feedback-only refreshes feedback and grades."""
    from nbgrader.api import Gradebook

    root = cohort["root"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade("a00-ex8-answer", NOTEBOOK, MODULE, "full-marks")
        grade.manual_score = 2.5
        grade.needs_manual_grade = False  # what the Formgrader does when you give a score
        gradebook.db.commit()
    page = root / "feedback" / "full-marks" / MODULE / f"{NOTEBOOK}.html"
    before = page.stat().st_mtime_ns
    written = refresh_feedback(root, [MODULE], progress=False)
    grades = pd.read_csv(written[0]).set_index(["assignment", "student_id"])
    assert grades.loc[(MODULE, "full-marks"), "ex8"] == 2.5
    assert grades.loc[(MODULE, "full-marks"), "score"] == FULL + 2.5
    assert not grades.loc[(MODULE, "full-marks"), "needs_manual_grade"]
    assert page.stat().st_mtime_ns > before
