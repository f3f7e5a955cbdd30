"""What replaces a resource: the properties whose change forces a new resource, per type.

``pulumi preview`` asks each provider's ``Diff`` whether a change replaces a resource. Offline
there is no provider, so this module holds the same knowledge as data, each row citing where
the provider decides it:

- **alicloud** (pulumi-alicloud is bridged from the Terraform provider): every schema property,
  nested ones included, marked ``ForceNew: true`` in aliyun/terraform-provider-alicloud at
  :data:`ALICLOUD_COMMIT`, named as Pulumi names it (camelCase; a one-item block such as
  ``load_balancer_billing_config`` is an object in Pulumi, so its fields are ``a.b``).
- **kubernetes** (pulumi/pulumi-kubernetes at :data:`KUBERNETES_COMMIT`): the provider's own
  replacement table (``provider/pkg/provider/diff.go``), which follows the fields the Kubernetes
  API refuses to change (``field is immutable``); a change of ``metadata.name`` or
  ``metadata.namespace`` replaces any object.
- **the sandbox provider** (the local target): each dynamic provider's ``replace_on``, read from
  the code itself, plus its store.

A type that is not in the table is not known: :func:`rules_for` raises :class:`UnknownType`,
and a test keeps the table complete for every type the repository's stacks register.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from ask_components.preview.paths import Segment

ALICLOUD_COMMIT: Final = "81c43b6727a09e9da37b3d88818c3ba5fa17fa14"
"""The aliyun/terraform-provider-alicloud commit the alicloud rows cite."""

KUBERNETES_COMMIT: Final = "94977969d64112b04e19945818a7d5d5f38f631d"
"""The pulumi/pulumi-kubernetes commit the Kubernetes rows cite."""

_TF_FILES: Final = "aliyun/terraform-provider-alicloud alicloud/"
_K8S_DIFF: Final = "pulumi/pulumi-kubernetes provider/pkg/provider/diff.go"
_K8S_PROVIDER: Final = "pulumi/pulumi-kubernetes provider/pkg/provider/provider.go"
_K8S_HELM: Final = "pulumi/pulumi-kubernetes provider/pkg/provider/helm_release.go"
_K8S_VALIDATION: Final = "kubernetes/kubernetes pkg/apis"


class UnknownType(LookupError):
    """No replacement rules are known for a resource type."""

    def __init__(self, type_token: str) -> None:
        self.type_token = type_token
        super().__init__(
            f"no replacement rules for {type_token}: add its ForceNew properties to "
            "ask_components/preview/forcenew.py"
        )


@dataclass(frozen=True)
class ForceNew:
    """A property whose change replaces the resource.

    Attributes:
        path: the Pulumi property path, dotted, camelCase (``serviceCidr``,
            ``loadBalancerBillingConfig.payType``, ``spec.selector``); list items are matched
            at any index.
        source: where the provider decides it (repository, file and line).
    """

    path: str

    source: str

    @property
    def segments(self) -> tuple[str, ...]:
        """The path's keys (``spec.selector`` -> ``("spec", "selector")``)."""
        return tuple(self.path.split("."))


@dataclass(frozen=True)
class TypeRules:
    """The replacement rules of one resource type.

    Attributes:
        type_token: the Pulumi type token.
        force_new: the properties whose change replaces the resource.
        source: where the rules come from (the provider file), for properties not listed.
        delete_before_replace: True when the provider itself deletes the old resource before it
            creates the new one (pulumi-kubernetes does for an object whose fixed name stays).
    """

    type_token: str
    force_new: tuple[ForceNew, ...]
    source: str
    delete_before_replace: bool = False

    def rule_for(self, path: Iterable[Segment]) -> ForceNew | None:
        """The rule a change at ``path`` falls under, or None when it is an in-place update.

        A change inside a ForceNew property (``spec.selector.matchLabels.app`` under
        ``spec.selector``) replaces, and so does a change of a whole object that holds one
        (``spec`` added or removed holds ``spec.selector``).
        """
        keys = tuple(segment for segment in path if isinstance(segment, str))
        found: ForceNew | None = None
        for rule in self.force_new:
            wanted = rule.segments
            shortest = min(len(wanted), len(keys))
            # The most specific rule names the property best (payType over its block).
            if keys[:shortest] == wanted[:shortest] and (
                found is None or len(wanted) > len(found.segments)
            ):
                found = rule
        return found


