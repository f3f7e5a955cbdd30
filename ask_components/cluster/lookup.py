"""What ACK offers and what is deployed, asked through the provider's data sources.

Two invokes, both read-only and answered at preview time:

- ``cs.get_kubernetes_version`` (``DescribeKubernetesVersionMetadata``): the versions ACK offers
  for new clusters of a profile (aliyun/terraform-provider-alicloud
  ``alicloud/data_source_alicloud_cs_kubernetes_version.go``);
- ``cs.get_clusters`` (``DescribeClustersForRegion``, ``GET /regions/{region}/clusters``): the
  deployed cluster's ``profile`` and ``current_version``, found by name and by the platform's tags
  (``alicloud/data_source_alicloud_cs_clusters.go``). The ManagedKubernetes data source has no
  version field; this one does.

The offline preview answers both from its own tables (``ask_components.preview.engine``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import pulumi
import pulumi_alicloud as alicloud

from ask_components.cluster.versions import ResolvedVersion, VersionError, resolve_version

_ = VersionError  # raised from here; callers catch it from versions

__all__ = [
    "CLUSTER_TYPE",
    "DeployedCluster",
    "deployed_cluster",
    "offered_versions",
    "resolve_cluster_version",
]

CLUSTER_TYPE: Final = "ManagedKubernetes"
"""``cluster_type`` of ASK, ACS and ACK Pro clusters alike (the profile tells them apart)."""


def offered_versions(profile: str, opts: pulumi.InvokeOptions | None = None) -> list[str]:
    """The full versions ACK offers for new clusters of ``profile``."""
    result = alicloud.cs.get_kubernetes_version(
        cluster_type=CLUSTER_TYPE, profile=profile, opts=opts
    )
    return [str(item.version) for item in result.metadatas or () if item.version]


def _has_tags(cluster: Any, tags: Mapping[str, str]) -> bool:
    present = cluster.tags or {}
    return all(present.get(key) == value for key, value in tags.items())


@dataclass(frozen=True)
class DeployedCluster:
    """The platform's cluster as ACK reports it.

    Attributes:
        cluster_id: its id.
        profile: ``Serverless``, ``Acs`` or ``Default`` (what kind it is).
        version: the Kubernetes version it runs (``current_version``).
    """

    cluster_id: str
    profile: str
    version: str | None


def deployed_cluster(
    cluster_name: str, tags: Mapping[str, str], opts: pulumi.InvokeOptions | None = None
) -> DeployedCluster | None:
    """The platform's deployed cluster, of any kind, or None when there is none yet.

    It is the one named ``cluster_name`` (the API's name filter matches substrings, so the name
    is compared exactly here) that carries every one of ``tags``.

    Raises:
        VersionError: more than one cluster matches.
    """
    result = alicloud.cs.get_clusters(
        cluster_name=cluster_name, cluster_type=CLUSTER_TYPE, opts=opts
    )
    matches = [
        cluster
        for cluster in result.clusters or ()
        if cluster.cluster_name == cluster_name and _has_tags(cluster, tags)
    ]
    if len(matches) > 1:
        ids = ", ".join(sorted(str(cluster.cluster_id) for cluster in matches))
        raise VersionError(
            f"{len(matches)} clusters are named {cluster_name} and carry this platform's tags "
            f"({ids}); the deployed one is ambiguous"
        )
    if not matches:
        return None
    found = matches[0]
    return DeployedCluster(
        str(found.cluster_id),
        str(found.profile or ""),
        str(found.current_version) if found.current_version else None,
    )


def resolve_cluster_version(
    requested: str | None,
    *,
    cluster_name: str,
    profile: str,
    tags: Mapping[str, str],
    opts: pulumi.InvokeOptions | None = None,
    deployed: DeployedCluster | Literal["look up"] | None = "look up",
) -> ResolvedVersion:
    """The full version to send for ``requested`` (see ``ask_components.cluster.versions``).

    A deployed cluster of another profile is being replaced (the profile is ForceNew): its
    version does not count, the new cluster is resolved as a new one.

    Args:
        deployed: the deployed cluster when the caller has looked it up already.

    Raises:
        VersionError: ``requested`` cannot be created or reached.
    """
    if deployed == "look up":
        deployed = deployed_cluster(cluster_name, tags, opts)
    running = deployed.version if deployed is not None and deployed.profile == profile else None
    return resolve_version(
        requested,
        offered_versions(profile, opts),
        deployed=running,
        offered_by=f"ACK ({profile} clusters)",
    )
