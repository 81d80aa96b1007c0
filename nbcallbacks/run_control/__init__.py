"""Steering a fit while it runs: Stop, Pause/Resume, a new learning rate, Save now.

A click (or a kernel interrupt, or a cancelled ``await``) only *signals*
(:class:`~nbcallbacks.run_control.training_signals.TrainingSignals`); the
:class:`~nbcallbacks.run_control.training_controller.TrainingController` applies
the requests on the training thread between batches;
:class:`~nbcallbacks.run_control.interrupt_guard.InterruptGuard` makes the first
Ctrl-C a graceful stop; :mod:`~nbcallbacks.run_control.threaded_fit` is
``await dash.fit(...)``, training in a worker thread while the cell awaits. How
a click reaches the kernel while ``fit`` blocks it is :mod:`nbcallbacks.compat`'s
click routes.
"""
