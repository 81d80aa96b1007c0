"""Every colour the package shows, by what it means: the plots and the widgets' HTML.

One place, so that the blue of a training curve is the blue of the "train"
column in the epoch table, and a stop is the same red in the event log, on the
plot and on the Stop button's message. Values are CSS / matplotlib hex strings.

Example:
    >>> TRAIN, VALIDATION
    ('#1f77b4', '#e8710a')
"""

# -- data series ---------------------------------------------------------------
TRAIN = "#1f77b4"             # training curves, the "train" column
VALIDATION = "#e8710a"        # validation curves on the plot
VALIDATION_TEXT = "#c25e00"   # validation in text (darker: readable on white)
LEARNING_RATE = "#2ca02c"
BEST = "#ffbf00"              # the best-epoch star
BEST_EDGE = "#8a6d00"
SUGGESTION = "#d62728"        # the learning-rate range test's suggested rate
PREDICT = "#2a8a2a"           # the tracer's predict() calls
VALUE = "#0b5394"             # logged values in the tracer

# -- event families (see event_colors.KIND_COLORS) -----------------------------
STOP = "#b3261e"              # stop, interrupt, NaN; also error messages
EARLY_STOPPING = "#8e24aa"
PAUSE = "#e8710a"
RATE_CHANGE = "#2ca02c"
SAVE = "#1565c0"
ROUTINE = "#5f6368"           # CSV logger, marks; muted hint text
SUCCESS = "#1b5e20"           # a control's confirmation message

# -- problems and notices --------------------------------------------------------
PROBLEM = "#c62828"           # a problem marked on a chart, a problem box's edge
PROBLEM_TEXT = "#8b1a1a"
PROBLEM_STRONG = "#b71c1c"
PROBLEM_BACKGROUND = "#fdecea"
NOTICE_TEXT = "#8a4b00"
NOTICE_BACKGROUND = "#fff4e0"
GOOD_TEXT = "#0b6b2c"         # the best value in the epoch table
GOOD_BACKGROUND = "#e3f5e8"
HIGHLIGHT_BACKGROUND = "#f3f6fb"  # the latest / changed table row

# -- text and chrome (darkest to lightest) ---------------------------------------
HEADING = "#111111"
BODY_TEXT = "#222222"
TEXT = "#333333"              # titles
SECONDARY_TEXT = "#444444"
TICK = "#555555"              # tick labels, axis labels
FAINT_TEXT = "#666666"
DIM_TEXT = "#777777"
MUTED = "#7a7a7a"             # event lines, secondary chart text
PLACEHOLDER = "#888888"       # "waiting for the first batch…", "no finite values"
TIMESTAMP = "#999999"
RULE = "#cccccc"              # table header rules
BORDER = "#dddddd"
LIGHT_BORDER = "#e3e3e3"
GRID = "#e6e6e6"
ROW_RULE = "#eeeeee"
HEADER_BACKGROUND = "#fafafa"
BACKGROUND = "#ffffff"
