"""The chart's JavaScript as one ES module: what anywidget's ``_esm`` receives.

The chart is written as small ES modules in ``js/`` (each testable alone in Node) and
draws with the vendored uPlot. A widget's front end is loaded from one module text
(anywidget imports ``_esm`` from a blob URL, where relative imports cannot resolve), so
the modules are joined here, without a build step: uPlot's IIFE build first (it declares
``var uPlot``), then each module in dependency order with its ``import ... from "./x.js"``
lines removed and ``export`` keywords dropped, so all share one scope. That scope is why
two modules may not declare the same top-level name: :func:`chart_esm` refuses such a
bundle. The entry module's ``export default`` stays.

Example:
    >>> text = chart_esm()
    >>> text.startswith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */")
    True
    >>> "export default" in text and 'from "./' not in text
    True
"""

from __future__ import annotations

import functools
import pathlib
import re

HERE = pathlib.Path(__file__).parent
JS_FOLDER = HERE / "js"
VENDOR_FOLDER = HERE / "vendor"
ENTRY = "widget.js"

_LOCAL_IMPORT = re.compile(r'^import\s+(?:[\s\S]*?)\s+from\s+"\./([\w.-]+\.js)";[ \t]*\n?',
                           re.MULTILINE)
_EXPORT = re.compile(r"^export\s+(?!default\b)", re.MULTILINE)
_TOP_LEVEL_NAME = re.compile(r"^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)"
                             r"\s+([A-Za-z_$][\w$]*)", re.MULTILINE)


def _dependency_order(entry: str) -> list[str]:
    """Module file names, each after the modules it imports."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise ValueError(f"js/{name} is part of an import cycle")
        visiting.add(name)
        source = (JS_FOLDER / name).read_text(encoding="utf-8")
        for imported in _LOCAL_IMPORT.findall(source):
            visit(imported)
        visiting.discard(name)
        order.append(name)

    visit(entry)
    return order


@functools.cache
def chart_esm(entry: str = ENTRY) -> str:
    """The whole front end of one widget as one module text: ``widget.js`` (the live
    chart) or ``comparison_widget.js`` (runs compared). Cached: the files ship with the
    package."""
    parts = [(VENDOR_FOLDER / "uPlot.iife.min.js").read_text(encoding="utf-8").strip()]
    declared: dict[str, str] = {"uPlot": "uPlot.iife.min.js"}
    for name in _dependency_order(entry):
        source = (JS_FOLDER / name).read_text(encoding="utf-8")
        for top_level in _TOP_LEVEL_NAME.findall(source):
            if top_level in declared:
                raise ValueError(f"js/{name} declares {top_level!r} at top level, as "
                                 f"{declared[top_level]} does: rename one (the modules "
                                 "share one scope in the bundle)")
            declared[top_level] = name
        source = _LOCAL_IMPORT.sub("", source)
        if name != entry:
            if "export default" in source:
                raise ValueError(f"js/{name}: only {entry} may have a default export")
            source = _EXPORT.sub("", source)
        parts.append(f"// ---- js/{name} ----\n{source.strip()}")
    return "\n\n".join(parts) + "\n"


@functools.cache
def chart_css(stylesheet: str = "chart.css") -> str:
    """uPlot's stylesheet followed by a widget's own (``js/chart.css``, ``js/comparison.css``)."""
    return "\n".join(path.read_text(encoding="utf-8").strip() + "\n"
                     for path in (VENDOR_FOLDER / "uPlot.min.css", JS_FOLDER / stylesheet))
