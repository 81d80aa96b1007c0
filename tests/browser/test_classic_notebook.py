"""The Dashboard in the classic Notebook with ipywidgets 7: Google Colab's widget protocol.

The server is Notebook 6.5 with widgetsnbextension 3.6 in the Colab-pinned
environment, so the kernel is ipykernel 6.17.1 with ipywidgets 7.7.1: no
subshells, clicks reach a blocking ``model.fit`` only through the kernel pump.
One scenario notebook is run with Cell > Run All, and the test acts on the
page while the training cell shows ``In [*]``, as a person does: it reads the
plot and the status line as rendered, clicks Pause, Resume and Stop, types a
learning rate, then saves the notebook with File > Save and Checkpoint and
reads the saved file. What the kernel did is read from a later cell's output.
"""

from __future__ import annotations

import json
import re
import time

import nbformat
import pytest
from support.browser.chromium import expect
from support.browser.classic_notebook import ClassicBrowser, ClassicPage
from support.browser.frontend_base import new_pictures, progress

from .test_gallery_as_a_student import (
    NOTEBOOK,
    check_folded_then_shown,
    first_solution_line,
    solution_one,
)

# The first run builds .venv-colab (Colab's pins, a few minutes) inside this test's set-up.
pytestmark = [pytest.mark.browser, pytest.mark.backend("tensorflow"), pytest.mark.timeout(1200)]

EPOCHS = 1000  # minutes of training: Stop ends it after about 100
# PNG frames drawn in the kernel: Colab's chart ("auto" keeps pictures there).
SETUP = """# cell: setup
import time
import numpy as np, keras
from nbcallbacks import Dashboard
keras.utils.set_random_seed(0)
x = np.random.rand(2048, 16).astype("float32"); y = (x.sum(1) > 8).astype("int32")
model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(keras.optimizers.SGD(0.01), "sparse_categorical_crossentropy",
              metrics=["accuracy"])

class BatchClock(keras.callbacks.Callback):
    # When each batch ended, seen from outside the dashboard.
    times = []
    def on_train_batch_end(self, batch, logs=None):
        self.times.append(time.time())

clock = BatchClock()
dash = Dashboard(chart="png")
import ipykernel, ipywidgets, nbcallbacks
print("kernel stack:", ipykernel.__version__, ipywidgets.__version__, nbcallbacks.__file__)
"""
FIT = f"""# cell: fit
history = model.fit(x, y, epochs={EPOCHS}, batch_size=32, validation_split=0.1, verbose=0,
                    callbacks=[dash, clock])
"""
REPORT = """# cell: report
print("epochs trained:", len(history.history["loss"]))
print("events:", " ".join(e.kind for e in dash.events))
pause = next(e for e in dash.events if e.kind == "pause")
resume = next(e for e in dash.events if e.kind == "resume")
print(f"paused at step {pause.step}, resumed at step {resume.step}, "
      f"held {resume.time - pause.time:.1f} s")
print("batches ended while paused:", sum(pause.time < t < resume.time for t in clock.times))
print(f"optimizer rate: {float(model.optimizer.learning_rate):.3g}")
"""
NEW_RATE = "3e-4"


@pytest.fixture(scope="module")
def classic_browser(tmp_path_factory):
    """Notebook 6.5 (Colab env) + Chromium for this module."""
    browser = ClassicBrowser(tmp_path_factory.mktemp("classic-notebook"))
    yield browser
    browser.close()


@pytest.fixture
def classic_page(classic_browser, request):
    """This test's page; its kernels are shut down afterwards (failure screenshots:
    conftest.py)."""
    session = ClassicPage(classic_browser, request.node.name)
    yield session
    session.close()


def report_values(text: str) -> dict:
    """The numbers the report cell printed."""
    found = re.search(r"epochs trained: (\d+).*?events: (.*?)\n.*?paused at step (\d+), "
                      r"resumed at step (\d+), held ([\d.]+) s.*?batches ended while paused: "
                      r"(\d+).*?optimizer rate: (\S+)", text, re.S)
    assert found, f"the report cell printed something else:\n{text}"
    epochs, events, paused, resumed, held, during, rate = found.groups()
    return {"epochs": int(epochs), "events": events.split(), "paused_at": int(paused),
            "resumed_at": int(resumed), "held": float(held), "batches_while_paused": int(during),
            "rate": float(rate)}


