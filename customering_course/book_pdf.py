"""The book as one PDF, for readers who print or read offline: every page of the built site
printed by headless Chromium, with its maths typeset and its figures, joined in the order of
the table of contents (``make pdf``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from customering_course.browser import CHROMIUM_ARGS, INSTALL_HINT, chromium_path, serve

#: A4 with margins a printer keeps; the page's own print stylesheet (the theme's) drops the
#: navigation, the search box and the buttons.
PAGE = {"format": "A4", "margin": {"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
        "print_background": True}


def pages_in_order(toc: Path) -> list[str]:
    """The pages of a Jupyter Book table of contents (``jb-book`` format), root first, in reading order.

    Each is a path without suffix, relative to the book's source root, as the table of
    contents names it (``book/intro``, ``modules/00-orientation/00a-...``).
    """
    tree = yaml.safe_load(Path(toc).read_text(encoding="utf-8"))
    if not isinstance(tree, dict) or "root" not in tree:
        raise ValueError(f"{toc}: a Jupyter Book table of contents with a 'root' entry was expected")
    ordered = [str(tree["root"])]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                ordered.append(str(entry["file"]))
            walk(entry.get("sections", []))

    for part in tree.get("parts", []):
        walk(part.get("chapters", []))
    walk(tree.get("chapters", []))
    return ordered


def book_pdf(html: Path, toc: Path, output: Path, browser=None) -> tuple[Path, int]:
    """Print every page of the built site ``html`` in the order of ``toc`` into one PDF at ``output``.

    Each page is opened in Chromium over HTTP (as a reader would), its MathJax left to
    finish typesetting, then printed with the print stylesheet; the page PDFs are joined
    with pypdf, with one outline entry (bookmark) per page. ``browser`` is a Playwright
    browser already running (the tests'); by default Debian's Chromium is started for the
    job. Returns the PDF's path and its number of printed pages.
    """
    html, output = Path(html), Path(output)
    missing = [page for page in pages_in_order(toc) if not (html / f"{page}.html").is_file()]
    if missing:
        raise FileNotFoundError(f"pages of the table of contents not in {html} (run `make book` first): {missing}")
    if browser is not None:
        writer = _printed(html, toc, browser)
    else:
        from playwright.sync_api import sync_playwright

        executable = chromium_path()
        if executable is None:
            raise RuntimeError(INSTALL_HINT)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                writer = _printed(html, toc, chromium)
            finally:
                chromium.close()
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "wb") as file:
        writer.write(file)
    return output, len(writer.pages)


def _printed(html: Path, toc: Path, browser):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    with serve(html) as base:
        page = browser.new_page()
        try:
            page.emulate_media(media="print")
            for name in pages_in_order(toc):
                page.goto(f"{base}/{name}.html", wait_until="load")
                if page.evaluate("() => Boolean(window.MathJax && window.MathJax.startup)"):
                    page.evaluate("() => window.MathJax.startup.promise")
                title = page.title().split(" — ")[0].split(" - ")[0].strip() or name
                start = len(writer.pages)
                for printed in PdfReader(_bytes_io(page.pdf(**PAGE))).pages:
                    writer.add_page(printed)
                writer.add_outline_item(title, start)
        finally:
            page.close()
    return writer


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)
