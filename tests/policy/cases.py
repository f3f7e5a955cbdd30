"""Hand-built resources for every rule: cases that pass and cases that fail.

Each failing case breaks exactly one rule; ``messages`` are the exact findings. The same cases run
through the policy pack's ``validate`` callbacks and through ``askc policy check --graph-json``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from ask_components.preview.graph import ResourceGraph, ResourceNode

PROJECT = "ask-platform"
ACR_IMAGE = "registry-vpc.cn-hangzhou.aliyuncs.com/shop/web:1.4.2"
SPECS = {"k8s.aliyun.com/eci-use-specs": "1-2Gi"}

CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"
ALB = "alicloud:alb/loadBalancer:LoadBalancer"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
JOB = "kubernetes:batch/v1:Job"
CRONJOB = "kubernetes:batch/v1:CronJob"
SPARK = "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication"
CONFIGMAP = "kubernetes:core/v1:ConfigMap"
SERVICE = "kubernetes:core/v1:Service"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
ALBCONFIG = "kubernetes:alibabacloud.com/v1:AlbConfig"
VPC = "alicloud:vpc/network:Network"
NAT = "alicloud:vpc/natGateway:NatGateway"
ZONE_ATTACHMENT = "alicloud:pvtz/zoneAttachment:ZoneAttachment"


def urn(stack: str, type_: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{PROJECT}::{type_}::{name}"


@dataclass
class Res:
    """A resource of a case: type, name, inputs and the names it depends on."""

    type: str
    name: str
    inputs: dict[str, Any]
    depends_on: tuple[str, ...] = ()


def container(**overrides: Any) -> dict[str, Any]:
    """A container every pod rule accepts."""
    base: dict[str, Any] = {
        "name": "app",
        "image": ACR_IMAGE,
        "resources": {"limits": {"cpu": "1", "memory": "2Gi"}},
        "securityContext": {"allowPrivilegeEscalation": False},
    }
    base.update(overrides)
    return base


def template(
    annotations: dict[str, Any] | None = None,
    containers: list[dict[str, Any]] | None = None,
    labels: dict[str, Any] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    """A pod template every pod rule accepts, with the given changes."""
    pod_spec: dict[str, Any] = {
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
        "containers": containers if containers is not None else [container()],
    }
    pod_spec.update(spec)
    metadata: dict[str, Any] = {"annotations": dict(SPECS) if annotations is None else annotations}
    if labels is not None:
        metadata["labels"] = labels
    return {"metadata": metadata, "spec": pod_spec}


def deployment(name: str = "web", **changes: Any) -> Res:
    return Res(DEPLOYMENT, name, {"spec": {"replicas": 2, "template": template(**changes)}})


def job(name: str = "report", **changes: Any) -> Res:
    return Res(JOB, name, {"spec": {"template": template(**changes)}})


def cronjob(name: str = "nightly", **changes: Any) -> Res:
    return Res(
        CRONJOB,
        name,
        {
            "spec": {
                "schedule": "0 3 * * *",
                "jobTemplate": {"spec": {"template": template(**changes)}},
            }
        },
    )


def spark_role(**changes: Any) -> dict[str, Any]:
    role: dict[str, Any] = {
        "cores": 1,
        "memory": "2g",
        "annotations": dict(SPECS),
        "securityContext": {"runAsNonRoot": True, "runAsUser": 185},
    }
    role.update(changes)
    return role


def spark(
    name: str = "etl", driver: dict[str, Any] | None = None, executor: dict[str, Any] | None = None
) -> Res:
    return Res(
        SPARK,
        name,
        {
            "apiVersion": "sparkoperator.k8s.io/v1beta2",
            "kind": "SparkApplication",
            "spec": {
                "type": "Python",
                "image": "registry-vpc.cn-hangzhou.aliyuncs.com/shop/spark:3.5.1",
                "driver": driver if driver is not None else spark_role(),
                "executor": executor if executor is not None else spark_role(instances=4),
            },
        },
    )


RUNNER_TOML = """
concurrent = 4
[[runners]]
  name = "ask"
  url = "https://gitlab.example.com"
  executor = "kubernetes"
  [runners.kubernetes]
    image = "registry-vpc.cn-hangzhou.aliyuncs.com/ci/build:2024.1"
    cpu_limit = "2"
    memory_limit = "4Gi"
    [runners.kubernetes.pod_annotations]
      "k8s.aliyun.com/eci-use-specs" = "2-4Gi"
      "k8s.aliyun.com/eci-spot-strategy" = "SpotAsPriceGo"
