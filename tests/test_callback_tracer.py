"""CallbackTracer in real fit / evaluate / predict calls: hook order, log keys, what is printed.

The model is the TensorFlow guide's ("Writing your own callbacks"): a linear
regression compiled with ``mean_absolute_error`` as a metric, so the log keys
are the guide's ``loss`` and ``mean_absolute_error``.
"""

import keras
import numpy as np
import pytest

from nbcallbacks import CallbackTracer
from nbcallbacks.tracer.tracer_timeline import TracerTimeline, timeline_html


def guide_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.1), loss="mean_squared_error",
                  metrics=["mean_absolute_error"])
    return model


def guide_data(samples=8):
    rng = np.random.default_rng(0)
    return rng.normal(size=(samples, 4)).astype("float32"), rng.normal(size=(samples, 1)).astype(
        "float32")


def order(calls):
    return [(c.method, c.depth, c.hook, c.index) for c in calls]


TRAIN_BATCHES = lambda epoch: [  # noqa: E731 - a table of expected calls
    ("fit", 0, "on_train_batch_begin", 0), ("fit", 0, "on_train_batch_end", 0),
    ("fit", 0, "on_train_batch_begin", 1), ("fit", 0, "on_train_batch_end", 1)]
VALIDATION = [("fit", 1, "on_test_begin", None),
              ("fit", 1, "on_test_batch_begin", 0), ("fit", 1, "on_test_batch_end", 0),
              ("fit", 1, "on_test_end", None)]


def test_fit_with_validation_calls_the_hooks_in_this_order():
    tracer = CallbackTracer(output="none")
    x, y = guide_data()
    guide_model().fit(x, y, epochs=2, batch_size=4, validation_data=guide_data(4), verbose=0,
                      callbacks=[tracer])
    expected = [("fit", 0, "on_train_begin", None)]
    for epoch in range(2):
        expected += [("fit", 0, "on_epoch_begin", epoch), *TRAIN_BATCHES(epoch), *VALIDATION,
                     ("fit", 0, "on_epoch_end", epoch)]
    expected += [("fit", 0, "on_train_end", None)]
    assert order(tracer.calls) == expected
    # Batch and validation hooks know the epoch they ran in.
    assert [c.epoch for c in tracer.calls if c.hook == "on_test_begin"] == [0, 1]
    assert {c.run for c in tracer.calls} == {1}
    times = [c.time for c in tracer.calls]
    assert times == sorted(times) and times[0] == 0.0


def test_each_hook_receives_these_log_keys():
    tracer = CallbackTracer(output="none")
    x, y = guide_data()
    guide_model().fit(x, y, epochs=1, batch_size=4, validation_data=guide_data(4), verbose=0,
                      callbacks=[tracer])
    keys = {c.hook: list(c.logs) for c in tracer.calls}
    metrics = ["loss", "mean_absolute_error"]
    assert keys == {
        "on_train_begin": [], "on_epoch_begin": [], "on_train_batch_begin": [],
        "on_train_batch_end": metrics, "on_test_begin": [], "on_test_batch_begin": [],
        "on_test_batch_end": metrics, "on_test_end": metrics,
        "on_epoch_end": metrics + ["val_loss", "val_mean_absolute_error"],
        "on_train_end": metrics + ["val_loss", "val_mean_absolute_error"],
    }
    epoch_end = next(c for c in tracer.calls if c.hook == "on_epoch_end")
    assert all(isinstance(value, float) for value in epoch_end.logs.values())


