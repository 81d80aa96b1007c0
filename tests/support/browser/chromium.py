"""Playwright and the session's headless Chromium, for every test that drives a page.

Debian's ``chromium`` (or ``$NBCALLBACKS_CHROMIUM``) is driven by Playwright for
Python; Playwright's own browser download is not needed. The JupyterLab, classic
Notebook and chart-module pages of one session share a single Chromium
(:func:`launch_chromium` / :func:`release_chromium`). When Playwright or Chromium is
missing the tests fail (they do not skip) with :data:`INSTALL_PLAYWRIGHT` or
:data:`INSTALL_CHROMIUM`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-extensions",
                 "--disable-background-timer-throttling",
                 "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]

INSTALL_CHROMIUM = (
    "The browser tests need Chromium at /usr/bin/chromium (or set NBCALLBACKS_CHROMIUM to a "
    "Chromium/Chrome executable). On Debian/Ubuntu: `sudo apt-get update && sudo apt-get "
    "install -y chromium` (.ci/run does this when it runs as root). Playwright's own "
    "browser download is not needed.")
INSTALL_PLAYWRIGHT = (
    "The browser tests need Playwright for Python: `.venv/bin/python -m pip install -e "
    "\".[tf,test]\"` (it is in the 'test' extra).")

try:
    from playwright.sync_api import expect

    # What the page shows while a fit runs comes from a kernel sharing the cores with
    # training: 30 s (the pages' own default) rather than expect's 5 s.
    expect.set_options(timeout=30_000)
except ImportError:  # reported by each test (BrowserLab.require), not at collection
    def expect(*_args, **_kwargs):
        pytest.fail(INSTALL_PLAYWRIGHT, pytrace=False)


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to drive, and where it was looked for (for the failure message)."""
    chosen = os.environ.get("NBCALLBACKS_CHROMIUM")
    if chosen:
        return (chosen if Path(chosen).exists() else None), f"NBCALLBACKS_CHROMIUM={chosen}"
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate, candidate
    return shutil.which("chromium"), ", ".join(CHROMIUM_CANDIDATES) + " and chromium on PATH"


# Playwright's sync API runs once per thread: the JupyterLab and classic Notebook pages
# of one session share a single Chromium, started on first use, closed with its last user.
_CHROMIUM = {"playwright": None, "browser": None, "users": 0}


def launch_chromium(executable: str):
    """The session's Chromium (started if needed); pair each call with :func:`release_chromium`."""
    if _CHROMIUM["browser"] is None:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            _CHROMIUM["browser"] = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Exception:
            playwright.stop()
            raise
        _CHROMIUM["playwright"] = playwright
    _CHROMIUM["users"] += 1
    return _CHROMIUM["browser"]


def release_chromium() -> None:
    _CHROMIUM["users"] -= 1
    if _CHROMIUM["users"] == 0:
        _CHROMIUM.pop("browser").close()
        _CHROMIUM.pop("playwright").stop()
        _CHROMIUM.update(browser=None, playwright=None)
