"""Typed stack config: ``PlatformConfig``, validated once at the edge.

The stack file says what the platform is; everything downstream takes the validated model and
never reads config again. Keys are camelCase, as Pulumi users write them::

    config:
      alicloud:region: cn-hangzhou
      ask:target: alicloud
      ask:platform:
        name: shop
        network: {cidr: 10.0.0.0/16, zones: [cn-hangzhou-i, cn-hangzhou-j], egress: single}
        cluster: {edition: pro, version: "1.33", publicApi: false, serviceCidr: 172.21.0.0/20}
      ask:local: {kubeContext: kind-ask}   # the local target only

``load_platform_config`` raises one ``ConfigError`` listing *every* problem with its config path
(``ask:platform.network.zones[1]: ...``), so a user fixes a stack file in one round.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Collection, Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ask_components.cluster.kinds import BASE_ADDONS, ClusterKind
from ask_components.configbase import ConfigModel, Problems, error_items
from ask_components.dns.config import DnsConfig, record_conflicts
from ask_components.errors import ConfigError, ConfigProblem
from ask_components.ingress.config import (
    ALB_ADDON,
    AppExposure,
    IngressConfig,
    alb_addon_config,
    exposure_problems,
    platform_ingress_problems,
)
from ask_components.network.cidr import (
    MAX_VSWITCH_PREFIX,
    MIN_VSWITCH_PREFIX,
    CidrPlanError,
    NetworkPlan,
    plan_vswitches,
)
from ask_components.regions import region_problem
from ask_components.sandbox.store import DEFAULT_STATE_PATH
from ask_components.workloads.config import WorkloadsConfig
from ask_components.workloads.runtime import PodRuntime

PLATFORM_KEY = "ask:platform"
TARGET_KEY = "ask:target"
REGION_KEY = "alicloud:region"
LOCAL_KEY = "ask:local"

DEFAULT_KUBE_CONTEXT = "kind-ask"
"""kubectl context of the local target: kind names it ``kind-<cluster>``; ``make kind-up`` makes
the cluster ``ask``."""

DEFAULT_SANDBOX_STATE = DEFAULT_STATE_PATH
"""The sandbox provider's store, relative to the project folder (where ``pulumi`` runs)."""

DEFAULT_VPC_CIDR = "10.0.0.0/16"
"""VPC CIDR when ``network.cidr`` is unset: a /16 in 10/8, room for 8 vSwitches of /19."""

DEFAULT_SERVICE_CIDR = "172.21.0.0/20"
"""Kubernetes Service CIDR when ``cluster.serviceCidr`` is unset (Alibaba's documented example)."""

DEFAULT_LOCAL_REGION = "cn-hangzhou"
"""Region assumed by the local target when ``alicloud:region`` is unset (ECI specs, prices)."""

DEFAULT_KUBERNETES_VERSION = "1.33"
"""Kubernetes minor version assumed when ``cluster.version`` is unset (manifest validation)."""

PROD_STACK_PREFIX = "prod"
"""Stacks whose name starts with this get deletion protection by default."""

MAX_ZONES = 5
VPC_MIN_PREFIX = 8
VPC_MAX_PREFIX = 24

# Alibaba's private ranges for a VPC (https://www.alibabacloud.com/help/en/vpc/user-guide/create-and-manage-a-vpc).
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)

# ACK's CreateCluster `service_cidr`: "Valid ranges: 10.0.0.0/16-24, 172.16-31.0.0/16-24, and
# 192.168.0.0/16-24" (shared/reference/acs-and-ack-pro.md §1.3): inside the private ranges, with
# a mask of /16 to /24. The Terraform provider passes the value through unchecked
# (alicloud/resource_alicloud_cs_managed_kubernetes.go, `service_cidr`: no ValidateFunc), so a
# bad one would only fail at `pulumi up`.
SERVICE_CIDR_MIN_PREFIX = 16
SERVICE_CIDR_MAX_PREFIX = 24

_REGION_RE = re.compile(r"^[a-z]{2}(?:-[a-z0-9]+)+$")
# The platform name prefixes cloud names (VPC, vSwitch, cluster, ALB) and Kubernetes names, so
# it takes the strictest of their rules: a DNS label, starting with a letter.
_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")
_VERSION_RE = re.compile(r"^1\.\d{2}(?:\.\d+(?:-aliyun\.\d+)?)?$")
_ADDON_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


