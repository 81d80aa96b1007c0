"""Colours of event kinds, shared by the plot markers and the event log."""

# One colour per family of events, shared with the markers on the plot.
KIND_COLORS = {
    "stop": "#b3261e", "interrupt": "#b3261e", "nan": "#b3261e",
    "early_stopping": "#8e24aa", "pause": "#e8710a", "resume": "#e8710a",
    "lr_change": "#2ca02c", "reduce_lr": "#2ca02c", "lr_schedule": "#2ca02c",
    "save": "#1565c0", "checkpoint": "#1565c0", "backup_restore": "#1565c0",
    "csv_logger": "#5f6368", "mark": "#5f6368",
}
