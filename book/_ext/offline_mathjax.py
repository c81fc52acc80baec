"""Serve MathJax from the site itself, so the book's maths renders with no network.

Sphinx would load MathJax from a CDN when a reader opens a page. This extension copies a
pinned MathJax 3 (from the ``django-static-mathjax`` package, installed by ``make setup``
with the book's dependencies, Apache License 2.0) into the site's ``_static/mathjax``, and
``_config.yml`` points ``mathjax_path`` at it. Only what ``tex-chtml.js`` loads is copied:
the component itself, the TeX input extensions it may load on demand, the CommonHTML
fonts, the menu and the accessibility modules.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

#: What tex-chtml.js needs, relative to MathJax's es5 folder.
NEEDED = ("tex-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors")


def mathjax_folder() -> Path:
    """The es5 folder of the installed MathJax package."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError("MathJax is not installed: run 'make setup' (package django-static-mathjax)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"
    if not (folder / "es5" / "tex-chtml.js").is_file():
        raise ExtensionError(f"{folder}: no es5/tex-chtml.js; reinstall django-static-mathjax")
    return folder


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_folder()
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in NEEDED:
        origin = source / "es5" / name
        if origin.is_dir():
            shutil.copytree(origin, target / name, dirs_exist_ok=True)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target / name)
    shutil.copy2(source / "LICENSE", target / "LICENSE")


def setup(app: Sphinx) -> dict:
    mathjax_folder()  # fail early, with what to do, if MathJax is missing
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
