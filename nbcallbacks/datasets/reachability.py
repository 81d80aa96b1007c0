"""Can a data set's server be reached from here? Asked without ever hanging."""

from __future__ import annotations

import socket
import threading


def can_connect(host: str, port: int, timeout: float) -> bool:
    """Whether a TCP connection to ``host:port`` opens within about ``timeout`` seconds.

    The connect runs on a daemon thread because name resolution ignores socket
    timeouts; whatever it does, the caller waits ``timeout`` plus a little, no longer.

    Example:
        >>> can_connect("127.0.0.1", 9, timeout=0.5)   # the discard port: normally closed
        False
    """
    answer: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                answer.append(True)
        except OSError:
            answer.append(False)

    thread = threading.Thread(target=probe, name="nbcallbacks-reachability", daemon=True)
    thread.start()
    thread.join(timeout + 0.5)
    return bool(answer and answer[0])
