"""Stack rules: they need several resources at once (a NAT for a pod, a VPC for a zone)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

from ask_components.policy.model import (
    Finding,
    Level,
    Rule,
    Subject,
    Unreadable,
    as_list,
    as_map,
    dig,
    is_true,
    is_unknown,
)
from ask_components.policy.pods import (
    AUTO_IMAGE_CACHE_ANNOTATION,
    EIP_ID_ANNOTATION,
    IMAGE_CACHE_ID_ANNOTATION,
    USE_SPECS_ANNOTATION,
    WITH_EIP_ANNOTATION,
    PodTemplate,
    all_templates,
    container_label,
    images,
    is_alibaba_registry,
)
from ask_components.policy.rules import CLUSTER_TYPES, SERVICE_TYPE
from ask_components.workloads.runtime import LABEL_ACS, LABEL_COMPUTE_CLASS, LABEL_ECI

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


# --- where pods run: ECI, ACS or nodes ------------------------------------------------------

ClusterKind = Literal["ask", "acs", "ack-pro"]
PodRunsOn = Literal["eci", "acs", "node"]

_PROFILE_KINDS: Mapping[str, ClusterKind] = {"Serverless": "ask", "Acs": "acs"}
"""``profile`` of alicloud's ManagedKubernetes (terraform-provider-alicloud
website/docs/r/cs_managed_kubernetes.html.markdown: Default, Edge, Serverless, Acs; the schema
in resource_alicloud_cs_managed_kubernetes.go has no validation and computes it when unset, as
Default). Default and Edge run pods on nodes, so ECI and ACS pods there come from the virtual
node (ACK Pro)."""

_LEGACY_ECI_LABEL = "eci"
"""ACK Pro still honours ``eci: "true"`` ("仍支援…但不推薦", ECI's
schedule-pods-to-virtual-kubelet page)."""


def cluster_kind(subjects: Sequence[Subject]) -> ClusterKind | None:
    """The kind of the stack's one cluster (None: no cluster, several kinds, or unknown)."""
    kinds: set[ClusterKind] = set()
    for subject in subjects:
        if subject.type == CLUSTER_TYPES[1]:
            kinds.add("ask")
        elif subject.type == CLUSTER_TYPES[0]:
            profile = subject.props.get("profile")
            if is_unknown(profile):
                return None
            kinds.add(_PROFILE_KINDS.get(str(profile or "Default"), "ack-pro"))
    return kinds.pop() if len(kinds) == 1 else None


def pod_runs_on(template: PodTemplate, cluster: ClusterKind | None) -> PodRunsOn:
    """Where a pod runs: every pod of an ASK cluster on ECI and of an ACS cluster on ACS; on ACK
    Pro the virtual node's label decides (``alibabacloud.com/eci`` / ``alibabacloud.com/acs``,
    reference/acs-and-ack-pro.md §4), other pods go to nodes. A stack without its cluster (the
    workloads of an existing one) is read from the labels: an ACS pod carries its compute class."""
    labels = template.labels
    if cluster == "acs":
        return "acs"
    if cluster == "ask":
        return "eci"
    if cluster == "ack-pro":
        if is_true(labels.get(LABEL_ECI)) or is_true(labels.get(_LEGACY_ECI_LABEL)):
            return "eci"
        return "acs" if is_true(labels.get(LABEL_ACS)) else "node"
    if LABEL_COMPUTE_CLASS in labels or is_true(labels.get(LABEL_ACS)):
        return "acs"
    return "eci"


def _templates_on(
    subjects: Sequence[Subject], runtime: PodRunsOn, cluster: ClusterKind | None
) -> Iterator[tuple[Subject, PodTemplate]]:
    for subject, template in all_templates(subjects):
        if pod_runs_on(template, cluster) == runtime:
            yield subject, template


# --- eci-spec-declared ----------------------------------------------------------------------


