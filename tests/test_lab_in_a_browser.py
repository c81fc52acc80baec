"""JupyterLab as a learner meets it, driven in Chromium: `make lab`'s server on a fresh
workspace, a lesson opened, its cells run, a widget drawn, a slider moved and the widget's
readout seen to change; the instructor's panels and the news pop-up absent, the Validate
button present; then the server stopped and nothing left running."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from customering_course import browser as browser_tools
from customering_course import release

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "lab-browser-test-token"
#: A lesson with a slider widget, and the assignment whose toolbar carries Validate.
LESSON = "00-orientation/00c-the-value-of-the-base.ipynb"
ASSIGNMENT = "00-orientation/assignment-00.ipynb"


@pytest.fixture(scope="module")
def learners_lab(released, tmp_path_factory):
    """`make lab`'s JupyterLab (same settings, same environment variables) on a fresh workspace."""
    folder = tmp_path_factory.mktemp("learner")
    workspace = folder / "workspace"
    release.workspace(ROOT, target=workspace)
    with browser_tools.learners_lab(workspace, folder, TOKEN) as (base, server):
        started = {p.pid for p in psutil.Process(server.pid).children(recursive=True)} | {server.pid}
        yield {"base": base, "server": server, "started": started, "log": folder / "server.log"}
        children = psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
    _, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, f"processes left running after JupyterLab stopped: {[p.pid for p in alive]}"


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden)", timeout=90_000)
    return context, page, errors


def test_a_lesson_runs_and_its_widget_answers_a_slider(learners_lab, browser):
    context, page, errors = _open(browser, f"{learners_lab['base']}/lab/tree/{LESSON}?token={TOKEN}")
    try:
        # Markdown is rendered by MyST, as on the site: an escaped dollar is a dollar, not maths
        # (JupyterLab's own renderer turns "\$51.76 ... \$47.63" into maths). The lesson's
        # first screen has such amounts.
        markdown = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell")
        deadline = time.monotonic() + 60
        while not re.search(r"\$\d", shown := " ".join(markdown.all_inner_texts())):
            assert time.monotonic() < deadline, f"no amount in dollars rendered as text: {shown[:300]!r}"
            page.wait_for_timeout(500)
        browser_tools.run_all_cells(page)
        slider = browser_tools.first_in_notebook(page, ".widget-slider", timeout_s=180)
        slider.scroll_into_view_if_needed()
        assert page.get_by_text("Error displaying widget").count() == 0
        explorer = slider.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
        readout = explorer.locator(".widget-html-content").first
        before = readout.inner_text()
        handle = slider.locator(".noUi-handle").first
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        page.wait_for_function("([element, text]) => element.innerText !== text",
                               arg=[readout.element_handle(), before], timeout=20_000)
        after = readout.inner_text()
        assert after != before, f"moving the slider left the readout as it was: {before!r}"
        assert not [e for e in errors if "widget" in e.lower()], errors
    except Exception:
        page.screenshot(path=str(learners_lab["log"].with_name("failure.png")))
        raise
    finally:
        context.close()


def test_the_learners_lab_has_validate_but_no_instructor_panels_or_news(learners_lab, browser):
    context, page, _ = _open(browser, f"{learners_lab['base']}/lab/tree/{ASSIGNMENT}?token={TOKEN}")
    try:
        page.wait_for_timeout(3_000)  # extensions and notifications arrive after the notebook
        assert page.locator("button:has-text('Validate'), [title*='Validate']").count() >= 1, "no Validate button"
        assert page.get_by_text("Create Assignment").count() == 0, "the instructor's Create Assignment panel shows"
        assert page.get_by_text("Formgrader").count() == 0, "the instructor's Formgrader shows"
        assert page.get_by_text("official Jupyter news").count() == 0, "the news pop-up shows"
    finally:
        context.close()
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{learners_lab['base']}/formgrader?token={TOKEN}", timeout=10)


def test_the_readmes_widget_screenshot_is_taken_from_the_learners_lab(learners_lab, browser, tmp_path):
    """What `make screenshots` does in the lab: the lesson run, its first widget pictured whole."""
    from customering_course.screenshots import widget_screenshot

    path = widget_screenshot(learners_lab["base"], TOKEN, LESSON, tmp_path / "widget.png", browser)
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert width >= 400 and height >= 250, f"the widget's picture is {width}x{height}: not the whole widget"
