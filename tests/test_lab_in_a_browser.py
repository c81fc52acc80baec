"""JupyterLab as a learner meets it, driven in Chromium: `make lab`'s server on a fresh
workspace, a lesson opened, its cells run, a widget drawn, a slider moved and the widget's
readout seen to change; the instructor's panels and the news pop-up absent, the Validate
button present; then the server stopped and nothing left running."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from customering_course import release

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "lab-browser-test-token"
#: A lesson with a slider widget, and the assignment whose toolbar carries Validate.
LESSON = "00-orientation/00c-the-value-of-the-base.ipynb"
ASSIGNMENT = "00-orientation/assignment-00.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def learners_lab(released, tmp_path_factory):
    """`make lab`'s JupyterLab (same settings, same environment variables) on a fresh workspace."""
    folder = tmp_path_factory.mktemp("learner")
    workspace = folder / "workspace"
    release.workspace(ROOT, target=workspace)
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(workspace / ".jupyter"),
               JUPYTERLAB_SETTINGS_DIR=str(workspace / ".jupyter" / "lab" / "user-settings"),
               JUPYTER_RUNTIME_DIR=str(folder / "runtime"), JUPYTER_DATA_DIR=str(folder / "data"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={workspace}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=open(folder / "server.log", "wb"), env=env)  # noqa: SIM115
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {(folder / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)
    started = {p.pid for p in psutil.Process(server.pid).children(recursive=True)} | {server.pid}
    yield {"base": base, "server": server, "started": started, "log": folder / "server.log"}
    children = psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
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


def _scroll_to_first(page, selector: str, timeout_s: float):
    """The first element matching ``selector``, scrolling the notebook down a screen at a time.

    The learner's lab attaches cells outside the view only when the browser has idle time
    (``windowingMode: defer``); on a busy machine that can take minutes, so scroll to them
    as a reader would instead of waiting."""
    found = page.locator(selector).first
    scroller = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").first
    deadline = time.monotonic() + timeout_s
    while page.locator(selector).count() == 0:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {selector} in the notebook after {timeout_s:.0f} s of running and scrolling")
        at_end = scroller.evaluate("e => { const end = e.scrollTop + e.clientHeight >= e.scrollHeight - 2;"
                                   " e.scrollTop = end ? 0 : e.scrollTop + e.clientHeight; return end; }")
        page.wait_for_timeout(2_000 if at_end else 400)
    return found


def test_a_lesson_runs_and_its_widget_answers_a_slider(learners_lab, browser):
    context, page, errors = _open(browser, f"{learners_lab['base']}/lab/tree/{LESSON}?token={TOKEN}")
    try:
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        # Markdown is rendered by MyST, as on the site: an escaped dollar is a dollar, not maths
        # (JupyterLab's own renderer turns "\$51.76 ... \$47.63" into maths). The lesson's
        # first screen has such amounts.
        markdown = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell")
        deadline = time.monotonic() + 60
        while not re.search(r"\$\d", shown := " ".join(markdown.all_inner_texts())):
            assert time.monotonic() < deadline, f"no amount in dollars rendered as text: {shown[:300]!r}"
            page.wait_for_timeout(500)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=180_000)
        slider = _scroll_to_first(page, ".widget-slider", timeout_s=180)
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
