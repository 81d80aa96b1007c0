"""The dashboard's outputs: console lines, the PNG file, the widget panel, nothing.

Each output answers the same small interface (nbcallbacks.outputs); these tests check what
the person sees from each, and that a failing output is reported once and never stops training.
"""

import threading
import warnings

from nbcallbacks import Dashboard


def test_png_path_that_is_a_directory_is_reported_once_and_leaves_no_temporary_file(
        tiny_model, tiny_data, tmp_path, capsys):
    x, y = tiny_data
    folder = tmp_path / "plots"
    folder.mkdir()
    dash = Dashboard(output="console", png_path=folder, redraw_interval=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = tiny_model().fit(x, y, epochs=3, batch_size=128, verbose=0, callbacks=[dash])
    assert len(history.history["loss"]) == 3, "training goes on"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plots"], "no temporary file left"
    assert list(folder.iterdir()) == []
    messages = [str(w.message) for w in caught if "png_path" in str(w.message)]
    assert len(messages) == 1, messages
    assert "is a directory" in messages[0] and "dashboard.png" in messages[0], messages[0]
    printed = capsys.readouterr().out
    assert "written to" not in printed, printed


def widget_output_of(dash):
    widget, = [output for output in dash.outputs if output.name == "widget"]
    return widget


def test_outputs_follow_the_output_argument(tmp_path):
    """``output=`` and ``png_path`` choose the outputs; every one answers the same interface."""
    from nbcallbacks.outputs.dashboard_output import DashboardOutput

    chosen = {}
    for output in ("widget", "console", "none"):
        dash = Dashboard(output=output, png_path=tmp_path / "plot.png")
        dash._choose_outputs()
        assert all(isinstance(o, DashboardOutput) for o in dash.outputs)
        chosen[output] = [o.name for o in dash.outputs]
    # A dashboard shown as widgets also joins its cell's sweep (several runs in one cell).
    assert chosen == {"widget": ["widget", "sweep", "png file"],
                      "console": ["console", "png file"], "none": ["png file"]}
    dash = Dashboard(output="none")
    dash._choose_outputs()
    assert [o.name for o in dash.outputs] == ["null output"]


def test_a_view_toggle_after_training_redraws_without_a_thread(tiny_model, tiny_data, capsys):
    """After the fit no render thread is left: the toggle's frame is drawn in the caller."""
    x, y = tiny_data
    dash = Dashboard(output="widget")
    tiny_model().fit(x, y, epochs=2, batch_size=128, verbose=0, callbacks=[dash])
    assert not [t for t in threading.enumerate() if t.name.startswith("nbcallbacks-render")]
    panel = widget_output_of(dash).panel
    before = panel.image.value
    panel.view_controls.log_scale.value = True
    assert panel.image.value != before
    assert "stopped" not in panel.status.value and "finished" in panel.status.value


def test_a_failing_output_is_reported_once_and_training_goes_on(tiny_model, tiny_data):
    x, y = tiny_data
    dash = Dashboard(output="widget", redraw_interval=0)
    dash._choose_outputs()
    widget = widget_output_of(dash)

    def broken(*args):
        raise RuntimeError("table widget gone")

    widget.epoch = broken
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = tiny_model().fit(x, y, epochs=3, batch_size=128, verbose=0, callbacks=[dash])
    assert len(history.history["loss"]) == 3
    reports = [str(w.message) for w in caught if "table widget gone" in str(w.message)]
    assert len(reports) == 1 and "widget epoch step failed" in reports[0], reports
    assert "table widget gone" in widget.panel.notices.value


def test_the_status_line_is_sent_from_the_render_thread_and_its_failure_reported_once(
        tiny_model, tiny_data):
    # A widget update costs ~0.5 ms during a fit: the training thread only hands it over.
    x, y = tiny_data
    dash = Dashboard(output="widget", chart="png", redraw_interval=0)
    dash._choose_outputs()
    widget = widget_output_of(dash)
    threads = []
    show_status = widget.status

    def status(report):
        threads.append((threading.current_thread().name, report.state))
        if report.state == "training":
            raise RuntimeError("status widget gone")
        show_status(report)

    widget.status = status
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = tiny_model().fit(x, y, epochs=3, batch_size=128, verbose=0, callbacks=[dash])
    assert len(history.history["loss"]) == 3
    during = [name for name, state in threads if state != "finished"]
    assert during and all(name.startswith("nbcallbacks-render") for name in during), threads
    assert threads[-1][1] == "finished"   # the last word, after the render thread ended
    reports = [str(w.message) for w in caught if "status widget gone" in str(w.message)]
    assert len(reports) == 1 and "widget status step failed" in reports[0], reports
    assert "finished" in widget.panel.status.value
