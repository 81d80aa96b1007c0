"""The repository served over HTTP and blank Chromium pages on its origin: the chart, no Jupyter.

The browser chart's ES modules (``nbcallbacks/chart/js``) and their unit tests
(``tests/js``) are imported into a blank page served from the same origin as the
repository, so that they import each other as the widget does; uPlot is loaded
in the page. Used by ``tests/test_chart_javascript.py``,
``tests/test_chart_view_in_chromium.py`` and ``benchmarks/compare_scale.py``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest

from .chromium import (
    INSTALL_CHROMIUM,
    INSTALL_PLAYWRIGHT,
    find_chromium,
    launch_chromium,
    release_chromium,
)

REPOSITORY = Path(__file__).resolve().parents[3]
# A blank page on the served origin, so that modules import from the same origin.
BLANK_PAGE = "/__nbcallbacks_chart_test__.html"
BLANK_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>chart tests</title>
<script src="/nbcallbacks/chart/vendor/uPlot.iife.min.js"></script></head><body></body></html>"""


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
