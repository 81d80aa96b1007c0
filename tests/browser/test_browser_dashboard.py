"""The Dashboard in JupyterLab, in headless Chromium: live plot, Stop, Pause, learning rate.

Each test writes a small scenario notebook, opens it in the browser, runs it
with Run > Run All Cells and acts on the page the way a person does: it reads
the plot image, the status line and the event log as rendered, and clicks the
real buttons while the training cell still shows ``[*]``.
"""

from __future__ import annotations

import re
import time

import pytest
from support.browser.chromium import expect
from support.browser.frontend_base import new_pictures, progress

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# The dashboard with PNG frames drawn in the kernel (what Colab gets); the browser chart,
# the default elsewhere, is test_browser_chart's.
SETUP = """# cell: setup
import numpy as np, keras
from nbcallbacks import Dashboard
keras.utils.set_random_seed(0)
x = np.random.rand(2048, 16).astype("float32"); y = (x.sum(1) > 8).astype("int32")
model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.SGD(0.01), "sparse_categorical_crossentropy",
              metrics=["accuracy"])
dash = Dashboard(chart="png")
"""
EPOCHS = 300  # minutes of training: every test ends it early with Stop
BLOCKING_FIT = f"""# cell: fit
history = model.fit(x, y, epochs={EPOCHS}, batch_size=32, validation_split=0.1, verbose=0,
                    callbacks=[dash])
"""
AWAIT_FIT = f"""# cell: fit
history = await dash.fit(model, x, y, epochs={EPOCHS}, batch_size=32, validation_split=0.1,
                         verbose=0)
"""
REPORT = """# cell: report
print("epochs trained:", len(history.history["loss"]))
print("events:", " ".join(e.kind for e in dash.events))
print(f"rate recorded last: {dash.history.learning_rates.column('learning_rate')[-1]:.3g}")
print(f"optimizer rate: {float(model.optimizer.learning_rate):.3g}")
"""
RUNNING = "[*]:"


def start(lab_page, fit=BLOCKING_FIT, extra=()):
    """Open the scenario (and ``extra`` cells after it), Run All, and wait until training
    is visibly under way."""
    lab_page.open_cells(SETUP, fit, REPORT, *extra)
    lab_page.run_all()
    cell = lab_page.cell("# cell: fit")
    lab_page.wait_until(
        lambda: (lambda seen: seen["prompt"] == RUNNING and (progress(seen["status"]) or
                                                               (0, 0))[0] >= 2
                 and seen["image"])(lab_page.look(cell)),
        120, "the dashboard to show epoch 2 with a plot while the cell runs",
        seen=lambda: lab_page.look(cell))
    return cell


def stop_and_report(lab_page, cell) -> str:
    """Click Stop and return the report cell's printed text."""
    lab_page.button(cell, "Stop").click()
    report = lab_page.cell("# cell: report")
    expect(report.locator(".jp-OutputArea-output")).to_contain_text("epochs trained:",
                                                                    timeout=60_000)
    return report.locator(".jp-OutputArea-output").inner_text()


def steady_image(lab_page, cell, quiet: float = 1.5, timeout: float = 30) -> str:
    """The plot's fingerprint once it has not changed for ``quiet`` seconds."""
    seen = {"image": lab_page.look(cell)["image"], "since": time.monotonic()}

    def settled():
        image = lab_page.look(cell)["image"]
        if image != seen["image"]:
            seen.update(image=image, since=time.monotonic())
        return image if time.monotonic() - seen["since"] >= quiet else None

    return lab_page.wait_until(settled, timeout, f"the plot to stay unchanged for {quiet} s",
                               seen=lambda: seen)


def epochs_trained(text: str) -> int:
    return int(re.search(r"epochs trained: (\d+)", text).group(1))


@pytest.mark.timing
def test_plot_and_status_update_while_the_cell_runs(lab_page):
    cell = start(lab_page)
    frames, positions = set(), []

    def watch():
        seen = lab_page.look(cell)
        assert seen["prompt"] == RUNNING, f"the cell stopped running: {seen}"
        frames.add((seen["src"], seen["image"]))
        position = progress(seen["status"])
        if position and (not positions or position != positions[-1]):
            positions.append(position)
        return len({image for _, image in frames}) >= 3 and len(positions) >= 3

    # Frames are spaced by what drawing costs (seconds apart on a loaded machine); a plot
    # that is not replaced while the cell runs never gets there.
    lab_page.wait_until(watch, 180, "three different plot frames and status lines while "
                        "the cell shows [*]", seen=lambda: (frames, positions))
    lab_page.screenshot("training", focus=cell)
    assert positions == sorted(positions), f"the status line went backwards: {positions}"
    assert len({src for src, _ in frames}) >= 3, "each frame is a new image"
    stop_and_report(lab_page, cell)


@pytest.mark.parametrize("fit", [BLOCKING_FIT, AWAIT_FIT], ids=["model_fit", "await_dash_fit"])
def test_stop_click_ends_training_early(lab_page, fit):
    cell = start(lab_page, fit)
    lab_page.screenshot("before-stop", focus=cell)
    text = stop_and_report(lab_page, cell)
    assert epochs_trained(text) < EPOCHS, text
    assert "events: stop" in text, text
    # The page shows the end: a numbered prompt and "stopped early" in the status line.
    expect(lab_page.prompt(cell)).to_have_text(re.compile(r"^\[\d+\]:$"))
    seen = lab_page.look(cell)
    assert "stopped early" in seen["status"], seen
    assert re.search(r"\bstop\s+epoch \d+ · step \d+", seen["widgets"]), seen  # event log
    lab_page.screenshot("stopped", focus=cell)


