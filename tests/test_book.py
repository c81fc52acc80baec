"""The published site: built with warnings as errors, every page there, every image
described, and not one line of solution code or hidden test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from test_course_integrity import assert_nothing_secret_in

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "book" / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    return files


def test_every_page_in_the_table_of_contents_is_built(site):
    for page in _toc_files():
        assert (site / f"{page}.html").is_file(), f"{page} is in book/_toc.yml but was not built"


def test_modules_publish_lessons_and_the_released_assignment_never_the_source():
    for page in _toc_files():
        assert not (page.startswith("modules/") and Path(page).name.startswith("assignment-")), (
            f"{page}: the book must list the released assignment (release/...), never the nbgrader source"
        )
    released = [p for p in _toc_files() if p.startswith("release/")]
    assert released, "the book lists no released assignment"


def test_site_shows_no_solution_or_hidden_test(site):
    assert_nothing_secret_in(site)
    assert not list(site.rglob("modules/*/assignment-*")), "a source assignment reached the site"


def test_every_image_has_alt_text(site):
    images, missing = 0, []
    for page in site.rglob("*.html"):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            images += 1
            alt = re.search(r'\balt="([^"]*)"', tag)
            text = alt.group(1).strip() if alt else ""
            # An alt that is a file name or path says nothing to someone who cannot see it.
            if not text or re.search(r"\.(png|jpe?g|svg|gif)$", text) or ("/" in text and " " not in text):
                missing.append(f"{page.relative_to(site)}: {tag[:100]}")
    assert images > 0, "no images found: the lessons' figures should be on the site"
    assert not missing, "images without alt text:\n" + "\n".join(missing)


def test_lessons_render_their_stored_outputs(site):
    lesson = next(p for p in _toc_files() if p.startswith("modules/"))
    page = (site / f"{lesson}.html").read_text(encoding="utf-8")
    assert "cell_output" in page and "<img" in page, f"{lesson}: no stored outputs on its page"


def test_glossary_and_bibliography_are_populated(site):
    glossary = (site / "book" / "glossary.html").read_text(encoding="utf-8")
    assert glossary.count('<dt id="term-') >= 20
    bibliography = (site / "book" / "bibliography.html").read_text(encoding="utf-8")
    assert "Counting your customers" in bibliography and "Fader" in bibliography


LESSON_PAGE = "modules/04-marketing-intersections/04a-the-economic-intersection.html"
PUBLISHED = {"COURSE_REPOSITORY_URL": "https://github.com/example-org/customering",
             "COURSE_BINDERHUB_URL": "https://mybinder.org", "COURSE_JUPYTERHUB_URL": "https://hub.example.edu"}


def test_no_repository_or_launch_button_while_no_url_is_set(site):
    lesson = (site / LESSON_PAGE).read_text(encoding="utf-8")
    intro = (site / "book" / "intro.html").read_text(encoding="utf-8")
    for page in (lesson, intro):
        assert "mybinder" not in page and "git-pull" not in page and "github.com" not in page


def test_repository_and_launch_buttons_render_once_their_urls_are_set(released, tmp_path, monkeypatch):
    """The publishing settings of the instructor guide, in the environment of the build (book/_ext/publishing.py)."""
    import fcntl

    from conftest import build_site

    for name, value in PUBLISHED.items():
        monkeypatch.setenv(name, value)
    with open(ROOT / ".release.lock", "w") as lock:  # one build of the course at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        html = build_site(tmp_path)
    lesson = (html / LESSON_PAGE).read_text(encoding="utf-8")
    notebook = "modules/04-marketing-intersections/04a-the-economic-intersection.ipynb"
    assert f'href="https://mybinder.org/v2/gh/example-org/customering/main?urlpath=lab/tree/{notebook}"' in lesson
    assert re.search(r'href="https://hub\.example\.edu/hub/user-redirect/git-pull\?repo=[^"]*example-org/customering'
                     rf'[^"]*{re.escape(notebook)}', lesson), "no JupyterHub launch button on the lesson"
    intro = (html / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example-org/customering"' in intro, "no repository button"
