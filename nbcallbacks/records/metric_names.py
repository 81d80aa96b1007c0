"""Rules about Keras metric names: grouping train/validation, which way is better."""

from __future__ import annotations

from collections.abc import Iterable

VALIDATION_PREFIX = "val_"
LEARNING_RATE_KEYS = ("learning_rate", "lr")

# Substrings of metric names where a larger value is better; everything else
# (losses, errors, divergences) is taken as lower-is-better.
_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "fbeta", "iou",
                     "r2", "top_k", "topk", "dice", "cosine_similarity", "true_positives",
                     "true_negatives", "specificity", "sensitivity", "map")
# ...unless the name also holds one of these: "map" is in "mape" (an error).
_LOWER_IS_BETTER = ("loss", "mape")
# Metrics that are fractions: their axis is [0, 1] (not 0.2 to 1.2 around the data).
_FRACTIONS = ("acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "dice",
              "specificity", "sensitivity")


def base_name(key: str) -> str:
    """The panel a log key belongs to: ``val_loss`` -> ``loss``.

    Example:
        >>> base_name("val_accuracy"), base_name("loss")
        ('accuracy', 'loss')
    """
    return key[len(VALIDATION_PREFIX):] if key.startswith(VALIDATION_PREFIX) else key


def is_validation(key: str) -> bool:
    return key.startswith(VALIDATION_PREFIX)


def is_learning_rate(key: str) -> bool:
    return base_name(key) in LEARNING_RATE_KEYS


def higher_is_better(key: str) -> bool:
    """Whether a larger value of this metric is an improvement.

    Example:
        >>> higher_is_better("val_accuracy"), higher_is_better("mae")
        (True, False)
    """
    name = base_name(key).lower()
    return (any(part in name for part in _HIGHER_IS_BETTER)
            and not any(part in name for part in _LOWER_IS_BETTER))


def is_fraction(key: str) -> bool:
    """Whether the metric's values lie in [0, 1] (accuracy, AUC, precision, recall, ...).

    Example:
        >>> is_fraction("val_accuracy"), is_fraction("auc"), is_fraction("loss")
        (True, True, False)
    """
    name = base_name(key).lower()
    return (any(part in name for part in _FRACTIONS)
            and not any(part in name for part in _LOWER_IS_BETTER))


def panel_names(keys: Iterable[str]) -> list[str]:
    """Metric panels for these log keys: ``loss`` first, then first-seen order,
    learning-rate keys excluded (they get their own panel)."""
    panels: list[str] = []
    for key in keys:
        if is_learning_rate(key):
            continue
        name = base_name(key)
        if name not in panels:
            panels.append(name)
    if "loss" in panels:
        panels.remove("loss")
        panels.insert(0, "loss")
    return panels
