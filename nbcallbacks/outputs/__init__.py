"""Where a dashboard shows what it records: widgets, console lines, a PNG file, or nowhere.

Every output answers the same small interface,
:class:`~nbcallbacks.outputs.dashboard_output.DashboardOutput`; the
``Dashboard`` callback holds a list of them and tells each what happened, so
the callback has no case for any one of them (livelossplot's outputs and
fastprogress' notebook/console bars are shaped the same way).
"""
