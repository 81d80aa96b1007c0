"""Which process of a multi-worker training run this is, read from ``TF_CONFIG``.

``tf.distribute.MultiWorkerMirroredStrategy`` (and the other cluster
strategies) learn the cluster from the ``TF_CONFIG`` environment variable:
``{"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker",
"index": 0}}``. The *chief* is the ``"chief"`` task when the cluster has one,
else worker 0 — the same rule TensorFlow uses to pick the process that writes
checkpoints. Only the chief shows the dashboard and owns the controls.

Reading the variable (not asking TensorFlow) means the role is known when the
``Dashboard`` is created, before TensorFlow is imported or the strategy exists.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

# Task types that run training steps (an "evaluator" or a parameter server "ps" does not).
TRAINING_TASKS = ("chief", "worker")


@dataclass(frozen=True)
class ClusterRole:
    """This process's place in the cluster (a single process is its own chief).

    Example:
        >>> role = cluster_role({"TF_CONFIG": '{"cluster": {"worker": ["a:1", "b:2"]}, '
        ...                                   '"task": {"type": "worker", "index": 1}}'})
        >>> role.is_chief, role.training_processes, role.describe()
        (False, 2, 'worker 1 of 2')
    """

    task_type: str = "worker"
    task_index: int = 0
    training_processes: int = 1
    is_chief: bool = True

    @property
    def multi_worker(self) -> bool:
        """True when several processes train together."""
        return self.training_processes > 1

    def describe(self) -> str:
        if not self.multi_worker:
            return "single process"
        return f"{self.task_type} {self.task_index} of {self.training_processes}"


SINGLE_PROCESS = ClusterRole()


def cluster_role(environ: Mapping[str, str] | None = None) -> ClusterRole:
    """The role ``TF_CONFIG`` gives this process; a single process when it is unset.

    Raises ``ValueError`` naming the problem when ``TF_CONFIG`` is set but is
    not the JSON TensorFlow expects.

    Example:
        >>> cluster_role({}).is_chief
        True
        >>> cluster_role({"TF_CONFIG": '{"cluster": {"chief": ["a:1"], "worker": ["b:2"]}, '
        ...                            '"task": {"type": "worker", "index": 0}}'}).is_chief
        False
    """
    environ = os.environ if environ is None else environ
    text = environ.get("TF_CONFIG", "").strip()
    if not text:
        return SINGLE_PROCESS
    try:
        config = json.loads(text)
        cluster = config.get("cluster") or {}
        task = config.get("task") or {}
        task_type = str(task.get("type", "worker"))
        task_index = int(task.get("index", 0))
        training = sum(len(cluster.get(kind) or ()) for kind in TRAINING_TASKS)
    except (ValueError, TypeError, AttributeError) as error:
        raise ValueError(
            f"TF_CONFIG is not the JSON TensorFlow expects ({error}): set it to "
            '\'{"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", '
            '"index": 0}}\' or unset it for single-process training') from None
    chief_type = "chief" if cluster.get("chief") else "worker"
    is_chief = task_type == chief_type and task_index == 0
    return ClusterRole(task_type, task_index, max(training, 1), is_chief)
