"""Keep every worker of a ``MultiWorkerMirroredStrategy`` run in step with the chief's controls.

Workers train in lockstep: each step's gradients are summed across all of
them. If the chief stopped after batch 7 while a worker went on to batch 8,
the worker would wait forever for the chief's gradients; if only the chief
changed its learning rate, the copies of the model would drift apart. So
every decision is taken *together*, at points all workers reach in the same
order (before a batch, at each epoch's end): each process contributes what
it was asked (the chief: the person's clicks; a worker: a Ctrl-C of its own)
to one small all-reduce, and all apply the same result.

The all-reduce carries seven numbers through the strategy's own
communication (gRPC between hosts). It runs before every batch, or every few
batches when batches are quick (the chief's SyncPacer chooses, and the
choice travels in the same all-reduce, so all workers sync at the same
batches), and at every epoch's end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nbcallbacks.distributed.cluster_role import ClusterRole

SAVE_KINDS = (None, ".keras", ".weights.h5")


@dataclass(frozen=True)
class ControlRequest:
    """What one process asks for at a sync point (and, after :meth:`WorkerSync.agree`,
    what all processes do)."""

    stop: bool = False
    hard_stop: bool = False
    paused: bool = False
    learning_rate: float | None = None
    save: str | None = None  # the kind of file the chief saves: ".keras" or ".weights.h5"
    sync_every: int = 1  # batches until the next sync (the chief's SyncPacer decides)


def _encode(request: ControlRequest, is_chief: bool) -> list[float]:
    # [stop votes, hard-stop votes, chief paused, chief has a rate, chief's rate,
    # chief's save kind, chief's batches to the next sync]: summed over processes,
    # workers add zeros to the chief-only fields.
    rate = request.learning_rate if is_chief else None
    return [float(request.stop), float(request.hard_stop),
            float(is_chief and request.paused), float(rate is not None),
            float(rate) if rate is not None else 0.0,
            float(SAVE_KINDS.index(request.save)) if is_chief else 0.0,
            float(request.sync_every) if is_chief else 0.0]


def _decode(values: Sequence[float]) -> ControlRequest:
    """The agreed request from the summed encodings: anyone may stop; the rest is the chief's.

    Example:
        >>> chief = ControlRequest(paused=True, learning_rate=0.01)
        >>> worker = ControlRequest(stop=True, paused=True, learning_rate=9.0)
        >>> summed = [a + b for a, b in zip(_encode(chief, True), _encode(worker, False))]
        >>> _decode(summed)
        ControlRequest(stop=True, hard_stop=False, paused=True, learning_rate=0.01, save=None,
                       sync_every=1)
    """
    return ControlRequest(stop=values[0] > 0, hard_stop=values[1] > 0, paused=values[2] > 0,
                          learning_rate=float(values[4]) if values[3] > 0 else None,
                          save=SAVE_KINDS[int(round(values[5]))],
                          sync_every=max(1, int(round(values[6]))))


def multi_worker_strategy(model: Any) -> Any:
    """``model``'s ``tf.distribute.MultiWorkerMirroredStrategy``, or None.

    Without TensorFlow imported there is none (nothing is imported here).
    """
    import sys

    tf = sys.modules.get("tensorflow")
    strategy = getattr(model, "distribute_strategy", None) if tf is not None else None
    if tf is not None and isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return strategy
    return None


class WorkerSync:
    """One all-reduce per sync point over a ``MultiWorkerMirroredStrategy``.

    Use :meth:`for_model` to get one only when the model trains across
    several processes.
    """

    def __init__(self, strategy: Any, role: ClusterRole) -> None:
        import tensorflow as tf

        self.role = role
        self._strategy = strategy
        local_replicas = max(1, len(strategy.extended.worker_devices))

        @tf.function
        def all_reduce(values: Any) -> Any:
            # strategy.run hands the same tensor to each local replica: divide so
            # that every process is counted once, whatever its device count.
            context = tf.distribute.get_replica_context()
            return context.all_reduce(tf.distribute.ReduceOp.SUM, values / local_replicas)

        self._all_reduce = all_reduce
        self._tf = tf
        self.calls = 0

    @classmethod
    def for_model(cls, model: Any, role: ClusterRole) -> WorkerSync | None:
        """A sync for ``model``'s strategy when it spans several processes, else None."""
        strategy = multi_worker_strategy(model) if role.multi_worker else None
        return None if strategy is None else cls(strategy, role)

    def agree(self, request: ControlRequest) -> ControlRequest:
        """Contribute ``request``; return what every process now does (blocks for all)."""
        tf = self._tf
        self.calls += 1
        values = tf.constant(_encode(request, self.role.is_chief), dtype=tf.float64)
        result = self._strategy.run(self._all_reduce, args=(values,))
        return _decode(self._strategy.experimental_local_results(result)[0].numpy())
