"""The ``Dashboard`` callback and the pieces it is made of.

:class:`~nbcallbacks.dashboard.dashboard.Dashboard` translates Keras hooks into
records (:mod:`nbcallbacks.records`) and tells its outputs
(:mod:`nbcallbacks.outputs`). Beside it, one concept a module: its checked
arguments (``DashboardSettings``), where the running fit is (``FitProgress``),
which metrics were asked for, which learning rate is recorded and when
(``LearningRateRecorder``), the status line and summary in words
(``fit_report``), what the latest fit was trained with, and the
``BuiltinCallbackWatcher`` with one observer per Keras built-in callback
(checkpoint saved, rate reduced, early stop, best weights restored), which
turns what those callbacks did into events on the chart.
"""
