"""Every lesson is built the way DESIGN.md's "Lessons" asks, checked rather than hoped for:
an honest time estimate at the top, a worked answer hidden behind each "Try it", a widget
beside a static figure, and code cells short enough to read at a glance."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p for p in (ROOT / "modules").glob("*/*.ipynb") if not p.name.startswith("assignment-"))
ESTIMATE = re.compile(r"\*Module \d+, lesson \w+\. About (\d+) minutes\.\*")
#: A code cell longer than this many non-blank lines is split, or its work moved to a function.
MAX_CODE_LINES = 14
#: A lesson's time is its reading, its cells and its exercises: about 120 words a minute of
#: prose that teaches (slower than reading a newspaper), two minutes per code cell (read it,
#: run it, look at what it printed), and ten minutes per "Try it". A lesson says how long it takes within this range of that.
WORDS_PER_MINUTE, MINUTES_PER_CELL, MINUTES_PER_TRY = 120, 2, 10
LONGEST_LESSON = 100


def _read(lesson: Path):
    return nbformat.read(lesson, as_version=4)


def _is_try_it(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("**Try it")


def _is_worked_answer(cell) -> bool:
    tags = set(cell.metadata.get("tags", []))
    hidden = cell.metadata.get("jupyter", {})
    if cell.cell_type == "markdown":
        # A <details> block folds in JupyterLab and on the site alike.
        return cell.source.lstrip().startswith("<details>") and "<summary>Worked answer" in cell.source
    return ({"worked-answer", "hide-cell"} <= tags and hidden.get("source_hidden") is True
            and hidden.get("outputs_hidden") is True)


def expected_minutes(nb) -> float:
    words = sum(len(re.sub(r"\$\$.*?\$\$", " ", c.source, flags=re.S).split())
                for c in nb.cells if c.cell_type == "markdown")
    cells = sum(1 for c in nb.cells if c.cell_type == "code" and "worked-answer" not in c.metadata.get("tags", []))
    tries = sum(1 for c in nb.cells if _is_try_it(c))
    return words / WORDS_PER_MINUTE + cells * MINUTES_PER_CELL + tries * MINUTES_PER_TRY


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_the_time_estimate_at_the_top_matches_the_work(lesson):
    nb = _read(lesson)
    found = ESTIMATE.search(nb.cells[0].source)
    assert found, f"{lesson.name}: the first cell should say '*Module N, lesson x. About NN minutes.*'"
    stated, expected = int(found.group(1)), expected_minutes(nb)
    assert stated <= LONGEST_LESSON, f"{lesson.name}: {stated} minutes is too long for one sitting; split the lesson"
    assert 0.75 * expected <= stated <= 1.35 * expected, (
        f"{lesson.name} says about {stated} minutes; its prose, cells and exercises take about {expected:.0f}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_every_try_it_has_a_worked_answer_hidden_until_asked_for(lesson):
    nb = _read(lesson)
    tries = [i for i, c in enumerate(nb.cells) if _is_try_it(c)]
    assert tries, f"{lesson.name} has no 'Try it'"
    missing = [i for i in tries if i + 1 >= len(nb.cells) or not _is_worked_answer(nb.cells[i + 1])]
    assert not missing, (f"{lesson.name}: the 'Try it' in cells {missing} should be followed by a worked answer: "
                         "a code cell tagged worked-answer and hide-cell, collapsed (jupyter.source_hidden and "
                         "outputs_hidden), or a markdown <details><summary>Worked answer</summary> block")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_a_widget_sits_beside_a_static_figure(lesson):
    nb = _read(lesson)
    kinds = [set(o.get("data", {})) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("application/vnd.jupyter.widget-view+json" in k for k in kinds), f"{lesson.name} shows no widget"
    assert any("image/png" in k for k in kinds), f"{lesson.name} shows no static figure"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_code_cells_are_short_enough_to_read_at_a_glance(lesson):
    nb = _read(lesson)
    long = {i: n for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and (n := sum(1 for line in c.source.splitlines() if line.strip())) > MAX_CODE_LINES}
    assert not long, f"{lesson.name}: code cells with more than {MAX_CODE_LINES} lines (cell: lines): {long}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_every_figure_has_alt_text_for_the_site(lesson):
    """A figure reaches the site as an image; its alt text comes from the cell's metadata
    (``mystnb.image.alt``), worked answers' figures included."""
    nb = _read(lesson)
    missing = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
               and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
               and len(c.metadata.get("mystnb", {}).get("image", {}).get("alt", "").split()) < 8]
    assert not missing, f"{lesson.name}: figures without alt text (cells {missing}): set metadata mystnb.image.alt"
