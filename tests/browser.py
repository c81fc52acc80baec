"""Driving the Chromium of Debian's packages from tests, with Playwright and no browser download.

Tests that need the browser take the ``browser`` fixture of ``conftest.py``; where Chromium
is missing they are skipped with one line that says how to install it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

#: Debian's Chromium; CHROMIUM in the environment names another.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: No background traffic: this machine's network is closed, and a test must see only the
#: requests a page makes.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps"]
INSTALL_HINT = "Chromium is not installed: apt-get install chromium (.ci/run does this when it can)"


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    import os

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


class PageWatch:
    """What a page did while it loaded: console errors, failed requests, requests that left the site."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        page.on("response", lambda response: self.failed.append(f"{response.url} (HTTP {response.status})")
                if response.status >= 400 else None)
        page.on("request", lambda request: self.outside.append(request.url)
                if not request.url.startswith((base, "data:", "blob:", "about:")) else None)

    def problems(self) -> list[str]:
        return ([f"console: {e}" for e in self.errors] + [f"failed: {f}" for f in self.failed]
                + [f"outside the site: {o}" for o in self.outside])
