"""Plausible wrong answers fail their tests: a test that a wrong answer passes is too weak.

Each assignment's source runs once, with its solutions, in one kernel; then each wrong answer
of tests/wrong_answers.py runs in place of its solution, followed by the exercise's test
cell, which must fail.
"""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from test_course_integrity import MODULES, ROOT, source_notebook
from wrong_answers import WRONG_ANSWERS

pytestmark = pytest.mark.slow


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
                # Restore the right answer for the next mistake; that the tests pass on it is
                # test_course_integrity's test_source_solutions_score_full_marks.
                client.execute_cell(cell.copy(), 0)
    assert not passed_wrongly, f"these wrong answers pass their tests: {passed_wrongly}"
