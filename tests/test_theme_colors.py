"""Every text colour of the widgets' HTML reads in light and dark themes (WCAG AA: 4.5:1).

The light colours are measured on white (JupyterLab light, Notebook, VS Code light,
Colab); the dark ones on the darkest and the lightest dark backgrounds of the frontends
(JupyterLab dark #111111, VS Code dark #1e1e1e, Colab dark #383838), and each text
colour shown on one of our own tinted backgrounds on that background too. How the
rules reach a real page in a dark theme is tested in the browser
(tests/browser/test_browser_chart.py).
"""

from __future__ import annotations

import pytest

from nbcallbacks.render import palette

TEXT = ("HEADING", "BODY_TEXT", "TEXT", "SECONDARY_TEXT", "TICK", "FAINT_TEXT", "DIM_TEXT",
        "MUTED", "PLACEHOLDER", "TIMESTAMP", "ROUTINE", "TRAIN", "VALIDATION_TEXT", "VALUE",
        "PREDICT", "STOP", "SUCCESS", "EARLY_STOPPING", "PAUSE", "RATE_CHANGE", "SAVE",
        "PROBLEM_TEXT", "PROBLEM_STRONG", "NOTICE_TEXT", "GOOD_TEXT")
# Text drawn on one of our own backgrounds, rather than the notebook's.
ON_OWN_BACKGROUND = {"PROBLEM_TEXT": "PROBLEM_BACKGROUND", "PROBLEM_STRONG": "PROBLEM_BACKGROUND",
                     "NOTICE_TEXT": "NOTICE_BACKGROUND", "GOOD_TEXT": "GOOD_BACKGROUND",
                     "BODY_TEXT": "HIGHLIGHT_BACKGROUND", "TEXT": "HEADER_BACKGROUND"}
LIGHT_PAGES = ("#ffffff",)
DARK_PAGES = ("#111111", "#1e1e1e", "#383838")


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(text: str, background: str) -> float:
    high, low = sorted((luminance(text), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_measured_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", TEXT)
def test_light_text_reads_on_white(name):
    colour = getattr(palette, name)
    pages = LIGHT_PAGES + ((getattr(palette, ON_OWN_BACKGROUND[name]),)
                           if name in ON_OWN_BACKGROUND else ())
    for page in pages:
        assert contrast(colour, page) >= 4.5, (name, colour, page, contrast(colour, page))


@pytest.mark.parametrize("name", TEXT)
def test_dark_text_reads_on_every_dark_background(name):
    colour = palette.DARK[name]
    pages = DARK_PAGES + ((palette.DARK[ON_OWN_BACKGROUND[name]],)
                          if name in ON_OWN_BACKGROUND else ())
    for page in pages:
        assert contrast(colour, page) >= 4.5, (name, colour, page, contrast(colour, page))


def test_every_themed_colour_has_a_dark_value_and_a_light_fallback():
    for name in palette.DARK:
        assert palette.THEMED.__getattr__(name) == (
            f"var(--nbc-{name.lower().replace('_', '-')}, {getattr(palette, name)})")
    with pytest.raises(AttributeError, match="no themed colour"):
        _ = palette.THEMED.NOT_A_COLOUR
    for selector in palette.DARK_THEME_SELECTORS:
        assert selector in palette.THEME_STYLESHEET


def test_the_browser_comparison_colours_runs_as_the_picture_does():
    import re

    source = (palette.__file__.replace("render/palette.py", "chart/js/comparison_data.js"))
    with open(source, encoding="utf-8") as handle:
        text = handle.read()
    light = re.search(r"RUN_COLORS_LIGHT = \[([^\]]*)\]", text).group(1)
    assert tuple(re.findall(r'"(#[0-9a-f]{6})"', light)) == palette.RUNS
