"""``Dashboard(metrics=[...])``: the requested panels, checked against what training logs.

Keras reveals the metric names only while training: the training names in the
first batch's logs, the ``val_`` names in the first epoch's. A name that is
not there is a mistake worth stopping for at once, with the names that are.
"""

from __future__ import annotations

from nbcallbacks.records.metric_names import base_name, is_learning_rate


def panels_to_hide(requested: list[str], logs: dict, validation: bool,
                   training_checked: bool = False) -> frozenset:
    """The panels of ``logs`` that ``requested`` leaves out; ValueError for a name not logged.

    ``validation``: ``logs`` are an epoch's (``val_`` names are checked), else a
    batch's. ``training_checked``: the training names were checked at a batch
    already (an epoch's logs then only check the ``val_`` names).

    Example:
        >>> sorted(panels_to_hide(["loss"], {"loss": 0.5, "accuracy": 0.8}, validation=False))
        ['accuracy']
        >>> try:
        ...     panels_to_hide(["val_auc"], {"loss": 0.5, "val_loss": 0.6}, validation=True)
        ... except ValueError as error:
        ...     print(str(error)[:91])
        Dashboard(metrics=...) asks for ['val_auc'], but training logs no such metric (keys in the
    """
    bases = {base_name(key) for key in logs}
    missing = []
    for name in requested:
        if name.startswith("val_"):
            if validation and name not in logs:
                missing.append(name)
        elif (not validation or not training_checked) and \
                name not in logs and base_name(name) not in bases:
            missing.append(name)
    if missing:
        where = "epoch" if validation else "batch"
        raise ValueError(
            f"Dashboard(metrics=...) asks for {missing}, but training logs no such "
            f"metric (keys in the {where} logs: {sorted(logs)}). Use one of those "
            f"names, or compile the model with the metric (model.compile(metrics=[...])); "
            f"'val_' names need validation data (validation_split or validation_data).")
    shown = {base_name(name) for name in requested}
    return frozenset(b for b in bases if b not in shown and not is_learning_rate(b))