_Model = ConfigModel


def _private_cidr(value: str) -> str:
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as err:
        raise ValueError(f"{value!r} is not an IPv4 CIDR ({err})") from None
    if not any(net.subnet_of(rng) for rng in PRIVATE_RANGES):
        raise ValueError(
            f"{value} is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
        )
    return str(net)


def _private_cidr_masked(value: str, shortest: int, longest: int, takes: str) -> str:
    """A private CIDR whose mask is /``shortest`` to /``longest``.

    Args:
        value: the CIDR as configured.
        shortest: the shortest mask allowed.
        longest: the longest mask allowed.
        takes: who takes which masks, for the message (``a VPC takes /{0} to /{1}``).
    """
    cidr = _private_cidr(value)
    prefix = ipaddress.IPv4Network(cidr).prefixlen
    if not shortest <= prefix <= longest:
        raise ValueError(f"{cidr} has mask /{prefix}; {takes.format(shortest, longest)}")
    return cidr


def _vpc_cidr(value: str) -> str:
    return _private_cidr_masked(value, VPC_MIN_PREFIX, VPC_MAX_PREFIX, "a VPC takes /{0} to /{1}")


def _service_cidr(value: str) -> str:
    return _private_cidr_masked(
        value,
        SERVICE_CIDR_MIN_PREFIX,
        SERVICE_CIDR_MAX_PREFIX,
        "ACK takes a Service CIDR of /{0} to /{1} (10.0.0.0/16-24, 172.16-31.0.0/16-24 or "
        "192.168.0.0/16-24)",
    )


Cidr = Annotated[str, AfterValidator(_private_cidr)]
VpcCidr = Annotated[str, AfterValidator(_vpc_cidr)]
ServiceCidr = Annotated[str, AfterValidator(_service_cidr)]


def is_region_id(value: str) -> bool:
    """True when ``value`` has the shape of an Alibaba region id (``cn-hangzhou``,
    ``ap-southeast-1``)."""
    return _REGION_RE.match(value) is not None


def check_region(region: str) -> str:
    """``region`` when it is an Alibaba region id; the stack file's ``alicloud:region`` and the
    components' ``region`` arguments share this rule.

    Raises:
        ValueError: it is not (the message says why).
    """
    if not _REGION_RE.match(region):
        raise ValueError(f"{region!r} is not an Alibaba region id like cn-hangzhou")
    problem = region_problem(region)  # a known region (regions.py), the closest one suggested
    if problem is not None:
        raise ValueError(problem)
    return region


def zone_belongs_to_region(zone: str, region: str) -> bool:
    """True when ``zone`` is a zone of ``region``.

    Chinese regions append ``-<letter>`` (``cn-hangzhou-i``); regions ending in a digit append the
    letter directly (``ap-southeast-1a``, ``cn-beijing-finance-1a``).
    """
    separator = "" if region[-1:].isdigit() else "-"
    return re.fullmatch(re.escape(region) + separator + r"[a-z]", zone) is not None


