"""The ACK Serverless cluster."""

__all__ = ["AskCluster", "AskClusterArgs", "ClusterAddon", "KindCluster", "KindClusterArgs"]


def __getattr__(name: str) -> object:
    # The components import pulumi_alicloud and pulumi_kubernetes; load them only when asked for.
    if name in ("KindCluster", "KindClusterArgs"):
        from ask_components.cluster import kind

        return getattr(kind, name)
    if name in __all__:
        from ask_components.cluster import cluster

        return getattr(cluster, name)
    raise AttributeError(name)
