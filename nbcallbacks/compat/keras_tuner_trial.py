"""Which KerasTuner trial a ``fit`` belongs to, read from the callback KerasTuner adds.

KerasTuner's ``Tuner.run_trial`` deep-copies the search's callbacks for every
trial and appends its own ``TunerCallback``, whose ``trial`` attribute is the
running ``Trial`` (``trial_id``; ``hyperparameters.values``, the trial's
settings). Verified with KerasTuner 1.4.8 (``keras_tuner.src.engine.tuner_utils``).
When the class or its attributes change, nothing is found: a trial's dashboard
keeps its copy's name (``"<run> copy 2"``) and the table lacks the trial's
hyperparameters; training is unaffected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def tuner_trial(callbacks: Iterable[Any] | None) -> tuple[str, dict] | None:
    """``(trial_id, hyperparameter values)`` of the trial whose ``TunerCallback`` is in
    ``callbacks``, or None (not a KerasTuner search, or a KerasTuner that changed).

    Example:
        >>> tuner_trial([object()]) is None
        True
    """
    for callback in callbacks or ():
        if type(callback).__name__ != "TunerCallback":
            continue
        trial = getattr(callback, "trial", None)
        trial_id = getattr(trial, "trial_id", None)
        values = getattr(getattr(trial, "hyperparameters", None), "values", None)
        if trial_id is not None and isinstance(values, dict):
            return str(trial_id), dict(values)
    return None
