"""Every figure a lesson's prose states is one its code printed.

A lesson's numbers must come from the code in front of them: if the data change, the
outputs change, and prose that still states the old figure is wrong. This test reads
every number with a decimal point or a thousands separator in the lessons' text and
requires it among the stored outputs (the outputs themselves are verified by nbval).
Round numbers without either (years, "the top 20%", "365 days") are definitions, not
results, and are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p for p in (ROOT / "modules").glob("*/*.ipynb") if not p.name.startswith("assignment-"))
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+\.\d+")

#: Figures a lesson states as assumptions or scenarios rather than results, with why.
STATED_NOT_COMPUTED = {
    "00c-the-value-of-the-base.ipynb": {"1000": "a what-if: the number of extra customers a campaign might bring"},
}


def _outputs(nb) -> str:
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            for kind, value in output.get("data", {}).items():
                if kind.startswith("text/"):
                    texts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(texts).replace(",", "")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_numbers_in_the_prose_are_printed_by_the_code(lesson):
    nb = nbformat.read(lesson, as_version=4)
    printed = _outputs(nb)
    allowed = STATED_NOT_COMPUTED.get(lesson.name, {})
    unbacked = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"\$\$.*?\$\$", "", cell.source, flags=re.S)  # display maths states formulas
        for number in NUMBER.findall(prose):
            plain = number.replace(",", "")
            if plain not in printed and plain not in allowed:
                unbacked.append(f"cell {index}: {number}")
    assert not unbacked, f"{lesson.name} states figures no output shows: {unbacked}"