@pytest.mark.timing
def test_dashboard_drives_a_blocking_fit_in_the_classic_notebook(classic_page):
    page = classic_page
    page.open_cells(SETUP, FIT, REPORT)
    page.run_all()
    fit = page.cell("# cell: fit")
    running = ClassicPage.RUNNING
    # Colab's stack: Notebook 6 serving, ipykernel 6 + ipywidgets 7 in the kernel.
    assert page.browser_lab.lab.api("GET", "/api")["version"].startswith("6."), "not Notebook 6"
    setup = page.cell("# cell: setup")
    expect(setup.locator(".output_area")).to_contain_text("kernel stack:", timeout=150_000)
    stack = re.search(r"kernel stack: (\S+) (\S+) (\S+)", page.look(setup)["outputs"])
    assert stack and stack[1].startswith("6.") and stack[2].startswith("7."), \
        f"the kernel is not ipykernel 6 with ipywidgets 7: {page.look(setup)['outputs']}"

    # 1. The panel appears while the cell runs: status line, plot image, buttons.
    #    (The first start imports TensorFlow: allow for it.)
    page.wait_until(
        lambda: (lambda seen: seen["prompt"] == running and seen["image"]
                 and (progress(seen["status"]) or (0, 0))[0] >= 2)(page.look(fit)),
        150, "the dashboard to show a plot and epoch 2 while the fit cell shows In [*]",
        seen=lambda: page.look(fit))
    shown = page.look(fit)
    page.screenshot("panel", focus=fit)
    for label in ("Stop", "Pause", "Save now", "log y", "loss", "accuracy"):
        assert label in shown["buttons"], f"no {label!r} button in the panel: {shown['buttons']}"
    width, height = shown["size"]
    assert width >= 400 and height >= 150, f"the plot is drawn {width}x{height} px on the page"
    assert page.button(fit, "Stop").is_visible() and page.button(fit, "Pause").is_visible()
    expect(fit.get_by_placeholder("e.g. 3e-4")).to_be_visible()

    # 2. The plot is replaced while the blocking fit runs (new image, new pixels).
    frames, positions = [], []

    def watch():
        seen = page.look(fit)
        assert seen["prompt"] == running, f"the fit ended by itself: {seen}"
        if not frames or frames[-1] != (seen["src"], seen["image"]):
            frames.append((seen["src"], seen["image"]))
        position = progress(seen["status"])
        if position and (not positions or position != positions[-1]):
            positions.append(position)
        return len({image for _, image in frames}) >= 3 and len(positions) >= 3

    # Frames are spaced by what drawing costs (seconds apart on a loaded machine); a plot
    # that is not replaced while the cell runs never gets there.
    page.wait_until(watch, 180, "three different plot frames while the fit cell shows In [*]",
                    seen=lambda: (frames, positions))
    assert len({src for src, _ in frames}) >= 3, f"each frame is a new image: {frames}"
    assert positions == sorted(positions), f"the status line went backwards: {positions}"
    page.screenshot("training", focus=fit)

    # 3. Pause holds the steps (on the page here, in the kernel's count below); Resume
    #    continues.
    page.button(fit, "Pause").click()
    expect(page.button(fit, "Resume")).to_be_visible()
    held = page.wait_until(lambda: (lambda seen: "paused" in seen["status"] and seen)(
        page.look(fit)), 30, "the status line to say paused", seen=lambda: page.look(fit))
    # Held for 7 s: the status line keeps its batch counter. The plot may still change
    # once or twice (a frame in flight, then the one that draws the pause marker: frames
    # are spaced by what drawing costs, seconds late in a long run), then no more.
    hold_began = time.time()  # the pause was applied before the status line said so
    looks = [page.look(fit)]
    while len(looks) < 28:
        page.page.wait_for_timeout(250)
        looks.append(page.look(fit))
    assert all(seen["prompt"] == running for seen in looks)
    counters = {progress(seen["status"]) for seen in looks}
    assert counters == {progress(held["status"])}, f"the batch counter moved: {counters}"
    new_images = new_pictures(looks)
    assert len(new_images) <= 2, f"the plot changed {len(new_images)} times in 7 s of pause"
    page.screenshot("paused", focus=fit)
    hold_ended = time.time()  # the resume is applied after this click
    page.button(fit, "Resume").click()
    expect(page.button(fit, "Pause")).to_be_visible()
    page.wait_until(
        lambda: (lambda seen: "paused" not in seen["status"]
                 and "training" in seen["status"]
                 and progress(seen["status"]) > progress(held["status"]))(page.look(fit)),
        30, "the status line to advance after Resume", seen=lambda: page.look(fit))

    # 4. A learning rate typed into the rate box (Enter) is applied.
    box = fit.get_by_placeholder("e.g. 3e-4")
    box.fill(NEW_RATE)
    box.press("Enter")
    page.wait_until(lambda: "lr_change" in page.look(fit)["widgets"], 30,
                    "the event log to show the rate change", seen=lambda: page.look(fit))
    page.screenshot("rate-typed", focus=fit)

    # 5. Stop ends the fit early; the cells after it run.
    page.button(fit, "Stop").click()
    report = page.cell("# cell: report")
    expect(report.locator(".output_area")).to_contain_text("optimizer rate:", timeout=60_000)
    expect(page.prompt(fit)).to_have_text(re.compile(r"^In\s*\[\d+\]:$"))
    values = report_values(page.look(report)["outputs"])
    assert values["epochs"] < EPOCHS // 4, f"Stop did not end the fit early: {values}"
    assert values["events"] == ["pause", "resume", "lr_change", "stop"], values
    assert values["resumed_at"] == values["paused_at"], f"steps ran while paused: {values}"
    assert values["batches_while_paused"] == 0, f"batches ran while paused: {values}"
    # The kernel's pause spans the time this test watched it held (printed to 0.1 s).
    assert values["held"] >= hold_ended - hold_began - 0.05, \
        f"the pause did not hold the fit for the {hold_ended - hold_began:.1f} s watched: {values}"
    assert values["rate"] == pytest.approx(float(NEW_RATE), rel=1e-3), values
    ended = page.look(fit)
    assert "stopped early" in ended["status"], ended["status"]
    page.screenshot("stopped", focus=fit)

    # 6. No cell shows an error, a warning on stderr, or a failed display step.
    for marker in ("# cell: setup", "# cell: fit", "# cell: report"):
        seen = page.look(page.cell(marker))
        assert not seen["problems"], f"{marker!r} shows error/stderr output: {seen['problems']}"
        assert "step failed" not in seen["outputs"], f"{marker!r}: {seen['outputs']}"

    # 7. Saved through the page: the dashboard's output keeps a static image/png.
    page.save(page.relative)
    saved = nbformat.read(page.browser_lab.root / page.relative, as_version=4)
    fit_cell = next(c for c in saved.cells if c.source.startswith("# cell: fit"))
    kinds = [(o.output_type, sorted(o.get("data", {}))) for o in fit_cell.outputs]
    panel = [o for o in fit_cell.outputs if o.output_type == "display_data"
             and "application/vnd.jupyter.widget-view+json" in o.data]
    assert len(panel) == 1, f"the saved fit cell has these outputs: {kinds}"
    assert panel[0].data.get("image/png", "").startswith("iVBORw0KGgo"), \
        f"the saved dashboard output has no PNG frame: {kinds}"
    for cell in saved.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error" and output.get("name") != "stderr", \
                f"saved {cell.source.splitlines()[0]!r} has {output}"


