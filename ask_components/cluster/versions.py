"""Which Kubernetes version a cluster is created with, or kept at (pure, no Pulumi).

ACK names versions ``<major>.<minor>.<patch>-aliyun.<n>`` ("x.y.z matches the upstream Kubernetes
version ... n is the Alibaba Cloud patch version",
https://www.alibabacloud.com/help/en/ack/product-overview/support-for-kubernetes-versions).
A stack file may say a minor (``"1.33"``) or a full version. Sending a minor to ACK is wrong:
the Terraform provider pulumi-alicloud is bridged from stores the cluster's real version on
every read (``d.Set("version", object.CurrentVersion)``) and has no diff suppression on
``version``, so every later preview would show ``1.33.x-aliyun.n -> 1.33`` and every ``up``
would call ``UpgradeCluster(NextVersion="1.33")``
(aliyun/terraform-provider-alicloud ``alicloud/resource_alicloud_cs_managed_kubernetes.go``:
schema ``version`` Optional+Computed, ``UpgradeAlicloudKubernetesCluster``).

:func:`resolve_version` decides the full version to send:

- no cluster deployed yet: the newest patch of the requested minor that ACK offers (a full
  version is taken as it is, if offered);
- a cluster is deployed on the requested minor: **its own version**, so a cluster ACK patched
  within the minor shows no change, and nothing is "upgraded" to what it already runs;
- a cluster is deployed on an older minor: the newest patch of the next minor, an in-place
  ``UpgradeCluster`` (``version`` is not ForceNew). ACK upgrades one minor at a time
  (https://www.alibabacloud.com/help/en/document_detail/86497.html, Mar 25, 2026) and never
  downgrades, so a jump or a step back is refused before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = [
    "OFFLINE_VERSIONS",
    "OFFLINE_VERSIONS_DATE",
    "AckVersion",
    "ResolvedVersion",
    "VersionError",
    "minor_of",
    "parse_version",
    "resolve_version",
]

_FULL = re.compile(r"^(\d+)\.(\d+)\.(\d+)-aliyun\.(\d+)$")
_MINOR = re.compile(r"^(\d+)\.(\d+)$")


class VersionError(ValueError):
    """The requested version cannot be created or reached; the message says why and what can."""


@dataclass(frozen=True, order=True)
class AckVersion:
    """A full ACK version, ordered as ACK orders them.

    Attributes:
        major, minor, patch: the upstream Kubernetes version.
        aliyun: Alibaba's patch number.
    """

    major: int
    minor: int
    patch: int
    aliyun: int

    @property
    def minor_version(self) -> str:
        """``"1.33"``."""
        return f"{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}-aliyun.{self.aliyun}"


def parse_version(text: str) -> AckVersion:
    """A full ACK version (``"1.33.3-aliyun.1"``).

    Raises:
        VersionError: ``text`` is not one.
    """
    match = _FULL.match(text)
    if match is None:
        raise VersionError(f"{text!r} is not an ACK version like 1.33.3-aliyun.1")
    major, minor, patch, aliyun = (int(part) for part in match.groups())
    return AckVersion(major, minor, patch, aliyun)


def minor_of(text: str) -> tuple[int, int]:
    """The (major, minor) of a minor (``"1.33"``) or a full version.

    Raises:
        VersionError: ``text`` is neither.
    """
    match = _MINOR.match(text)
    if match is not None:
        return int(match.group(1)), int(match.group(2))
    version = parse_version(text)
    return version.major, version.minor


@dataclass(frozen=True)
class ResolvedVersion:
    """The version to send and why.

    Attributes:
        version: the full version (``"1.33.3-aliyun.1"``).
        origin: where it came from, for a person (``"newest 1.33 patch offered by ACK"``).
        upgrade_from: the deployed version when this is an in-place upgrade, else None.
    """

    version: str
    origin: str
    upgrade_from: str | None = None


def _minor_text(minor: tuple[int, int]) -> str:
    return f"{minor[0]}.{minor[1]}"


def resolve_version(
    requested: str | None,
    offered: Iterable[str],
    *,
    deployed: str | None = None,
    offered_by: str = "ACK",
) -> ResolvedVersion:
    """The full version a cluster is created with or kept at.

    Args:
        requested: the stack file's ``cluster.version``: a minor, a full version, or None for
            the newest ACK offers.
        offered: the versions ACK offers for new clusters of this profile
            (``cs.get_kubernetes_version``); entries that are not full versions are ignored.
        deployed: the version the deployed cluster runs (``cs.get_clusters``), or None when
            there is none yet.
        offered_by: where ``offered`` came from, named in messages.

    Raises:
        VersionError: nothing offered matches, or the change is a downgrade or skips a minor.
    """
    versions = sorted({parse_version(text) for text in offered if _FULL.match(text)})
    minors = sorted({(v.major, v.minor) for v in versions})
    offered_minors = ", ".join(_minor_text(minor) for minor in minors) or "none"
    current = parse_version(deployed) if deployed else None

    if requested is None:
        if current is not None:
            return ResolvedVersion(str(current), "the version the deployed cluster runs")
        if not versions:
            raise VersionError(f"{offered_by} offers no Kubernetes version for this cluster")
        return ResolvedVersion(str(versions[-1]), f"newest version offered by {offered_by}")

    wanted = minor_of(requested)
    if current is not None:
        running = (current.major, current.minor)
        if wanted == running:
            if _FULL.match(requested) and parse_version(requested) > current:
                return _upgrade(parse_version(requested), versions, current, offered_by)
            # ACK may have patched it within the minor: keep what runs, whatever the pin.
            return ResolvedVersion(str(current), "the version the deployed cluster runs")
        if wanted < running:
            raise VersionError(
                f"the cluster runs {current}; ACK cannot downgrade it to "
                f"{_minor_text(wanted)} (keep {current.minor_version} or newer)"
            )
        later = [minor for minor in minors if minor > running]
        if later and wanted != later[0]:
            raise VersionError(
                f"the cluster runs {current}; ACK upgrades one minor version at a time: "
                f"upgrade to {_minor_text(later[0])} first"
            )
    if _FULL.match(requested):
        target = parse_version(requested)
        if target not in versions:
            same = [str(v) for v in versions if (v.major, v.minor) == wanted]
            raise VersionError(
                f"{requested} is not offered by {offered_by} "
                f"(offered {_minor_text(wanted)} versions: {', '.join(same) or 'none'})"
            )
    else:
        in_minor = [v for v in versions if (v.major, v.minor) == wanted]
        if not in_minor:
            raise VersionError(
                f"{requested} is not offered by {offered_by} (offered minor versions: "
                f"{offered_minors})"
            )
        target = in_minor[-1]
    if current is not None:
        return _upgrade(target, versions, current, offered_by)
    origin = (
        "pinned in the stack file"
        if _FULL.match(requested)
        else f"newest {target.minor_version} patch offered by {offered_by}"
    )
    return ResolvedVersion(str(target), origin)


def _upgrade(
    target: AckVersion, versions: Sequence[AckVersion], current: AckVersion, offered_by: str
) -> ResolvedVersion:
    if target not in versions:
        raise VersionError(f"{target} is not offered by {offered_by}")
    return ResolvedVersion(
        str(target),
        f"in-place upgrade from {current} to the newest {target.minor_version} patch offered "
        f"by {offered_by}",
        upgrade_from=str(current),
    )


OFFLINE_VERSIONS_DATE: Final = "2026-06-06"
"""When :data:`OFFLINE_VERSIONS` was last checked against ACK's release notes."""