@pytest.mark.timing
def test_pause_holds_the_batch_counter_and_resume_continues(lab_page):
    cell = start(lab_page)
    lab_page.button(cell, "Pause").click()
    resume = lab_page.button(cell, "Resume")
    expect(resume).to_be_visible()
    held = lab_page.wait_until(
        lambda: (lambda seen: "paused" in seen["status"] and seen)(lab_page.look(cell)),
        30, "the status line to say paused", seen=lambda: lab_page.look(cell))
    # 5 s for batches to run, were they not held. The plot may change once or twice (a
    # frame in flight, then the one that draws the pause marker, late when drawing is
    # slow), then no more: a plot redrawn while paused shows a new picture every second.
    looks = [held]
    while len(looks) < 21:
        lab_page.page.wait_for_timeout(250)
        looks.append(lab_page.look(cell))
    assert looks[-1]["prompt"] == RUNNING
    counters = {progress(seen["status"]) for seen in looks}
    assert counters == {progress(held["status"])}, f"the batch counter moved: {counters}"
    new_images = new_pictures(looks)
    assert len(new_images) <= 2, f"the plot changed {len(new_images)} times in 5 s of pause"
    lab_page.screenshot("paused", focus=cell)
    resume.click()
    expect(lab_page.button(cell, "Pause")).to_be_visible()
    lab_page.wait_until(
        lambda: (lambda seen: progress(seen["status"]) > progress(held["status"])
                 and "training" in seen["status"])(lab_page.look(cell)),
        30, "the batch counter to advance after Resume", seen=lambda: lab_page.look(cell))
    text = stop_and_report(lab_page, cell)
    assert "events: pause resume stop" in text, text


@pytest.mark.timing
def test_view_controls_redraw_during_a_blocking_fit(lab_page):
    cell = start(lab_page)
    lab_page.button(cell, "Pause").click()  # a still plot: only the view changes it now
    expect(lab_page.button(cell, "Resume")).to_be_visible()
    # The frame with the pause marker: wait for it rather than for a guessed time, or a
    # late one would pass for the redraw the toggle below must cause.
    still = steady_image(lab_page, cell)
    accuracy = lab_page.button(cell, "accuracy")
    expect(accuracy).to_have_class(re.compile(r"\bmod-active\b"))  # shown: pressed
    accuracy.click()
    expect(accuracy).not_to_have_class(re.compile(r"\bmod-active\b"))
    hidden = lab_page.wait_until(
        lambda: (lambda image: image != still and image)(lab_page.look(cell)["image"]),
        15, "the plot to redraw without the accuracy panel while the cell runs")
    log_y = lab_page.button(cell, "log y")
    log_y.click()
    expect(log_y).to_have_class(re.compile(r"\bmod-active\b"))
    lab_page.wait_until(lambda: lab_page.look(cell)["image"] != hidden, 15,
                        "the plot to redraw with a log y axis while the cell runs")
    assert lab_page.look(cell)["prompt"] == RUNNING
    lab_page.screenshot("view-changed", focus=cell)
    lab_page.button(cell, "Resume").click()
    stop_and_report(lab_page, cell)


@pytest.mark.timing
def test_learning_rate_box_and_slider_change_the_rate(lab_page):
    cell = start(lab_page)
    box = cell.get_by_placeholder("e.g. 3e-4")
    box.fill("3e-4")
    # The plot before the change: its redraw may be on the page before the event log is.
    before = lab_page.look(cell)["image"]
    box.press("Enter")
    lab_page.wait_until(
        lambda: (lambda seen: "1.00e-02 -> 3.00e-04" in seen["widgets"]
                 and "lr_change" in seen["widgets"])(lab_page.look(cell)),
        30, "the event log to show the rate change", seen=lambda: lab_page.look(cell))
    lab_page.wait_until(lambda: lab_page.look(cell)["image"] not in (before, None), 30,
                        "the plot to redraw after the change")
    lab_page.screenshot("rate-typed", focus=cell)
    # The slider: keyboard on its handle (PageUp: five steps of 10^0.05 up).
    handle = cell.locator(".widget-slider .noUi-handle").first
    handle.focus()
    handle.press("PageUp")
    lab_page.wait_until(
        lambda: len(re.findall(r"lr_change", lab_page.look(cell)["widgets"])) >= 2,
        30, "a second lr_change from the slider", seen=lambda: lab_page.look(cell))

    def rate_in_box_after_the_slider():
        try:
            value = float(box.input_value())
        except ValueError:  # being rewritten
            return None
        return None if value == pytest.approx(3e-4) else value

    # The box's new value is a separate update from the event log's: wait for it too.
    moved = lab_page.wait_until(rate_in_box_after_the_slider, 30,
                                "the rate box to follow the slider",
                                seen=lambda: box.input_value())
    lab_page.screenshot("rate-slider", focus=cell)
    text = stop_and_report(lab_page, cell)
    assert "events: lr_change lr_change stop" in text, text
    assert f"optimizer rate: {moved:.3g}" in text, text
    assert f"rate recorded last: {moved:.3g}" in text, text