def camel(snake: str) -> str:
    """Pulumi's name of a Terraform property (``service_cidr`` -> ``serviceCidr``)."""
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _tf(file: str, rows: Iterable[tuple[str, int]]) -> tuple[ForceNew, ...]:
    """Rows of a Terraform resource file: (snake path, line of its ``ForceNew: true``)."""
    return tuple(
        ForceNew(
            ".".join(camel(part) for part in path.split(".")),
            f"{_TF_FILES}{file}:{line} ({path})",
        )
        for path, line in rows
    )


def _alicloud(type_token: str, name: str, rows: Iterable[tuple[str, int]]) -> TypeRules:
    file = f"resource_alicloud_{name}.go"
    return TypeRules(type_token, _tf(file, rows), f"{_TF_FILES}{file}")


# Every `ForceNew: true` of each resource file (nested blocks included), at ALICLOUD_COMMIT.
# A test re-reads the files from the snapshot and fails when a row is missing, moved or extra.
_ALICLOUD: Final = (
    _alicloud(
        "alicloud:alb/loadBalancer:LoadBalancer",
        "alb_load_balancer",
        [
            ("address_allocated_mode", 53),
            ("address_ip_version", 60),
            ("bandwidth_package_id", 70),
            ("load_balancer_billing_config", 110),
            ("load_balancer_billing_config.pay_type", 117),
            ("vpc_id", 167),
        ],
    ),
    _alicloud(
        "alicloud:cs/kubernetesAddon:KubernetesAddon",
        "cs_kubernetes_addon",
        [("cluster_id", 36), ("name", 41)],
    ),
    # The same resource serves ASK (profile Serverless), ACS and ACK Pro clusters.
    _alicloud(
        "alicloud:cs/managedKubernetes:ManagedKubernetes",
        "cs_managed_kubernetes",
        [
            ("profile", 57),
            ("pod_cidr", 238),
            ("service_cidr", 243),
            ("node_cidr_mask", 248),
            ("proxy_mode", 320),
            ("ip_stack", 328),
            ("cluster_domain", 403),
            ("service_account_issuer", 664),
            ("api_audiences", 672),
            ("auto_mode", 788),
            ("auto_mode.enabled", 794),
        ],
    ),
    _alicloud(
        "alicloud:ecs/eipAddress:EipAddress",
        "eip_address",
        [
            ("allocation_id", 44),
            ("high_definition_monitor_log_status", 73),
            ("internet_charge_type", 80),
            ("ip_address", 87),
            ("isp", 93),
            ("netmode", 114),
            ("payment_type", 122),
            ("public_ip_address_pool_id", 138),
            ("security_protection_types", 148),
            ("zone", 160),
            ("instance_charge_type", 173),
        ],
    ),
    _alicloud(
        "alicloud:ecs/eipAssociation:EipAssociation",
        "eip_association",
        [
            ("allocation_id", 33),
            ("instance_id", 42),
            ("instance_type", 48),
            ("private_ip_address", 59),
            ("vpc_id", 64),
        ],
    ),
    _alicloud(
        "alicloud:pvtz/zone:Zone",
        "pvtz_zone",
        [("resource_group_id", 62), ("zone_name", 73), ("name", 80)],
    ),
    _alicloud(
        "alicloud:pvtz/zoneAttachment:ZoneAttachment",
        "pvtz_zone_attachment",
        [("lang", 39), ("user_client_ip", 44), ("zone_id", 68)],
    ),
    _alicloud("alicloud:pvtz/zoneRecord:ZoneRecord", "pvtz_zone_record", [("zone_id", 91)]),
    _alicloud(
        "alicloud:vpc/natGateway:NatGateway",
        "nat_gateway",
        [
            ("internet_charge_type", 50),
            ("payment_type", 76),
            ("instance_charge_type", 84),
            ("vpc_id", 167),
            ("private_link_enabled", 194),
            ("access_mode", 199),
            ("access_mode.mode_value", 207),
            ("access_mode.tunnel_type", 213),
            ("availability_mode", 222),
        ],
    ),
    # cidr_block is not ForceNew: the provider changes a VPC's CIDR in place.
    _alicloud(
        "alicloud:vpc/network:Network",
        "vpc",
        [("ipv6_cidr_block", 78), ("is_default", 173), ("user_cidrs", 184)],
    ),
    _alicloud(
        "alicloud:vpc/snatEntry:SnatEntry",
        "snat_entry",
        [("snat_table_id", 50), ("source_cidr", 55), ("source_vswitch_id", 62)],
    ),
    _alicloud(
        "alicloud:vpc/switch:Switch",
        "vswitch",
        [
            ("cidr_block", 35),
            ("is_default", 64),
            ("vpc_id", 80),
            ("zone_id", 92),
            ("availability_zone", 105),
        ],
    ),
)

