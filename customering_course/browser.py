"""Debian's Chromium, driven by Playwright with no browser download; the built site served to
it, and the learner's JupyterLab started for it.

The book's PDF (:mod:`customering_course.book_pdf`), the README's screenshots
(:mod:`customering_course.screenshots`) and the browser tests use the same browser, the
same site server and the same lab, started the same way.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

#: Debian's Chromium; CHROMIUM in the environment names another.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: No background traffic: a page must make only the requests it needs, and the machine may
#: have no network at all.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps"]
INSTALL_HINT = "Chromium is not installed: apt-get install chromium (.ci/run does this when it can)"


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free local port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def first_in_notebook(page, selector: str, timeout_s: float):
    """The first element matching ``selector`` in the open notebook, scrolling down a screen at a time.

    The learner's lab attaches cells outside the view only when the browser has idle time
    (``windowingMode: defer``); on a busy machine that can take minutes, so scroll to them
    as a reader would instead of waiting."""
    scroller = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").first
    deadline = time.monotonic() + timeout_s
    while page.locator(selector).count() == 0:
        if time.monotonic() > deadline:
            status = page.locator(".jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
            outputs = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").count()
            raise TimeoutError(f"no {selector} in the notebook after {timeout_s:.0f} s of running and scrolling "
                               f"(kernel {status}, {outputs} outputs drawn)")
        at_end = scroller.evaluate("e => { const end = e.scrollTop + e.clientHeight >= e.scrollHeight - 2;"
                                   " e.scrollTop = end ? 0 : e.scrollTop + e.clientHeight; return end; }")
        page.wait_for_timeout(2_000 if at_end else 400)
    return page.locator(selector).first


@contextlib.contextmanager
def learners_lab(workspace: Path, folder: Path, token: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`make lab`'s JupyterLab (same settings, same environment variables) on ``workspace``.

    Runtime files and the server's log go to ``folder``. Yields the base URL and the server
    process; stops the server on leaving."""
    settings = {"JUPYTER_CONFIG_DIR": str(workspace / ".jupyter"),
                "JUPYTERLAB_SETTINGS_DIR": str(workspace / ".jupyter" / "lab" / "user-settings")}
    with _jupyterlab(None, folder, token, settings, [f"--ServerApp.root_dir={workspace}"]) as started:
        yield started


@contextlib.contextmanager
def instructors_lab(course: Path, folder: Path, token: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`make formgrader`'s JupyterLab: started in the course folder, whose ``nbgrader_config.py``
    nbgrader's Formgrader reads from there, with nbgrader's instructor panels on.

    A fresh configuration folder in ``folder`` stands in for the instructor's own
    ``~/.jupyter``, so no setting of this machine's user changes what is tested. Yields the
    base URL and the server process; stops the server on leaving."""
    settings = {"JUPYTER_CONFIG_DIR": str(folder / "config")}
    with _jupyterlab(course, folder, token, settings, ["--notebook-dir=."]) as started:
        yield started


@contextlib.contextmanager
def _jupyterlab(cwd: Path | None, folder: Path, token: str, settings: dict[str, str],
                arguments: list[str]) -> Iterator[tuple[str, subprocess.Popen]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, **settings, JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
               JUPYTER_DATA_DIR=str(folder / "data"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    log = folder / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
             f"--IdentityProvider.token={token}", *arguments, *(["--allow-root"] if os.geteuid() == 0 else [])],
            stdout=subprocess.DEVNULL, stderr=output, env=env, cwd=cwd)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError as error:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"JupyterLab did not start: {log.read_text()[-2000:]}") from error
                time.sleep(0.5)
        yield base, server
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def run_all_cells(page, timeout_s: float = 300) -> None:
    """Run every cell of the open notebook from JupyterLab's Run menu, and wait until the run is over.

    JupyterLab draws the notebook before its kernel is connected, and Run All pressed then
    clears the outputs and runs nothing: so wait for the status bar to report the kernel
    idle, and check that the first code cell got an execution count, pressing Run All once
    more if it did not. After the click the kernel may still report idle for a moment,
    before the first cell starts: wait (briefly) for it to get busy first, so an idle kernel
    means the run is over."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_function("() => /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText || '')",
                           timeout=180_000)
    prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt").first
    for _ in range(2):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='busy']", timeout=15_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_s * 1000)
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").first.evaluate("e => e.scrollTop = 0")
        page.wait_for_timeout(500)
        if any(ch.isdigit() for ch in prompt.inner_text()):
            return
    raise RuntimeError("Run All Cells ran nothing: the first code cell has no execution count")
