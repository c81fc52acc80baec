"""The rubrics of the written answers, for the instructor who grades them by hand.

Each written answer's rubric (what earns 3, 2 and 1 points) is kept with its model answer in
the source notebook's answer cell, which nbgrader removes from the release, so it never
reaches learners or the published book. :func:`rubrics_page` gathers them, with each
question, into one page for the instructor's own machine (``grades/rubrics.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from customering_course.layout import ROOT, modules, source_notebooks

_EXERCISE = re.compile(r"-(ex\d+)-")


def written_answers(root: Path = ROOT) -> list[dict[str, str]]:
    """Every written answer of the course: assignment, grade id, points, question, model answer and rubric."""
    found = []
    for module in modules(root):
        for path in source_notebooks(module, root):
            cells = nbformat.read(path, as_version=4).cells
            for cell in cells:
                meta = cell.metadata.get("nbgrader", {})
                if cell.cell_type != "markdown" or not (meta.get("grade") and meta.get("solution")):
                    continue
                exercise = _EXERCISE.search(meta["grade_id"])
                question = next((c.source for c in cells if c.cell_type == "markdown" and exercise
                                 and c.metadata.get("nbgrader", {}).get("grade_id") == f"{meta['grade_id'].split('-ex')[0]}-"
                                 f"{exercise.group(1)}-text"), "")
                found.append({"assignment": module, "grade_id": meta["grade_id"], "points": str(meta.get("points", "")),
                              "question": question, "answer": cell.source})
    return found


def rubrics_page(root: Path = ROOT) -> str:
    """One markdown page with every written answer's question, model answer and rubric."""
    parts = ["# Rubrics of the written answers", "",
             "For the instructor only: do not publish. Made by `python -m customering_course rubrics` "
             "from the source notebooks.", ""]
    for item in written_answers(root):
        parts += [f"## {item['assignment']}: {item['grade_id']} ({item['points']} points)", "",
                  item["question"].replace("\n## ", "\n### ").removeprefix("## "), "", item["answer"], ""]
    return "\n".join(parts)


def write_rubrics(root: Path = ROOT) -> Path:
    """Write :func:`rubrics_page` to ``grades/rubrics.md`` (git-ignored); return its path."""
    path = Path(root) / "grades" / "rubrics.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rubrics_page(root), encoding="utf-8")
    return path
