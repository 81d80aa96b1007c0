"""Every colour the package shows, by what it means: the plots and the widgets' HTML.

One place, so that the blue of a training curve is the blue of the "train"
column in the epoch table, and a stop is the same red in the event log, on the
plot and on the Stop button's message. Values are CSS / matplotlib hex strings,
chosen for a white background: every text colour reads at a WCAG contrast of at
least 4.5:1 on white (``tests/test_theme_colors.py`` measures it).

The widgets' HTML follows the notebook's theme: it uses :data:`THEMED` (``THEMED.TEXT``
is ``var(--nbc-text, #333333)``), and :data:`THEME_STYLESHEET` sets those variables to
:data:`DARK`'s colours under a dark JupyterLab / Notebook 7, VS Code or Colab theme, so
nothing is dark grey on black. The PNG figure keeps the light colours: it is a picture
with its own white background.

Example:
    >>> TRAIN, VALIDATION
    ('#1f77b4', '#e8710a')
"""

# -- data series ---------------------------------------------------------------
TRAIN = "#1f77b4"             # training curves, the "train" column
VALIDATION = "#e8710a"        # validation curves on the plot
VALIDATION_TEXT = "#b35600"   # validation in text (darker: readable on white)
LEARNING_RATE = "#2ca02c"
BEST = "#ffbf00"              # the best-epoch star
BEST_EDGE = "#8a6d00"
SUGGESTION = "#d62728"        # the learning-rate range test's suggested rate
PREDICT = "#1e7b1e"           # the tracer's predict() calls
VALUE = "#0b5394"             # logged values in the tracer

# One colour per run when runs are compared, in the order they are listed (Tableau 10,
# the tenth, a pale olive, left out: it does not read on white). Run 11 takes run 1's.
RUNS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
        "#17becf", "#7f7f7f")

# -- event families (see event_colors.KIND_COLORS) -----------------------------
STOP = "#b3261e"              # stop, interrupt, NaN; also error messages
EARLY_STOPPING = "#8e24aa"
PAUSE = "#b35600"
RATE_CHANGE = "#1e7b1e"
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
DIM_TEXT = "#6a6a6a"
MUTED = "#707070"             # event lines, secondary chart text
PLACEHOLDER = "#6b6b6b"       # "waiting for the first batch…", "no finite values"
TIMESTAMP = "#6e6e6e"
RULE = "#cccccc"              # table header rules
BORDER = "#dddddd"
LIGHT_BORDER = "#e3e3e3"
GRID = "#e6e6e6"
ROW_RULE = "#eeeeee"
HEADER_BACKGROUND = "#fafafa"
BACKGROUND = "#ffffff"

# -- the same meanings in dark themes (backgrounds #111111 to #383838) ------------------
DARK = {
    "TRAIN": "#6cb4f0", "VALIDATION": "#ffa24d", "VALIDATION_TEXT": "#ffb066",
    "LEARNING_RATE": "#7bd88f", "BEST": "#ffd54f", "BEST_EDGE": "#ffe082",
    "SUGGESTION": "#ff8a80", "PREDICT": "#81c995", "VALUE": "#8ab4f8",
    "STOP": "#ff8a80", "EARLY_STOPPING": "#e1a6ef", "PAUSE": "#ffb066",
    "RATE_CHANGE": "#81c995", "SAVE": "#8ab4f8", "ROUTINE": "#bdbdbd", "SUCCESS": "#81c995",
    "PROBLEM": "#ff8a80", "PROBLEM_TEXT": "#ffb4ab", "PROBLEM_STRONG": "#ffb4ab",
    "PROBLEM_BACKGROUND": "#3b1816", "NOTICE_TEXT": "#ffcc80", "NOTICE_BACKGROUND": "#33260f",
    "GOOD_TEXT": "#8fe0a3", "GOOD_BACKGROUND": "#14301c", "HIGHLIGHT_BACKGROUND": "#243041",
    "HEADING": "#f2f2f2", "BODY_TEXT": "#e6e6e6", "TEXT": "#dedede",
    "SECONDARY_TEXT": "#d0d0d0", "TICK": "#c4c4c4", "FAINT_TEXT": "#c0c0c0",
    "DIM_TEXT": "#bababa", "MUTED": "#b8b8b8", "PLACEHOLDER": "#b4b4b4", "TIMESTAMP": "#b4b4b4",
    "RULE": "#5a5a5a", "BORDER": "#4d4d4d", "LIGHT_BORDER": "#444444", "GRID": "#3a3a3a",
    "ROW_RULE": "#3a3a3a", "HEADER_BACKGROUND": "#262626", "BACKGROUND": "#1e1e1e",
}
# Where a frontend says its theme is dark (VS Code's light high-contrast theme is not).
DARK_THEME_SELECTORS = ('body[data-jp-theme-light="false"]', "body.vscode-dark",
                        "body.vscode-high-contrast:not(.vscode-high-contrast-light)",
                        'html[theme="dark"]')


def _variable(name: str) -> str:
    return "--nbc-" + name.lower().replace("_", "-")


class _Themed:
    """``THEMED.TEXT`` -> ``'var(--nbc-text, #333333)'``: a colour that follows the theme."""

    def __getattr__(self, name: str) -> str:
        light = globals().get(name)
        if not isinstance(light, str) or name not in DARK:
            raise AttributeError(f"no themed colour {name!r}")
        return f"var({_variable(name)}, {light})"


THEMED = _Themed()
THEME_STYLESHEET = (
    "<style>" + ", ".join(DARK_THEME_SELECTORS) + " {"
    + "".join(f"{_variable(name)}:{value};" for name, value in DARK.items()) + "}</style>")

