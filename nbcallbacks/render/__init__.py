"""Static pictures with matplotlib, no widgets: the dashboard's PNG frames and their style.

:class:`~nbcallbacks.render.dashboard_figure.DashboardFigure` draws a store's
snapshot into one Agg figure (updated with ``set_data``, not rebuilt);
:class:`~nbcallbacks.render.render_worker.RenderWorker` is the thread that draws
while training runs; one palette, one axes style, log-axis ticks and event
colours serve every chart (the schedule and LR-range charts live with their
tools, in :mod:`nbcallbacks.schedules` and :mod:`nbcallbacks.lr_range`).
:class:`~nbcallbacks.render.view_options.ViewOptions` is what the person chose
to see (panels, log y, smoothing), shared with the browser chart.
"""
