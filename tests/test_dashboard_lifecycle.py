"""What a Dashboard starts is closed or restored at train end, and a discarded one is freed.

A notebook session makes many dashboards (one per training cell, re-run cells): each must
leave no render thread, no signal handler and no widget callback behind that keeps it,
its figure, history and widgets in memory.
"""

import gc
import signal
import textwrap
import weakref

import pytest
from support.render_threads import render_threads

from nbcallbacks import Dashboard


def test_two_dashboards_in_one_fit_restore_the_original_sigint_handler(tiny_model, tiny_data):
    x, y = tiny_data
    original = signal.getsignal(signal.SIGINT)
    try:
        tiny_model().fit(x, y, epochs=1, batch_size=128, verbose=0,
                         callbacks=[Dashboard(output="none"), Dashboard(output="none")])
        assert signal.getsignal(signal.SIGINT) is original
    finally:
        signal.signal(signal.SIGINT, original)  # the other tests need Ctrl-C as usual


@pytest.mark.parametrize("output", ["widget", "png"])
def test_a_discarded_dashboard_is_freed_and_leaves_no_render_thread(tiny_model, tiny_data,
                                                                   tmp_path, output):
    x, y = tiny_data
    model = tiny_model()
    before = len(render_threads())
    references = []
    for run in range(3):
        if output == "widget":
            dash = Dashboard(output="widget")
        else:
            dash = Dashboard(output="none", png_path=tmp_path / f"plot{run}.png")
        model.fit(x, y, epochs=2, batch_size=128, verbose=0, callbacks=[dash])
        references.append(weakref.ref(dash))
        del dash
    gc.collect()
    assert len(render_threads()) == before
    assert [ref() is None for ref in references] == [True] * 3


def test_a_reused_dashboard_draws_again_after_train_end(tiny_model, tiny_data, tmp_path):
    x, y = tiny_data
    png = tmp_path / "plot.png"
    dash = Dashboard(output="none", png_path=png)
    model = tiny_model()
    model.fit(x, y, epochs=1, batch_size=128, verbose=0, callbacks=[dash])
    png.unlink()
    model.fit(x, y, epochs=2, initial_epoch=1, batch_size=128, verbose=0, callbacks=[dash])
    assert png.exists(), "the second fit draws the plot again"
    assert len(dash.history.epoch_values("loss")) == 2


MANY_DASHBOARDS = textwrap.dedent("""
    import gc, json, resource, threading, weakref
    import numpy as np, keras
    from nbcallbacks import Dashboard
    keras.utils.set_random_seed(0)
    x = np.random.rand(256, 8).astype("float32"); y = (x.sum(1) > 4).astype("int32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    refs = []
    def render_threads():
        return sum(t.name.startswith("nbcallbacks-render") for t in threading.enumerate())
    try:  # give freed memory back to the system, so RSS counts what is still held
        import ctypes
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        trim = lambda pad: None
    def rss_mb():
        trim(0)
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmRSS")) / 1024
""")

ONE_DASHBOARD_CELL = textwrap.dedent("""
    dash = Dashboard(output="widget")
    _ = model.fit(x, y, epochs=2, batch_size=64, validation_split=0.25, verbose=0,
                  callbacks=[dash])
    refs.append(weakref.ref(dash))
    del dash, _
""")

# What is measured is what the dashboards keep, not what the notebook or matplotlib keeps:
# - the widgets a dashboard displayed stay registered with the kernel while the notebook
#   shows them (~80 on ipywidgets 7, ~1 MB a dashboard); they are closed first, as a notebook
#   that no longer shows them would;
# - matplotlib < 3.11 keeps the text metrics of every renderer in one global LRU cache of 4096
#   entries (~30 a figure, filling over ~150 dashboards, measured on 3.10.0); it is emptied
#   first. Matplotlib >= 3.11 ties that cache to the renderer and frees it with the figure.
# Which dashboards are alive is counted before the widgets close: a widget callback that held
# its dashboard would keep it alive here.
MEASURE = textwrap.dedent("""
    import ipywidgets, matplotlib.text
    gc.collect()
    alive = sum(r() is not None for r in refs)
    ipywidgets.Widget.close_all()
    text_metrics = getattr(matplotlib.text, "_get_text_metrics_with_cache_impl", None)
    if text_metrics is not None:
        text_metrics.cache_clear()
    gc.collect()
    print(json.dumps({"threads": render_threads(), "rss": rss_mb(), "alive": alive}))
""")


# What a dashboard leaves behind depends on the widget library (ipywidgets 8 here, 7 on
# Colab's stack), not on the Keras backend or the floors: one run per ipywidgets line.
@pytest.mark.backend("tensorflow")
@pytest.mark.environments("main", "colab")
def test_fifty_dashboards_in_a_kernel_keep_threads_and_memory_flat():
    from support.kernel_session import KernelSession

    kernel = KernelSession()

    def run(code):
        status, messages = kernel.run(code)
        errors = [m["content"] for m in messages if m["msg_type"] == "error"]
        assert status == "ok" and not errors, errors

    try:
        run(MANY_DASHBOARDS)
        # Matplotlib's and TensorFlow's caches fill during the first two dozen runs (bounded,
        # whoever owns the figure); after that, memory must stay flat.
        for _ in range(25):
            run(ONE_DASHBOARD_CELL)
            kernel.forget_models()
        half = kernel.run_json(MEASURE)
        for _ in range(25):
            run(ONE_DASHBOARD_CELL)
            kernel.forget_models()
        end = kernel.run_json(MEASURE)
    finally:
        kernel.close()
    assert half["threads"] == 0 and end["threads"] == 0, (half, end)
    assert end["alive"] == 0, f"{end['alive']} of 50 discarded dashboards are still alive"
    # Before: each leaked dashboard held ~6 MB (25 held 146 MB). Without a leak the second 25
    # add 3-30 MB of RSS (measured on Colab's stack, the larger figures on a loaded machine:
    # the allocator's arenas and TensorFlow's own growth; 25 plain fits add ~3 MB), so the
    # bound sits between the two.
    assert end["rss"] - half["rss"] < 50, (half, end)