class NetworkConfig(_Model):
    """``ask:platform.network``: the VPC and its vSwitches."""

    cidr: VpcCidr = Field(DEFAULT_VPC_CIDR, description="VPC CIDR, private, mask /8 to /24.")
    zones: list[str] = Field(
        min_length=1,
        max_length=MAX_ZONES,
        description="Zones of the region, one vSwitch each; ALB needs 2. Order is stable: append.",
    )
    egress: Literal["none", "single", "per-zone"] = Field(
        "single",
        description="Internet egress: none; single (one NAT gateway + EIP); per-zone (one each).",
    )
    vswitch_prefix_length: int | None = Field(
        None,
        ge=MIN_VSWITCH_PREFIX,
        le=MAX_VSWITCH_PREFIX,
        description="vSwitch mask; default leaves room for 8 zones.",
    )
    pinned_vswitches: dict[str, str] = Field(
        default_factory=dict,
        description="zone -> CIDR to keep as deployed (pin before removing a zone from the list).",
    )

    @field_validator("zones")
    @classmethod
    def _zones_in_region(cls, zones: list[str], info: ValidationInfo) -> list[str]:
        region = (info.context or {}).get("region")
        # Where the region was given: the stack file's alicloud:region, or a component's
        # region argument (arguments/network.py).
        region_key = (info.context or {}).get("region_key", REGION_KEY)
        problems: list[tuple[str, str]] = []
        seen: set[str] = set()
        for index, zone in enumerate(zones):
            if zone in seen:
                problems.append((f"[{index}]", f"zone {zone} is listed twice"))
            seen.add(zone)
            if region and not zone_belongs_to_region(zone, region):
                problems.append(
                    (
                        f"[{index}]",
                        f"zone {zone} is not in region {region} (configured as {region_key})",
                    )
                )
        if problems:
            raise Problems(problems)
        return zones

    @model_validator(mode="after")
    def _plan_fits(self) -> NetworkConfig:
        try:
            self.plan()
        except CidrPlanError as err:
            raise Problems([("", str(err))]) from None
        return self

    def plan(self) -> NetworkPlan:
        """The vSwitch layout of this network (pure; see ``plan_vswitches``)."""
        return plan_vswitches(
            self.cidr,
            self.zones,
            prefix_length=self.vswitch_prefix_length,
            pinned=self.pinned_vswitches,
        )


class AddonConfig(_Model):
    """One cluster addon, installed when the cluster is created."""

    name: str = Field(description="Addon name as DescribeAddons lists it (e.g. metrics-server).")
    version: str | None = Field(None, description="Addon version; latest when unset.")
    config: dict[str, Any] | None = Field(None, description="Addon config, sent as JSON.")
    disabled: bool = Field(False, description="Install the addon disabled.")

    @field_validator("name")
    @classmethod
    def _addon_name(cls, name: str) -> str:
        if not _ADDON_NAME_RE.match(name):
            raise ValueError(f"{name!r} is not an addon name (lowercase letters, digits, '-')")
        return name


class ClusterConfig(_Model):
    """``ask:platform.cluster``: the cluster (ACK Serverless, ACS, or ACK Pro with serverless
    pods)."""

    kind: ClusterKind = Field(
        "ask",
        description="ask (ACK Serverless, ECI pods; closed to new accounts since 2025-02-17), "
        "acs (an ACS cluster, ACS pods) or ack-pro (ACK Pro with a virtual node, no ECS nodes).",
    )
    serverless_pods: Literal["eci", "acs"] | None = Field(
        None,
        description="kind ack-pro only: what the virtual node runs, eci (default) or acs.",
    )
    allow_replacement: bool = Field(
        False,
        description="Let a change of kind replace the deployed cluster of a prod* stack (a new "
        "cluster; every workload moves to it). Other stacks may always.",
    )
    edition: Literal["basic", "pro"] = Field(
        "pro",
        description="ask: basic -> ack.standard, pro -> ack.pro.small (SLA-backed control plane); "
        "acs and ack-pro are always ack.pro.small.",
    )
    version: str | None = Field(
        None,
        description="Kubernetes minor (\"1.33\": ACK's newest patch, or the deployed cluster's "
        'own while it runs that minor) or full ACK version ("1.33.3-aliyun.1"); ACK\'s newest '
        "when unset. Changing the minor upgrades in place, one minor at a time.",
    )
    public_api: bool = Field(False, description="Expose the API server on the Internet.")
    service_cidr: ServiceCidr = Field(
        DEFAULT_SERVICE_CIDR,
        description="Service CIDR, private, mask /16 to /24; must not overlap the VPC. Immutable.",
    )
    deletion_protection: bool | None = Field(
        None, description="Refuse cluster deletion; default on for stacks named prod*."
    )
    addons: list[AddonConfig] | None = Field(
        None,
        description="Addons at create; default per kind (ask: metrics-server, managed-coredns; "
        "acs: managed-coredns, managed-metrics-server; ack-pro: managed-coredns, metrics-server, "
        "ack-virtual-node), plus alb-ingress-controller with an ALB.",
    )

    @field_validator("version")
    @classmethod
    def _version(cls, version: str | None) -> str | None:
        if version is not None and not _VERSION_RE.match(version):
            raise ValueError(
                f'{version!r} is not a Kubernetes version like "1.33" or "1.33.3-aliyun.1"'
            )
        return version

    @model_validator(mode="after")
    def _kind_settings(self) -> ClusterConfig:
        problems: list[tuple[str, str]] = []
        if self.serverless_pods is not None and self.kind != "ack-pro":
            problems.append(
                (
                    ".serverlessPods",
                    "only kind ack-pro has a virtual node to choose pods for "
                    f"(kind is {self.kind})",
                )
            )
        if self.kind != "ask" and "edition" in self.model_fields_set and self.edition != "pro":
            problems.append(
                (
                    ".edition",
                    f"kind {self.kind} is created as ack.pro.small: edition basic exists for ACK "
                    "Serverless (kind ask) only",
                )
            )
        if problems:
            raise Problems(problems)
        return self

    @property
    def pods(self) -> Literal["eci", "acs"]:
        """What the cluster runs pods as: ECI (ask, ack-pro by default) or ACS."""
        if self.kind == "acs" or (self.kind == "ack-pro" and self.serverless_pods == "acs"):
            return "acs"
        return "eci"

    @field_validator("addons")
    @classmethod
    def _unique_addons(cls, addons: list[AddonConfig] | None) -> list[AddonConfig] | None:
        if addons is None:
            return None
        problems = []
        seen: set[str] = set()
        for index, addon in enumerate(addons):
            if addon.name in seen:
                problems.append((f"[{index}].name", f"addon {addon.name} is listed twice"))
            seen.add(addon.name)
        if problems:
            raise Problems(problems)
        return addons


