"""The browser chart's JavaScript modules pass their unit tests, run in Chromium.

Each ``tests/js/test_*.js`` is an ES module whose exported ``test_*`` functions (sync or
async) throw on failure. Here the repository is served on 127.0.0.1 and one headless
Chromium page imports each file and runs its tests: the modules are tested in the
browser that runs them, without Node (which a user's machine may not have).

The helpers :func:`serve_repository` and :func:`chromium_browser` are shared with
``tests/test_chart_view_in_chromium.py``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest
from browser.browser_lab import (
    INSTALL_CHROMIUM,
    INSTALL_PLAYWRIGHT,
    find_chromium,
    launch_chromium,
    release_chromium,
)

REPOSITORY = Path(__file__).resolve().parents[1]
JS_TESTS = sorted((REPOSITORY / "tests" / "js").glob("test_*.js"))
# A blank page on the served origin, so that modules import from the same origin.
BLANK_PAGE = "/__nbcallbacks_chart_test__.html"
BLANK_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>chart tests</title>
<script src="/nbcallbacks/chart/vendor/uPlot.iife.min.js"></script></head><body></body></html>"""

# Runs every exported test_* of one module; returns [{name, ok, message, stack}].
RUN_MODULE_JS = """async (url) => {
  const module = await import(url);
  const results = [];
  for (const [name, test] of Object.entries(module)) {
    if (!name.startsWith("test_") || typeof test !== "function") continue;
    try {
      await Promise.race([test(), new Promise((_, reject) =>
        setTimeout(() => reject(new Error("timed out after 20 s")), 20000))]);
      results.push({name, ok: true});
    } catch (error) {
      results.push({name, ok: false, message: String(error && error.message || error),
                    stack: String(error && error.stack || "")});
    }
  }
  return results;
}"""

pytestmark = [
    # One run per test command (the JAX and PyTorch environments need no browser).
    pytest.mark.backend("tensorflow"),
    pytest.mark.environments("main"),
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css"}

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextlib.contextmanager
def serve_repository():
    """The repository served read-only on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(REPOSITORY))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def chromium_browser():
    """The session's headless Chromium; fails (not skips) with how to install what is missing."""
    try:
        import playwright.sync_api  # noqa: F401 - only to say how to install it
    except ImportError:
        pytest.fail(INSTALL_PLAYWRIGHT, pytrace=False)
    chromium, looked = find_chromium()
    if chromium is None:
        pytest.fail(f"Chromium not found (looked at {looked}). {INSTALL_CHROMIUM}", pytrace=False)
    try:
        browser = launch_chromium(chromium)
    except Exception as error:  # noqa: BLE001 - reported as the test's failure
        pytest.fail(f"Chromium at {chromium} did not start ({error}). {INSTALL_CHROMIUM}",
                    pytrace=False)
    try:
        yield browser
    finally:
        release_chromium()


def open_blank_page(browser, base_url: str, viewport=None):
    """A page on the served origin (uPlot loaded), recording console errors and page errors
    in ``page.nbc_errors``."""
    page = browser.new_page(viewport=viewport or {"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"console.{message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.route(base_url + BLANK_PAGE,
               lambda route: route.fulfill(body=BLANK_HTML, content_type="text/html"))
    page.goto(base_url + BLANK_PAGE)
    page.nbc_errors = errors
    return page


@pytest.fixture(scope="module")
def test_page():
    with serve_repository() as base_url, chromium_browser() as browser:
        page = open_blank_page(browser, base_url)
        page.nbc_base_url = base_url
        try:
            yield page
        finally:
            page.close()


@pytest.mark.parametrize("module", JS_TESTS, ids=[path.stem for path in JS_TESTS])
def test_javascript_module(test_page, module):
    url = f"{test_page.nbc_base_url}/{module.relative_to(REPOSITORY).as_posix()}"
    errors_before = len(test_page.nbc_errors)
    results = test_page.evaluate(RUN_MODULE_JS, url)
    failed = [r for r in results if not r["ok"]]
    report = "\n\n".join(f"{r['name']}: {r['message']}\n{r['stack']}" for r in failed)
    for result in results:
        print(("ok     " if result["ok"] else "FAILED ") + result["name"])
    assert results, f"{module.name} exports no test_* function"
    assert not failed, f"{len(failed)} of {len(results)} tests failed in {module.name}:\n{report}"
    errors = test_page.nbc_errors[errors_before:]
    assert not errors, "errors in the page:\n" + "\n".join(errors)


def test_every_javascript_module_has_tests():
    """A module of the chart without a test file is a module nobody checks."""
    tested = {path.stem.removeprefix("test_") for path in JS_TESTS}
    modules = {path.stem for path in (REPOSITORY / "nbcallbacks" / "chart" / "js").glob("*.js")}
    # Drawing and DOM modules are exercised through the real bundle in
    # tests/test_chart_view_in_chromium.py, the comparison's in JupyterLab by
    # tests/browser/test_browser_compare.py.
    untested = modules - tested - {"chart_view", "dom", "marker_plugin", "plot_options",
                                   "toolbar", "widget", "comparison_view", "comparison_widget"}
    assert not untested, f"no tests/js/test_<module>.js for: {sorted(untested)}"