KUBERNETES_IDENTITY: Final = (
    ForceNew("metadata.name", f"{_K8S_DIFF}:207 (metadataForceNewProperties)"),
    ForceNew("metadata.namespace", f"{_K8S_DIFF}:207 (metadataForceNewProperties)"),
)
"""What replaces every Kubernetes object: its name and namespace are its identity."""


def _k8s(path: str, line: int, why: str) -> ForceNew:
    return ForceNew(path, f"{_K8S_DIFF}:{line}; {_K8S_VALIDATION}/{why}")


_SELECTOR_APPS = "apps/validation/validation.go (spec.selector: field is immutable)"

# Kubernetes kinds (group/version:Kind as in the type token) and what replaces them besides
# their identity. Kinds with nothing else are listed too, so that the table is known to cover
# every kind the stacks render.
_KUBERNETES: Final[Mapping[str, tuple[ForceNew, ...]]] = {
    "apps/v1:Deployment": (_k8s("spec.selector", 171, _SELECTOR_APPS),),
    "apps/v1:DaemonSet": (_k8s("spec.selector", 164, _SELECTOR_APPS),),
    "apps/v1:StatefulSet": tuple(
        _k8s(path, 196, "apps/validation/validation.go (ValidateStatefulSetUpdate)")
        for path in (
            "spec.podManagementPolicy",
            "spec.revisionHistoryLimit",
            "spec.selector",
            "spec.serviceName",
            "spec.volumeClaimTemplates",
        )
    ),
    # The API refuses a change of a Job's template, selector and completions (completions may
    # only change with parallelism for an Indexed Job since 1.27); the provider replaces on
    # parallelism too, which the API would allow.
    "batch/v1:Job": tuple(
        _k8s(path, 178, "batch/validation/validation.go (ValidateJobSpecUpdate)")
        for path in ("spec.completions", "spec.parallelism", "spec.selector", "spec.template")
    ),
    "batch/v1:CronJob": (),
    # data and binaryData replace unless the provider sets enableConfigMapMutable (default
    # false, provider.go:696); an `immutable: true` ConfigMap's data is refused by the API.
    "core/v1:ConfigMap": (
        ForceNew("data", f"{_K8S_DIFF}:33 (enableConfigMapMutable unset)"),
        ForceNew("binaryData", f"{_K8S_DIFF}:33 (enableConfigMapMutable unset)"),
    ),
    # type, stringData and data replace unless the provider sets enableSecretMutable (default
    # false, provider.go:712) on a Secret that is not `immutable: true`.
    "core/v1:Secret": (
        ForceNew("type", f"{_K8S_DIFF}:29 (enableSecretMutable unset)"),
        ForceNew("stringData", f"{_K8S_DIFF}:29 (enableSecretMutable unset)"),
        ForceNew("data", f"{_K8S_DIFF}:29 (enableSecretMutable unset)"),
    ),
    # A Service's type may change (ClusterIP, NodePort, LoadBalancer); its cluster IP may not,
    # except to or from ExternalName.
    "core/v1:Service": (
        _k8s("spec.clusterIP", 158, "core/validation/validation.go (ValidateServiceUpdate)"),
    ),
    "core/v1:PersistentVolumeClaim": tuple(
        _k8s(path, 111, "core/validation/validation.go (ValidatePersistentVolumeClaimUpdate)")
        for path in (
            "spec.accessModes",
            "spec.selector",
            "spec.storageClassName",
            "spec.volumeName",
        )
    ),
    "core/v1:Namespace": (),
    "core/v1:ServiceAccount": (),
    "rbac.authorization.k8s.io/v1:Role": (),
    "rbac.authorization.k8s.io/v1:RoleBinding": (
        _k8s("roleRef", 192, "rbac/validation/validation.go (roleRef: cannot change roleRef)"),
    ),
    "rbac.authorization.k8s.io/v1:ClusterRoleBinding": (
        _k8s("roleRef", 192, "rbac/validation/validation.go (roleRef: cannot change roleRef)"),
    ),
    "storage.k8s.io/v1:StorageClass": tuple(
        _k8s(path, 71, "storage/validation/validation.go (ValidateStorageClassUpdate)")
        for path in ("parameters", "provisioner")
    ),
    "autoscaling/v2:HorizontalPodAutoscaler": (),
    # policy/v1 has no entry in the provider's table (only policy/v1beta1 replaces on spec).
    "policy/v1:PodDisruptionBudget": (),
    "networking.k8s.io/v1:Ingress": (),
    "networking.k8s.io/v1:IngressClass": (),
    # Custom resources: the provider has no table for them, only their identity replaces.
    "alibabacloud.com/v1:AlbConfig": (),
    "autoscaling.alibabacloud.com/v1beta1:CronHorizontalPodAutoscaler": (),
    "sparkoperator.k8s.io/v1beta2:SparkApplication": (),
    "sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication": (),
}