OFFLINE_VERSIONS: Final[tuple[str, ...]] = (
    # ACK release notes list the patch versions of each minor:
    # 1.30 (Nov 07, 2025): https://www.alibabacloud.com/help/en/ack/
    #   ack-managed-and-ack-dedicated/user-guide/kubernetes-1-30-release-notes
    # 1.33: https://www.alibabacloud.com/help/doc-detail/2923891.html
    # 1.35: https://www.alibabacloud.com/help/doc-detail/3021327.html (Mar 25, 2026)
    # 1.36 (Jun 06, 2026): https://www.alibabacloud.com/help/en/ack/
    #   ack-managed-and-ack-dedicated/user-guide/kubernetes-1-36
    # Minors without release notes found (1.31, 1.32, 1.34) are left out rather than guessed.
    "1.30.1-aliyun.1",
    "1.30.7-aliyun.1",
    "1.33.1-aliyun.1",
    "1.33.3-aliyun.1",
    "1.35.1-aliyun.1",
    "1.35.2-aliyun.1",
    "1.36.1-aliyun.1",
)
"""What the offline preview answers for ``cs.get_kubernetes_version``: ACK's patch versions as
its release notes list them (``pulumi preview`` asks ACK itself). ACK creates only the three
newest minors (https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/upgrade-clusters);
the offline table keeps older ones so that deployed stacks still preview."""