class LocalConfig(_Model):
    """``ask:local``: where the local target deploys (read only when ``ask:target`` is local)."""

    kube_context: str = Field(
        DEFAULT_KUBE_CONTEXT,
        description="kubectl context of the kind cluster (kind names it kind-<cluster>).",
    )
    sandbox_state: str = Field(
        DEFAULT_SANDBOX_STATE,
        description="SQLite file of the sandbox provider, relative to the project folder.",
    )

    @field_validator("kube_context")
    @classmethod
    def _context(cls, context: str) -> str:
        if not context or any(char.isspace() for char in context):
            raise ValueError(f"{context!r} is not a kubectl context name (non-empty, no spaces)")
        return context

    @field_validator("sandbox_state")
    @classmethod
    def _state(cls, path: str) -> str:
        if not path or path.endswith(("/", "\\")):
            raise ValueError(f"{path!r} is not a file path for the sandbox store")
        return path


class PlatformConfig(_Model):
    """``ask:platform`` plus ``ask:target``, ``ask:local``, ``alicloud:region`` and the stack."""

    name: str = Field(
        description="Platform name: 2-32 chars of a-z, 0-9 and '-'; prefixes every name."
    )
    network: NetworkConfig = Field(description="The VPC, its vSwitches and egress.")
    cluster: ClusterConfig = Field(
        default_factory=lambda: ClusterConfig(), description="The ACK Serverless cluster."
    )
    workloads: WorkloadsConfig = Field(
        default_factory=lambda: WorkloadsConfig(),
        description="Apps, CronJobs, batch and Spark jobs, CI runners (ECI pods).",
    )
    target: Literal["alicloud", "local"] = Field("alicloud", description="Where to deploy.")
    local: LocalConfig = Field(
        default_factory=lambda: LocalConfig(), description="The local target (kind + sandbox)."
    )
    region: str = Field(description="Alibaba region (alicloud:region).")
    stack: str = Field("dev", description="The Pulumi stack name.")
    ingress: IngressConfig = Field(
        default_factory=lambda: IngressConfig(), description="ALB, CLB or no ingress."
    )
    dns: DnsConfig | None = Field(None, description="A PrivateZone for the VPC; none when unset.")
    protect: bool | None = Field(
        None,
        description=(
            "Pulumi protect on the cluster and the ALB (no destroy or replacement until turned "
            "off); default on for stacks named prod*."
        ),
    )

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if not _NAME_RE.match(name):
            raise ValueError(
                f"{name!r} is not a valid name: 2-32 characters, lowercase letters, digits and "
                "'-', starting with a letter and ending with a letter or digit"
            )
        if name.startswith("aliyun"):
            raise ValueError(f"{name!r} must not start with 'aliyun' (reserved by Alibaba Cloud)")
        return name

    @field_validator("region")
    @classmethod
    def _region(cls, region: str) -> str:
        return check_region(region)

    @field_validator("cluster")
    @classmethod
    def _service_cidr_outside_vpc(
        cls, cluster: ClusterConfig, info: ValidationInfo
    ) -> ClusterConfig:
        network = info.data.get("network")
        if isinstance(network, NetworkConfig):
            service = ipaddress.IPv4Network(cluster.service_cidr)
            vpc = ipaddress.IPv4Network(network.cidr)
            if service.overlaps(vpc):
                raise Problems(
                    [
                        (
                            ".serviceCidr",
                            f"{service} overlaps the VPC CIDR {vpc} (ask:platform.network.cidr)",
                        )
                    ]
                )
        return cluster

    @model_validator(mode="after")
    def _ingress_fits_platform(self) -> PlatformConfig:
        addons = (
            [(addon.name, addon.config) for addon in self.cluster.addons]
            if self.cluster.addons is not None
            else None
        )
        problems = platform_ingress_problems(
            self.ingress,
            zones=self.network.zones,
            region=self.region,
            addons=addons,
            target=self.target,
        )
        problems.extend(self._exposure_problems())
        if problems:
            raise Problems(problems)
        return self

    @model_validator(mode="after")
    def _workloads_fit_target(self) -> PlatformConfig:
        if self.target != "local":
            return self
        problems = [
            (
                f".workloads.apps[{index}].schedules",
                "scheduled scaling needs ACK's CronHPA controller (the "
                "ack-kubernetes-cronhpa-controller add-on), which the local target does not "
                "run: leave schedules out of the local stack (autoscale works there)",
            )
            for index, app in enumerate(self.workloads.apps)
            if app.schedules
        ]
        if problems:
            raise Problems(problems)
        return self

    @field_validator("workloads")
    @classmethod
    def _workload_namespaces(
        cls, workloads: WorkloadsConfig, info: ValidationInfo
    ) -> WorkloadsConfig:
        name = info.data.get("name")
        if isinstance(name, str):
            problems = workloads.namespace_problems(workloads.namespace or name)
            if problems:
                raise Problems(problems)
        return workloads

    @property
    def workloads_namespace(self) -> str:
        """The shared namespace of the workloads: ``workloads.namespace``, else the name."""
        return self.workloads.namespace or self.name

    @property
    def kubernetes_version(self) -> str:
        """The cluster's Kubernetes minor version ("1.33"): pinned, else
        :data:`DEFAULT_KUBERNETES_VERSION` (what manifests are validated against)."""
        if self.cluster.version is None:
            return DEFAULT_KUBERNETES_VERSION
        return ".".join(self.cluster.version.split(".")[:2])

    def exposed_apps(self) -> list[AppExposure]:
        """The apps with ``expose``, with their config paths (below ``ask:platform``)."""
        return [
            AppExposure(
                f".workloads.apps[{index}]",
                app.name,
                app.namespace or self.workloads_namespace,
                app.expose,
            )
            for index, app in enumerate(self.workloads.apps)
            if app.expose is not None
        ]

    def _exposure_problems(self) -> list[tuple[str, str]]:
        apps = self.exposed_apps()
        zone = self.dns.zone if self.dns is not None else None
        problems = exposure_problems(self.ingress, apps, zone=zone)
        if self.dns is not None and apps and self.ingress.kind != "none":
            # <app>.<zone> is a record too: it must not clash with the configured ones.
            app_type = "CNAME" if self.ingress.kind == "alb" else "A"
            configured = [
                (f"records[{i}]", r.rr, r.type, r.value) for i, r in enumerate(self.dns.records)
            ]
            exposed = {app.name: app for app in apps}  # one record per name (see above)
            records = configured + [
                (f"{PLATFORM_KEY}{app.path}", name, app_type, f"the ingress of {name}")
                for name, app in exposed.items()
            ]
            apps_by_index = list(exposed.values())
            for index, message in record_conflicts(records):
                if index >= len(configured):
                    problems.append(
                        (f"{apps_by_index[index - len(configured)].path}.name", message)
                    )
        return problems

    @property
    def deletion_protection(self) -> bool:
        """Whether the cluster refuses deletion: explicit config, else on for prod* stacks."""
        if self.cluster.deletion_protection is not None:
            return self.cluster.deletion_protection
        return self.stack.startswith(PROD_STACK_PREFIX)

    @property
    def pod_runtime(self) -> PodRuntime:
        """Where the workloads' pods run (``workloads/runtime.py``): decided by the cluster kind,
        and on the local target they state the spec the cloud would bill."""
        from ask_components.workloads.runtime import runtime_for

        return runtime_for(
            self.cluster.kind, self.cluster.serverless_pods, local=self.target == "local"
        )

    @property
    def protected(self) -> bool:
        """Whether the cluster and the ALB get Pulumi ``protect``: explicit config, else on for
        prod* stacks (beside the cloud's own deletion protection)."""
        if self.protect is not None:
            return self.protect
        return self.stack.startswith(PROD_STACK_PREFIX)

    @property
    def addon_names(self) -> tuple[str, ...]:
        """The addons installed at create, in order."""
        return tuple(addon.name for addon in self.addons)

    @property
    def addons(self) -> tuple[AddonConfig, ...]:
        """The addons installed at create: ``cluster.addons``, else the defaults (plus the ALB
        Ingress controller when ``ingress.kind`` is alb). The ALB controller's config always
        says ``CreateDefaultALBConfig: false`` (``AlbIngress`` owns the ALB)."""
        if self.cluster.addons is None:
            names = BASE_ADDONS[self.cluster.kind] + (
                (ALB_ADDON,) if self.ingress.kind == "alb" else ()
            )
            return tuple(
                AddonConfig.model_validate(
                    {"name": n, "config": alb_addon_config(None) if n == ALB_ADDON else None}
                )
                for n in names
            )
        return tuple(
            addon.model_copy(update={"config": alb_addon_config(addon.config)})
            if addon.name == ALB_ADDON
            else addon
            for addon in self.cluster.addons
        )

    @property
    def ingress_deletion_protection(self) -> bool:
        """Whether the ALB / CLBs refuse deletion: explicit config, else on for prod* stacks."""
        return self.ingress.deletion_protection_for(self.stack, prod_prefix=PROD_STACK_PREFIX)


