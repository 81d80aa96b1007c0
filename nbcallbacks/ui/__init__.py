"""The dashboard's panel, in ipywidgets: chart or picture, status, controls, table, events.

:class:`~nbcallbacks.ui.dashboard_panel.DashboardPanel` assembles the panel:
the status line, the view controls (panels, log y, smoothing, x axis), the
training controls (Stop, Pause/Resume, rate, Save), the metric table and the
event log, all styled from the frontend's theme
(:mod:`~nbcallbacks.ui.theme_style`). The widgets only show and forward clicks;
what a click does is :mod:`nbcallbacks.run_control`.
"""
