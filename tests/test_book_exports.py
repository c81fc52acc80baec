"""The order `make pdf` prints the book in, and the README's pictures `make screenshots` takes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from customering_course.book_pdf import pages_in_order

ROOT = Path(__file__).resolve().parents[1]


def test_pages_follow_the_table_of_contents_with_sections_after_their_chapter(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: intro\nparts:\n  - caption: A\n    chapters:\n      - file: a1\n"
                   "      - file: a2\n        sections:\n          - file: a2s\n  - caption: B\n    chapters:\n"
                   "      - file: b1\n", encoding="utf-8")
    assert pages_in_order(toc) == ["intro", "a1", "a2", "a2s", "b1"]


def test_the_course_starts_with_the_introduction_and_ends_with_the_instructor_guide():
    pages = pages_in_order(ROOT / "book" / "_toc.yml")
    assert pages[0] == "book/intro" and pages[-1] == "book/instructor-guide"
    assert pages.index("modules/04-marketing-intersections/04a-the-economic-intersection") \
        < pages.index("release/04-marketing-intersections/assignment-04") < pages.index("book/glossary")
    assert len(pages) == len(set(pages)), "a page listed twice would be printed twice"


def test_a_file_that_is_not_a_table_of_contents_is_refused(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="root"):
        pages_in_order(toc)


def test_the_readme_shows_the_screenshots_make_screenshots_takes():
    """The pictures are committed, small, and each named in the README with alt text."""
    from customering_course.screenshots import SITE_PAGES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in [*SITE_PAGES, "widget.png"]:
        path = ROOT / "book" / "screenshots" / name
        assert path.is_file(), f"{path} missing: run make screenshots"
        assert path.stat().st_size < 400_000, f"{name} is {path.stat().st_size / 1000:.0f} KB: keep the README light"
        assert re.search(rf"!\[[^\]]{{20,}}\]\(book/screenshots/{re.escape(name)}\)", readme), \
            f"the README should show {name} with alt text"
