"""The course's command line: ``python -m customering_course COMMAND`` (or ``customering-course``).

The ``make`` targets call these commands, and ``COMMAND --help`` says what each does and
its options:

- ``release``: ``nbgrader generate_assignment`` for every module, lessons copied unchanged;
- ``workspace``: a learner's own copy of the released course, never overwriting their work;
- ``grade``: autograde every submission in parallel and in a sandbox, then feedback,
  grades and item analysis;
- ``feedback``: after grading by hand, feedback, grades and item analysis again, executing
  nothing;
- ``export``: ``grades/grades.csv`` and the item analysis from the gradebook as it is;
- ``rubrics``: the written answers' questions, model answers and rubrics, for grading by hand;
- ``execute``: for authors, lessons run again in place from a fresh kernel, with the time each took;
- ``pdf``: the built book printed by headless Chromium into one PDF, in the order of the table of contents;
- ``screenshots``: the README's pictures of a lesson page, an assignment page and a widget in the lab.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from customering_course.layout import ROOT

# Each command imports what it runs when it runs, so `--help` answers at once instead of
# loading nbgrader, nbclient and the grading machinery first.


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def run_release(options: argparse.Namespace) -> None:
    from customering_course.release import release

    for folder in release(options.root):
        print(f"released {_relative(folder, options.root)}")


def run_workspace(options: argparse.Namespace) -> None:
    from customering_course.release import workspace

    added, kept = workspace(options.root, options.target)
    where = options.target or options.root / "workspace"
    print(f"{_relative(where, options.root)}/: {len(added)} new file(s) added, "
          f"{len(kept)} already there left untouched")
    for path in added:
        print(f"  + {_relative(path, options.root)}")


def run_grade(options: argparse.Namespace) -> None:
    from customering_course.grading import cohort
    from customering_course.layout import submissions

    if options.feedback_only:
        run_feedback(options)
        return
    if not submissions(options.root):
        print("nothing to grade: submitted/ holds no submissions (submitted/<student>/<assignment>/)")
        return
    report = cohort.grade_cohort(options.root, assignments=options.assignments or None, workers=options.workers,
                                 sandbox_mode=options.sandbox, cell_timeout=options.timeout,
                                 scheduler=options.scheduler)
    for outcome in report.outcomes:
        if outcome.reasons:
            print(outcome.line())
    print(f"graded {len(report.outcomes) - len(report.failed)} notebook(s), "
          f"{len(report.failed)} not graded, in {report.seconds:.0f} s")
    for path in [report.grades, *report.item_analysis, options.root / "grades" / "grading-log.txt"]:
        print(f"wrote {_relative(path, options.root)}")


def run_feedback(options: argparse.Namespace) -> None:
    from customering_course.grading import cohort

    for path in cohort.refresh_feedback(options.root, options.assignments or None, options.workers):
        print(f"wrote {_relative(path, options.root)}")


def run_export(options: argparse.Namespace) -> None:
    from customering_course import reports

    root = options.root
    written = [reports.export_grades(root, root / "grades" / "grades.csv")]
    graded = sorted({p.name for p in (root / "autograded").glob("*/*") if p.is_dir()})
    for assignment in options.assignments or graded:
        written += reports.item_analysis(root, assignment, root / "grades")
    for path in written:
        print(f"wrote {_relative(path, root)}")


def run_rubrics(options: argparse.Namespace) -> None:
    from customering_course import rubrics

    path = rubrics.write_rubrics(options.root)
    print(f"wrote {_relative(path, options.root)}: {len(rubrics.written_answers(options.root))} written answer(s)")


def run_pdf(options: argparse.Namespace) -> None:
    from customering_course.book_pdf import book_pdf

    html = options.html or options.root / "_build" / "html"
    output = options.output or options.root / "_build" / "pdf" / "mini-mba-in-customering.pdf"
    path, pages = book_pdf(html, options.root / "book" / "_toc.yml", output)
    print(f"{_relative(path, options.root)}: {pages} pages")


def run_screenshots(options: argparse.Namespace) -> None:
    from customering_course.screenshots import take_screenshots

    for path in take_screenshots(options.root, options.root / "book" / "screenshots"):
        print(f"{_relative(path, options.root)}: {path.stat().st_size / 1024:.0f} KB")


def run_execute(options: argparse.Namespace) -> None:
    from customering_course import authoring

    paths = [Path(p) for p in options.lessons] or authoring.all_lessons(options.root)
    for path in paths:
        seconds = authoring.execute_lesson(path, timeout=options.timeout)
        print(f"executed {_relative(path.resolve(), options.root)} in {seconds:.1f} s")


def parser() -> argparse.ArgumentParser:
    """The command line's parser, with one subcommand per course command."""
    main = argparse.ArgumentParser(
        prog="python -m customering_course",
        description="The Mini MBA in Customering's course commands: release the course, make a "
                    "learner's workspace, grade a cohort with nbgrader, and export grades.")
    main.add_argument("--root", type=Path, default=ROOT,
                      help=f"the course folder, which holds nbgrader_config.py and modules/ (default: {ROOT})")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    command = commands.add_parser(
        "release", help="release every module to learners",
        description="nbgrader generate_assignment for every module into release/, with each module's "
                    "lesson notebooks copied unchanged. Solutions and hidden tests are removed.")
    command.set_defaults(run=run_release)

    command = commands.add_parser(
        "workspace", help="a learner's own copy of the released course",
        description="Copy release/ into workspace/ (or --target), adding only what is new: a file "
                    "already there, such as a learner's edited notebook, is never overwritten.")
    command.add_argument("--target", type=Path, default=None, help="where to put the copy (default: ROOT/workspace)")
    command.set_defaults(run=run_workspace)

    command = commands.add_parser(
        "grade", help="autograde every submission, then feedback, grades and item analysis",
        description="Autograde submitted/<student>/<assignment>/ in parallel and in a sandbox, with "
                    "nbgrader's own preprocessors and gradebook, then write feedback/ (without hidden "
                    "tests), grades/grades.csv, grades/item-analysis-* and grades/grading-log.txt.")
    _assignments(command)
    _workers(command)
    command.add_argument("--sandbox", choices=["auto", "bubblewrap", "workdir"], default="auto",
                         help="where learner code runs (default: bubblewrap when it works, else a "
                              "working folder of its own; 'bubblewrap' refuses to grade without it)")
    command.add_argument("--timeout", type=int, default=None,
                         help="seconds a cell may run (default: ExecutePreprocessor.timeout in nbgrader_config.py)")
    command.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="execute on the workers of this Dask cluster, e.g. tcp://10.0.0.5:8786 "
                              "(default: a local cluster of --workers processes); each worker needs the "
                              "course's package at the same version, and bubblewrap")
    command.add_argument("--feedback-only", action="store_true",
                         help="the same as the 'feedback' command: execute nothing")
    command.set_defaults(run=run_grade)

    command = commands.add_parser(
        "feedback", help="after grading by hand: feedback, grades and item analysis again",
        description="Regenerate feedback/, grades/grades.csv and grades/item-analysis-* from the "
                    "gradebook, so manual grades and comments from the Formgrader reach learners. "
                    "Executes nothing.")
    _assignments(command)
    _workers(command)
    command.set_defaults(run=run_feedback)

    command = commands.add_parser(
        "export", help="grades/grades.csv and the item analysis, from the gradebook as it is",
        description="Write grades/grades.csv (one row per learner and assignment, points per exercise) "
                    "and grades/item-analysis-<assignment>.csv and .png. Writes no feedback.")
    _assignments(command)
    command.set_defaults(run=run_export)

    command = commands.add_parser(
        "rubrics", help="the rubrics of the written answers, for grading by hand",
        description="Write grades/rubrics.md: each written answer's question, model answer and three-level "
                    "rubric, gathered from the source notebooks. For the instructor only: the release and "
                    "the book never contain them.")
    command.set_defaults(run=run_rubrics)

    command = commands.add_parser(
        "execute", help="for authors: run lessons again in place and save their outputs",
        description="Execute lesson notebooks from a fresh kernel, top to bottom, with nbclient, and save "
                    "them with their outputs and widget state, as they are committed (nbval then checks "
                    "them in make test). Prints the seconds each lesson took.")
    command.add_argument("lessons", nargs="*", help="lesson notebooks (default: every lesson of the course)")
    command.add_argument("--timeout", type=int, default=600, help="seconds a cell may run (default: 600)")
    command.set_defaults(run=run_execute)

    command = commands.add_parser(
        "pdf", help="the built book as one PDF, for readers who print or read offline",
        description="Open every page of the built site (make book) in headless Chromium, in the order of "
                    "book/_toc.yml, let its maths finish typesetting, print it with the theme's print styles, "
                    "and join the pages into one PDF with a bookmark per page.")
    command.add_argument("--html", type=Path, help="the built site (default: _build/html)")
    command.add_argument("--output", type=Path, help="the PDF to write (default: _build/pdf/mini-mba-in-customering.pdf)")
    command.set_defaults(run=run_pdf)

    command = commands.add_parser(
        "screenshots", help="the README's pictures of the course, taken in headless Chromium",
        description="Screenshot a lesson page and an assignment page of the built site (make book), and the "
                    "first widget of a lesson run in a fresh learner's JupyterLab, into book/screenshots/.")
    command.set_defaults(run=run_screenshots)
    return main


def _assignments(command: argparse.ArgumentParser) -> None:
    command.add_argument("assignments", nargs="*", help="assignments, such as 00-orientation (default: every one)")


def _workers(command: argparse.ArgumentParser) -> None:
    command.add_argument("--workers", type=int, default=None, help="processes at once (default: one per core)")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse ``argv`` (default: the command line) and run the command."""
    options = parser().parse_args(sys.argv[1:] if argv is None else argv)
    options.root = options.root.resolve()
    options.run(options)


if __name__ == "__main__":
    main()
