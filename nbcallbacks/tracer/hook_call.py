"""One recorded call of a Keras callback hook, and how it reads as a line of text.

Pure Python + NumPy: the tracer (a Keras callback) makes these records, the
timeline widget and the printed lines only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nbcallbacks.records.formatting import format_value

# The hook that begins each Keras method, and the method it begins.
BEGIN_HOOK_METHODS = {"on_train_begin": "fit", "on_test_begin": "evaluate",
                      "on_predict_begin": "predict"}

# The user's call a hook's begin/end pair stands for.
METHOD_OF_HOOK_PREFIX = {"on_train": "fit", "on_epoch": "fit", "on_test": "evaluate",
                         "on_predict": "predict"}


def hook_level(hook: str) -> str:
    """``"batch"``, ``"epoch"`` or ``"method"`` (begin/end of fit, evaluate, predict).

    Example:
        >>> [hook_level(h) for h in ("on_test_batch_end", "on_epoch_begin", "on_train_end")]
        ['batch', 'epoch', 'method']
    """
    if "_batch_" in hook:
        return "batch"
    if hook.startswith("on_epoch_"):
        return "epoch"
    return "method"


def method_of_hook(hook: str) -> str:
    """The Keras method whose hooks these are: ``on_test_end`` -> ``"evaluate"``."""
    for prefix, method in METHOD_OF_HOOK_PREFIX.items():
        if hook.startswith(prefix):
            return method
    return "fit"


@dataclass(frozen=True)
class LogArray:
    """Stands for an array in ``logs`` (``predict``'s ``outputs``): its shape and dtype only.

    Keeping every batch's predictions would hold a copy of the whole output in
    the tracer; what a reader needs to see is that an array arrives, and its shape.

    Example:
        >>> import numpy as np
        >>> str(LogArray.of(np.zeros((32, 10), "float32")))
        'float32 array (32, 10)'
    """

    shape: tuple
    dtype: str

    @classmethod
    def of(cls, value: Any) -> LogArray:
        return cls(tuple(int(n) for n in value.shape), str(value.dtype))

    def __str__(self) -> str:
        shape = "(" + ", ".join(str(n) for n in self.shape) + ("," if len(self.shape) == 1
                                                                 else "") + ")"
        return f"{self.dtype} array {shape}"


def summarize_log_value(value: Any) -> object:
    """What the tracer keeps of one ``logs`` value: numbers as Python numbers,
    arrays as :class:`LogArray`, containers item by item, anything else as text.

    Example:
        >>> import numpy as np
        >>> summarize_log_value(np.float32(0.5)), summarize_log_value([np.ones(3), 2])
        (0.5, [LogArray(shape=(3,), dtype='float64'), 2])
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {key: summarize_log_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(summarize_log_value(item) for item in value)
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        if len(shape) == 0:
            try:
                return value.item() if hasattr(value, "item") else float(value)
            except (TypeError, ValueError):
                pass
        return LogArray.of(value)
    return repr(value)[:80]


def format_log_value(value: object) -> str:
    """A logs value as a short text: ``0.2310``, ``float32 array (32, 1)``.

    Example:
        >>> format_log_value(0.23104), format_log_value(7), format_log_value("x")
        ('0.2310', '7', "'x'")
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_value(value)
    if isinstance(value, LogArray):
        return str(value)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(format_log_value(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {format_log_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


@dataclass(frozen=True)
class HookCall:
    """One call of a callback hook, as the tracer saw it.

    Attributes:
        hook: the hook's name (``"on_epoch_end"``).
        method: the Keras method the user called: ``"fit"``, ``"evaluate"`` or
            ``"predict"``. Validation inside ``fit`` calls ``on_test_*`` hooks,
            and those belong to ``"fit"``.
        run: which call of a Keras method, counted from 1 over the tracer's life
            (``fit`` #1, ``evaluate`` #2, ...).
        depth: 0 for the method's own hooks, 1 for ``on_test_*`` hooks of the
            validation inside ``fit``.
        index: the epoch (epoch hooks) or batch (batch hooks) Keras passed, else None.
        epoch: the epoch in progress during ``fit`` (also for its batch and
            validation hooks), else None.
        logs: the hook's ``logs`` as received (a copy; arrays as :class:`LogArray`).
        time: seconds since the tracer recorded its first call.
    """

    hook: str
    method: str
    run: int
    depth: int
    index: int | None
    epoch: int | None
    logs: dict
    time: float

    @property
    def level(self) -> str:
        """``"batch"``, ``"epoch"`` or ``"method"``."""
        return hook_level(self.hook)

    @property
    def index_name(self) -> str | None:
        """``"epoch"`` or ``"batch"`` (what :attr:`index` counts), or None."""
        level = self.level
        return level if level in ("epoch", "batch") else None


def format_hook_call(call: HookCall, values: bool = True) -> str:
    """One compact line: method, hook with its index (indented inside validation), logs.

    Example:
        >>> call = HookCall("on_epoch_end", "fit", 1, 0, 0, 0,
        ...                 {"loss": 0.23104, "val_loss": 0.25}, 1.5)
        >>> format_hook_call(call)
        'fit      on_epoch_end(epoch=0) logs: loss=0.2310 val_loss=0.2500'
        >>> format_hook_call(call, values=False)
        'fit      on_epoch_end(epoch=0) logs: loss, val_loss'
        >>> format_hook_call(HookCall("on_test_begin", "fit", 1, 1, None, 0, {}, 1.6))
        'fit        on_test_begin()'
    """
    argument = f"{call.index_name}={call.index}" if call.index_name else ""
    line = f"{call.method:<8} {'  ' * call.depth}{call.hook}({argument})"
    if call.logs:
        if values:
            line += " logs: " + " ".join(f"{key}={format_log_value(value)}"
                                         for key, value in call.logs.items())
        else:
            line += " logs: " + ", ".join(call.logs)
    return line
