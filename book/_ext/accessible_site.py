"""Fixes to the theme's HTML that the browser tests ask for: two from axe-core, one favicon.

- The sidebar's fold-out toggles are ``<summary>`` elements holding only a chevron icon, so
  a screen reader announces nothing: each gets an ``aria-label``.
- sphinxcontrib-bibtex marks the bibliography as a list (``role="list"``) whose entries
  have the role ``doc-biblioentry``, which a list may not hold: the entries become list
  items.

The pages are rewritten once the build has finished, so the fixes follow the theme's
markup rather than copying its templates. The site's icon is also copied to the site's
root as ``favicon.ico``, where browsers look for it on pages that do not name one (the
root ``index.html`` that redirects to the introduction), instead of failing with a 404.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx

_EMPTY_SUMMARY = re.compile(r"<summary>(\s*<span class=\"toctree-toggle\")")
_BIBLIO_ENTRY = re.compile(r'(<div class="citation" id="[^"]+" )role="doc-biblioentry"')


def fix_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = _EMPTY_SUMMARY.sub(r'<summary aria-label="Show or hide the pages of this part">\1', text)
        fixed = _BIBLIO_ENTRY.sub(r'\1role="listitem"', fixed)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    if app.config.html_favicon and Path(app.srcdir, app.config.html_favicon).suffix == ".ico":
        shutil.copy2(Path(app.srcdir, app.config.html_favicon), Path(app.outdir) / "favicon.ico")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
