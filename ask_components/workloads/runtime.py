"""Where a workload's pods run and how they are sized: ECI pods or ACS pods (pure).

The cluster kind decides it, once (``targets``): ASK and ACK Pro with ``serverlessPods: eci`` run
ECI pods, ACS and ACK Pro with ``serverlessPods: acs`` run ACS pods. A ``PodRuntime`` owns what
differs between them, so the workload builders never test the kind:

- the spec grid and rounding (ECI's spec table, ``eci_specs.py``; ACS's grid, ``acs_specs.py``);
- the labels and annotations a pod template gets: ECI's ``k8s.aliyun.com/eci-*`` annotations; ACS's
  compute class and QoS **labels** (``alibabacloud.com/compute-class``,
  ``alibabacloud.com/compute-qos``) and its ``network.alibabacloud.com/*`` annotations; on ACK Pro
  the virtual node's placement label (``alibabacloud.com/eci: "true"`` or ``alibabacloud.com/acs:
  "true"``);
- which ECI options exist on ACS (``eci_only_problems``) and how the others map;
- what the billed spec is called (``eci-instance-spec`` / ``pod-use-spec``) and how cost names it.

Sources (reference/acs-and-ack-pro.md §2, §4): ACS pod overview (compute classes, QoS, grid,
"Do not use ACS system tags ... as filter labels in workload matchLabels"), ACS pod annotations
(the ECI -> ACS annotation table), ACK's "access ACS computing power" page
(``alibabacloud.com/acs``) and ECI's "schedule pods to virtual kubelet" page
(``alibabacloud.com/eci``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType
from typing import Final, Literal, cast, get_args

from ask_components.errors import AskError
from ask_components.workloads._format import show
from ask_components.workloads.acs_specs import ANNOTATION_POD_USE_SPEC, AcsSpec, round_acs_spec
from ask_components.workloads.eci_options import ANNOTATION_INSTANCE_SPEC, EciOptions
from ask_components.workloads.eci_specs import EciSpec, round_spec

__all__ = [
    "ACS",
    "ANNOTATION_ACS_EIP_BANDWIDTH",
    "ANNOTATION_ACS_EXTRA_EPHEMERAL_STORAGE",
    "ANNOTATION_ACS_VSWITCH_IDS",
    "ANNOTATION_ACS_WITH_EIP",
    "ANNOTATION_POD_USE_SPEC",
    "ECI",
    "LABEL_ACS",
    "LABEL_COMPUTE_CLASS",
    "LABEL_COMPUTE_QOS",
    "LABEL_ECI",
    "AcsOptions",
    "AcsOptionsError",
    "ComputeClass",
    "ComputeQos",
    "PodRuntime",
    "PodSizing",
    "RuntimeKind",
    "runtime_for",
]

RuntimeKind = Literal["eci", "acs"]
ComputeClass = Literal["general-purpose", "performance"]
ComputeQos = Literal["default", "best-effort"]

LABEL_COMPUTE_CLASS: Final = "alibabacloud.com/compute-class"
LABEL_COMPUTE_QOS: Final = "alibabacloud.com/compute-qos"
LABEL_ACS: Final = "alibabacloud.com/acs"
"""On ACK Pro: run this pod as an ACS pod on the virtual node (ACK "access ACS computing power")."""
LABEL_ECI: Final = "alibabacloud.com/eci"
"""On ACK Pro: run this pod as an ECI pod on the virtual node; it "has the highest priority" over
nodeSelector and affinity (ACK virtual-node scheduling comparison)."""

# alibabacloud.com/pod-use-spec: written by ACS after normalisation, the billed spec ("2-4Gi");
# pods outside ACS (the local target) state it themselves (acs_specs.ANNOTATION_POD_USE_SPEC).
ANNOTATION_ACS_VSWITCH_IDS: Final = "network.alibabacloud.com/vswitch-ids"
ANNOTATION_ACS_WITH_EIP: Final = "network.alibabacloud.com/pod-with-eip"
ANNOTATION_ACS_EIP_BANDWIDTH: Final = "network.alibabacloud.com/eip-bandwidth"
ANNOTATION_ACS_EXTRA_EPHEMERAL_STORAGE: Final = "alibabacloud.com/extra-ephemeral-storage"
"""GiB on top of the free 30 GiB (https://www.alibabacloud.com/help/en/cs/user-guide/increase-temporary-storage-size)."""

DEFAULT_COMPUTE_CLASS: Final[ComputeClass] = "general-purpose"
"""ACS's own default class; the label is always written so the manifest says what is billed."""

_CLASSES: Final = get_args(ComputeClass)
_QOS: Final = get_args(ComputeQos)

# ECI options with no ACS counterpart: config name -> what to do instead.
_ECI_ONLY: Final[Mapping[str, str]] = MappingProxyType(
    {
        "specs": "ACS has no fallback list: a pod is billed as its own spec "
        "(alibabacloud.com/pod-required-spec is single-valued); size it with cpu and memory",
        "computeCategory": "ACS has compute classes instead: set acs.computeClass "
        "(general-purpose or performance)",
        "imageCache": "ACS has no image-cache annotation; remove it",
        "customTags": "ACS has no custom-tags annotation; remove it",
        "ramRole": "ACS pods get RAM roles through RRSA (the cluster enables it); remove it",
        "failStrategy": "ACS has no fail-strategy annotation; remove it",
        "maxPendingMinutes": "ACS has no pending-timeout annotation; remove it",
        "spotPriceLimit": "ACS has no spot prices: spot runs as compute-qos best-effort, billed "
        "at the best-effort price; remove it",
        "spotDurationHours": "ACS best-effort pods have no protection period (a 5-minute "
        "eviction notice instead); remove it",
        "scheduleStrategy": "ACS picks among network.alibabacloud.com/vswitch-ids itself; "
        "remove it",
    }
)


class AcsOptionsError(AskError, ValueError):
    """ACS options hold an invalid value, or ECI-only options reached an ACS pod.

    Attributes:
        problems: one message per problem, each starting with the option's config name.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class AcsOptions:
    """ACS features of a workload's pods (``acs`` in the stack file).

    Attributes:
        compute_class: ``general-purpose`` (ACS's default) or ``performance``.
        compute_qos: ``default`` or ``best-effort`` (preemptible, 5-minute eviction notice);
            None: best-effort when the workload runs on spot, else default.
    """

    compute_class: ComputeClass | None = None
    compute_qos: ComputeQos | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.compute_class is not None and self.compute_class not in _CLASSES:
            problems.append(
                f"computeClass: {show(self.compute_class)} is not a compute class "
                '(expected "general-purpose" or "performance")'
            )
        if self.compute_qos is not None and self.compute_qos not in _QOS:
            problems.append(
                f"computeQos: {show(self.compute_qos)} is not a compute QoS "
                '(expected "default" or "best-effort")'
            )
        if problems:
            raise AcsOptionsError(problems)


@dataclass(frozen=True)
class PodSizing:
    """The spec a pod is billed as, and what its template says.

    Attributes:
        spec: the spec the request rounds to (``EciSpec`` or ``AcsSpec``).
        annotations: the pod-template annotations.
        labels: the pod-template labels the runtime adds (never used in selectors).
        runtime: ``eci`` or ``acs``.
        compute_class: the ACS compute class (ACS pods only).
        compute_qos: the ACS compute QoS (ACS pods only).
    """

    spec: EciSpec | AcsSpec
    annotations: Mapping[str, str] = field(hash=False)
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    runtime: RuntimeKind = "eci"
    compute_class: ComputeClass | None = None
    compute_qos: ComputeQos | None = None

    @property
    def use_specs_value(self) -> str:
        """The billed spec as the annotations write it (``"1-2Gi"``)."""
        return self.spec.use_specs_value

    @property
    def describe_runtime(self) -> str:
        """``ECI``, or ``ACS general-purpose, default QoS``: what cost and previews call it."""
        if self.runtime == "eci":
            return "ECI"
        return f"ACS {self.compute_class}, {self.compute_qos} QoS"


@dataclass(frozen=True)
class PodRuntime:
    """How a cluster runs pods: ECI or ACS, placed by a virtual-node label or not.

    Attributes:
        kind: ``eci`` or ``acs``.
        placement_labels: pod-template labels that send a pod to its runtime (ACK Pro's virtual
            node); none on ASK and ACS, where every pod is serverless.
        states_billed_spec: write the billed spec the cloud would report (``eci-instance-spec``
            or ``pod-use-spec``) into the template: for pods that do not run there (the local
            target).
    """

    kind: RuntimeKind = "eci"
    placement_labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    states_billed_spec: bool = False

    @property
    def name(self) -> str:
        """``ECI`` or ``ACS``."""
        return self.kind.upper()

    def eci_only_problems(self, options: EciOptions) -> list[str]:
        """The ECI options ``options`` sets that an ACS pod cannot take (none on ECI)."""
        if self.kind == "eci":
            return []
        set_options = {
            "specs": bool(options.specs),
            "computeCategory": bool(options.compute_category),
            "imageCache": options.image_cache is not None,
            "customTags": bool(options.custom_tags),
            "ramRole": options.ram_role is not None,
            "failStrategy": options.fail_strategy is not None,
            "maxPendingMinutes": options.max_pending_minutes is not None,
            "spotPriceLimit": options.spot_price_limit is not None,
            "spotDurationHours": options.spot_duration_hours is not None,
            "scheduleStrategy": options.schedule_strategy is not None,
        }
        return [
            f"{option}: is ECI-only: {_ECI_ONLY[option]}"
            for option, is_set in set_options.items()
            if is_set
        ]

    def without_eci_only(self, options: EciOptions) -> EciOptions:
        """``options`` without what an ACS pod cannot take: for defaults a workload kind applies
        on ECI (the CI runner's image cache), which the stack file did not ask for. A user's own
        ECI-only options are refused by the config first (``eci_only_problems``)."""
        if self.kind == "eci":
            return options
        return replace(
            options,
            specs=(),
            compute_category=(),
            image_cache=None,
            custom_tags={},
            ram_role=None,
            fail_strategy=None,
            max_pending_minutes=None,
            spot_price_limit=None,
            spot_duration_hours=None,
            schedule_strategy=None,
        )

    def pod_labels(self, acs: AcsOptions | None = None, *, spot: bool = False) -> dict[str, str]:
        """The pod-template labels this runtime adds: ACS's compute class and QoS (best-effort
        for spot pods unless ``acs`` says otherwise) and the placement label, if any."""
        if self.kind == "eci":
            return dict(self.placement_labels)
        acs = acs or AcsOptions()
        qos: ComputeQos = acs.compute_qos or ("best-effort" if spot else "default")
        return {
            LABEL_COMPUTE_CLASS: acs.compute_class or DEFAULT_COMPUTE_CLASS,
            LABEL_COMPUTE_QOS: qos,
            **self.placement_labels,
        }

    def size(
        self,
        cpu: Decimal,
        memory_gib: Decimal,
        *,
        region: str,
        eci: EciOptions | None = None,
        acs: AcsOptions | None = None,
    ) -> PodSizing:
        """Round a pod's request to its spec and render its template labels and annotations.

        Args:
            cpu: the vCPUs the pod needs.
            memory_gib: the memory it needs (GiB).
            region: the region (ECI's extended specs depend on it).
            eci: the workload's ECI options (on ACS: only those with an ACS counterpart).
            acs: the workload's ACS options (ACS pods only).

        Raises:
            EciSpecError / AcsSpecError: no spec is large enough.
            EciOptionsError: the ECI options conflict with the spec.
            AcsOptionsError: ECI-only options on an ACS pod, or ACS options on an ECI pod.
        """
        eci = eci or EciOptions()
        if self.kind == "eci":
            if acs is not None and acs != AcsOptions():
                raise AcsOptionsError(
                    [
                        "acs: ACS options apply to ACS pods only (cluster.kind acs, or ack-pro "
                        "with serverlessPods acs)"
                    ]
                )
            spec = round_spec(cpu, memory_gib, region=region, spot=eci.is_spot)
            annotations = eci.annotations(spec)
            if self.states_billed_spec:
                annotations[ANNOTATION_INSTANCE_SPEC] = spec.instance_spec_value
            return PodSizing(spec, annotations, dict(self.placement_labels), "eci")
        return self._size_acs(cpu, memory_gib, eci, acs or AcsOptions())

    def _size_acs(
        self, cpu: Decimal, memory_gib: Decimal, eci: EciOptions, acs: AcsOptions
    ) -> PodSizing:
        problems = self.eci_only_problems(eci)
        if problems:
            raise AcsOptionsError(problems)
        spec = round_acs_spec(cpu, memory_gib)
        # A job's spot is best-effort on ACS: preemptible, billed at the best-effort price.
        labels = self.pod_labels(acs, spot=eci.is_spot)
        compute_class = cast(ComputeClass, labels[LABEL_COMPUTE_CLASS])
        qos = cast(ComputeQos, labels[LABEL_COMPUTE_QOS])
        annotations: dict[str, str] = {}
        if eci.vswitch_ids:
            annotations[ANNOTATION_ACS_VSWITCH_IDS] = ",".join(eci.vswitch_ids)
        if eci.with_eip:
            annotations[ANNOTATION_ACS_WITH_EIP] = "true"
        if eci.eip_bandwidth_mbps is not None:
            annotations[ANNOTATION_ACS_EIP_BANDWIDTH] = str(eci.eip_bandwidth_mbps)
        if eci.extra_ephemeral_storage_gib is not None:
            annotations[ANNOTATION_ACS_EXTRA_EPHEMERAL_STORAGE] = (
                f"{eci.extra_ephemeral_storage_gib}Gi"
            )
        if self.states_billed_spec:
            annotations[ANNOTATION_POD_USE_SPEC] = spec.use_specs_value
        return PodSizing(spec, annotations, labels, "acs", compute_class, qos)


def runtime_for(
    cluster_kind: str, serverless_pods: str | None = None, *, local: bool = False
) -> PodRuntime:
    """The pod runtime of a cluster kind: the one place that decision is made.

    Args:
        cluster_kind: ``ask``, ``acs`` or ``ack-pro``.
        serverless_pods: for ``ack-pro``, what its virtual node runs: ``eci`` (default) or
            ``acs``.
        local: the local target (kind): pods state the billed spec the cloud would report.
    """
    if cluster_kind == "acs":
        kind: RuntimeKind = "acs"
        placement: dict[str, str] = {}
    elif cluster_kind == "ack-pro":
        kind = "acs" if serverless_pods == "acs" else "eci"
        placement = {LABEL_ACS if kind == "acs" else LABEL_ECI: "true"}
    else:
        kind, placement = "eci", {}
    return PodRuntime(kind, placement, states_billed_spec=local)


ECI: Final = PodRuntime("eci")
"""ECI pods on ACK Serverless: every pod is an ECI instance, no placement label."""

ACS: Final = PodRuntime("acs")
"""ACS pods on an ACS cluster: every pod is an ACS instance, no placement label."""
