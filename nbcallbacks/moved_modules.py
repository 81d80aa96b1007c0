"""Import paths from 0.1.0 of modules that have moved, kept for one release with a warning.

After 0.1.0 the modules moved into one package per concept (``records``,
``dashboard``, ``run_control``, ``schedules``, ``lr_range``, ``tracer``,
``notebook``; README, "How it is built"). ``from nbcallbacks import ...`` did
not change. Code that imported a module by its old path, say
``nbcallbacks.core.metric_store`` or ``from nbcallbacks.core import ema``, gets
the very same module or object, and a ``DeprecationWarning`` naming the new
path. :func:`install` (called by ``nbcallbacks/__init__.py``) puts the finder
that answers those old names first on ``sys.meta_path``; it answers no other
name.

Example:
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     from nbcallbacks.lr_tools.schedule_forms import preview_epoch_schedule
    >>> preview_epoch_schedule.__module__
    'nbcallbacks.schedules.schedule_previewers'
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    nbcallbacks.lr_tools.schedule_forms moved to nbcallbacks.schedules.schedule_previewers:
    import it from there (the old path goes in the next release)
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import Any

#: Old module path -> new module path, both under ``nbcallbacks.``.
MOVED_MODULES: dict[str, str] = {
    "callbacks.builtin_callback_observers": "dashboard.builtin_callback_observers",
    "callbacks.builtin_callback_watcher": "dashboard.builtin_callback_watcher",
    "callbacks.callback_tracer": "tracer.callback_tracer",
    "callbacks.dashboard": "dashboard.dashboard",
    "callbacks.dashboard_settings": "dashboard.dashboard_settings",
    "callbacks.fit_report": "dashboard.fit_report",
    "callbacks.latest_fit_hyperparameters": "dashboard.latest_fit_hyperparameters",
    "callbacks.learning_rate_recorder": "dashboard.learning_rate_recorder",
    "callbacks.threaded_fit": "run_control.threaded_fit",
    "callbacks.training_controller": "run_control.training_controller",
    "compat.running_kernel": "notebook.running_kernel",
    "console.epoch_line": "outputs.epoch_line",
    "core.column_table": "records.column_table",
    "core.decimation": "records.decimation",
    "core.epoch_schedule_replay": "schedules.epoch_schedule_replay",
    "core.events": "records.events",
    "core.fit_progress": "dashboard.fit_progress",
    "core.formatting": "records.formatting",
    "core.hook_call": "tracer.hook_call",
    "core.hook_summary": "tracer.hook_summary",
    "core.hook_timeline": "tracer.hook_timeline",
    "core.interrupt_guard": "run_control.interrupt_guard",
    "core.lr_range_math": "lr_range.lr_range_math",
    "core.metric_columns": "records.metric_columns",
    "core.metric_names": "records.metric_names",
    "core.metric_store": "records.metric_store",
    "core.piecewise_schedule": "schedules.piecewise_schedule",
    "core.plateau_simulation": "schedules.plateau_simulation",
    "core.requested_metrics": "dashboard.requested_metrics",
    "core.schedule_parameters": "schedules.schedule_parameters",
    "core.schedule_problems": "schedules.schedule_problems",
    "core.smoothing": "records.smoothing",
    "core.throttle": "outputs.throttle",
    "core.training_clock": "records.training_clock",
    "core.training_signals": "run_control.training_signals",
    "core.view_options": "render.view_options",
    "core.weak_references": "outputs.weak_references",
    "lr_tools.interactive_schedule": "schedules.interactive_schedule",
    "lr_tools.lr_finder": "lr_range.lr_finder",
    "lr_tools.lr_range_test": "lr_range.lr_range_result",
    "lr_tools.monitored_history": "schedules.monitored_history",
    "lr_tools.schedule_forms": "schedules.schedule_previewers",
    "lr_tools.schedule_preview": "schedules.schedule_preview",
    "lr_tools.schedule_preview_result": "schedules.schedule_preview_result",
    "lr_tools.schedule_preview_table": "schedules.schedule_preview_table",
    "lr_tools.step_schedule_replay": "schedules.step_schedule_replay",
    "lr_tools.training_batches": "lr_range.training_batches",
    "outputs.cell_display": "notebook.cell_display",
    "render.comparison_figure": "runs.comparison_figure",
    "render.lr_range_chart": "lr_range.lr_range_chart",
    "render.schedule_chart": "schedules.schedule_chart",
    "ui.cell_end_hook": "notebook.cell_end_hook",
    "ui.frontend": "notebook.frontend",
    "ui.parameter_sliders": "schedules.parameter_sliders",
    "ui.schedule_preview_panel": "schedules.schedule_preview_panel",
    "ui.tracer_timeline": "tracer.tracer_timeline",
}

#: Packages that are gone -> the names they exported -> where each lives now.
OLD_PACKAGES: dict[str, dict[str, str]] = {
    "core": {"Event": "records", "EventLog": "records", "MetricStore": "records",
              "TrainingClock": "records", "ema": "records", "minmax_decimate": "records",
              "Throttle": "outputs.throttle"},
    "callbacks": {},
    "lr_tools": {},
    "console": {},
}


def _deprecated(old: str, new: str) -> None:
    # Level 3 is the importing line (past this function and its caller); the warnings
    # module skips importlib's own frames on the way.
    warnings.warn(f"nbcallbacks.{old} moved to nbcallbacks.{new}: import it from there "
                  "(the old path goes in the next release)", DeprecationWarning, stacklevel=3)


class _OldPackage(ModuleType):
    """A package that is gone: its old exports, each found where it lives now."""

    def __getattr__(self, name: str) -> Any:
        old = self.__name__.removeprefix("nbcallbacks.")
        home = OLD_PACKAGES[old].get(name)
        if home is None:
            # Not an old export: a submodule import asks this first, then the finder.
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        _deprecated(f"{old}.{name}", f"{home}.{name}")
        return getattr(importlib.import_module("nbcallbacks." + home), name)


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers the old names only: an old package, or an old module as the moved one."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        name = fullname.removeprefix("nbcallbacks.")
        if not fullname.startswith("nbcallbacks.") or (
                name not in MOVED_MODULES and name not in OLD_PACKAGES):
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=name in OLD_PACKAGES)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        if spec.name.removeprefix("nbcallbacks.") in OLD_PACKAGES:
            return _OldPackage(spec.name)
        return None

    def exec_module(self, module: ModuleType) -> None:
        old = module.__name__.removeprefix("nbcallbacks.")
        if old in OLD_PACKAGES:
            return
        _deprecated(old, MOVED_MODULES[old])
        # The import system returns what sys.modules holds under the old name once this
        # returns: the moved module itself, so classes and their isinstance checks agree.
        sys.modules[module.__name__] = importlib.import_module("nbcallbacks." + MOVED_MODULES[old])


def install() -> None:
    """Put one :class:`MovedModuleFinder` first on ``sys.meta_path`` (again: no-op)."""
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, MovedModuleFinder())
