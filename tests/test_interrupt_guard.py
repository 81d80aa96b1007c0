"""InterruptGuard: several guards at once give back the SIGINT handler that was there before.

Two dashboards in one ``fit`` (``callbacks=[Dashboard(), Dashboard()]``) each
install a guard at train begin, and Keras ends them in list order: the first
guard ends while the second is still the installed handler. Every order must
leave the original handler once the last guard ends, and a guard must not
undo a handler somebody installed after it.
"""

from __future__ import annotations

import itertools
import signal

import pytest

from nbcallbacks.run_control.interrupt_guard import InterruptGuard


class Recorder:
    """A stand-in for the handler that was installed before any guard."""

    def __init__(self, name: str = "original"):
        self.name = name
        self.calls = 0

    def __call__(self, signum, frame):
        self.calls += 1

    def __repr__(self) -> str:
        return f"<{self.name} handler>"


@pytest.fixture
def original():
    """Install a recording handler for the test, and put the real one back afterwards."""
    real = signal.getsignal(signal.SIGINT)
    recorder = Recorder()
    signal.signal(signal.SIGINT, recorder)
    try:
        yield recorder
    finally:
        signal.signal(signal.SIGINT, real)


def guard(asked: list, name: str) -> InterruptGuard:
    return InterruptGuard(on_first=lambda: asked.append(name))


def test_two_guards_ended_in_the_order_they_began_leave_the_original(original):
    asked = []
    first, second = guard(asked, "first").__enter__(), guard(asked, "second").__enter__()
    first.__exit__(None, None, None)  # Keras: on_train_end in callbacks-list order
    second.__exit__(None, None, None)
    assert signal.getsignal(signal.SIGINT) is original


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))),
                         ids=lambda order: "-".join(map(str, order)))
def test_any_number_of_guards_ended_in_any_order_leave_the_original(original, order):
    guards = [guard([], str(n)).__enter__() for n in range(3)]
    for n in order:
        guards[n].__exit__(None, None, None)
    assert signal.getsignal(signal.SIGINT) is original


def test_while_guards_remain_an_interrupt_reaches_one_still_active(original):
    asked = []
    first, second = guard(asked, "first").__enter__(), guard(asked, "second").__enter__()
    second.__exit__(None, None, None)
    signal.raise_signal(signal.SIGINT)
    assert asked == ["first"]
    first.__exit__(None, None, None)

    asked.clear()
    first, second = guard(asked, "first").__enter__(), guard(asked, "second").__enter__()
    first.__exit__(None, None, None)
    signal.raise_signal(signal.SIGINT)
    assert asked == ["second"]  # the one that ended does not ask for a stop
    second.__exit__(None, None, None)
    signal.raise_signal(signal.SIGINT)
    assert asked == ["second"] and original.calls == 1


def test_a_guard_that_is_not_installed_keeps_a_handler_installed_after_it(original):
    later = Recorder("later")
    first = guard([], "first").__enter__()
    underneath = signal.signal(signal.SIGINT, later)  # someone else's handler, on top
    first.__exit__(None, None, None)
    assert signal.getsignal(signal.SIGINT) is later
    # When that someone puts back what it found (the ended guard's handler), an
    # interrupt behaves as it did before the guard: it reaches the original.
    signal.signal(signal.SIGINT, underneath)
    signal.raise_signal(signal.SIGINT)
    assert original.calls == 1 and first.interrupts == 0


def test_second_interrupt_of_the_installed_guard_raises_and_hands_back_the_one_below(original):
    asked = []
    first, second = guard(asked, "first").__enter__(), guard(asked, "second").__enter__()
    signal.raise_signal(signal.SIGINT)
    assert asked == ["second"]
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    assert not second.installed
    signal.raise_signal(signal.SIGINT)  # the first guard is in charge again
    assert asked == ["second", "first"]
    first.__exit__(None, None, None)
    assert signal.getsignal(signal.SIGINT) is original


def test_a_guard_no_longer_needed_passes_the_interrupt_to_the_handler_below(original):
    needed = [True]
    asked = []
    outer = guard(asked, "outer").__enter__()
    inner = InterruptGuard(on_first=lambda: asked.append("inner"),
                           still_needed=lambda frame: needed[0]).__enter__()
    needed[0] = False
    signal.raise_signal(signal.SIGINT)
    assert asked == ["outer"] and not inner.installed
    outer.__exit__(None, None, None)
    assert signal.getsignal(signal.SIGINT) is original


def test_ending_a_guard_twice_changes_nothing(original):
    first, second = guard([], "first").__enter__(), guard([], "second").__enter__()
    second.__exit__(None, None, None)
    second.__exit__(None, None, None)
    assert signal.getsignal(signal.SIGINT) == first._handle
    first.__exit__(None, None, None)
    first.__exit__(None, None, None)
    assert signal.getsignal(signal.SIGINT) is original


def test_two_dashboards_in_one_fit_leave_the_original_handler(original, linear_model):
    """The defect as found: ``callbacks=[Dashboard(), Dashboard()]`` in a blocking fit."""
    import numpy as np

    from nbcallbacks import Dashboard

    x, y = np.ones((16, 4), "float32"), np.zeros((16, 1), "float32")
    linear_model(4).fit(x, y, epochs=1, batch_size=8, verbose=0,
                        callbacks=[Dashboard(output="none"), Dashboard(output="none")])
    assert signal.getsignal(signal.SIGINT) is original
