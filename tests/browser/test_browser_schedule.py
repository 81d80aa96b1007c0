"""Schedule previews in JupyterLab, in headless Chromium: toggles and sliders redraw the chart."""

from __future__ import annotations

import re

import pytest
from support.browser.chromium import expect
from support.schedules import cell_source, step_decay, warmup_cosine

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

# The schedules of tests/test_interactive_schedule.py (tests/support/schedules.py); the tuner
# starts from a 3-epoch warm-up, so that one step of its slider reads 4.
PREVIEW = ("# cell: preview\n" + cell_source(step_decay, warmup_cosine)
           + "\nfrom nbcallbacks import interactive_schedule, preview_schedule\n"
           "\npreview_schedule(step_decay, epochs=40, initial_lr=0.1)\n")
TUNER = """# cell: tuner
tuner = interactive_schedule(warmup_cosine, epochs=20,
                             values=dict(base=2e-3, warmup=3, total=20))
tuner
"""
VALUES = """# cell: values
print("tuner values:", tuner.values)
"""


def test_toggle_and_sliders_redraw_the_preview(lab_page):
    lab_page.open_cells(PREVIEW, TUNER, VALUES)
    lab_page.run_all()
    preview, tuner = lab_page.cell("# cell: preview"), lab_page.cell("# cell: tuner")
    expect(lab_page.cell("# cell: values").locator(".jp-OutputArea-output")).to_contain_text(
        "'warmup': 3", timeout=120_000)

    # preview_schedule: the log-scale toggle redraws the chart.
    first = lab_page.wait_until(lambda: lab_page.look(preview)["image"], 30, "the chart")
    lab_page.button(preview, "log scale").click()
    lab_page.wait_until(lambda: lab_page.look(preview)["image"] != first, 30,
                        "the chart to redraw on a log scale")
    expect(lab_page.button(preview, "log scale")).to_have_class(re.compile(r"\bmod-active\b"))
    lab_page.screenshot("preview-log-scale", focus=preview)

    # interactive_schedule: one step of the warmup slider (keyboard on its handle).
    before = lab_page.wait_until(lambda: lab_page.look(tuner)["image"], 30, "the tuner chart")
    slider = tuner.locator(".widget-slider").filter(has_text="warmup")
    slider.locator(".noUi-handle").focus()
    slider.locator(".noUi-handle").press("ArrowRight")
    expect(slider.locator(".widget-readout")).to_have_text("4")
    lab_page.wait_until(lambda: lab_page.look(tuner)["image"] != before, 30,
                        "the tuner chart to redraw after the slider moved")
    expect(tuner.locator(".widget-html-content").filter(has_text="Learning-rate preview")
           ).to_contain_text("warmup=4")
    lab_page.screenshot("tuner-warmup-4", focus=tuner)

    # The kernel has the new value: run the next cell again (Shift+Enter) and read it.
    values = lab_page.cell("# cell: values")
    values.locator(".jp-InputArea-editor").click()
    lab_page.page.keyboard.press("Shift+Enter")
    expect(values.locator(".jp-OutputArea-output")).to_contain_text("'warmup': 4")
