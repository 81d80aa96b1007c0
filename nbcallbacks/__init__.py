"""nbcallbacks: interactive Keras training in the notebook.

Example:
    >>> from nbcallbacks import Dashboard
    >>> dash = Dashboard()          # pass to model.fit(..., callbacks=[dash])
"""

__version__ = "0.1.0"

from nbcallbacks.callbacks.builtin_callback_watcher import BuiltinCallbackWatcher
from nbcallbacks.callbacks.callback_tracer import CallbackTracer
from nbcallbacks.callbacks.dashboard import Dashboard
from nbcallbacks.core.piecewise_schedule import PiecewiseSchedule
from nbcallbacks.lr_tools.interactive_schedule import InteractiveSchedule, interactive_schedule
from nbcallbacks.lr_tools.lr_finder import find_lr
from nbcallbacks.lr_tools.lr_range_test import LRRangeTest
from nbcallbacks.lr_tools.schedule_preview import SchedulePreview, preview_schedule
from nbcallbacks.runs.comparison import Comparison, compare
from nbcallbacks.runs.run_sources import load_runs

__all__ = ["Dashboard", "__version__",
           "BuiltinCallbackWatcher", "CallbackTracer",
           "InteractiveSchedule", "LRRangeTest", "PiecewiseSchedule", "SchedulePreview",
           "Comparison", "compare", "load_runs",
           "find_lr", "interactive_schedule", "preview_schedule"]
