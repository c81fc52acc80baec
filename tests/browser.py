"""Driving the Chromium of Debian's packages from tests, with Playwright and no browser download.

Tests that need the browser take the ``browser`` fixture of ``conftest.py``; where Chromium
is missing they are skipped with one line that says how to install it.
"""

from __future__ import annotations

from customering_course.browser import CHROMIUM_ARGS, INSTALL_HINT, chromium_path, serve

__all__ = ["CHROMIUM_ARGS", "INSTALL_HINT", "PageWatch", "chromium_path", "serve"]


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
