"""Runs: a training run's record, its files on disk, and comparing runs.

A :class:`~nbcallbacks.runs.run_record.RunRecord` is one run: its name, its
hyperparameters, its :class:`~nbcallbacks.records.MetricStore` and how it ended.
``Dashboard(log_dir=...)`` writes each run as it trains to a run directory
(:mod:`~nbcallbacks.runs.run_directory`, append-only JSON lines that pandas
reads); :func:`~nbcallbacks.runs.run_sources.load_runs` reads runs back from
those directories, ``CSVLogger`` files, TensorBoard logs, Keras ``History``
objects and dashboards; :func:`~nbcallbacks.runs.comparison.compare` shows
them side by side.
"""
