"""``KindCluster``: the local cluster, an existing kind cluster (``ask:cluster:KindCluster``).

The cluster is not created by Pulumi: ``make kind-up`` makes it (with ingress-nginx), and this
component points a Kubernetes provider at its kubectl context. It exposes ``AskCluster``'s
outputs so workloads cannot tell the targets apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s

from ask_components.config import DEFAULT_KUBE_CONTEXT


@dataclass
class KindClusterArgs:
    """Arguments of a ``KindCluster``.

    Attributes:
        context: the kubectl context of the cluster (kind names it ``kind-<cluster>``).
    """

    context: str = DEFAULT_KUBE_CONTEXT


class KindCluster(pulumi.ComponentResource):
    """A kind cluster reached through its kubectl context.

    Outputs:
        cluster_id: the context name (the cluster's identity on this machine).
        kubeconfig: ``""`` as a Pulumi secret: the credentials stay in your own kubeconfig
            (``~/.kube/config``, written by kind), where ``cluster_id`` names the context; the
            output exists so both targets export the same keys.
        provider: a ``pulumi_kubernetes.Provider`` for that context; every workload uses it.
    """

    cluster_id: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    provider: k8s.Provider

    def __init__(
        self, name: str, args: KindClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ask:cluster:KindCluster", name, None, opts)
        self.cluster_id = pulumi.Output.from_input(args.context)
        self.kubeconfig = pulumi.Output.secret("")
        self.provider = k8s.Provider(
            f"{name}-k8s",
            context=args.context,
            # As on the cloud: a destroy after `make kind-down` must not hang on the cluster.
            delete_unreachable=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"cluster_id": self.cluster_id, "kubeconfig": self.kubeconfig})
