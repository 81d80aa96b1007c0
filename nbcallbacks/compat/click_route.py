"""Which way a widget click reaches Python while ``fit`` runs, on the kernel that is running.

One route per ipykernel line, each a module of its own:

============================  =====================================  ==============================
kernel                        blocking ``model.fit``                 ``await dash.fit``
============================  =====================================  ==============================
ipykernel 6 (6.17.1, 6.29.5,  :mod:`~.ipykernel6_pump` between        the same pump, from the
6.31.0)                       batches                                awaiting coroutine
ipykernel 7.0–7.3 (7.0.1,     :mod:`~.main_shell_drain` between       the drain, driven by the
7.1.0, 7.2.0, 7.3.0)          batches                                kernel's event loop
ipykernel 7.4 (7.4.0)         :mod:`~.subshell_routing`: a subshell   the kernel itself (it lets
                              (the frontend's, or the kernel's own)  comm messages through while
                                                                     a cell awaits)
============================  =====================================  ==============================

On 7.4 the main-shell drain also runs, for what a frontend still sends the
busy main shell: a page reopened mid-fit asks there for the kernel's info and
its widgets before it knows of subshells. On every line
:mod:`~.busy_status` keeps the frontend's kernel status "busy" while the cell
trains, whatever the route answers meanwhile.

The versions in brackets are the ones the routes were verified on, in real
kernels, with a client sending clicks with and without a subshell id
(``tests/test_controls_in_kernel.py``). On another version a route whose
internals are present is still used, and reported as unverified.

:func:`start_click_route` installs the route for one ``fit`` and says whether
it is really in place; the dashboard tells the user when it is not.

What the user sees when no route is in place (a kernel whose internals
changed, or no kernel): the panel says that clicks arrive only after the cell
ends and that the kernel interrupt still stops training gracefully. When the
route's mechanism (a :class:`~.click_mechanism.ClickMechanism`) fails during
the fit, :attr:`ClickRoute.problem` says what failed and the panel shows it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from nbcallbacks.compat import subshell_routing
from nbcallbacks.compat.busy_status import BusyStatus
from nbcallbacks.compat.click_mechanism import ClickMechanism
from nbcallbacks.compat.ipykernel6_pump import KernelPump, is_ipykernel6
from nbcallbacks.compat.main_shell_drain import MainShellDrain, main_shell_stream
from nbcallbacks.notebook.running_kernel import running_kernel

PUMP, DRAIN, SUBSHELL, KERNEL, NONE = ("ipykernel6-pump", "main-shell-drain", "subshell",
                                       "kernel", "none")
VERIFIED = {
    # route: the ipykernel versions it was verified on, in real kernels. A version
    # between the oldest and newest of a route's list (compared by major.minor) counts
    # as verified: the tests run real kernels at both ends of each span and inside it.
    PUMP: ("6.17.1", "6.29.5", "6.31.0"),
    DRAIN: ("7.0.1", "7.1.0", "7.2.0", "7.3.0"),
    SUBSHELL: ("7.4.0",),
    KERNEL: ("7.4.0",),
}


def verified_on(route: str, version: str | None) -> bool:
    """True when ``route`` was verified on ``version``'s line (see ``VERIFIED``).

    Example:
        >>> verified_on("ipykernel6-pump", "6.30.1"), verified_on("subshell", "7.4.2")
        (True, True)
        >>> verified_on("subshell", "7.5.0"), verified_on("main-shell-drain", None)
        (False, False)
    """
    if version is None or route not in VERIFIED:
        return False
    line = _major_minor(version)
    tested = [parsed for v in VERIFIED[route] if (parsed := _major_minor(v)) is not None]
    return line is not None and min(tested) <= line <= max(tested)


def _major_minor(version: str) -> tuple[int, int] | None:
    try:
        major, minor = version.split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return None


def ipykernel_version() -> str | None:
    """The running kernel's ipykernel version, or None outside an ipykernel kernel.

    Example:
        >>> ipykernel_version() is None    # doctests run outside a kernel
        True
    """
    if running_kernel() is None:
        return None
    try:
        import ipykernel
    except ImportError:  # pragma: no cover
        return None
    return ipykernel.__version__


@dataclass
class ClickRoute:
    """How clicks reach Python during one ``fit``, and whether that is in place.

    Attributes:
        name: ``"ipykernel6-pump"``, ``"main-shell-drain"``, ``"subshell"``,
            ``"kernel"`` (the kernel delivers them itself) or ``"none"``.
        live: clicks are handled while training runs.
        verified: ``live``, and this route was verified on this kernel version.
        kernel_version: the running ipykernel's version (None: no kernel).
        awaiting: installed for ``await dash.fit`` rather than a blocking fit.
        reason: why no route is live (empty when one is).
        await_fit: ``await dash.fit`` would deliver clicks on this kernel: its
            route's internals are there and it was verified on this version.
    """

    name: str
    live: bool
    verified: bool
    kernel_version: str | None
    awaiting: bool = False
    reason: str = ""
    await_fit: bool = False
    _mechanism: ClickMechanism | None = field(default=None, repr=False)
    _busy: BusyStatus | None = field(default=None, repr=False)
    _problem_at_stop: str | None = field(default=None, repr=False)

    @property
    def pumps(self) -> bool:
        """True when :meth:`pump` must be called between batches."""
        return self.live and not self.awaiting and self._mechanism is not None

    def pump(self, force: bool = False) -> int:
        """Between batches of a blocking fit: handle the clicks that wait (no-op otherwise)."""
        mechanism = self._mechanism
        if not self.pumps or mechanism is None:
            return 0
        return mechanism.pump(force=force)

    async def pump_async(self) -> None:
        """From the awaiting coroutine of ``await dash.fit`` (ipykernel 6 needs it)."""
        mechanism = self._mechanism
        if self.live and self.awaiting and isinstance(mechanism, KernelPump):
            await mechanism.pump_async()

    @property
    def problem(self) -> str | None:
        """The first failure of this fit's click mechanism, in words for a person (None:
        none); still there after :meth:`stop`."""
        mechanism = self._mechanism
        return mechanism.problem if mechanism is not None else self._problem_at_stop

    def stop(self) -> None:
        """Take the route down at train end (queued cells then run in order)."""
        mechanism, self._mechanism = self._mechanism, None
        if mechanism is not None:
            self._problem_at_stop = mechanism.problem
            mechanism.stop()
        busy, self._busy = self._busy, None
        if busy is not None:
            busy.stop()


def await_fit_verified(version: str | None) -> bool:
    """True when ``await dash.fit`` was verified to deliver clicks on this ipykernel version.

    Example:
        >>> await_fit_verified("6.29.5"), await_fit_verified("7.4.0"), await_fit_verified(None)
        (True, True, False)
    """
    if version is None:
        return False
    return any(verified_on(name, version) for name in (PUMP, DRAIN, KERNEL))


def _await_route_ready(kernel: Any, version: str | None) -> bool:
    """Whether ``await dash.fit`` has a verified route here (checked, not installed)."""
    if not await_fit_verified(version):
        return False
    if is_ipykernel6(kernel):
        return True
    return subshell_routing.routes_comms() or main_shell_stream(kernel) is not None


def _made(name: str, version: str | None, awaiting: bool,
          mechanism: ClickMechanism | None = None, kernel: Any = None) -> ClickRoute:
    # What the route answers while the cell runs must not make the frontend say "idle".
    busy = BusyStatus(kernel)
    return ClickRoute(name=name, live=True, verified=verified_on(name, version),
                      kernel_version=version, awaiting=awaiting, _mechanism=mechanism,
                      await_fit=_await_route_ready(kernel, version),
                      _busy=busy if busy.start() else None)


def _none(version: str | None, awaiting: bool, reason: str, kernel: Any = None) -> ClickRoute:
    return ClickRoute(name=NONE, live=False, verified=False, kernel_version=version,
                      awaiting=awaiting, reason=reason,
                      await_fit=_await_route_ready(kernel, version))


def start_click_route(awaiting: bool = False) -> ClickRoute:
    """Install the click route for one ``fit`` on the running kernel; call :meth:`ClickRoute.stop`
    at train end.

    Call from the cell's thread: at train begin for a blocking ``model.fit``
    (``awaiting=False``), before starting the training thread for
    ``await dash.fit`` (``awaiting=True``).

    Example:
        >>> route = start_click_route()    # outside a kernel: nothing can click
        >>> route.name, route.live
        ('none', False)
        >>> route.stop()
    """
    kernel = running_kernel()
    version = ipykernel_version()
    if kernel is None:
        return _none(version, awaiting, "not running in a Jupyter kernel")
    if not awaiting and threading.current_thread() is not threading.main_thread():
        # model.fit in a thread of the user's: the cell has ended, so the kernel
        # handles clicks itself whenever its main shell is free.
        return ClickRoute(name=KERNEL, live=True, verified=False, kernel_version=version,
                          await_fit=_await_route_ready(kernel, version))
    if is_ipykernel6(kernel):
        pump = KernelPump()
        if pump.start():
            return _made(PUMP, version, awaiting, pump, kernel)
        return _none(version, awaiting, "the ipykernel 6 message pump could not start", kernel)
    if subshell_routing.routes_comms():
        if awaiting or subshell_routing.own_subshell() is not None:
            # Clicks: 7.4 dispatches comm messages while a cell awaits (shell_main), and
            # the subshell route takes them during a blocking fit. The drain answers what
            # still waits for the main shell: a page reopened mid-fit asks there first.
            drain = MainShellDrain(awaiting=awaiting)
            return _made(KERNEL if awaiting else SUBSHELL, version, awaiting,
                         drain if drain.start() else None, kernel)
        # Fall through: the main-shell drain carries the clicks too.
    if main_shell_stream(kernel) is not None:
        drain = MainShellDrain(awaiting=awaiting)
        if drain.start():
            return _made(DRAIN, version, awaiting, drain, kernel)
        return _none(version, awaiting, "the main shell's queue could not be taken over",
                     kernel)
    return _none(version, awaiting,
                 "this kernel has none of the internals nbcallbacks uses for that", kernel)
