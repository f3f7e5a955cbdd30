"""The ACK Serverless cluster."""

__all__ = ["AskCluster", "AskClusterArgs", "ClusterAddon"]


def __getattr__(name: str) -> object:
    # The component imports pulumi_alicloud and pulumi_kubernetes; load them only when asked for.
    if name in __all__:
        from ask_components.cluster import cluster

        return getattr(cluster, name)
    raise AttributeError(name)
