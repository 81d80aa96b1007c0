"""Pure Python + NumPy building blocks: no Jupyter, no Keras."""

from nbcallbacks.core.decimation import minmax_decimate
from nbcallbacks.core.events import Event, EventLog
from nbcallbacks.core.metric_store import MetricStore
from nbcallbacks.core.smoothing import ema
from nbcallbacks.core.throttle import Throttle
from nbcallbacks.core.training_clock import TrainingClock

__all__ = ["Event", "EventLog", "MetricStore", "Throttle", "TrainingClock", "ema",
           "minmax_decimate"]