"""


def service(annotations: dict[str, str] | None, name: str = "web") -> Res:
    return Res(
        SERVICE,
        name,
        {
            "metadata": {"annotations": annotations or {}},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]},
        },
    )


def ingress(annotations: dict[str, str]) -> Res:
    return Res(
        INGRESS,
        "web",
        {
            "metadata": {"annotations": annotations},
            "spec": {"ingressClassName": "alb", "rules": []},
        },
    )


def albconfig(address_type: str | None, protocols: list[str]) -> Res:
    config: dict[str, Any] = {"name": "shop-alb"}
    if address_type is not None:
        config["addressType"] = address_type
    return Res(
        ALBCONFIG,
        "shop-alb",
        {
            "spec": {
                "config": config,
                "listeners": [
                    {"port": 443 if p == "HTTPS" else 80, "protocol": p} for p in protocols
                ],
            }
        },
    )


VPC_RES = Res(VPC, "shop-network-vpc", {"cidrBlock": "10.0.0.0/16"})
NAT_RES = Res(
    NAT, "shop-network-nat", {"natType": "Enhanced", "vpcId": "[unknown]"}, ("shop-network-vpc",)
)


@dataclass
class Case:
    """Resources of one stack and what the policy check must say about them.

    ``rule``: the rule under test; ``messages``: its exact findings (empty: the case passes).
    """

    id: str
    rule: str
    resources: list[Res]
    messages: list[str] = field(default_factory=list)
    stack: str = "dev"

    @property
    def fails(self) -> bool:
        return bool(self.messages)

    def graph(self) -> ResourceGraph:
        by_name = {res.name: res for res in self.resources}
        return ResourceGraph(
            project=PROJECT,
            stack=self.stack,
            resources=tuple(
                ResourceNode(
                    urn=urn(self.stack, res.type, res.name),
                    type=res.type,
                    name=res.name,
                    custom=True,
                    dependencies=tuple(urn(self.stack, by_name[d].type, d) for d in res.depends_on),
                    inputs=copy.deepcopy(res.inputs),
                )
                for res in self.resources
            ),
        )

    def graph_json(self) -> str:
        return json.dumps(self.graph().to_dict())


C = "spec.template.spec.containers[0] (app)"

CASES: list[Case] = [
    # api-server-private
    Case(
        "api-public",
        "api-server-private",
        [Res(CLUSTER, "c", {"slbInternetEnabled": True})],
        ["slbInternetEnabled is true: the API server has an Internet-facing endpoint"],
    ),
    Case(
        "api-default-public",
        "api-server-private",
        [Res(CLUSTER, "c", {"profile": "Serverless"})],
        [
            "slbInternetEnabled is unset, and the provider's default is true: the API server gets an Internet-facing endpoint"
        ],
    ),
    Case("api-private", "api-server-private", [Res(CLUSTER, "c", {"slbInternetEnabled": False})]),
    Case(
        "api-unknown",
        "api-server-private",
        [Res(CLUSTER, "c", {"slbInternetEnabled": "[unknown]"})],
    ),
    # prod-deletion-protection
    Case(
        "prod-unprotected",
        "prod-deletion-protection",
        [
            Res(CLUSTER, "c", {"slbInternetEnabled": False, "deletionProtection": False}),
            Res(ALB, "alb", {"addressType": "Internet"}),
        ],
        [
            "deletionProtection is false on a cluster of the production stack 'prod-cn'",
            "deletionProtectionEnabled is unset on an ALB of the production stack 'prod-cn'",
        ],
        stack="prod-cn",
    ),
    Case(
        "prod-protected",
        "prod-deletion-protection",
        [
            Res(CLUSTER, "c", {"slbInternetEnabled": False, "deletionProtection": True}),
            Res(ALB, "alb", {"deletionProtectionEnabled": True}),
        ],
        stack="prod",
    ),
    Case(
        "dev-unprotected",
        "prod-deletion-protection",
        [Res(CLUSTER, "c", {"slbInternetEnabled": False, "deletionProtection": False})],
        stack="dev",
    ),
    # eci-spec-declared (advisory)
    Case(
        "no-eci-spec",
        "eci-spec-declared",
        [deployment(annotations={})],
        [
            "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)"
        ],
    ),
    Case(
        "spark-no-eci-spec",
        "eci-spec-declared",
        [spark(executor=spark_role(annotations={}))],
        [
            "spec.executor.annotations has no k8s.aliyun.com/eci-use-specs annotation (SparkExecutor)"
        ],
    ),
    Case("eci-spec", "eci-spec-declared", [deployment(), spark()]),
    # container-limits
    Case(
        "no-memory-limit",
        "container-limits",
        [
            deployment(
                containers=[
                    container(resources={"limits": {"cpu": "1"}, "requests": {"memory": "1Gi"}})
                ]
            )
        ],
        [f"container {C} has no memory limit"],
    ),
    Case(
        "cronjob-no-limits",
        "container-limits",
        [cronjob(containers=[container(resources={})])],
        [
            "container spec.jobTemplate.spec.template.spec.containers[0] (app) has no cpu limit and no memory limit"
        ],
    ),
    Case(
        "spark-no-memory",
        "container-limits",
        [spark(driver=spark_role(memory=None))],
        ["spec.driver sets no memory (SparkDriver)"],
    ),
    Case("limits", "container-limits", [deployment(), cronjob(), spark()]),
    # image-tag-pinned
    Case(
        "latest",
        "image-tag-pinned",
        [
            deployment(
                containers=[container(image="registry.cn-hangzhou.aliyuncs.com/shop/web:latest")]
            )
        ],
        [f"{C} uses image 'registry.cn-hangzhou.aliyuncs.com/shop/web:latest'"],
    ),
    Case(
        "untagged",
        "image-tag-pinned",
        [job(containers=[container(image="registry.cn-hangzhou.aliyuncs.com/shop/web")])],
        [
            f"{C} uses image 'registry.cn-hangzhou.aliyuncs.com/shop/web' without a tag (means :latest)"
        ],
    ),
    Case(
        "pod-init-container-latest",
        "image-tag-pinned",
        [
            Res(
                "kubernetes:core/v1:Pod",
                "debug",
                template(
                    initContainers=[
                        container(
                            name="init", image="registry.cn-hangzhou.aliyuncs.com/shop/init:latest"
                        )
                    ]
                ),
            )
        ],
        [
            "spec.initContainers[0] (init) uses image 'registry.cn-hangzhou.aliyuncs.com/shop/init:latest'"
        ],
    ),
    Case(
        "pinned",
        "image-tag-pinned",
        [
            deployment(
                containers=[
                    container(
                        image="registry.cn-hangzhou.aliyuncs.com/shop/web@sha256:" + "a" * 64
                    ),
                    container(
                        name="side", image="registry-vpc.cn-hangzhou.aliyuncs.com:5000/shop/side:2"
                    ),
                ]
            )
        ],
    ),
    # run-as-non-root
    Case(
        "root-by-default",
        "run-as-non-root",
        [deployment(securityContext={})],
        [f"container {C} may run as root: runAsNonRoot is unset on the pod and container"],
    ),
    Case(
        "root-user",
        "run-as-non-root",
        [
            deployment(
                containers=[
                    container(securityContext={"runAsUser": 0, "allowPrivilegeEscalation": False})
                ]
            )
        ],
        [f"container {C} runs as user 0 (root)"],
    ),
    Case(
        "container-overrides-root",
        "run-as-non-root",
        [job(containers=[container(securityContext={"runAsNonRoot": False})])],
        [f"container {C} may run as root: runAsNonRoot is false on the pod and container"],
    ),
    Case(
        "non-root",
        "run-as-non-root",
        [
            deployment(
                securityContext={}, containers=[container(securityContext={"runAsNonRoot": True})]
            )
        ],
    ),
    # no-privileged-containers
    Case(
        "privileged",
        "no-privileged-containers",
        [
            deployment(
                containers=[
                    container(
                        securityContext={"privileged": True, "allowPrivilegeEscalation": True}
                    )
                ]
            )
        ],
        [f"container {C} is privileged", f"container {C} sets allowPrivilegeEscalation: true"],
    ),
    Case("unprivileged", "no-privileged-containers", [deployment()]),
    # no-host-namespaces
    Case(
        "host-network",
        "no-host-namespaces",
        [deployment(hostNetwork=True, hostPID=True)],
        [
            "spec.template.spec.hostNetwork is true (Deployment)",
            "spec.template.spec.hostPID is true (Deployment)",
        ],
    ),
    Case("pod-network", "no-host-namespaces", [deployment(hostNetwork=False)]),
    # spot-batch-only
    Case(
        "spot-deployment",
        "spot-batch-only",
        [deployment(annotations={**SPECS, "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo"})],
        [
            "spec.template.metadata.annotations asks for spot (k8s.aliyun.com/eci-spot-strategy: SpotAsPriceGo) on a Deployment, whose pods are not retried work"
        ],
    ),
    Case(
        "spot-spark-driver",
        "spot-batch-only",
        [
            spark(
                driver=spark_role(
                    annotations={**SPECS, "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo"}
                )
            )
        ],
        [
            "spec.driver.annotations asks for spot (k8s.aliyun.com/eci-spot-strategy: SpotAsPriceGo) on a SparkDriver, whose pods are not retried work"
        ],
    ),
    Case(
        "spot-batch",
        "spot-batch-only",
        [
            job(
                annotations={
                    **SPECS,
                    "k8s.aliyun.com/eci-spot-strategy": "SpotWithPriceLimit",
                    "k8s.aliyun.com/eci-spot-price-limit": "0.5",
                }
            ),
            cronjob(annotations={**SPECS, "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo"}),
            spark(
                executor=spark_role(
                    annotations={**SPECS, "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo"}
                )
            ),
            Res(CONFIGMAP, "runner", {"data": {"config.toml": RUNNER_TOML}}),
            deployment(
                "batch-api",
                annotations={
                    **SPECS,
                    "k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo",
                    "ask-components.io/allow-spot": "true",
                },
            ),
        ],
    ),
    # alb-https-redirect
    Case(
        "alb-no-redirect",
        "alb-https-redirect",
        [ingress({"alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'})],
        [
            'the Ingress listens on HTTP and HTTPS but alb.ingress.kubernetes.io/ssl-redirect is not "true": plain-HTTP requests are served instead of redirected'
        ],
    ),
    Case(
        "albconfig-no-https",
        "alb-https-redirect",
        [albconfig(None, ["HTTP"])],
        [
            "the AlbConfig makes an Internet-facing ALB (spec.config.addressType unset, default Internet) without an HTTPS listener"
        ],
    ),
    Case(
        "alb-redirect",
        "alb-https-redirect",
        [
            ingress(
                {
                    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
                    "alb.ingress.kubernetes.io/ssl-redirect": "true",
                }
            ),
            albconfig("Internet", ["HTTP", "HTTPS"]),
            Res(
                ALBCONFIG,
                "internal",
                {
                    "spec": {
                        "config": {"addressType": "Intranet"},
                        "listeners": [{"port": 80, "protocol": "HTTP"}],
                    }
                },
            ),
        ],
    ),
    # clb-internet-public-only
    Case(
        "clb-default-internet",
        "clb-internet-public-only",
        [service(None)],
        [
            'the LoadBalancer Service gets an Internet CLB (address-type is unset (the default is internet)) but is not marked public (ask-components.io/public: "true")'
        ],
    ),
    Case(
        "clb-internet",
        "clb-internet-public-only",
        [
            service(
                {"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "internet"}
            )
        ],
        [
            'the LoadBalancer Service gets an Internet CLB (address-type is internet) but is not marked public (ask-components.io/public: "true")'
        ],
    ),
    Case(
        "clb-ok",
        "clb-internet-public-only",
        [
            service(
                {"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet"},
                "api",
            ),
            service(
                {
                    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "internet",
                    "ask-components.io/public": "true",
                }
            ),
        ],
    ),
    # private-zone-platform-vpc
    Case(
        "zone-two-vpcs",
        "private-zone-platform-vpc",
        [
            VPC_RES,
            Res(
                ZONE_ATTACHMENT,
                "zone-att",
                {"zoneId": "[unknown]", "vpcIds": ["[unknown]", "vpc-other"]},
                ("shop-network-vpc",),
            ),
        ],
        ["the zone is attached to 2 VPCs; it must be attached to exactly one, the platform's"],
    ),
    Case(
        "zone-foreign-vpc",
        "private-zone-platform-vpc",
        [
            VPC_RES,
            Res(
                ZONE_ATTACHMENT,
                "zone-att",
                {
                    "zoneId": "[unknown]",
                    "vpcs": [{"vpcId": "vpc-other", "regionId": "cn-hangzhou"}],
                },
            ),
        ],
        ["the zone is attached to 'vpc-other', which is not the platform VPC (shop-network-vpc)"],
    ),
    Case(
        "zone-platform-vpc",
        "private-zone-platform-vpc",
        [
            VPC_RES,
            Res(
                ZONE_ATTACHMENT,
                "zone-att",
                {"zoneId": "[unknown]", "vpcIds": ["[unknown]"]},
                ("shop-network-vpc",),
            ),
        ],
    ),
    Case(
        "sandbox-zone-two-vpcs",
        "private-zone-platform-vpc",
        [
            Res("pulumi-python:dynamic/sandbox:SandboxVpc", "vpc", {"cidr_block": "10.0.0.0/16"}),
            Res(
                "pulumi-python:dynamic/sandbox:SandboxPrivateZone",
                "zone",
                {"zone_name": "shop.internal", "vpc_ids": ["[unknown]", "vpc-x"]},
                ("vpc",),
            ),
        ],
        ["the zone is attached to 2 VPCs; it must be attached to exactly one, the platform's"],
    ),
    Case(
        "sandbox-zone-platform-vpc",
        "private-zone-platform-vpc",
        [
            Res("pulumi-python:dynamic/sandbox:SandboxVpc", "vpc", {"cidr_block": "10.0.0.0/16"}),
            Res(
                "pulumi-python:dynamic/sandbox:SandboxPrivateZone",
                "zone",
                {"zone_name": "shop.internal", "vpc_ids": ["[unknown]"]},
                ("vpc",),
            ),
            Res(
                "pulumi-python:dynamic/sandbox:SandboxPrivateZone",
                "unattached",
                {"zone_name": "other.internal", "vpc_ids": []},
            ),
        ],
    ),
    # no-plaintext-secrets
    Case(
        "env-password",
        "no-plaintext-secrets",
        [
            deployment(
                containers=[
                    container(
                        env=[
                            {"name": "DB_PASSWORD", "value": "hunter2"},
                            {"name": "LOG_LEVEL", "value": "info"},
                        ]
                    )
                ]
            ),
            Res(CONFIGMAP, "settings", {"data": {"api-key": "abc", "color": "blue"}}),
        ],
        [
            f"container {C} sets env DB_PASSWORD to a literal value",
            "ConfigMap data has the secret-looking key 'api-key'",
        ],
    ),
    Case(
        "env-from-secret",
        "no-plaintext-secrets",
        [
            deployment(
                containers=[
                    container(
                        env=[
                            {
                                "name": "DB_PASSWORD",
                                "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
                            },
                            {"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db"},
                        ]
                    )
                ]
            ),
            Res(CONFIGMAP, "runner", {"data": {"config.toml": RUNNER_TOML}}),
        ],
    ),
    # nat-egress-for-public-images
    Case(
        "public-image-no-nat",
        "nat-egress-for-public-images",
        [VPC_RES, deployment(containers=[container(image="nginx:1.27")])],
        [
            f"{C} pulls the public image 'nginx:1.27', but the stack has no NAT gateway and the pod no image cache: the pull cannot leave the VPC"
        ],
    ),
    Case(
        "public-image-nat",
        "nat-egress-for-public-images",
        [VPC_RES, NAT_RES, deployment(containers=[container(image="ghcr.io/shop/web:1.0")])],
    ),
    Case(
        "public-image-intranet-nats",
        "nat-egress-for-public-images",
        [
            VPC_RES,
            Res(NAT, "nat", {"natType": "Enhanced", "networkType": "intranet"}),
            Res(
                "pulumi-python:dynamic/sandbox:SandboxNatGateway",
                "snat",
                {"network_type": "intranet"},
            ),
            deployment(containers=[container(image="docker.io/library/nginx:1.27")]),
        ],
        [
            f"{C} pulls the public image 'docker.io/library/nginx:1.27', but the stack has no NAT gateway and the pod no image cache: the pull cannot leave the VPC"
        ],
    ),
    Case(
        "public-image-sandbox-nat",
        "nat-egress-for-public-images",
        [
            Res(
                "pulumi-python:dynamic/sandbox:SandboxNatGateway",
                "snat",
                {"network_type": "internet"},
            ),
            deployment(containers=[container(image="nginx:1.27")]),
        ],
    ),
    Case(
        "public-image-cache",
        "nat-egress-for-public-images",
        [
            VPC_RES,
            deployment(
                annotations={**SPECS, "k8s.aliyun.com/eci-auto-imc": "true"},
                containers=[container(image="nginx:1.27")],
            ),
        ],
    ),
    Case("acr-image-no-nat", "nat-egress-for-public-images", [VPC_RES, deployment()]),
]


# --- ACS and ACK Pro (#13) ---------------------------------------------------------------------

ACS_LABELS = {"alibabacloud.com/compute-class": "general-purpose"}
ACS_CLUSTER = Res(CLUSTER, "c", {"profile": "Acs", "slbInternetEnabled": False})
ASK_CLUSTER = Res(CLUSTER, "c", {"profile": "Serverless", "slbInternetEnabled": False})
ACK_PRO_CLUSTER = Res(CLUSTER, "c", {"profile": "Default", "slbInternetEnabled": False})
DAEMONSET = "kubernetes:apps/v1:DaemonSet"


def acs_deployment(name: str = "web", **changes: Any) -> Res:
    """A Deployment as the components write it for ACS: no ECI annotation, compute labels."""
    changes.setdefault("annotations", {})
    changes.setdefault("labels", dict(ACS_LABELS))
    return deployment(name, **changes)


def with_selector(res: Res, selector: dict[str, Any]) -> Res:
    res.inputs["spec"]["selector"] = selector
    return res


def node_port(name: str = "web") -> Res:
    return Res(SERVICE, name, {"spec": {"type": "NodePort", "ports": [{"port": 80}]}})


CASES += [
    # eci-spec-declared: only ECI pods need the ECI spec
    Case("acs-cluster-pod-no-eci-spec", "eci-spec-declared", [ACS_CLUSTER, acs_deployment()]),
    Case(
        "acs-cluster-unlabelled-pod",
        "eci-spec-declared",
        [ACS_CLUSTER, deployment(annotations={})],
    ),
    Case("acs-labelled-pod-no-cluster", "eci-spec-declared", [acs_deployment()]),
    Case(
        "ack-pro-node-pod-no-eci-spec",
        "eci-spec-declared",
        [ACK_PRO_CLUSTER, deployment(annotations={})],
    ),
    Case(
        "ack-pro-eci-pod-no-eci-spec",
        "eci-spec-declared",
        [ACK_PRO_CLUSTER, deployment(annotations={}, labels={"alibabacloud.com/eci": "true"})],
        [
            "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)"
        ],
    ),
    Case(
        "ask-cluster-compute-label-is-still-eci",
        "eci-spec-declared",
        [ASK_CLUSTER, deployment(annotations={}, labels=dict(ACS_LABELS))],
        [
            "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)"
        ],
    ),
    # acs-labels-not-in-selectors
    Case(
        "selector-compute-class",
        "acs-labels-not-in-selectors",
        [
            with_selector(
                acs_deployment(),
                {
                    "matchLabels": {
                        "app": "web",
                        "alibabacloud.com/compute-class": "general-purpose",
                    }
                },
            )
        ],
        [
            "spec.selector.matchLabels selects on alibabacloud.com/compute-class, a label ACS sets and may rewrite"
        ],
    ),
    Case(
        "selector-expression-qos",
        "acs-labels-not-in-selectors",
        [
            with_selector(
                acs_deployment(),
                {
                    "matchExpressions": [
                        {"key": "app", "operator": "In", "values": ["web"]},
                        {"key": "alibabacloud.com/compute-qos", "operator": "Exists"},
                    ]
                },
            )
        ],
        [
            "spec.selector.matchExpressions[1] selects on alibabacloud.com/compute-qos, a label ACS sets and may rewrite"
        ],
    ),
    Case(
        "service-selector-cpu-vendor",
        "acs-labels-not-in-selectors",
        [
            Res(
                SERVICE,
                "web",
                {
                    "spec": {
                        "type": "ClusterIP",
                        "selector": {"app": "web", "alibabacloud.com/cpu-vendor": "intel"},
                    }
                },
            )
        ],
        ["spec.selector selects on alibabacloud.com/cpu-vendor, a label ACS sets and may rewrite"],
    ),
    Case(
        "selector-own-labels",
        "acs-labels-not-in-selectors",
        [with_selector(acs_deployment(), {"matchLabels": {"app": "web"}})],
    ),
    # acs-supported-features
    Case(
        "acs-daemonset",
        "acs-supported-features",
        [ACS_CLUSTER, Res(DAEMONSET, "agent", {"spec": {"template": template(annotations={})}})],
        ["a DaemonSet's pods start on ACS but do not work (there are no nodes to serve)"],
    ),
    Case(
        "acs-host-path",
        "acs-supported-features",
        [
            ACS_CLUSTER,
            acs_deployment(
                volumes=[
                    {"name": "cache", "emptyDir": {}},
                    {"name": "logs", "hostPath": {"path": "/var/log"}},
                ]
            ),
        ],
        ["spec.template.spec.volumes[1] (logs) is a hostPath volume, which ACS does not support"],
    ),
    Case(
        "acs-dns-policy",
        "acs-supported-features",
        [ACS_CLUSTER, acs_deployment(dnsPolicy="ClusterFirstWithHostNetwork")],
        [
            "spec.template.spec.dnsPolicy 'ClusterFirstWithHostNetwork' is rejected by ACS (None, Default or ClusterFirst)"
        ],
    ),
    Case(
        "acs-reserved-port",
        "acs-supported-features",
        [ACS_CLUSTER, acs_deployment(containers=[container(ports=[{"containerPort": 10250}])])],
        [f"container {C} listens on 10250, a port ACS keeps for itself (111, 10250, 10255)"],
    ),
    Case(
        "acs-node-port",
        "acs-supported-features",
        [ACS_CLUSTER, node_port()],
        ["a NodePort Service is rejected by ACS (there are no nodes)"],
    ),
    Case(
        "acs-labelled-host-path-no-cluster",
        "acs-supported-features",
        [acs_deployment(volumes=[{"name": "h", "hostPath": {"path": "/"}}])],
        ["spec.template.spec.volumes[0] (h) is a hostPath volume, which ACS does not support"],
    ),
    Case(
        "acs-supported",
        "acs-supported-features",
        [
            ACS_CLUSTER,
            acs_deployment(
                dnsPolicy="ClusterFirstWithHostNet",
                volumes=[{"name": "cache", "emptyDir": {}}],
                containers=[container(ports=[{"containerPort": 8080}])],
            ),
        ],
    ),
    Case(
        "ask-daemonset-and-node-port",
        "acs-supported-features",
        [
            ASK_CLUSTER,
            Res(DAEMONSET, "agent", {"spec": {"template": template()}}),
            node_port(),
        ],
    ),
    # acs-no-eci-annotations (advisory)
    Case(
        "acs-eci-use-specs",
        "acs-no-eci-annotations",
        [ACS_CLUSTER, acs_deployment(annotations=dict(SPECS))],
        [
            "spec.template.metadata.annotations has the ECI annotation k8s.aliyun.com/eci-use-specs, which an ACS pod ignores"
        ],
    ),
    Case(
        "acs-eci-only-annotation",
        "acs-no-eci-annotations",
        [ACS_CLUSTER, acs_deployment(annotations={"k8s.aliyun.com/eci-ram-role-name": "app"})],
        [
            "spec.template.metadata.annotations has the ECI annotation k8s.aliyun.com/eci-ram-role-name, which an ACS pod ignores"
        ],
    ),
    Case(
        "acs-accepted-eci-keys",
        "acs-no-eci-annotations",
        [
            ACS_CLUSTER,
            acs_deployment(
                annotations={
                    "k8s.aliyun.com/eci-eip-instanceid": "eip-1",
                    "network.alibabacloud.com/vswitch-ids": "vsw-1",
                }
            ),
        ],
    ),
    Case(
        "ack-pro-eci-pod-eci-annotations",
        "acs-no-eci-annotations",
        [ACK_PRO_CLUSTER, deployment(labels={"alibabacloud.com/eci": "true"})],
    ),
    # spot-batch-only: ACS best-effort QoS is its preemptible tier
    Case(
        "acs-best-effort-deployment",
        "spot-batch-only",
        [
            acs_deployment(
                labels={**ACS_LABELS, "alibabacloud.com/compute-qos": "best-effort"},
            )
        ],
        [
            "spec.template.metadata.labels asks for ACS best-effort pods (alibabacloud.com/compute-qos: best-effort, preemptible) on a Deployment, whose pods are not retried work"
        ],
    ),
    Case(
        "acs-best-effort-job",
        "spot-batch-only",
        [
            Res(
                JOB,
                "report",
                {
                    "spec": {
                        "template": template(
                            annotations={},
                            labels={**ACS_LABELS, "alibabacloud.com/compute-qos": "best-effort"},
                        )
                    }
                },
            )
        ],
    ),
]