def _eci_spec(subjects: Sequence[Subject]) -> Iterator[Finding]:
    for subject, template in _templates_on(subjects, "eci", cluster_kind(subjects)):
        if template.kind == "CIJob":
            continue  # CI job pods are sized by the runner's cpu/memory settings
        value = template.annotation(USE_SPECS_ANNOTATION)
        if is_unknown(value) or (isinstance(value, str) and value.strip()):
            continue
        yield Finding(
            f"{template.annotations_path} has no {USE_SPECS_ANNOTATION} annotation "
            f"({template.kind})",
            urn=subject.urn,
        )


ECI_SPEC_DECLARED = Rule(
    id="eci-spec-declared",
    description=(
        "Every ECI pod template states its ECI spec (k8s.aliyun.com/eci-use-specs); ACS pods "
        "and pods on nodes are not ECI."
    ),
    rationale=(
        "Without it ECI rounds the pod's summed limits up to the next spec, and a pod without "
        "limits gets 2 vCPU / 4 GiB: the bill follows whatever rounding picks. Stating the "
        "spec (up to 5, in order) makes the bill and the fallbacks explicit."
    ),
    url="https://www.alibabacloud.com/help/en/eci/user-guide/pod-annotations",
    fix=(
        'annotate the pod template with k8s.aliyun.com/eci-use-specs, e.g. "2-4Gi" '
        "(the workload components' EciOptions do this)"
    ),
    level=Level.ADVISORY,
    check_stack=_eci_spec,
)


# --- acs-supported-features -----------------------------------------------------------------

_ACS_DNS_POLICIES = frozenset({"None", "Default", "ClusterFirst", "ClusterFirstWithHostNet"})
_ACS_RESERVED_PORTS = frozenset({111, 10250, 10255})


def _acs_pod_problems(template: PodTemplate) -> Iterator[str]:
    spec_path = template.spec_path
    if template.kind == "DaemonSet":
        yield "a DaemonSet's pods start on ACS but do not work (there are no nodes to serve)"
    if not template.spark:
        for index, volume in enumerate(
            as_list(template.pod_spec.get("volumes"), f"{spec_path}.volumes")
        ):
            volume = as_map(volume, f"{spec_path}.volumes[{index}]")
            if "hostPath" in volume:
                yield (
                    f"{spec_path}.volumes[{index}] ({volume.get('name')}) is a hostPath volume, "
                    "which ACS does not support"
                )
        policy = template.pod_spec.get("dnsPolicy")
        if isinstance(policy, str) and policy not in _ACS_DNS_POLICIES:
            yield (
                f"{spec_path}.dnsPolicy {policy!r} is rejected by ACS (None, Default or "
                "ClusterFirst)"
            )
    for path, container in template.containers:
        for index, port in enumerate(as_list(container.get("ports"), f"{path}.ports")):
            number = as_map(port, f"{path}.ports[{index}]").get("containerPort")
            if number in _ACS_RESERVED_PORTS:
                yield (
                    f"container {container_label(path, container)} listens on {number}, a port "
                    "ACS keeps for itself (111, 10250, 10255)"
                )


def _acs_features(subjects: Sequence[Subject]) -> Iterator[Finding]:
    cluster = cluster_kind(subjects)
    for subject, template in _templates_on(subjects, "acs", cluster):
        for problem in _acs_pod_problems(template):
            yield Finding(problem, urn=subject.urn)
    if cluster != "acs":
        return
    for subject in subjects:
        if subject.type == SERVICE_TYPE and dig(subject.props, "spec", "type") == "NodePort":
            yield Finding(
                "a NodePort Service is rejected by ACS (there are no nodes)",
                fix="use type: LoadBalancer (intranet CLB) or ClusterIP behind an Ingress",
                urn=subject.urn,
            )


ACS_SUPPORTED_FEATURES = Rule(
    id="acs-supported-features",
    description=(
        "ACS pods use what ACS supports: no DaemonSet, hostPath volume, reserved port (111, "
        "10250, 10255) or other DNS policy; no NodePort Service on an ACS cluster."
    ),
    rationale=(
        "ACS rejects NodePort Services and unknown DNS policies at submission, and a DaemonSet "
        "or a hostPath volume there has no node behind it: the manifest deploys and then fails."
    ),
    url="https://www.alibabacloud.com/help/en/cs/user-guide/acs-pod-instance-overview",
    fix=(
        "run per-pod agents as sidecars, use emptyDir or a PVC instead of hostPath, a "
        "LoadBalancer Service instead of NodePort, and keep clear of ports 111, 10250 and 10255"
    ),
    level=Level.MANDATORY,
    check_stack=_acs_features,
)