_ROOT_FIELDS = {
    "target": TARGET_KEY,
    "local": LOCAL_KEY,
    "region": REGION_KEY,
    "stack": "stack",
}


def load_platform_config(
    values: Mapping[str, Any],
    *,
    stack: str,
    secret_keys: Collection[str] | None = None,
    check_secrets: bool = True,
) -> PlatformConfig:
    """Validate a stack's config into a ``PlatformConfig``.

    Args:
        values: config key -> value, as in a stack file's ``config:`` (``ask:platform`` may be a
            mapping or its JSON text, as ``pulumi.Config`` holds it).
        stack: the stack name (``prod*`` turns deletion protection on by default).
        secret_keys: the config keys whose values are secrets; when given, a secret the
            workloads read must be one of them (None: only check that it is set).
        check_secrets: check the config keys the workloads read as secrets (see
            :func:`secret_config_problems`).

    Raises:
        ConfigError: every problem found, each with its config path.
    """
    raw_platform = _mapping(values, PLATFORM_KEY)
    if raw_platform is None:
        raise ConfigError(
            [ConfigProblem(PLATFORM_KEY, "is missing: the stack file must set ask:platform")]
        )
    raw_local = _mapping(values, LOCAL_KEY)

    target = values.get(TARGET_KEY, "alicloud")
    region = values.get(REGION_KEY)
    problems: list[ConfigProblem] = []
    if region is None:
        if target == "alicloud":
            problems.append(
                ConfigProblem(REGION_KEY, "is missing: the alicloud target needs a region")
            )
        region = DEFAULT_LOCAL_REGION

    document = {**raw_platform, "target": target, "region": region, "stack": stack}
    if raw_local is not None:
        document["local"] = raw_local
    try:
        # Zones are only checked against a region that is itself valid (else one typo would
        # report every zone too).
        context = {
            "region": region if region_problem(region) is None else None,
            "runtime": _runtime_of(raw_platform, target),
        }
        config = PlatformConfig.model_validate(document, context=context)
    except ValidationError as err:
        problems.extend(_problems_from(err))
        raise ConfigError(problems) from None
    if check_secrets:
        problems.extend(secret_config_problems(config, values, secret_keys))
    if problems:
        raise ConfigError(problems)
    return config


