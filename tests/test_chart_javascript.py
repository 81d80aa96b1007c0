"""The browser chart's JavaScript modules pass their unit tests, run in Chromium.

Each ``tests/js/test_*.js`` is an ES module whose exported ``test_*`` functions (sync or
async) throw on failure. Here the repository is served on 127.0.0.1 and one headless
Chromium page imports each file and runs its tests: the modules are tested in the
browser that runs them, without Node (which a user's machine may not have). The
served repository and the blank page are ``tests/support/browser/static_pages.py``'s.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.browser.static_pages import chromium_browser, open_blank_page, serve_repository

REPOSITORY = Path(__file__).resolve().parents[1]
JS_TESTS = sorted((REPOSITORY / "tests" / "js").glob("test_*.js"))

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
