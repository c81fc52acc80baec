"""The published site as a reader sees it: every page opened in Chromium, served over HTTP
from the built site, on a machine without the internet.

Each page must load with no console error and no failed request, ask nothing from outside
the site, typeset its maths (MathJax served by the site itself), load every image with alt
text, and pass axe-core's accessibility rules with no serious or critical violation, in the
light and in the dark theme. Links and anchors are checked in the HTML itself.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from browser import PageWatch, serve

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SERIOUS = ("serious", "critical")


def is_redirect(page: Path) -> bool:
    return 'http-equiv="Refresh"' in page.read_text(encoding="utf-8", errors="ignore")[:2000]


def pages(site: Path) -> list[Path]:
    """Every page of the site a reader can reach, less Sphinx's generated index pages and the
    root page, which only redirects to the introduction (checked on its own)."""
    skip = {"genindex.html", "search.html"}
    return sorted(p for p in site.rglob("*.html") if p.name not in skip and "_static" not in p.parts
                  and "_sources" not in p.parts and not is_redirect(p))


def test_the_root_page_leads_to_the_introduction_with_an_icon(site, browser):
    with serve(site) as base:
        page = browser.new_page()
        watch = PageWatch(page, base)
        page.goto(f"{base}/index.html")
        page.wait_for_url("**/book/intro.html", timeout=20_000)
        page.wait_for_load_state("load")
        page.close()
    assert not watch.problems(), watch.problems()
    assert (site / "favicon.ico").is_file()


def url_of(base: str, site: Path, page: Path) -> str:
    return f"{base}/{page.relative_to(site).as_posix()}"


def wait_for_maths(page) -> None:
    """Wait until the page has loaded and MathJax, if the page loads it, has typeset everything."""
    page.wait_for_load_state("load")
    if page.evaluate("() => Boolean(window.MathJax)"):
        page.wait_for_function("() => window.MathJax.startup && window.MathJax.startup.promise", timeout=20_000)
        page.evaluate("() => window.MathJax.startup.promise")
    page.evaluate("() => document.fonts.ready.then(() => true)")  # the maths fonts, requested as typeset


def serious_violations(page, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each (all rules, or ``rules``)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"]} | ({"runOnly": {"type": "rule", "values": rules}} if rules else {})
    violations = Axe().run(page, options=options).response["violations"]
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}" for v in violations if v["impact"] in SERIOUS]


def open_in_theme(context, base: str, site: Path, path: Path, theme: str):
    page = context.new_page()
    watch = PageWatch(page, base)
    page.goto(url_of(base, site, path), wait_until="load")
    wait_for_maths(page)
    assert page.evaluate("() => document.documentElement.dataset.theme") == theme
    return page, watch


def theme_context(browser, theme: str):
    context = browser.new_context(color_scheme=theme)
    # The theme follows the reader's choice, kept in localStorage, over the system's.
    context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
    return context


@pytest.fixture(scope="module")
def visits(site, browser) -> dict[str, dict]:
    """Open every page once, in the light theme: what it did, what it shows, and what axe-core finds."""
    found: dict[str, dict] = {}
    with serve(site) as base:
        context = theme_context(browser, "light")
        for path in pages(site):
            page, watch = open_in_theme(context, base, site, path, "light")
            # What the page itself did, before axe-core, which re-reads stylesheets for its
            # checks and resolves their @imports against the page (404s the site never makes).
            problems = watch.problems()
            found[path.relative_to(site).as_posix()] = {
                "axe": serious_violations(page),
                "problems": problems,
                "maths": page.locator("mjx-container").count(),
                "raw_maths": page.evaluate(r"() => /\\\(|\\\[|\$\$/.test(document.querySelector('main').innerText)"),
                "images": page.evaluate("""() => Array.from(document.querySelectorAll('main img')).map(
                    img => ({src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
                             alt: (img.getAttribute('alt') || '').trim()}))"""),
            }
            page.close()
        context.close()
    return found


def test_every_page_loads_cleanly_and_asks_nothing_from_outside_the_site(visits):
    assert len(visits) >= 15, f"only {len(visits)} pages found"
    problems = {page: seen["problems"] for page, seen in visits.items() if seen["problems"]}
    assert not problems, "pages with console errors, failed or outside requests:\n" + "\n".join(
        f"{page}: {found[:5]}" for page, found in problems.items())


def test_maths_is_typeset_by_the_sites_own_mathjax(site, visits):
    with_maths = [page for page in visits if re.search(r"\\\(|\\\[|\$\$|class=\"math", (site / page).read_text())]
    assert len(with_maths) >= 5, f"expected maths on the lessons' pages, found it on {with_maths}"
    untypeset = [page for page in with_maths if visits[page]["maths"] == 0 or visits[page]["raw_maths"]]
    assert not untypeset, f"maths left as raw LaTeX on {untypeset}"
    scripts = set(re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', (site / with_maths[0]).read_text()))
    assert scripts and all(not urlparse(s).netloc for s in scripts), f"MathJax should come from the site: {scripts}"
    assert (site / "_static" / "mathjax" / "LICENSE").is_file(), "MathJax's licence should travel with it"


def test_every_image_loads_and_has_alt_text(visits):
    images = [(page, image) for page, seen in visits.items() for image in seen["images"]]
    assert len(images) >= 20, f"only {len(images)} images on the site"
    broken = [f"{page}: {image['src'][:80]}" for page, image in images if not image["loaded"]]
    unlabelled = [f"{page}: {image['src'][:80]}" for page, image in images if not image["alt"]]
    assert not broken, "images that did not load:\n" + "\n".join(broken)
    assert not unlabelled, "images without alt text:\n" + "\n".join(unlabelled)


def test_every_internal_link_and_anchor_resolves(site):
    ids: dict[Path, set[str]] = {}
    missing = []
    for path in pages(site):
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'<a\s[^>]*href="([^"]+)"', text):
            href = html.unescape(href)
            if urlparse(href).scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target_path, anchor = urldefrag(href)
            target = (path.parent / unquote(target_path)).resolve() if target_path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                missing.append(f"{path.relative_to(site)} -> {href}")
                continue
            if anchor and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
                if unquote(anchor) not in ids[target]:
                    missing.append(f"{path.relative_to(site)} -> {href} (no such anchor)")
    assert not missing, "links that lead nowhere:\n" + "\n".join(missing[:30])


def test_search_finds_a_glossary_term(site, browser):
    with serve(site) as base:
        page = browser.new_page()
        watch = PageWatch(page, base)
        page.goto(f"{base}/search.html?q=retention")
        page.wait_for_selector("#search-results li", timeout=20_000)
        results = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
        page.close()
    assert any("glossary" in link for link in results), f"searching 'retention' did not find the glossary: {results}"
    assert not watch.problems(), watch.problems()


def test_the_download_button_offers_the_page_itself_never_a_source_notebook(site):
    offered = {}
    for path in pages(site):
        links = re.findall(r'href="([^"]*_sources/[^"]+)"', path.read_text(encoding="utf-8"))
        for link in links:
            target = (path.parent / unquote(link)).resolve()
            offered[f"{path.relative_to(site)}"] = target
            assert target.is_file(), f"{path.relative_to(site)} offers {link}, which is not on the site"
            assert "assignment-" not in target.name or "release" in target.parts, (
                f"{path.relative_to(site)} offers a source assignment: {link}")
            if target.suffix == ".ipynb":
                text = target.read_text(encoding="utf-8")
                assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, f"{link} holds solutions"
    lessons = [page for page in offered if page.startswith("modules/")]
    assignments = [page for page in offered if page.startswith("release/")]
    assert lessons and assignments, "lessons and released assignments should offer their notebooks"


def test_no_serious_accessibility_problem_in_the_light_theme(visits):
    found = {page: seen["axe"] for page, seen in visits.items() if seen["axe"]}
    assert not found, "axe-core finds serious problems (light theme):\n" + "\n".join(
        f"{page}: {problems}" for page, problems in found.items())


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


def test_the_books_pdf_has_every_page_in_order_with_maths_typeset(site, browser, tmp_path):
    """`make pdf`: every page of the table of contents printed, in its order, one bookmark each;
    no raw LaTeX left in the text; the figures embedded as images."""
    from pypdf import PdfReader

    from customering_course.book_pdf import book_pdf, pages_in_order

    toc = pages_in_order(ROOT / "book" / "_toc.yml")
    assert toc[0] == "book/intro" and "release/04-marketing-intersections/assignment-04" in toc
    path, printed = book_pdf(site, ROOT / "book" / "_toc.yml", tmp_path / "book.pdf", browser)
    reader = PdfReader(path)
    assert printed == len(reader.pages) >= len(toc)
    titles = [item.title for item in reader.outline]
    assert len(titles) == len(toc), f"one bookmark per page of the table of contents: {titles}"
    assert titles[0].startswith("The Mini MBA") or "Customering" in titles[0], titles[0]
    assert any("Assignment 4" in title for title in titles), titles
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Blattberg" in text and "Erlang" in text, "lesson text missing from the PDF"
    assert not re.search(r"\\\(|\\\[|\\frac|\\sum", text), "raw LaTeX in the PDF: maths was not typeset"
    lessons = [page for page in toc if page.startswith("modules/")]
    images = sum(len(page.images) for page in reader.pages)
    assert images >= len(lessons), f"{images} images for {len(lessons)} lessons: figures missing from the PDF"


def test_the_readmes_site_screenshots_show_a_lesson_and_an_assignment(site, browser, tmp_path):
    from customering_course.screenshots import SITE_PAGES, VIEWPORT, site_screenshots

    taken = site_screenshots(site, tmp_path, browser)
    assert [p.name for p in taken] == list(SITE_PAGES)
    for path in taken:
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
        size = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
        assert size == (VIEWPORT["width"], VIEWPORT["height"]), f"{path.name} is {size}"
