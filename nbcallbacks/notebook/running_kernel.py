"""The IPython shell and the ipykernel kernel this code runs under, if any.

The one place that asks IPython: the frontend detection, the end-of-cell hook,
the cell id and every kernel trick in :mod:`nbcallbacks.compat` start from
:func:`running_shell` or from the kernel object:
``get_ipython().kernel``, the attribute ``ipykernel``'s shell
(``ZMQInteractiveShell``) sets to its ``IPythonKernel``. Outside IPython, in
a terminal IPython (no ``kernel`` attribute) or without IPython installed,
both lookups answer None and the callers take their no-kernel path.

Verified on ipykernel 6.17.1 (Colab), 6.29.5, 7.0.1, 7.3.0 and 7.4.0
(``tests/test_controls_in_kernel.py`` runs a real kernel of each).
"""

from __future__ import annotations

import sys
from typing import Any


def running_shell() -> Any:
    """IPython's running shell, or None (a script, or IPython not started or broken).

    Example:
        >>> running_shell() is None       # doctests run outside IPython
        True
    """
    # A shell imports IPython before anything runs in it: when IPython is not
    # imported there is no shell, and a script does not pay for importing it.
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import get_ipython

        return get_ipython()
    except Exception:  # noqa: BLE001 - a broken IPython is "no IPython"
        return None


def running_shell_and_kernel() -> tuple[Any, Any]:
    """``(shell, kernel)``: IPython's shell and its ipykernel kernel, each None when absent.

    Example:
        >>> running_shell_and_kernel()    # doctests run outside IPython
        (None, None)
    """
    shell = running_shell()
    return shell, getattr(shell, "kernel", None)


def running_kernel() -> Any:
    """The ipykernel kernel, or None (outside a kernel, or when looking it up fails).

    Example:
        >>> running_kernel() is None
        True
    """
    try:
        return running_shell_and_kernel()[1]
    except Exception:  # noqa: BLE001 - an unreadable kernel attribute: no kernel
        return None
