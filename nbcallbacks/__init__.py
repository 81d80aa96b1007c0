"""nbcallbacks: interactive Keras training in the notebook.

Example:
    >>> from nbcallbacks import Dashboard
    >>> dash = Dashboard()          # pass to model.fit(..., callbacks=[dash])
"""

__version__ = "0.1.0"

from nbcallbacks import moved_modules
from nbcallbacks.dashboard.builtin_callback_watcher import BuiltinCallbackWatcher
from nbcallbacks.dashboard.dashboard import Dashboard
from nbcallbacks.lr_range.lr_finder import find_lr
from nbcallbacks.lr_range.lr_range_result import LRRangeTest
from nbcallbacks.runs.comparison import Comparison, compare
from nbcallbacks.runs.run_sources import load_runs
from nbcallbacks.schedules.interactive_schedule import InteractiveSchedule, interactive_schedule
from nbcallbacks.schedules.piecewise_schedule import PiecewiseSchedule
from nbcallbacks.schedules.schedule_preview import SchedulePreview, preview_schedule
from nbcallbacks.tracer.callback_tracer import CallbackTracer

# Old module paths (nbcallbacks.core.*, nbcallbacks.callbacks.*, ...) keep working for
# one release, with a DeprecationWarning naming the new one.
moved_modules.install()

__all__ = ["Dashboard", "__version__",
           "BuiltinCallbackWatcher", "CallbackTracer",
           "InteractiveSchedule", "LRRangeTest", "PiecewiseSchedule", "SchedulePreview",
           "Comparison", "compare", "load_runs",
           "find_lr", "interactive_schedule", "preview_schedule"]
