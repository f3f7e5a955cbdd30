"""Point a kubeconfig at another API server endpoint (pure).

``cs.get_cluster_credential`` always asks for the Internet kubeconfig: the Terraform provider
sends ``DescribeClusterUserKubeconfig`` with ``PrivateIpAddress: false`` hard-coded
(aliyun/terraform-provider-alicloud ``alicloud/service_alicloud_cs.go``,
``DescribeClusterKubeConfigWithExpiration``). A cluster without a public endpoint is reachable
only at its intranet endpoint (the cluster's ``connections.api_server_intranet``, read from
``MasterUrl``'s ``intranet_api_server_endpoint``), which ACK's certificate also covers; so the
kubeconfig of a private cluster is the same credential with that server.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import yaml

__all__ = ["KubeconfigError", "with_server"]


class KubeconfigError(ValueError):
    """The kubeconfig or the endpoint cannot be used."""


def with_server(kubeconfig: str, server: str) -> str:
    """``kubeconfig`` with every cluster's ``server`` set to ``server``.

    Args:
        kubeconfig: a kubeconfig document (YAML).
        server: the API server URL (``https://10.0.0.10:6443``).

    Raises:
        KubeconfigError: the document has no cluster, or ``server`` is not an https URL.
    """
    parts = urlsplit(server)
    if parts.scheme != "https" or not parts.hostname:
        raise KubeconfigError(f"the API server endpoint {server!r} is not an https URL")
    try:
        document: Any = yaml.safe_load(kubeconfig)
    except yaml.YAMLError as err:
        raise KubeconfigError(f"the kubeconfig is not YAML: {err}") from None
    clusters = document.get("clusters") if isinstance(document, dict) else None
    if not isinstance(clusters, list) or not clusters:
        raise KubeconfigError("the kubeconfig names no cluster")
    for entry in clusters:
        cluster = entry.get("cluster") if isinstance(entry, dict) else None
        if not isinstance(cluster, dict):
            raise KubeconfigError("a cluster entry of the kubeconfig has no `cluster`")
        cluster["server"] = server
    return str(yaml.safe_dump(document, sort_keys=False))
