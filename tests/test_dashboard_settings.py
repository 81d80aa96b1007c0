"""``Dashboard(...)``'s arguments: checked when it is made, kept for its copies.

The checks live in ``nbcallbacks/dashboard/dashboard_settings.py``; these tests hold the
messages a person reads to the letter, the defaults to ``Dashboard``'s signature, and a
copy (a KerasTuner trial) to the settings of the dashboard it was copied from.
"""

import copy
import inspect
import math
import re

import pytest

from nbcallbacks import Dashboard
from nbcallbacks.dashboard.dashboard_settings import DashboardSettings, dashboard_settings

PUBLIC_SETTINGS = ("run_named", "log_dir", "hyperparameters", "requested_metrics", "per_batch",
                   "output", "png_path", "title", "chart", "scale", "show_controls", "save_path",
                   "max_control_delay")


def test_the_settings_defaults_are_the_signatures():
    """The defaults stand in Dashboard's signature (its documentation) and in the dataclass:
    the two must name the same arguments and give the same settings."""
    parameters = inspect.signature(Dashboard.__init__).parameters
    defaults = {name: p.default for name, p in parameters.items() if name != "self"}
    assert list(defaults) == [f for f in DashboardSettings.__dataclass_fields__]
    assert dashboard_settings(**defaults) == DashboardSettings()


@pytest.mark.parametrize("arguments, message", [
    ({"output": "widgets"},
     "output must be one of ('auto', 'widget', 'console', 'none'), got 'widgets'"),
    ({"chart": "svg"}, "chart must be one of ('auto', 'browser', 'png'), got 'svg'"),
    ({"scale": 0.2}, "scale must be a number from 0.5 to 4 (1.5 reads on a projector), got 0.2"),
    ({"scale": "big"},
     "scale must be a number from 0.5 to 4 (1.5 reads on a projector), got 'big'"),
    ({"max_control_delay": -1}, "max_control_delay must be >= 0 seconds, got -1"),
    ({"max_control_delay": math.nan}, "max_control_delay must be >= 0 seconds, got nan"),
    ({"run": " "}, "run must be a non-empty name, e.g. run='lr=0.01', got ' '"),
    ({"run": 3}, "run must be a non-empty name, e.g. run='lr=0.01', got 3"),
    ({"hyperparameters": [("dropout", 0.2)]},
     "hyperparameters must be a dict, e.g. {'dropout': 0.2}, got [('dropout', 0.2)]"),
    # Several wrong: the first in the order they are checked is the one reported.
    ({"scale": 9, "chart": "svg", "output": "widgets"},
     "output must be one of ('auto', 'widget', 'console', 'none'), got 'widgets'"),
])
def test_a_wrong_argument_is_refused_at_once_with_what_would_do(arguments, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Dashboard(**arguments)


def test_a_log_dir_that_is_a_file_is_refused(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    message = (f"log_dir {str(notes)!r} is a file: give a directory for the runs, "
               f"e.g. log_dir='runs/'")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Dashboard(log_dir=notes)


def test_arguments_are_normalised_into_the_public_attributes(tmp_path):
    dash = Dashboard("loss", png_path=tmp_path / "plot.png", log_dir=tmp_path, run="lr=0.01",
                     scale=2, max_control_delay=0, controls=0, per_batch=0,
                     hyperparameters={"dropout": 0.2}, output="none")
    assert (dash.requested_metrics, dash.png_path, dash.log_dir) == (
        ["loss"], str(tmp_path / "plot.png"), str(tmp_path))
    assert (dash.run, dash.run_named, dash.title) == ("lr=0.01", True, "lr=0.01")
    assert (dash.scale, dash.max_control_delay) == (2.0, 0.0)
    assert type(dash.scale) is float and type(dash.max_control_delay) is float
    assert (dash.show_controls, dash.per_batch) == (False, False)
    assert dash.hyperparameters == {"dropout": 0.2}
    unnamed = Dashboard(output="none")
    assert unnamed.run.startswith("run ") and not unnamed.run_named
    assert (unnamed.title, unnamed.requested_metrics, unnamed.hyperparameters) == (
        "Training", None, {})


def test_a_copy_is_made_with_the_same_settings(tmp_path):
    given = {"dropout": 0.2}
    metrics = ["loss", "accuracy"]
    dash = Dashboard(metrics, png_path=tmp_path / "plot.png", scale=1.5, controls=False,
                     max_control_delay=0.5, hyperparameters=given, output="none",
                     redraw_interval=0.5, width=640)
    given["dropout"], metrics[0] = 0.5, "auc"   # what was given then, not what it became
    trial = copy.deepcopy(dash)
    assert dash.copies == [trial]
    assert {name: getattr(trial, name) for name in PUBLIC_SETTINGS} == {
        name: getattr(dash, name) for name in PUBLIC_SETTINGS}
    assert trial.run == f"{dash.run} copy 1" and trial.title == "Training"
    assert trial._frames.figure.width == 640


def test_a_copy_of_a_dashboard_made_with_a_generator_keeps_its_metrics():
    dash = Dashboard((name for name in ["loss"]), output="none")
    assert copy.deepcopy(dash).requested_metrics == ["loss"] == dash.requested_metrics


def test_the_settings_are_frozen():
    settings = dashboard_settings(metrics="loss")
    with pytest.raises(AttributeError):
        settings.scale = 2.0
