"""Which arguments of a schedule factory can get a slider, and over what range.

``def warmup_cosine(base=1e-3, warmup=5, floor=0.0)`` has three numeric
keyword arguments; each becomes a :class:`ParameterSpec`. Ranges follow the
default: rates (small positive floats, or names that say "lr"/"rate") get a
log-scale range two decades either side; fractions in [0, 1] get [0, 1];
counts get 0 to four times the default.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_RATE_WORDS = ("lr", "rate", "learning")


@dataclass(frozen=True)
class ParameterSpec:
    """One numeric argument and the slider that tunes it.

    Attributes:
        name: the argument name.
        value: its starting value.
        minimum, maximum: the slider's range (for ``log`` sliders, the values,
            not their exponents).
        step: slider step (for ``log`` sliders, in decades).
        integer: the argument takes integers.
        log: the slider moves in log scale.
    """

    name: str
    value: float
    minimum: float
    maximum: float
    step: float
    integer: bool = False
    log: bool = False


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def looks_like_rate(name: str, value: float) -> bool:
    """Whether a float argument is a learning rate (so it wants a log slider).

    Example:
        >>> [looks_like_rate(*argument) for argument in
        ...  [("base", 1e-3), ("min_lr", 0.0), ("factor", 0.5)]]
        [True, True, False]
    """
    lowered = name.lower()
    words = lowered.replace("-", "_").split("_")
    return any(w in _RATE_WORDS or w.endswith("lr") for w in words) or 0 < value <= 0.01


def infer_spec(name: str, value: float,
               given_range: Sequence[float] | None = None) -> ParameterSpec:
    """The slider for one argument: ``given_range`` ``(min, max)`` or ``(min, max, step)`` wins.

    Example:
        >>> infer_spec("warmup", 5)       # doctest: +NORMALIZE_WHITESPACE
        ParameterSpec(name='warmup', value=5, minimum=0, maximum=20, step=1, integer=True,
                      log=False)
        >>> spec = infer_spec("base", 1e-3)
        >>> spec.log, spec.minimum, spec.maximum
        (True, 1e-05, 0.1)
    """
    integer = isinstance(value, numbers.Integral)
    if given_range is not None:
        if len(given_range) not in (2, 3):
            raise ValueError(f"ranges[{name!r}] must be (min, max) or (min, max, step); "
                             f"got {given_range!r}")
        low, high = given_range[0], given_range[1]
        if not low < high:
            raise ValueError(f"ranges[{name!r}]: min must be below max; got {given_range!r}")
        log = not integer and low > 0 and high / low >= 100
        if len(given_range) == 3:
            step = given_range[2]
        elif integer:
            step = 1
        elif log:
            step = 0.05
        else:
            step = (high - low) / 100
        return ParameterSpec(name, value, low, high, step, integer, log)
    if integer:
        high = max(10, 4 * abs(int(value)))
        return ParameterSpec(name, value, min(0, -high if value < 0 else 0), high, 1, True)
    value = float(value)
    if value > 0 and looks_like_rate(name, value):
        exponent = math.floor(math.log10(value))
        return ParameterSpec(name, value, 10.0 ** (exponent - 2), 10.0 ** (exponent + 2),
                             0.05, log=True)
    if value == 0.0 and looks_like_rate(name, value):
        return ParameterSpec(name, value, 0.0, 1e-2, 1e-4)
    if 0.0 <= value <= 1.0:
        return ParameterSpec(name, value, 0.0, 1.0, 0.01)
    span = 4 * abs(value)
    return ParameterSpec(name, value, -span if value < 0 else 0.0, span, span / 100)


def schedule_parameters(function: Callable, values: Mapping[str, float] | None = None,
                        ranges: Mapping[str, tuple] | None = None) -> list[ParameterSpec]:
    """A :class:`ParameterSpec` per numeric argument of ``function``.

    Numeric arguments are those with an int or float default, or given a
    number in ``values`` (which also overrides defaults). For a schedule
    written as ``schedule(epoch, lr, **params)``, the leading ``epoch``/``lr``
    arguments are left to Keras.

    Args:
        function: a schedule factory, or a ``schedule(epoch, lr, ...)`` with
            extra keyword arguments.
        values: starting values by name (default: the function's defaults).
        ranges: ``(min, max)`` or ``(min, max, step)`` by name, instead of the
            inferred range.

    Example:
        >>> def warmup_cosine(base=1e-3, warmup=5, floor=0.0, name="cos"):
        ...     ...
        >>> [spec.name for spec in schedule_parameters(warmup_cosine)]
        ['base', 'warmup', 'floor']
    """
    values = dict(values or {})
    ranges = dict(ranges or {})
    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())
    parameters = parameters[schedule_leading_arguments(function):]
    names = [p.name for p in parameters]
    unknown = [n for n in list(values) + list(ranges) if n not in names]
    if unknown:
        raise ValueError(f"{getattr(function, '__name__', function)!r} has no argument(s) "
                         f"{unknown}; its arguments are {names}")
    specs = []
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        value = values.get(parameter.name, parameter.default)
        if value is inspect.Parameter.empty or not _is_number(value):
            continue
        specs.append(infer_spec(parameter.name, value, ranges.get(parameter.name)))
    return specs


def schedule_leading_arguments(function: Callable) -> int:
    """How many leading arguments Keras fills in: 2 for ``schedule(epoch, lr, warmup=5)``,
    1 for ``schedule(epoch, warmup=5)``, 0 for a factory.

    A function whose first argument is named ``epoch`` is a schedule with
    tuning arguments; ``lr`` is Keras' when it has no default.

    Example:
        >>> schedule_leading_arguments(lambda epoch, lr, decay=0.1: lr)
        2
        >>> schedule_leading_arguments(lambda base=1e-3: None)
        0
    """
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return 0
    if not parameters or parameters[0].name != "epoch":
        return 0
    if len(parameters) > 1 and parameters[1].default is inspect.Parameter.empty \
            and parameters[1].kind in (parameters[1].POSITIONAL_ONLY,
                                       parameters[1].POSITIONAL_OR_KEYWORD):
        return 2
    return 1


class BoundSchedule:
    """``schedule(epoch, lr, **values)`` with its tuning arguments fixed: a plain ``(epoch, lr)``
    schedule for ``LearningRateScheduler``.

    Example:
        >>> def decay(epoch, lr, rate=0.5):
        ...     return lr * rate
        >>> bound = BoundSchedule(decay, {"rate": 0.25})
        >>> bound(3, 1.0), bound
        (0.25, decay(rate=0.25))
    """

    def __init__(self, function: Callable, values: Mapping[str, float]) -> None:
        self.function = function
        self.values = dict(values)
        self._takes_lr = schedule_leading_arguments(function) == 2
        self.__name__ = getattr(function, "__name__", type(function).__name__)

    def __call__(self, epoch: int, lr: float | None = None) -> Any:
        if self._takes_lr:
            return self.function(epoch, lr, **self.values)
        return self.function(epoch, **self.values)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{self.__name__}({arguments})"


def build_schedule(function: Callable, values: Mapping[str, float]) -> Any:
    """The schedule for these values: ``function(**values)`` for a factory, a
    :class:`BoundSchedule` for ``schedule(epoch, lr, **params)``.

    Example:
        >>> build_schedule(lambda base=0.1: (lambda epoch, lr: base), {"base": 0.2})(0, 1.0)
        0.2
    """
    if schedule_leading_arguments(function):
        return BoundSchedule(function, values)
    return function(**values)
