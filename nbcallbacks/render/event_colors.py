"""Colours of event kinds, shared by the plot markers and the event log."""

from nbcallbacks.render import palette

# One colour family per kind of event, shared with the markers on the plot.
KIND_FAMILIES = {
    "stop": "STOP", "interrupt": "STOP", "nan": "STOP",
    "early_stopping": "EARLY_STOPPING", "pause": "PAUSE", "resume": "PAUSE",
    "lr_change": "RATE_CHANGE", "reduce_lr": "RATE_CHANGE", "lr_schedule": "RATE_CHANGE",
    "save": "SAVE", "checkpoint": "SAVE", "backup_restore": "SAVE",
    "csv_logger": "ROUTINE", "mark": "ROUTINE",
}
# For the PNG figure (a white picture): the light colours.
KIND_COLORS = {kind: getattr(palette, family) for kind, family in KIND_FAMILIES.items()}
# For HTML shown in the notebook: colours that follow its theme.
THEMED_KIND_COLORS = {kind: getattr(palette.THEMED, family)
                      for kind, family in KIND_FAMILIES.items()}