def secret_config_problems(
    config: PlatformConfig,
    values: Mapping[str, Any],
    secret_keys: Collection[str] | None = None,
) -> list[ConfigProblem]:
    """Problems with the config keys the workloads read as secrets (secret env, runner tokens).

    Each must be set, and (when ``secret_keys`` is given) be a Pulumi secret: a value set in
    plain text sits unencrypted in the stack file, which defeats the point.

    Args:
        config: the validated config.
        values: config key -> value.
        secret_keys: the keys whose values are secrets, or None to skip that check.
    """
    problems: list[ConfigProblem] = []
    for path, key in config.workloads.secret_config_keys():
        where = f"{PLATFORM_KEY}.workloads.{path}"
        command = f"pulumi config set --secret {key} <value>"
        if values.get(key) is None:
            problems.append(ConfigProblem(where, f"config key {key} is not set: {command}"))
        elif secret_keys is not None and key not in secret_keys:
            problems.append(
                ConfigProblem(
                    where, f"config key {key} is set in plain text; it must be a secret: {command}"
                )
            )
    return problems


def _runtime_of(raw_platform: Mapping[str, Any], target: object) -> Any:
    """The pod runtime the raw config asks for, to size the workloads by while validating; an
    invalid kind is reported by the cluster's own validation, and sizing falls back to ECI."""
    from ask_components.workloads.runtime import runtime_for

    cluster = raw_platform.get("cluster")
    kind = cluster.get("kind", "ask") if isinstance(cluster, Mapping) else "ask"
    pods = cluster.get("serverlessPods") if isinstance(cluster, Mapping) else None
    if kind not in ("ask", "acs", "ack-pro"):
        kind = "ask"
    return runtime_for(kind, pods if pods in ("eci", "acs") else None, local=target == "local")


