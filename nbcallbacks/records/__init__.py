"""What a fit leaves in memory: metric values, events and time. Pure Python + NumPy.

:class:`~nbcallbacks.records.metric_store.MetricStore` holds every logged value
in chunked columns (:mod:`~nbcallbacks.records.column_table`), per batch and
per epoch; :class:`~nbcallbacks.records.events.EventLog` what happened when
(checkpoints, rate changes, clicks); :class:`~nbcallbacks.records.training_clock.TrainingClock`
how long it took, pauses left out. Beside them the rules that read the records:
metric names and columns, min/max decimation, TensorBoard's debiased EMA, number
formatting. Nothing here imports Keras or Jupyter, so everything here can be
tested and reused without them.

Example:
    >>> from nbcallbacks.records import MetricStore
    >>> store = MetricStore()
    >>> store.record_batch(0, 0, {"loss": 1.0})
    >>> store.record_batch(0, 1, {"loss": 0.5})
    >>> store.batch_values("loss").tolist()
    [1.0, 0.5]
"""

from nbcallbacks.records.decimation import minmax_decimate
from nbcallbacks.records.events import Event, EventLog
from nbcallbacks.records.metric_store import MetricStore
from nbcallbacks.records.smoothing import ema
from nbcallbacks.records.training_clock import TrainingClock

__all__ = ["Event", "EventLog", "MetricStore", "TrainingClock", "ema", "minmax_decimate"]
