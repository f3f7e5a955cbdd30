"""Stack rules: they need several resources at once (a NAT for a pod, a VPC for a zone)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ask_components.policy.model import (
    Finding,
    Level,
    Rule,
    Subject,
    Unreadable,
    as_list,
    is_true,
    is_unknown,
)
from ask_components.policy.pods import (
    AUTO_IMAGE_CACHE_ANNOTATION,
    EIP_ID_ANNOTATION,
    IMAGE_CACHE_ID_ANNOTATION,
    WITH_EIP_ANNOTATION,
    all_templates,
    images,
    is_alibaba_registry,
)
from ask_components.policy.rules import CLUSTER_TYPES

VPC_TYPE = "alicloud:vpc/network:Network"
SANDBOX_VPC_SUFFIXES = (":SandboxVpc", ":SandboxNetwork")
"""Type-token endings of the local target's stand-in VPC."""

NAT_TYPE = "alicloud:vpc/natGateway:NatGateway"
SANDBOX_NAT_SUFFIX = ":SandboxNatGateway"
ZONE_ATTACHMENT_TYPE = "alicloud:pvtz/zoneAttachment:ZoneAttachment"
SANDBOX_ZONE_SUFFIX = ":SandboxPrivateZone"
"""The local target's PrivateZone stand-in: the zone itself carries ``vpc_ids`` (a dynamic
resource, so its inputs keep their snake_case names)."""


def _is_vpc(subject: Subject) -> bool:
    return subject.type == VPC_TYPE or subject.type.endswith(SANDBOX_VPC_SUFFIXES)


# --- private-zone-platform-vpc --------------------------------------------------------------


def _attached_vpcs(subject: Subject) -> list[object]:
    try:
        return _listed_vpcs(subject)
    except Unreadable as err:
        raise err.about(subject.urn) from None


def _listed_vpcs(subject: Subject) -> list[object]:
    vpcs: list[object] = list(as_list(subject.props.get("vpcIds"), "vpcIds"))
    vpcs.extend(as_list(subject.props.get("vpc_ids"), "vpc_ids"))
    for entry in as_list(subject.props.get("vpcs"), "vpcs"):
        vpcs.append(entry.get("vpcId") if isinstance(entry, dict) else entry)
    return vpcs


def _private_zone_vpc(subjects: Sequence[Subject]) -> Iterator[Finding]:
    platform_vpcs = {subject.urn: subject for subject in subjects if _is_vpc(subject)}
    known_ids = {
        str(vpc.props["id"])
        for vpc in platform_vpcs.values()
        if isinstance(vpc.props.get("id"), str)
    }
    for attachment in subjects:
        sandbox = attachment.type.endswith(SANDBOX_ZONE_SUFFIX)
        if attachment.type != ZONE_ATTACHMENT_TYPE and not sandbox:
            continue
        if any(is_unknown(attachment.props.get(key)) for key in ("vpcIds", "vpcs", "vpc_ids")):
            continue
        vpcs = _attached_vpcs(attachment)
        if sandbox and not vpcs:
            continue  # a sandbox zone attached to no VPC yet
        if len(vpcs) != 1:
            yield Finding(
                f"the zone is attached to {len(vpcs)} VPCs; it must be attached to exactly one, "
                "the platform's",
                fix="attach the zone to the platform VPC only (vpcIds: [network.vpc_id])",
                urn=attachment.urn,
            )
            continue
        if any(dep in platform_vpcs for dep in attachment.dependencies):
            continue
        if isinstance(vpcs[0], str) and vpcs[0] in known_ids:
            continue
        if not platform_vpcs:
            message = "the stack has no platform VPC to attach the zone to"
        else:
            attached = vpcs[0] if isinstance(vpcs[0], str) else "a VPC"
            message = (
                f"the zone is attached to {attached!r}, which is not the platform VPC "
                f"({', '.join(vpc.name for vpc in platform_vpcs.values())})"
            )
        yield Finding(
            message,
            fix="pass the platform Network's vpc_id output to the ZoneAttachment",
            urn=attachment.urn,
        )


PRIVATE_ZONE_PLATFORM_VPC = Rule(
    id="private-zone-platform-vpc",
    description="A PrivateZone is attached to exactly one VPC: the platform's.",
    rationale=(
        "An attachment makes the zone's records resolve in that VPC; attaching another VPC "
        "leaks internal names to it and lets its records shadow the platform's."
    ),
    url="https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/use-alibaba-cloud-dns-privatezone-to-implement-service-discovery-on-virtual-nodes",
    fix="attach the zone to the platform VPC only (vpcIds: [network.vpc_id])",
    level=Level.MANDATORY,
    check_stack=_private_zone_vpc,
)


# --- nat-egress-for-public-images -----------------------------------------------------------


def _has_egress(subjects: Sequence[Subject]) -> bool:
    for subject in subjects:
        if subject.type == NAT_TYPE and subject.props.get("networkType") != "intranet":
            return True
        if subject.type.endswith(SANDBOX_NAT_SUFFIX) and subject.props.get("network_type") != (
            "intranet"
        ):
            return True
        if subject.type == CLUSTER_TYPES[0] and subject.props.get("newNatGateway", True) is True:
            return True  # the cluster makes its own NAT (the provider's default)
        if subject.type == CLUSTER_TYPES[1] and subject.props.get("newNatGateway", True) is True:
            return True
    return False


def _nat_egress(subjects: Sequence[Subject]) -> Iterator[Finding]:
    if _has_egress(subjects):
        return
    for subject, template in all_templates(subjects):
        if is_true(template.annotation(AUTO_IMAGE_CACHE_ANNOTATION)):
            continue
        if template.annotation(IMAGE_CACHE_ID_ANNOTATION):
            continue
        if is_true(template.annotation(WITH_EIP_ANNOTATION)) or template.annotation(
            EIP_ID_ANNOTATION
        ):
            continue  # the pod has its own public address
        for label, image in images(template):
            if is_alibaba_registry(image):
                continue
            yield Finding(
                f"{label} pulls the public image {image!r}, but the stack has no NAT gateway "
                "and the pod no image cache: the pull cannot leave the VPC",
                urn=subject.urn,
            )


NAT_EGRESS_FOR_PUBLIC_IMAGES = Rule(
    id="nat-egress-for-public-images",
    description=(
        "Pods that pull images from outside Alibaba Cloud registries have NAT egress or an "
        "image cache."
    ),
    rationale=(
        "ECI pods have no public address: without a NAT gateway (SNAT) a pull from Docker Hub "
        "or GHCR hangs in ImagePullBackOff. ACR (*.aliyuncs.com) and image caches work "
        "from inside the VPC."
    ),
    url="https://help.aliyun.com/document_detail/141241.html",
    fix=(
        "set ask:platform.network.egress to single or per-zone, move the image to ACR, or "
        'annotate the pod template with k8s.aliyun.com/eci-auto-imc: "true" or '
        "k8s.aliyun.com/eci-imc-id"
    ),
    level=Level.MANDATORY,
    check_stack=_nat_egress,
)