# -- the browser chart on Colab's widget protocol (ipywidgets 7.7.1, anywidget 0.9.21) ------
# The default chart ("auto") outside Colab is the browser chart: no chart= argument.
CHART_SETUP = SETUP.replace('dash = Dashboard(chart="png")',
                            "dash = Dashboard(redraw_interval=0.25)")
assert CHART_SETUP != SETUP
CHART_REPORT = """# cell: report
import json
print("REPORT " + json.dumps({"loss": dash.history.batch_values("loss").tolist(),
                              "chart": dash.outputs[0].chart is not None}))
"""


def test_the_browser_chart_grows_during_a_blocking_fit_in_the_classic_notebook(classic_page):
    from .test_browser_chart import CHART_JS

    page = classic_page
    errors = []
    page.open_cells(CHART_SETUP, FIT, CHART_REPORT)
    page.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.page.on("pageerror", lambda e: errors.append(str(e)))
    page.run_all()
    fit = page.cell("# cell: fit")

    def loss_points():
        shown = fit.evaluate(CHART_JS)
        return shown["panels"].get("loss", {}).get("points", 0) if shown else 0

    counts = []
    page.wait_until(lambda: (counts.append(loss_points()) or len(set(counts) - {0}) >= 4),
                    180, "the chart's loss points to grow three times while the cell runs",
                    seen=lambda: (counts[-5:], page.look(fit)))
    assert counts == sorted(counts)
    assert page.look(fit)["prompt"] == ClassicPage.RUNNING
    plot = fit.locator('.nbc-chart-panel[data-panel="loss"] .u-over')
    box = plot.bounding_box()
    page.page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_until(lambda: "step" in fit.evaluate(CHART_JS)["readout"], 10,
                    "the hover readout", seen=lambda: fit.evaluate(CHART_JS)["readout"])
    page.screenshot("chart", focus=fit)
    # Reopened mid-fit, the page asks the busy kernel for its widgets (ipywidgets 7 asks
    # widget by widget): the chart comes back with the run so far and goes on growing.
    page.save(page.relative)
    before = fit.evaluate(CHART_JS)["panels"]["loss"]
    page.page.on("dialog", lambda dialog: dialog.accept())
    errors_before_reload = len(errors)
    page.page.reload()
    page.page.locator("#notebook .cell").first.wait_for(timeout=90_000)
    fit = page.cell("# cell: fit")
    page.wait_until(lambda: (lambda shown: shown and (shown["panels"].get("loss", {})
                                                      .get("last") or 0) > before["last"])(
        fit.evaluate(CHART_JS)), 90, "the reopened page's chart",
        seen=lambda: (before["last"], page.look(fit)))
    assert fit.evaluate(CHART_JS)["panels"]["loss"]["first"] == before["first"]
    counts = []
    page.wait_until(lambda: (counts.append(loss_points()) or len(set(counts)) >= 4), 60,
                    "the reopened chart to grow three times", seen=lambda: counts[-5:])
    expect(page.page.locator("#kernel_indicator_icon.kernel_busy_icon")).to_have_count(1)
    page.screenshot("reopened", focus=fit)
    page.button(fit, "Stop").click()
    page.wait_kernel_idle(60)
    report = page.cell("# cell: report")
    report.locator(".input_area").click()   # Run All ran it for the page that is gone
    page.page.keyboard.press("Shift+Enter")
    expect(report.locator(".output_area")).to_contain_text("REPORT", timeout=60_000)
    values = json.loads(page.look(report)["outputs"].split("REPORT ", 1)[1].splitlines()[0])
    assert values["chart"], "the chart gave way to pictures: it never said it drew"
    plotted = [v for v in fit.evaluate(CHART_JS)["panels"]["loss"]["series"][0]
               if v is not None]
    assert plotted[-1] == pytest.approx(values["loss"][-1], rel=1e-6)
    # Not ours, on the reopened page: Notebook 6.5's own page script fails on every load
    # (its news banner's "don't show" button is not on the page), and its comm manager
    # logs the kernel's widget updates that arrive before the page restored those widgets.
    foreign = ("Cannot read properties of null (reading 'addEventListener')",
               "Comm promise not found for comm id")
    ours = errors[:errors_before_reload] + [e for e in errors[errors_before_reload:]
                                            if not e.startswith(foreign)]
    assert not ours, ours


def test_a_student_unfolds_a_gallery_solution_in_the_classic_notebook(classic_page):
    """The classic Notebook honours the gallery's folded solutions (see
    ``test_gallery_as_a_student.py`` for JupyterLab)."""
    page = classic_page.open_copy(NOTEBOOK, folder="student", keep_outputs=True)
    first = page.locator(".text_cell_render").first
    assert "After this notebook you can" in first.inner_text()
    classic_page.screenshot("classic-first-screen")
    checks = page.locator(".code_cell", has_text='self_check("Exercise 1")')
    assert "not answered yet" in checks.locator(".output_area").first.inner_text()
    check_folded_then_shown(classic_page, solution_one(page, ".text_cell_render"),
                            first_solution_line(NOTEBOOK), "classic")
