"""The published site in the dark theme: every page keeps enough contrast, and figures stay
legible. The pages' other checks (loading, maths, images, all of axe-core's rules) are made
once, in the light theme, by test_site_in_a_browser.py.
"""

from __future__ import annotations

import io

import pytest
from browser import serve
from test_site_in_a_browser import open_in_theme, pages, serious_violations, theme_context

pytestmark = pytest.mark.slow


#: What changes between the themes is colour: the dark theme is checked for contrast only,
#: every other rule having been checked on the same markup in the light theme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def test_no_serious_contrast_problem_in_the_dark_theme(site, browser):
    found = {}
    with serve(site) as base:
        context = theme_context(browser, "dark")
        for path in pages(site):
            page, _ = open_in_theme(context, base, site, path, "dark")
            serious = serious_violations(page, COLOUR_RULES)
            if serious:
                found[path.relative_to(site).as_posix()] = serious
            page.close()
        context.close()
    assert not found, "axe-core finds serious problems (dark theme):\n" + "\n".join(
        f"{page}: {problems}" for page, problems in found.items())


def test_figures_stay_legible_in_the_dark_theme(site):
    """Figures are drawn on an opaque white background, so their dark text and lines stay
    readable when the page around them turns dark."""
    from PIL import Image

    checked, see_through = 0, []
    for image in sorted((site / "_images").glob("*.png")):
        with Image.open(io.BytesIO(image.read_bytes())) as picture:
            rgba = picture.convert("RGBA")
            width, height = rgba.size
            corners = [rgba.getpixel((x, y)) for x in (0, width - 1) for y in (0, height - 1)]
        checked += 1
        if any(alpha < 250 for *_, alpha in corners):
            see_through.append(image.name)
    assert checked >= 20
    assert not see_through, f"figures with a transparent background, unreadable in the dark theme: {see_through}"