def _mapping(values: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    """A mapping-valued key: a mapping, or its JSON text as ``pulumi.Config`` holds it."""
    raw = values.get(key)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as err:
            raise ConfigError([ConfigProblem(key, f"is not valid JSON ({err.msg})")]) from None
    if raw is not None and not isinstance(raw, Mapping):
        raise ConfigError([ConfigProblem(key, f"must be a mapping, got {type(raw).__name__}")])
    return raw


def _problems_from(err: ValidationError) -> list[ConfigProblem]:
    return [ConfigProblem(_path(loc) + sub, message) for loc, sub, message in error_items(err)]


def _path(loc: tuple[int | str, ...]) -> str:
    if loc and loc[0] in _ROOT_FIELDS:
        head, rest = _ROOT_FIELDS[str(loc[0])], loc[1:]
    else:
        head, rest = PLATFORM_KEY, loc
    path = head
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def platform_config_from_pulumi() -> PlatformConfig:
    """Load the running stack's ``PlatformConfig`` through ``pulumi.Config``.

    For ``__main__.py``. A config problem raises ``pulumi.RunError`` (so ``pulumi up`` prints the
    problems without a traceback) chained from the ``ConfigError`` (so ``askc`` exits 2).
    """
    import pulumi

    values: dict[str, Any] = {}
    for namespace, key in (
        ("ask", "platform"),
        ("ask", "target"),
        ("ask", "local"),
        ("alicloud", "region"),
    ):
        value = pulumi.Config(namespace).get(key)
        if value is not None:
            values[f"{namespace}:{key}"] = value
    try:
        config = load_platform_config(values, stack=pulumi.get_stack(), check_secrets=False)
        # The secrets the workloads read are only known once the config is read. Look at them
        # through pulumi.runtime, which neither decrypts nor warns about reading a secret.
        keys = {key for _, key in config.workloads.secret_config_keys()}
        for key in keys:
            values[key] = pulumi.runtime.get_config(key)
        secret_keys = {key for key in keys if pulumi.runtime.is_config_secret(key)}
        problems = secret_config_problems(config, values, secret_keys)
        if problems:
            raise ConfigError(problems)
        return config
    except ConfigError as err:
        raise pulumi.RunError(str(err)) from err