# --- acs-no-eci-annotations -----------------------------------------------------------------

_ECI_PREFIX = "k8s.aliyun.com/"
_ACS_EQUIVALENTS: Mapping[str, str | None] = {
    "k8s.aliyun.com/eci-vswitch": "network.alibabacloud.com/vswitch-ids",
    "k8s.aliyun.com/eci-security-group": "network.alibabacloud.com/security-group-ids",
    "k8s.aliyun.com/eci-custom-dnsconfig": "network.alibabacloud.com/custom-dnsconfig",
    "k8s.aliyun.com/eci-with-eip": "network.alibabacloud.com/pod-with-eip",
    "k8s.aliyun.com/eip-bandwidth": "network.alibabacloud.com/eip-bandwidth",
    "k8s.aliyun.com/eip-internet-charge-type": "network.alibabacloud.com/eip-internet-charge-type",
    "k8s.aliyun.com/eip-common-bandwidth-package-id": (
        "network.alibabacloud.com/eip-common-bandwidth-package-id"
    ),
    "k8s.aliyun.com/eip-isp": "network.alibabacloud.com/eip-isp",
    "k8s.aliyun.com/plain-http-registry": "registry.alibabacloud.com/plain-http-registry",
    "k8s.aliyun.com/insecure-registry": "registry.alibabacloud.com/insecure-registry",
    "k8s.aliyun.com/eci-extra-ephemeral-storage": "alibabacloud.com/extra-ephemeral-storage",
    "k8s.aliyun.com/eci-use-specs": "alibabacloud.com/pod-required-spec (one spec, no fallbacks)",
    "k8s.aliyun.com/eci-spot-strategy": "alibabacloud.com/compute-qos: best-effort (a label)",
}
"""ECI annotation -> what an ACS pod takes instead (reference/acs-and-ack-pro.md §2.7, from
ACS's pod annotation and pod overview pages); the rest of ``k8s.aliyun.com/eci-*`` (image cache,
fail strategy, custom tags, RAM role, spot price) has no ACS counterpart found."""

_ACCEPTED_ON_ACS = frozenset({EIP_ID_ANNOTATION, "k8s.aliyun.com/eip-charge-type"})
"""ECI keys ACS reads too ("兼容ECI注解")."""


def _eci_annotations(subjects: Sequence[Subject]) -> Iterator[Finding]:
    for subject, template in _templates_on(subjects, "acs", cluster_kind(subjects)):
        for key in template.annotations:
            key = str(key)
            if not key.startswith(_ECI_PREFIX) or key in _ACCEPTED_ON_ACS:
                continue
            if key not in _ACS_EQUIVALENTS and not key.startswith(f"{_ECI_PREFIX}eci-"):
                continue
            instead = _ACS_EQUIVALENTS.get(key)
            yield Finding(
                f"{template.annotations_path} has the ECI annotation {key}, which an ACS pod "
                "ignores",
                fix=f"use {instead}" if instead else "remove it: ACS has no such setting",
                urn=subject.urn,
            )


ACS_NO_ECI_ANNOTATIONS = Rule(
    id="acs-no-eci-annotations",
    description="ACS pods carry ACS's annotations, not ECI's (k8s.aliyun.com/eci-*).",
    rationale=(
        "An ACS pod ignores ECI's annotations: a spot strategy, a spec list or a vSwitch written "
        "for ECI silently does nothing, and the bill and placement are not what the manifest "
        "says."
    ),
    url="https://www.alibabacloud.com/help/en/cs/user-guide/acs-pod-instance-overview",
    fix="replace each ECI annotation with its ACS counterpart (docs/migrate-ask-to-acs.md)",
    level=Level.ADVISORY,
    check_stack=_eci_annotations,
)
