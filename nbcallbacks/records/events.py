"""Event records: what happened during training, where on the curves it happened."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import overload


@dataclass(frozen=True)
class Event:
    """One thing that happened during training.

    Attributes:
        epoch: the Keras epoch index (0-based) it happened in or after.
        step: the training step (batches over all fits) it happened at.
        kind: a short machine-readable kind (``"stop"``, ``"lr_change"``,
            ``"early_stopping"``, ``"mark"``, ...).
        message: what a person reads in the event log.
        time: wall-clock time (``time.time()``) it was recorded.
    """

    epoch: int
    step: int
    kind: str
    message: str
    time: float = field(default_factory=time.time)


class EventLog:
    """An append-only, thread-safe list of :class:`Event` records.

    Example:
        >>> log = EventLog()
        >>> log.add(epoch=2, step=40, kind="mark", message="switched to fine-tuning")
        Event(epoch=2, step=40, kind='mark', message='switched to fine-tuning', ...)
        >>> [e.kind for e in log]
        ['mark']
    """

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._lock = threading.Lock()

    def add(self, epoch: int, step: int, kind: str, message: str) -> Event:
        event = Event(int(epoch), int(step), str(kind), str(message))
        with self._lock:
            self._events.append(event)
        return event

    def snapshot(self) -> list[Event]:
        with self._lock:
            return list(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        return self.snapshot()[index]
