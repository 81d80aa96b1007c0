"""Frames a person asks for (a view toggle, a pause) are drawn at once, however costly drawing was.

The dashboard spaces frames by ``cost / max_busy`` when they are expensive
(0.3 s frames on a loaded two-core machine: 10 s with ``max_busy=0.03``). That
spacing keeps drawing from slowing training; applied to a click, it made the
person wait that long for the plot to
follow, and the browser test that toggles a panel while paused gave up after 15 s.
"""

from __future__ import annotations

import threading
import time

import keras
import numpy as np
import pytest

from nbcallbacks import Dashboard
from nbcallbacks.render.view_options import ViewOptions

# Seconds: twice in a row, with max_busy=0.03 the next timed frame waits 100 s, so a click
# drawn only then fails PROMPTLY clearly, while a real frame on a loaded machine (0.1-2 s)
# passes it.
EXPENSIVE_FRAME = 3.0
PROMPTLY = 15.0
# What the model trains on: 8 batches of 8, enough for the third batch's action and after.
X, Y = np.ones((64, 4), "float32"), np.zeros((64, 1), "float32")


def next_frame(dash: Dashboard, before, timeout: float) -> bool:
    """Whether a frame other than ``before`` is drawn within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while dash._frames.last_png is before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


class AfterAnExpensiveFrame(keras.callbacks.Callback):
    """At the third batch: the last two frames cost EXPENSIVE_FRAME each; then ``act``."""

    def __init__(self, dash: Dashboard, act):
        super().__init__()
        self.dash, self.act, self.result = dash, act, None

    def on_train_batch_end(self, batch, logs=None):
        if batch == 2 and self.result is None:
            assert self.dash._frames.wait_drawn(timeout=30)
            self.dash._frames._drawn(EXPENSIVE_FRAME)
            self.dash._frames._drawn(EXPENSIVE_FRAME)
            self.result = self.act(self.dash, self.dash._frames.last_png)


@pytest.mark.timing
def test_a_view_change_is_drawn_at_once_after_an_expensive_frame(tmp_path, linear_model):
    dash = Dashboard(output="none", png_path=tmp_path / "plot.png")

    def toggle(dash, before):
        dash._on_view_change(ViewOptions(log_scale=True))  # what the "log y" button calls
        return next_frame(dash, before, PROMPTLY)

    probe = AfterAnExpensiveFrame(dash, toggle)
    linear_model(4).fit(X, Y, epochs=1, batch_size=8, verbose=0, callbacks=[dash, probe])
    assert probe.result, f"the view change was not drawn within {PROMPTLY:.0f} s"


@pytest.mark.timing
def test_the_pause_frame_is_drawn_at_once_and_a_view_change_while_paused_too(tmp_path,
                                                                            linear_model):
    dash = Dashboard(output="none", png_path=tmp_path / "plot.png")
    seen = {}

    def person(before):
        # Another thread, as a click is: the training thread waits in the pause.
        seen["pause marker"] = next_frame(dash, before, PROMPTLY)
        paused_frame = dash._frames.last_png
        dash._on_view_change(ViewOptions(hidden=frozenset({"loss"})))
        seen["view change while paused"] = next_frame(dash, paused_frame, PROMPTLY)
        dash.signals.request_resume()

    def pause(dash, before):
        dash.signals.request_pause()  # applied at the next batch's start
        clicker = threading.Thread(target=person, args=(before,), daemon=True)
        clicker.start()
        return clicker

    probe = AfterAnExpensiveFrame(dash, pause)
    linear_model(4).fit(X, Y, epochs=1, batch_size=8, verbose=0, callbacks=[dash, probe])
    probe.result.join(timeout=30)
    assert seen == {"pause marker": True, "view change while paused": True}
    assert [event.kind for event in dash.events] == ["pause", "resume"]
