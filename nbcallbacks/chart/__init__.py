"""The live chart drawn in the browser: an anywidget with the vendored uPlot.

:class:`~nbcallbacks.chart.chart_widget.ChartWidget` is the widget;
:mod:`~nbcallbacks.chart.chart_wire` packs the store's new rows for it;
:mod:`~nbcallbacks.chart.chart_panels` says which panels it shows;
:mod:`~nbcallbacks.chart.chart_choice` decides between it and PNG frames;
:mod:`~nbcallbacks.chart.esm_bundle` joins its JavaScript (``js/``) with uPlot
(``vendor/``, fetched by ``vendor/update_uplot.py``). Nothing here imports
anywidget until a chart is made, so that on Colab, where PNG frames are the
choice, no anywidget is ever created.
"""