RAISING_FIT = textwrap.dedent("""
    import signal, threading, numpy as np, keras
    from nbcallbacks import Dashboard
    original_sigint = signal.getsignal(signal.SIGINT)

    class FailsInEpoch3(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise RuntimeError("the user's callback failed")

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((64, 4), "float32"), np.zeros((64, 1), "float32")
    dash = Dashboard()
""")
STATE_AFTER = """import json
print(json.dumps({
    "open": dash._training, "epochs": len(dash.history.epoch_values("loss")),
    "handler_restored": signal.getsignal(signal.SIGINT) is original_sigint,
    "render_threads": sum(t.name.startswith("nbcallbacks-render") for t in threading.enumerate()),
}))"""


@pytest.mark.parametrize("fit", [
    "model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[dash, FailsInEpoch3()])",
    "await dash.fit(model, x, y, epochs=5, batch_size=8, verbose=0, callbacks=[FailsInEpoch3()])",
], ids=["blocking", "await"])
def test_a_fit_that_raises_is_closed_and_says_so(fit):
    """Keras skips on_train_end when fit raises: the dashboard still ends the fit
    (status, controls, click route, interrupt guard, render thread), keeping the history."""
    from support.kernel_session import KernelSession

    kernel = KernelSession()
    try:
        assert kernel.run(RAISING_FIT)[0] == "ok"
        status, messages = kernel.run(fit)
        errors = [m["content"]["evalue"] for m in messages if m["msg_type"] == "error"]
        assert status == "error" and errors == ["the user's callback failed"], errors
        state = kernel.run_json(STATE_AFTER)
        shown = kernel.html_values()
        stop_disabled = kernel.models[kernel.find_model("ButtonModel", description="Stop")][
            "state"].get("disabled")
        # The next cell trains again with the same dashboard.
        again = kernel.run("model.fit(x, y, epochs=1, verbose=0, callbacks=[dash])")[0]
    finally:
        kernel.close()
    assert state == {"open": False, "epochs": 2, "handler_restored": True,
                     "render_threads": 0}, state
    assert "stopped by an error" in shown
    assert stop_disabled is True
    assert again == "ok"


def open_epoch_iterators() -> list:
    """Keras epoch iterators alive now, other than through a garbage cycle already freed."""
    return [o for o in gc.get_objects() if type(o).__name__.endswith("EpochIterator")]


def test_a_fit_stopped_inside_an_epoch_leaves_nothing_to_the_garbage_collector(tiny_model,
                                                                               tiny_data):
    """Stopped inside an epoch (the Stop button, the interrupt), Keras leaves its epoch
    iterator and data pipeline in a reference cycle. The cyclic collector frees them later,
    in whatever thread allocates then, and with TensorFlow freeing a tf.data iterator can
    hold the GIL for many seconds: a kernel froze 30-60 s in a later cell. The dashboard
    closes the open epoch, so the data go when ``fit`` returns."""
    import keras

    x, y = tiny_data
    dash = Dashboard(output="none")

    class StopInTheSecondEpoch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if dash.history.steps == 6:
                dash.signals.request_stop()

    gc.collect()
    gc.disable()
    try:
        tiny_model().fit(x, y, epochs=20, batch_size=128, verbose=0,
                         callbacks=[dash, StopInTheSecondEpoch()])
        assert 6 < dash.history.steps < 12  # stopped inside the second epoch
        assert open_epoch_iterators() == []
    finally:
        gc.enable()


def test_a_fit_that_raises_lets_go_of_its_data_even_while_its_traceback_is_kept(tiny_model,
                                                                               tiny_data):
    """IPython keeps the last traceback (``sys.last_traceback``), and with it ``fit``'s
    frame, until the next error: what the dashboard closes at the cell's end is the data
    pipeline that frame still holds."""
    import keras

    x, y = tiny_data
    dash = Dashboard(output="none")

    class FailsInTheSecondEpoch(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if dash.history.steps == 6:
                raise RuntimeError("failed in epoch 2")

    gc.collect()
    gc.disable()
    try:
        with pytest.raises(RuntimeError) as raised:
            tiny_model().fit(x, y, epochs=20, batch_size=128, verbose=0,
                             callbacks=[dash, FailsInTheSecondEpoch()])
        dash.end_failed_fit()   # what the end of the cell does in a notebook
        kept = open_epoch_iterators()
        assert kept, "the traceback keeps fit's frame and its epoch iterator"
        assert [(it._epoch_iterator, it._current_iterator) for it in kept] == [(None, None)]
        del raised
    finally:
        gc.enable()
