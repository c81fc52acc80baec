"""The README's pictures of the course, taken by the browser the tests drive (``make screenshots``):
a lesson page and an assignment page of the built site, and a widget in the learner's JupyterLab.
"""

from __future__ import annotations

from pathlib import Path

from customering_course import browser as lab
from customering_course.browser import CHROMIUM_ARGS, INSTALL_HINT, chromium_path, serve

#: What the README shows, and where in the built site or the workspace each comes from.
SITE_PAGES = {"lesson.png": "modules/04-marketing-intersections/04a-the-economic-intersection.html",
              "assignment.png": "release/04-marketing-intersections/assignment-04.html"}
LAB_LESSON = "00-orientation/00c-the-value-of-the-base.ipynb"
#: Small pictures: a laptop's window, at one device pixel per CSS pixel.
VIEWPORT = {"width": 1100, "height": 700}


def site_screenshots(html: Path, folder: Path, browser) -> list[Path]:
    """Screenshot the top of the lesson and assignment pages of the built site ``html`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = []
    with serve(html) as base:
        page = browser.new_page(viewport=VIEWPORT)
        try:
            for name, path in SITE_PAGES.items():
                page.goto(f"{base}/{path}", wait_until="load")
                if page.evaluate("() => Boolean(window.MathJax && window.MathJax.startup)"):
                    page.evaluate("() => window.MathJax.startup.promise")
                page.screenshot(path=str(folder / name))
                taken.append(folder / name)
        finally:
            page.close()
    return taken


def widget_screenshot(base: str, token: str, lesson: str, path: Path, browser) -> Path:
    """Open ``lesson`` in the JupyterLab at ``base``, run it, and screenshot its first widget into ``path``."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{base}/lab/tree/{lesson}?token={token}")
        lab.run_all_cells(page)
        slider = lab.first_in_notebook(page, ".widget-slider", timeout_s=180)
        widget = slider.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][last()]")
        widget.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        path.parent.mkdir(parents=True, exist_ok=True)
        widget.screenshot(path=str(path))
        return path
    finally:
        page.close()


def take_screenshots(root: Path, folder: Path) -> list[Path]:
    """All the README's pictures: the built site's (``make book`` first) and a widget in a fresh learner's lab."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from customering_course.release import workspace

    executable = chromium_path()
    if executable is None:
        raise RuntimeError(INSTALL_HINT)
    html = root / "_build" / "html"
    if not (html / SITE_PAGES["lesson.png"]).is_file():
        raise FileNotFoundError(f"{html} has no built lesson: run `make book` first")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            taken = site_screenshots(html, folder, browser)
            fresh = Path(scratch) / "workspace"
            workspace(root, target=fresh)
            with lab.learners_lab(fresh, Path(scratch), token="screenshots") as (base, _):
                taken.append(widget_screenshot(base, "screenshots", LAB_LESSON, folder / "widget.png", browser))
        finally:
            browser.close()
    return taken
