"""Training on several processes: who shows the dashboard, and how controls reach everyone."""

from nbcallbacks.distributed.cluster_role import ClusterRole, cluster_role

__all__ = ["ClusterRole", "cluster_role"]
