"""The static book (`make book`), built and then read in Chromium.

The book is built here with the same script as `make book`; Sphinx only
redoes what changed, so a second run takes a few seconds. The pages are
served from 127.0.0.1 by a small HTTP server in a thread, and the browser
may reach nothing else: a page that asks the internet for a script, a
style, a font or an image fails its test.
"""

import functools
import http.server
import importlib.util
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from notebooks import APPENDIX, CHAPTERS, ROOT

from .conftest import need_chromium

SPEC = importlib.util.spec_from_file_location(
    "book_build", ROOT / "book" / "build.py")
book_build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(book_build)
HTML = book_build.HTML

LOAD = 60_000
MATHJAX = 60_000


def course_order():
    """Every notebook, as the README's course map orders them."""
    solutions = [p for p in APPENDIX if p.name.startswith("solutions-")]
    appendix = [p for p in APPENDIX if p not in solutions]
    return [p.relative_to(ROOT).with_suffix("").as_posix()
            for p in CHAPTERS + appendix + solutions]


PAGES = ["book/intro"] + course_order()


class Links(HTMLParser):
    """The ids, links, scripts and stylesheets of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.assets = set(), [], []
        self.classes = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            for name in (attrs.get("class") or "").split():
                self.classes.setdefault(name, []).append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and set(
                (attrs.get("rel") or "").split()) & {
                    "stylesheet", "preload", "icon", "modulepreload"}:
            self.assets.append(attrs["href"])


@functools.cache
def parse(path):
    parser = Links()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def html_file(page):
    return HTML / f"{page}.html"


def is_external(url):
    parts = urlsplit(url)
    return bool(parts.scheme and parts.scheme not in ("file",)
                or url.startswith("//"))


@pytest.fixture(scope="module")
def book():
    """Build (or bring up to date) the book; return its HTML folder."""
    assert book_build.build() == 0, (
        "the book did not build cleanly: see the Sphinx output above")
    return HTML


def test_contents_lists_every_notebook_in_course_order(book):
    links = parse(book / "book" / "intro.html").links
    targets = []
    for link in links:
        target = urlsplit(link).path
        if target.startswith("../") and target.endswith(".html"):
            name = target.removeprefix("../").removesuffix(".html")
            if name not in targets:
                targets.append(name)
    assert [t for t in targets if t in course_order()] == course_order()


def test_every_notebook_has_a_page(book):
    missing = [page for page in PAGES if not html_file(page).is_file()]
    assert not missing, missing


def test_previous_and_next_follow_the_course(book):
    for before, page, after in zip(PAGES, PAGES[1:], PAGES[2:] + [None]):
        classes = parse(html_file(page)).classes
        here = html_file(page).parent
        previous = [(here / urlsplit(h).path).resolve()
                    for h in classes.get("left-prev", [])]
        assert previous == [html_file(before).resolve()], page
        following = [(here / urlsplit(h).path).resolve()
                     for h in classes.get("right-next", [])]
        expected = [] if after is None else [html_file(after).resolve()]
        assert following == expected, page


def test_no_page_loads_anything_from_another_host(book):
    external = {}
    for path in book.rglob("*.html"):
        found = [a for a in parse(path).assets if is_external(a)]
        if found:
            external[str(path.relative_to(book))] = found
    assert not external, external


def test_every_internal_link_resolves(book):
    broken = []
    for page in PAGES:
        path = html_file(page)
        for link in parse(path).links:
            if is_external(link) or link.startswith("mailto:"):
                continue
            parts = urlsplit(link)
            target = (path.parent / unquote(parts.path)).resolve() \
                if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page}: {link}")
            elif parts.fragment and target.suffix == ".html" and (
                    unquote(parts.fragment) not in parse(target).ids):
                broken.append(f"{page}: {link} (no such anchor)")
    assert not broken, "\n".join(broken)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def book_server(book):
    need_chromium()
    handler = functools.partial(QuietHandler, directory=str(book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


IMAGES = """async () => {
    const images = Array.from(document.images);
    images.forEach(img => { img.loading = 'eager'; });
    await Promise.all(images.map(img => img.decode().catch(() => null)));
    return images.map(img => [img.getAttribute('src'), img.naturalWidth]);
}"""

# MathJax 2 runs this hook once it has typeset the page (at once, if it
# already has); the test then waits, with a timeout, for the flag.
MATHJAX_HOOK = """() => MathJax.Hub.Register.StartupHook(
    'End', () => { window.typesetDone = true; })"""

# Math left as TeX source: text outside code that still holds a
# delimiter, and formulas MathJax could not typeset.
RAW_MATH = """() => {
    const raw = [];
    const walker = document.createTreeWalker(
        document.body, NodeFilter.SHOW_TEXT);
    const skip = 'PRE, CODE, SCRIPT, STYLE, TEXTAREA, .MathJax_Preview';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        if (/\\$\\$|\\\\\\(|\\\\\\[/.test(text)
            && !node.parentElement.closest(skip)) {
            raw.push(text.trim().slice(0, 120));
        }
    }
    document.querySelectorAll('.noError, .MathJax_Error, .merror')
        .forEach(node => raw.push('error: ' + node.textContent));
    return raw;
}"""


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_offline_in_chromium(page, book_server, offline_page,
                                        screenshots):
    tab = offline_page.page
    response = tab.goto(f"{book_server}/{page}.html", wait_until="load",
                        timeout=LOAD)
    assert response is not None and response.ok, page

    images = tab.evaluate(IMAGES)
    assert all(width > 0 for _, width in images), [
        src for src, width in images if width == 0]

    maths = tab.locator(".math").count()
    if maths:
        tab.wait_for_function("() => !!(window.MathJax && MathJax.Hub)",
                              timeout=MATHJAX)
        tab.evaluate(MATHJAX_HOOK)
        tab.wait_for_function("() => window.typesetDone === true",
                              timeout=MATHJAX, polling=100)
        rendered = tab.locator(".MathJax, .MathJax_Display, "
                               "mjx-container").count()
        assert rendered >= maths, f"{rendered} of {maths} formulas typeset"
    assert not tab.evaluate(RAW_MATH), tab.evaluate(RAW_MATH)
    if page.startswith("chapters/"):
        assert maths, f"{page} shows no equation"

    tab.screenshot(path=screenshots / f"book-{page.replace('/', '-')}.png")
    assert not offline_page.blocked, offline_page.blocked
    assert not offline_page.errors, offline_page.errors
