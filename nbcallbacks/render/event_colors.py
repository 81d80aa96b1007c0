"""Colours of event kinds, shared by the plot markers and the event log."""

from nbcallbacks.render import palette

# One colour per family of events, shared with the markers on the plot.
KIND_COLORS = {
    "stop": palette.STOP, "interrupt": palette.STOP, "nan": palette.STOP,
    "early_stopping": palette.EARLY_STOPPING, "pause": palette.PAUSE, "resume": palette.PAUSE,
    "lr_change": palette.RATE_CHANGE, "reduce_lr": palette.RATE_CHANGE,
    "lr_schedule": palette.RATE_CHANGE,
    "save": palette.SAVE, "checkpoint": palette.SAVE, "backup_restore": palette.SAVE,
    "csv_logger": palette.ROUTINE, "mark": palette.ROUTINE,
}
