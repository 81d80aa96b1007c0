"""Colours and names of event kinds, shared by the plot markers and the event log.

The names are the ones the browser chart writes (``nbcallbacks/chart/js/event_marks.js``),
so a person reads the same words on the live chart and on the saved picture.
"""

from nbcallbacks.render import palette

# One colour family per kind of event, shared with the markers on the plot.
KIND_FAMILIES = {
    "stop": "STOP", "interrupt": "STOP", "nan": "STOP",
    "early_stopping": "EARLY_STOPPING", "best_weights": "EARLY_STOPPING",
    "best_epoch": "EARLY_STOPPING", "pause": "PAUSE", "resume": "PAUSE",
    "lr_change": "RATE_CHANGE", "reduce_lr": "RATE_CHANGE", "lr_schedule": "RATE_CHANGE",
    "save": "SAVE", "checkpoint": "SAVE", "backup_restore": "SAVE",
    "csv_logger": "ROUTINE", "mark": "ROUTINE",
}
# For the PNG figure (a white picture): the light colours.
KIND_COLORS = {kind: getattr(palette, family) for kind, family in KIND_FAMILIES.items()}
# For HTML shown in the notebook: colours that follow its theme.
THEMED_KIND_COLORS = {kind: getattr(palette.THEMED, family)
                      for kind, family in KIND_FAMILIES.items()}

# What a marker line on the picture says (a mark says its own message).
KIND_LABELS = {
    "stop": "stopped", "interrupt": "interrupted", "nan": "NaN",
    "early_stopping": "stopped early", "best_weights": "best weights restored",
    "best_epoch": "best epoch (not restored)", "lr_change": "rate changed",
    "reduce_lr": "rate reduced", "lr_schedule": "rate scheduled",
    "backup_restore": "backup restored", "mark": "your mark",
}


def event_label(kind: str, message: str = "") -> str:
    """The words a marker of ``kind`` shows.

    Example:
        >>> event_label("best_weights"), event_label("mark", "lr warm"), event_label("odd_kind")
        ('best weights restored', 'lr warm', 'odd kind')
    """
    if kind == "mark" and message.strip():
        return message.strip()
    return KIND_LABELS.get(kind, kind.replace("_", " "))