def test_evaluate_and_predict_are_runs_of_their_own():
    tracer = CallbackTracer(output="none")
    model, (x, y) = guide_model(), guide_data()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[tracer])
    model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[tracer])
    model.predict(x, batch_size=4, verbose=0, callbacks=[tracer])

    evaluate = [c for c in tracer.calls if c.run == 2]
    predict = [c for c in tracer.calls if c.run == 3]
    assert order(evaluate) == [
        ("evaluate", 0, "on_test_begin", None),
        ("evaluate", 0, "on_test_batch_begin", 0), ("evaluate", 0, "on_test_batch_end", 0),
        ("evaluate", 0, "on_test_batch_begin", 1), ("evaluate", 0, "on_test_batch_end", 1),
        ("evaluate", 0, "on_test_end", None)]
    assert order(predict) == [
        ("predict", 0, "on_predict_begin", None),
        ("predict", 0, "on_predict_batch_begin", 0), ("predict", 0, "on_predict_batch_end", 0),
        ("predict", 0, "on_predict_batch_begin", 1), ("predict", 0, "on_predict_batch_end", 1),
        ("predict", 0, "on_predict_end", None)]
    assert list(evaluate[-1].logs) == ["loss", "mean_absolute_error"]
    assert all(c.epoch is None for c in evaluate + predict)
    # predict hands each batch's outputs to the hook: kept as shape and dtype.
    outputs = predict[2].logs["outputs"]
    assert (outputs.shape, outputs.dtype) == ((4, 1), "float32")
    assert predict[-1].logs == {}


def test_an_evaluate_after_a_failed_fit_is_not_taken_for_its_validation():
    class Fail(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("boom")

    tracer = CallbackTracer(output="none")
    model, (x, y) = guide_model(), guide_data()
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[tracer, Fail()])
    model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[tracer])
    last = tracer.calls[-3:]
    assert [(c.method, c.run, c.depth) for c in last] == [("evaluate", 2, 0)] * 3


def test_summary_is_the_table_of_hook_order_counts_and_keys():
    tracer = CallbackTracer(output="none")
    model, (x, y) = guide_model(), guide_data()
    model.fit(x, y, epochs=2, batch_size=4, verbose=0, callbacks=[tracer])
    model.predict(x, batch_size=8, verbose=0, callbacks=[tracer])
    assert str(tracer.summary()) == "\n".join([
        "method   hook                    calls  log keys",
        "fit      on_train_begin              1  —",
        "fit      on_epoch_begin              2  —",
        "fit      on_train_batch_begin        4  —",
        "fit      on_train_batch_end          4  loss, mean_absolute_error",
        "fit      on_epoch_end                2  loss, mean_absolute_error",
        "fit      on_train_end                1  loss, mean_absolute_error",
        "predict  on_predict_begin            1  —",
        "predict  on_predict_batch_begin      1  —",
        "predict  on_predict_batch_end        1  outputs",
        "predict  on_predict_end              1  —",
    ])
    assert "<table" in tracer.summary()._repr_html_()


def test_terminal_output_is_one_compact_line_per_call(capsys):
    tracer = CallbackTracer(output="console")
    model, (x, y) = guide_model(), guide_data()
    model.fit(x, y, epochs=1, batch_size=8, validation_data=guide_data(4), verbose=0,
              callbacks=[tracer])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" logs:")[0] for line in lines] == [
        "fit      on_train_begin()",
        "fit      on_epoch_begin(epoch=0)",
        "fit      on_train_batch_begin(batch=0)",
        "fit      on_train_batch_end(batch=0)",
        "fit        on_test_begin()",
        "fit        on_test_batch_begin(batch=0)",
        "fit        on_test_batch_end(batch=0)",
        "fit        on_test_end()",
        "fit      on_epoch_end(epoch=0)",
        "fit      on_train_end()",
    ]
    epoch_end = tracer.calls[-2].logs
    assert lines[-2] == ("fit      on_epoch_end(epoch=0) logs: "
                         f"loss={epoch_end['loss']:.4f} "
                         f"mean_absolute_error={epoch_end['mean_absolute_error']:.4f} "
                         f"val_loss={epoch_end['val_loss']:.4f} "
                         f"val_mean_absolute_error={epoch_end['val_mean_absolute_error']:.4f}")
    assert lines == tracer.timeline().splitlines()


def test_folded_batch_hooks_print_as_one_line_per_run(capsys):
    tracer = CallbackTracer(output="console", show_batches=False)
    model, (x, y) = guide_model(), guide_data()
    model.fit(x, y, epochs=1, batch_size=2, verbose=0, callbacks=[tracer])
    model.predict(x, batch_size=4, verbose=0, callbacks=[tracer])
    fit_end = next(c for c in tracer.calls if c.hook == "on_train_end")
    assert capsys.readouterr().out.splitlines() == [
        "fit      on_train_begin()",
        "fit      on_epoch_begin(epoch=0)",
        "fit      … 8 batch calls: on_train_batch_begin ×4, on_train_batch_end ×4 "
        "(batches 0–3)",
        f"fit      on_epoch_end(epoch=0) logs: {_values(fit_end.logs)}",
        f"fit      on_train_end() logs: {_values(fit_end.logs)}",
        "predict  on_predict_begin()",
        "predict  … 4 batch calls: on_predict_batch_begin ×2, on_predict_batch_end ×2 "
        "(batches 0–1)",
        "predict  on_predict_end()",
    ]
    assert len(tracer.calls) == 4 + 8 + 6   # folded in print, all recorded


