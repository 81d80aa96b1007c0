"""The output of ``Dashboard(output="none")`` and of non-chief workers: record, show nothing.

The dashboard still fills ``history`` and ``events`` and applies the
controls' signals; nothing is displayed or written.
"""

from __future__ import annotations

from nbcallbacks.outputs.dashboard_output import DashboardOutput


class NullOutput(DashboardOutput):
    """Shows nothing (every method of the interface keeps its do-nothing default).

    Example:
        >>> NullOutput().mimebundle("Training: no epoch finished") is None
        True
    """

    name = "null output"
