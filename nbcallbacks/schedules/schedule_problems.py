"""What is wrong with a learning rate a schedule returned, and how to fix it.

Keras 3's ``LearningRateScheduler`` accepts only ``float``, ``np.float32`` and
``np.float64`` from the schedule and raises ``ValueError`` for anything else
(a tensor, an int, a string, ``None``), at the start of the epoch where it
happens. NaN, infinite and negative rates pass that check but ruin training:
NaN or inf turns every weight into NaN at the next update, a negative rate
makes the optimizer climb the loss. Both kinds are reported here, so a preview
can say so before any training.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# The exact types LearningRateScheduler._update_optimizer_lr lets through.
KERAS_ACCEPTED_TYPES = (float, np.float32, np.float64)
_TENSOR_MODULES = ("tensorflow", "jax", "jaxlib", "torch", "keras")


# Short names of each kind of problem, for chart labels.
PROBLEM_LABELS = {
    "none": "returns None", "bool": "returns a bool", "int": "returns an int",
    "string": "returns a string", "tensor": "returns a tensor", "array": "returns an array",
    "type": "wrong type", "exception": "raises", "nan": "NaN rate", "inf": "infinite rate",
    "negative": "negative rate",
}


@dataclass(frozen=True)
class Diagnosis:
    """What is wrong with one returned value (see :func:`diagnose_learning_rate`)."""

    kind: str
    reason: str
    fix: str
    fatal: bool


@dataclass(frozen=True)
class ScheduleProblem:
    """The first thing wrong with a schedule, at the epoch where it shows.

    Attributes:
        epoch: the epoch index (0-based, as passed to the schedule). Keras
            prints it one higher: epoch 10 is "Epoch 11/...".
        value: what the schedule returned (or the exception it raised).
        kind: ``"tensor"``, ``"int"``, ``"string"``, ``"none"``, ``"bool"``,
            ``"array"``, ``"type"``, ``"exception"``, ``"nan"``, ``"inf"`` or
            ``"negative"``.
        reason: what is wrong, in one sentence.
        fix: how to change the schedule.
        fatal: True when Keras raises and training stops at that epoch;
            False when Keras accepts the value but training is ruined.
    """

    epoch: int
    value: object
    kind: str
    reason: str
    fix: str
    fatal: bool

    @property
    def label(self) -> str:
        """A few words for a chart: ``"epoch 10: returns a tensor"``."""
        return f"epoch {self.epoch}: {PROBLEM_LABELS.get(self.kind, self.kind)}"

    def __str__(self) -> str:
        return (f"epoch {self.epoch} (Keras prints it as 'Epoch {self.epoch + 1}'): "
                f"{self.reason} Fix: {self.fix}")


def problems_line(problems: list[ScheduleProblem]) -> str:
    """The first problem and how many more follow, as one line; empty when none.

    Example:
        >>> nan = ScheduleProblem(3, float("nan"), "nan", "the rate is NaN.", "return a float.",
        ...                       False)
        >>> problems_line([nan])[:52]
        "epoch 3 (Keras prints it as 'Epoch 4'): the rate is "
        >>> problems_line([nan, nan]).endswith("(1 more problem epoch(s))")
        True
    """
    if not problems:
        return ""
    text = str(problems[0])
    later = problems[1:]
    if later:
        fatal = [p for p in later if p.fatal]
        text += f" ({len(later)} more problem epoch(s)"
        text += f"; training stops at epoch {fatal[0].epoch}: {fatal[0].reason})" if fatal \
            else ")"
    return text


def describe_type(value: object) -> str:
    """A short, recognisable name of ``value``'s type.

    Example:
        >>> describe_type(3), describe_type(np.float16(1.0)), describe_type(None)
        ('int', 'numpy.float16', 'None')
    """
    if value is None:
        return "None"
    kind = type(value)
    module = kind.__module__
    if module == "builtins":
        return kind.__name__
    return f"{module.split('.')[0]}.{kind.__name__}"


def is_tensor_like(value: object) -> bool:
    """True for tensors of the deep-learning frameworks (without importing any of them).

    Example:
        >>> is_tensor_like(np.float32(1.0)), is_tensor_like(0.5)
        (False, False)
    """
    module = type(value).__module__ or ""
    return module.split(".")[0] in _TENSOR_MODULES


def diagnose_learning_rate(value: object) -> Diagnosis | None:
    """A :class:`Diagnosis` when Keras would reject ``value`` or training would break, else None.

    ``fatal`` is True when ``LearningRateScheduler`` raises ``ValueError``.

    Example:
        >>> diagnose_learning_rate(0.01) is None
        True
        >>> diagnosis = diagnose_learning_rate(1)
        >>> diagnosis.fatal, diagnosis.kind, diagnosis.reason[:40]
        (True, 'int', 'returned an int (1), and Keras 3 accepts')
        >>> diagnose_learning_rate(-1e-3).fatal      # accepted by Keras, but wrong
        False
    """
    rejected = ("Keras 3 accepts only float, np.float32 or np.float64: "
                "LearningRateScheduler raises ValueError.")
    if not isinstance(value, KERAS_ACCEPTED_TYPES):
        if value is None:
            return Diagnosis(
                "none", f"returned None, and {rejected}",
                "a branch of the schedule has no return statement; end every branch with "
                "`return lr` or a rate.", True)
        if isinstance(value, (bool, np.bool_)):
            return Diagnosis("bool", f"returned a bool ({value}), and {rejected}",
                             "return the rate itself, a float.", True)
        if isinstance(value, (int, np.integer)):
            return Diagnosis("int", f"returned an int ({value}), and {rejected}",
                             f"return a float: write {value}.0 or float(...).", True)
        if isinstance(value, str):
            return Diagnosis("string", f"returned a string ({value!r}), and {rejected}",
                             f"return a number: float({value!r}).", True)
        if is_tensor_like(value):
            return Diagnosis(
                "tensor", f"returned a tensor ({describe_type(value)}), and {rejected}",
                "compute the rate with Python or NumPy maths (math.exp(-0.1) or np.exp(-0.1) "
                "instead of tf.math.exp / keras.ops.exp), or return float(...) of the tensor.",
                True)
        if isinstance(value, np.ndarray):
            return Diagnosis(
                "array", f"returned a NumPy array (shape {value.shape}, dtype {value.dtype}), "
                f"and {rejected}", "return one number: float(...).", True)
        return Diagnosis("type", f"returned a {describe_type(value)} ({value!r}), and {rejected}",
                         "return float(...) of it.", True)
    with np.errstate(over="ignore"):
        stored = float(np.float32(value))
    if math.isnan(value):
        return Diagnosis(
            "nan", "returned NaN. Keras accepts it, and the next update turns every weight "
            "into NaN.", "check the formula for 0/0 or inf - inf; clamp the result.", False)
    if math.isinf(value) or math.isinf(stored):
        return Diagnosis(
            "inf", f"returned {value!r}, which is infinite as a float32 learning rate. Keras "
            "accepts it, and the next update turns every weight into NaN or inf.",
            "check the formula for growth without bound (e.g. a multiplier above 1 applied "
            "every epoch).", False)
    if value < 0:
        return Diagnosis(
            "negative", f"returned a negative rate ({value!r}). Keras accepts it, and the "
            "optimizer then climbs the loss instead of descending it.",
            "clamp it: return max(rate, 0.0), or check the sign of the formula.", False)
    return None