def _values(logs):
    return " ".join(f"{key}={value:.4f}" for key, value in logs.items())


def test_max_batch_calls_bounds_what_is_stored_but_not_what_is_counted(capsys):
    tracer = CallbackTracer(output="console", max_batch_calls=3)
    model, (x, y) = guide_model(), guide_data(32)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[tracer])
    # 2 epochs x 4 batches x 2 hooks = 16 batch calls: 3 stored, 13 counted only.
    assert sum(c.level == "batch" for c in tracer.calls) == 3
    assert tracer.dropped_calls == 13
    counts = {row.hook: row.calls for row in tracer.summary().rows}
    assert counts["on_train_batch_begin"] == counts["on_train_batch_end"] == 8
    assert ("fit      … further batch calls of fit #1 are counted, not stored "
            "(max_batch_calls=3)") in capsys.readouterr().out.splitlines()


def test_timeline_can_filter_hooks_and_hide_values():
    tracer = CallbackTracer(output="none")
    model, (x, y) = guide_model(), guide_data()
    model.fit(x, y, epochs=2, batch_size=8, validation_data=guide_data(4), verbose=0,
              callbacks=[tracer])
    assert tracer.timeline(values=False, hooks="epoch").splitlines() == [
        "fit      on_epoch_begin(epoch=0)",
        "fit      on_epoch_end(epoch=0) logs: loss, mean_absolute_error, val_loss, "
        "val_mean_absolute_error",
        "fit      on_epoch_begin(epoch=1)",
        "fit      on_epoch_end(epoch=1) logs: loss, mean_absolute_error, val_loss, "
        "val_mean_absolute_error",
    ]
    tracer.clear()
    assert tracer.calls == [] and len(tracer.summary()) == 0


def test_widget_timeline_updates_in_place_and_filters(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display",
                        lambda *args, **kwargs: shown.append(args) or _Handle())
    monkeypatch.setattr("nbcallbacks.notebook.cell_display.current_cell_id", lambda: 7)
    tracer = CallbackTracer(output="widget", refresh_interval=0)
    model, (x, y) = guide_model(), guide_data()
    model.fit(x, y, epochs=1, batch_size=4, validation_data=guide_data(4), verbose=0,
              callbacks=[tracer])
    model.evaluate(x, y, verbose=0, callbacks=[tracer])
    timeline = next(iter(tracer._outputs)).timeline
    page = timeline.body.value
    assert page.count("fit #1") == 1 and page.count("evaluate #2") == 1
    assert page.count("on_train_batch_end") == 2
    assert len(shown) == 1                     # shown once in the cell, then updated in place
    bundle = shown[0][0]
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" in bundle

    timeline.batches.value = False             # fold batch hooks
    assert "(batch=" not in timeline.body.value
    assert "4 batch calls: on_train_batch_begin ×2, on_train_batch_end ×2" in \
        timeline.body.value
    timeline.filter.value = "test_end"
    assert timeline.body.value.count("on_test_end") == 2
    assert "on_epoch_end" not in timeline.body.value


class _Handle:
    def update(self, *args, **kwargs):
        pass


def test_timeline_html_lists_the_newest_entries_only():
    tracer = CallbackTracer(output="none")
    model, (x, y) = guide_model(), guide_data(64)
    model.fit(x, y, epochs=1, batch_size=1, verbose=0, callbacks=[tracer])
    page = timeline_html(tracer.calls, max_entries=50)   # of 2 + 128 + 2 entries
    assert "… 82 earlier entries" in page and page.count("<tr") == 1 + 1 + 50
    timeline = TracerTimeline(lambda: tracer.calls, show_batches=False)
    assert "128 batch calls" in timeline.body.value
