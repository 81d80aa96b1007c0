"""Learning-rate schedules before training: previews, sliders and the maths behind them.

``preview_schedule`` (:mod:`~nbcallbacks.schedules.schedule_preview`) draws what
a schedule will do — a Keras ``LearningRateSchedule``, a ``LearningRateScheduler``
function, ``ReduceLROnPlateau`` replayed on a loss history, ``PiecewiseSchedule`` —
and checks it (:mod:`~nbcallbacks.schedules.schedule_problems`); the previewers
(one per kind of input, :mod:`~nbcallbacks.schedules.schedule_previewers`) replay
it step by step or epoch by epoch; the result
(:class:`~nbcallbacks.schedules.schedule_preview_result.SchedulePreview`) has its
table, chart and widget panel in the modules named for them.
``interactive_schedule`` puts a schedule's parameters on sliders
(:mod:`~nbcallbacks.schedules.parameter_sliders`).

Example:
    >>> from nbcallbacks import preview_schedule
    >>> preview = preview_schedule(lambda epoch, lr: 0.1 * 0.5 ** epoch, epochs=3)
    >>> [round(float(rate), 3) for rate in preview.learning_rates]
    [0.1, 0.05, 0.025]
"""