HELM_RELEASE_TYPE: Final = "kubernetes:helm.sh/v3:Release"
KUBERNETES_PROVIDER_TYPE: Final = "pulumi:providers:kubernetes"

_OTHERS: Final = (
    # A Helm release is replaced when its name or namespace changes.
    TypeRules(
        HELM_RELEASE_TYPE,
        (
            ForceNew("name", f"{_K8S_HELM}:906 (forceNewFields)"),
            ForceNew("namespace", f"{_K8S_HELM}:906 (forceNewFields)"),
        ),
        _K8S_HELM,
    ),
    # The Kubernetes provider is replaced when its kubeconfig points at another cluster, or is
    # not known yet (a new cluster): then every object it manages is replaced with it.
    TypeRules(
        KUBERNETES_PROVIDER_TYPE,
        tuple(
            ForceNew(key, f"{_K8S_PROVIDER}:506 (DiffConfig: active cluster changed or unknown)")
            for key in ("kubeconfig", "context", "cluster")
        ),
        _K8S_PROVIDER,
    ),
)

KUBERNETES_PREFIX: Final = "kubernetes:"
DYNAMIC_PREFIX: Final = "pulumi-python:dynamic/"


def _kubernetes_rules() -> dict[str, TypeRules]:
    rules: dict[str, TypeRules] = {}
    for kind, extra in _KUBERNETES.items():
        token = KUBERNETES_PREFIX + kind
        # Objects with a fixed metadata.name (all of this project's) are deleted before their
        # replacement is created: the provider cannot create a second object of that name
        # (provider.go:1647).
        rules[token] = TypeRules(token, (*KUBERNETES_IDENTITY, *extra), _K8S_DIFF, True)
    return rules


def _sandbox_rules() -> dict[str, TypeRules]:
    """The local target's dynamic providers, from their own ``replace_on`` (one source)."""
    from ask_components.dns import coredns_provider
    from ask_components.sandbox import alb, nat, pvtz, vpc  # noqa: F401  (defines the providers)
    from ask_components.sandbox._base import MODULE, STATE_KEY, SandboxProvider

    rules: dict[str, TypeRules] = {}
    for provider in SandboxProvider.__subclasses__():
        token = f"{DYNAMIC_PREFIX}{MODULE}:{provider.type_name}"
        source = f"{provider.__module__}.{provider.__qualname__}.replace_on"
        keys = sorted(provider.replace_on | {STATE_KEY})
        rules[token] = TypeRules(token, tuple(ForceNew(key, source) for key in keys), source)
    token = f"{DYNAMIC_PREFIX}{MODULE}:{coredns_provider.TYPE_NAME}"
    source = f"{coredns_provider.__name__}.REPLACE_ON"
    rules[token] = TypeRules(
        token,
        tuple(ForceNew(key, source) for key in sorted(coredns_provider.REPLACE_ON)),
        source,
    )
    return rules


_TABLE: dict[str, TypeRules] | None = None


def table() -> Mapping[str, TypeRules]:
    """Every known type token and its rules."""
    global _TABLE
    if _TABLE is None:
        found = {rules.type_token: rules for rules in (*_ALICLOUD, *_OTHERS)}
        found.update(_kubernetes_rules())
        found.update(_sandbox_rules())
        _TABLE = found
    return _TABLE


ALICLOUD_RULES: Final = _ALICLOUD
"""The alicloud rows (for the tests that re-read the provider files)."""


def rules_for(type_token: str) -> TypeRules:
    """The replacement rules of a custom resource type.

    Raises:
        UnknownType: the type is not in the table.
    """
    found = table().get(type_token)
    if found is None:
        raise UnknownType(type_token)
    return found


def is_known(type_token: str) -> bool:
    """Whether the table has rules for the type."""
    return type_token in table()


__all__ = [
    "ALICLOUD_COMMIT",
    "ALICLOUD_RULES",
    "KUBERNETES_COMMIT",
    "KUBERNETES_IDENTITY",
    "ForceNew",
    "TypeRules",
    "UnknownType",
    "camel",
    "is_known",
    "rules_for",
    "table",
]
