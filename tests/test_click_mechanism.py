"""The click mechanisms' shared contract and error policy (``compat/click_mechanism.py``),
without a kernel: a failure is logged once, said in words, carried by the route past its end
and shown under the buttons once. ``tests/test_controls_in_kernel.py`` breaks the real
mechanisms in real kernels.
"""

import logging

from nbcallbacks.compat.click_mechanism import ClickMechanism
from nbcallbacks.compat.click_route import ClickRoute
from nbcallbacks.compat.ipykernel6_pump import KernelPump
from nbcallbacks.compat.main_shell_drain import MainShellDrain


class UnreadableQueue(ClickMechanism):
    """A mechanism whose every look at the waiting messages fails."""

    pump_task = "reading the test queue"

    def __init__(self):
        super().__init__(interval=0.0)
        self.looks = 0
        self.started = False

    @property
    def active(self):
        return self.started

    def start(self):
        self.started = True
        return True

    def stop(self):
        self.started = False

    def _handle_waiting(self):
        self.looks += 1
        raise ValueError(f"queue unreadable (look {self.looks})")


def errors_logged(caplog):
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_failing_mechanism_logs_its_first_failure_once_and_names_it(caplog):
    mechanism = UnreadableQueue()
    assert mechanism.start() is True
    with caplog.at_level(logging.ERROR):
        handled = [mechanism.pump(), mechanism.pump(force=True)]   # training goes on
    assert handled == [0, 0] and mechanism.looks == 2
    logged = errors_logged(caplog)
    assert len(logged) == 1, [record.getMessage() for record in logged]
    assert logged[0].exc_info is not None   # with the traceback
    assert logged[0].name == __name__       # the logger of the failing mechanism's module
    assert mechanism.failures == 2
    assert mechanism.problem == ("reading the test queue failed (ValueError: queue unreadable "
                                 "(look 1)); clicks may wait until the cell ends")
    assert mechanism.problem in logged[0].getMessage()


def test_pump_paces_itself_and_does_nothing_when_not_active():
    mechanism = UnreadableQueue()
    assert mechanism.pump(force=True) == 0 and mechanism.looks == 0   # not started
    mechanism.start()
    mechanism.interval = 60.0
    for _ in range(3):
        mechanism.pump()
    assert mechanism.looks == 1   # once per interval...
    mechanism.pump(force=True)
    assert mechanism.looks == 2   # ...unless forced (a paused fit)


def test_both_mechanisms_say_whether_they_started():
    """Outside a kernel neither can start, and both say so the same way."""
    assert KernelPump().start() is False
    assert MainShellDrain().start() is False


def test_the_route_carries_the_problem_past_its_end():
    mechanism = UnreadableQueue()
    mechanism.start()
    route = ClickRoute("main-shell-drain", live=True, verified=True, kernel_version="7.3.0",
                       _mechanism=mechanism)
    assert route.problem is None
    assert route.pump(force=True) == 0
    route.stop()
    assert not mechanism.active   # stop() reached the mechanism
    assert route.problem is not None and "ValueError: queue unreadable" in route.problem


def test_the_panel_shows_the_problem_once_when_it_first_appears():
    from nbcallbacks.outputs.widget_output import WidgetOutput
    from nbcallbacks.records.events import EventLog
    from nbcallbacks.records.metric_store import MetricStore
    from nbcallbacks.run_control.training_signals import TrainingSignals
    from nbcallbacks.ui.training_controls import TrainingControls

    signals = TrainingSignals()
    output = WidgetOutput(MetricStore(), EventLog(), signals, title="broken clicks")
    output.controls = TrainingControls(signals, "manual.keras")
    mechanism = UnreadableQueue()
    mechanism.start()
    output.click_route = ClickRoute("ipykernel6-pump", live=True, verified=True,
                                    kernel_version="6.29.5", _mechanism=mechanism)
    output.pump()
    hint = output.controls.hint.value
    assert "stopped reaching Python during training" in hint
    assert "ValueError: queue unreadable (look 1)" in hint and "interrupt button" in hint
    output.controls.show_hint("")   # as a click that got through does
    output.pump(paused=True)
    assert mechanism.looks == 2 and output.controls.hint.value == ""
