"""The dashboard's outputs: console lines, the PNG file, the widget panel, nothing.

Each output answers the same small interface (nbcallbacks.outputs); these tests check what
the person sees from each, and that a failing output is reported once and never stops training.
"""

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
