"""The three cluster kinds through the Platform under mocks (issue #13): what each creates, the
pod runtime its workloads get, refusals, a kind change, and the local target on ACS."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from ask_components.cost.estimate import estimate
from ask_components.errors import ConfigError
from ask_components.preview.engine import run_preview
from ask_components.preview.graph import ResourceGraph, ResourceNode
from tests.conftest import PROJECT_ROOT

CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"
POD_KINDS = (
    "kubernetes:apps/v1:Deployment",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
)
GET_CLUSTERS = "alicloud:cs/getClusters:getClusters"


def templates(graph: ResourceGraph) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Workload name -> (pod template, workload spec) of every Deployment, Job and CronJob."""
    found = {}
    for node in graph:
        if node.type in POD_KINDS:
            spec = node.inputs["spec"]
            inner = spec["jobTemplate"]["spec"] if node.type.endswith("CronJob") else spec
            found[node.name] = (inner["template"], spec)
    return found


def _one(graph: ResourceGraph, type_token: str) -> ResourceNode:
    [node] = graph.of_type(type_token)
    return node


@pytest.fixture(scope="module")
def acs() -> ResourceGraph:
    return run_preview(PROJECT_ROOT, "acs")


@pytest.fixture(scope="module")
def ack_pro() -> ResourceGraph:
    return run_preview(PROJECT_ROOT, "ack-pro")


def test_acs_is_one_cluster_of_profile_acs(acs: ResourceGraph) -> None:
    cluster = _one(acs, CLUSTER)
    assert cluster.inputs["profile"] == "Acs"
    assert cluster.inputs["clusterSpec"] == "ack.pro.small"
    assert [addon["name"] for addon in cluster.inputs["addons"]] == [
        "managed-coredns",
        "managed-metrics-server",
        "alb-ingress-controller",
    ]


def test_acs_pods_carry_compute_labels_never_in_a_selector(acs: ResourceGraph) -> None:
    found = templates(acs)
    assert sorted(found) == ["nightly-report-cronjob", "thumbnail-backfill-job", "web-deployment"]
    expected = {
        "web-deployment": ("general-purpose", "default", "2", "4Gi"),
        "nightly-report-cronjob": ("general-purpose", "default", "1", "2Gi"),
        "thumbnail-backfill-job": ("general-purpose", "best-effort", "2", "4Gi"),
    }
    for name, (template, spec) in found.items():
        labels = template["metadata"]["labels"]
        compute_class, qos, cpu, memory = expected[name]
        assert labels["alibabacloud.com/compute-class"] == compute_class
        assert labels["alibabacloud.com/compute-qos"] == qos
        # No ECI annotation at all on ACS pods.
        assert not any(
            key.startswith("k8s.aliyun.com/eci-") for key in template["metadata"]["annotations"]
        )
        resources = template["spec"]["containers"][0]["resources"]
        assert resources == {
            "requests": {"cpu": cpu, "memory": memory},
            "limits": {"cpu": cpu, "memory": memory},
        }
        selector = json.dumps(spec.get("selector") or {})
        assert "alibabacloud.com/" not in selector
    # The app asked for 3.5 GiB: ACS's grid makes it 4 GiB, as its billed spec says.
    assert acs.outputs["workloads"]["apps"] == {"web": "2-4Gi"}


def test_ack_pro_runs_eci_pods_on_its_virtual_node(ack_pro: ResourceGraph) -> None:
    cluster = _one(ack_pro, CLUSTER)
    assert cluster.inputs["profile"] == "Default"
    assert cluster.inputs["clusterSpec"] == "ack.pro.small"
    assert "ack-virtual-node" in [addon["name"] for addon in cluster.inputs["addons"]]
    assert ack_pro.of_type("alicloud:cs/kubernetesAddon:KubernetesAddon") == []  # no schedules
    for name, (template, _) in templates(ack_pro).items():
        assert template["metadata"]["labels"]["alibabacloud.com/eci"] == "true", name
        assert "alibabacloud.com/compute-class" not in template["metadata"]["labels"]
        assert "k8s.aliyun.com/eci-use-specs" in template["metadata"]["annotations"]


def _platform(stack: str, **changes: Any) -> dict[str, Any]:
    platform = yaml.safe_load((PROJECT_ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())[
        "config"
    ]["ask:platform"]
    for key, value in changes.items():
        platform[key] = value
    return platform


def _preview(project: Path, stack: str, platform: dict[str, Any], **more: Any) -> ResourceGraph:
    overrides = {"ask:platform": json.dumps(platform), **more.pop("config", {})}
    return run_preview(project, stack, config_overrides=overrides, **more)


def test_ack_pro_with_acs_pods(project_copy: Path) -> None:
    platform = _platform("ack-pro")
    platform["cluster"]["serverlessPods"] = "acs"
    graph = _preview(project_copy, "ack-pro", platform)
    for template, _ in templates(graph).values():
        labels = template["metadata"]["labels"]
        assert labels["alibabacloud.com/acs"] == "true"
        assert labels["alibabacloud.com/compute-class"] == "general-purpose"


def test_ask_stays_as_it_was() -> None:
    graph = run_preview(PROJECT_ROOT, "dev")
    assert _one(graph, CLUSTER).inputs["profile"] == "Serverless"
    for template, _ in templates(graph).values():
        assert "alibabacloud.com/eci" not in template["metadata"]["labels"]


@pytest.mark.parametrize(
    ("cluster", "workload", "problems"),
    [
        (
            {"kind": "acs"},
            {"eci": {"imageCache": "auto", "specs": ["4-8Gi"]}},
            [
                "ask:platform.workloads.apps[0].eci.specs: is ECI-only: ACS has no fallback list: a pod is billed as its own spec (alibabacloud.com/pod-required-spec is single-valued); size it with cpu and memory",
                "ask:platform.workloads.apps[0].eci.imageCache: is ECI-only: ACS has no image-cache annotation; remove it",
            ],
        ),
        (
            {"kind": "ask"},
            {"acs": {"computeClass": "performance"}},
            [
                "ask:platform.workloads.apps[0].acs: ACS options apply to ACS pods only (cluster.kind acs, or ack-pro with serverlessPods acs); this cluster runs ECI pods: remove acs"
            ],
        ),
        (
            {"kind": "ack-pro"},
            {"acs": {"computeQos": "best-effort"}},
            [
                "ask:platform.workloads.apps[0].acs: ACS options apply to ACS pods only (cluster.kind acs, or ack-pro with serverlessPods acs); this cluster runs ECI pods: remove acs"
            ],
        ),
        (
            {"kind": "acs", "serverlessPods": "eci"},
            {},
            [
                "ask:platform.cluster.serverlessPods: only kind ack-pro has a virtual node to choose pods for (kind is acs)"
            ],
        ),
        (
            {"kind": "acs", "edition": "basic"},
            {},
            [
                "ask:platform.cluster.edition: kind acs is created as ack.pro.small: edition basic exists for ACK Serverless (kind ask) only"
            ],
        ),
        (
            {"kind": "acs"},
            {"acs": {"computeClass": "gpu"}},
            [
                "ask:platform.workloads.apps[0].acs.computeClass: 'gpu' is not allowed: 'general-purpose' or 'performance'"
            ],
        ),
    ],
)
def test_refusals(
    project_copy: Path, cluster: dict[str, Any], workload: dict[str, Any], problems: list[str]
) -> None:
    platform = _platform("dev", ingress={"kind": "none"})
    platform["cluster"].pop("edition")  # dev's basic edition exists on ASK only
    platform["cluster"] = {**platform["cluster"], **cluster}
    platform["workloads"]["apps"][0].pop("expose", None)
    platform["workloads"]["apps"][0].update(workload)
    registered: list[str] = []
    with pytest.raises(ConfigError) as err:
        _preview(project_copy, "dev", platform, registered=registered)
    assert [str(problem) for problem in err.value.problems] == problems
    assert registered == []


def test_fail_fast_is_refused_on_acs(project_copy: Path) -> None:
    platform = _platform("acs")
    platform["workloads"]["batchJobs"][0]["failFast"] = True
    with pytest.raises(ConfigError) as err:
        _preview(project_copy, "acs", platform)
    assert [str(problem) for problem in err.value.problems] == [
        "ask:platform.workloads.batchJobs[0].failFast: failFast is ECI's fail strategy "
        "(k8s.aliyun.com/eci-fail-strategy); ACS pods have none: remove it"
    ]


def _deployed(profile: str) -> Any:
    def answer(args: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": "x",
            "ids": ["c-old"],
            "names": [args["clusterName"]],
            "clusters": [
                {
                    "clusterId": "c-old",
                    "id": "c-old",
                    "clusterName": args["clusterName"],
                    "currentVersion": "1.33.1-aliyun.1",
                    "profile": profile,
                    "tags": {"managed-by": "ask-components", "platform": "shop", "stack": "prod"},
                }
            ],
        }

    return answer


def test_a_kind_change_on_prod_is_refused_without_allow_replacement(project_copy: Path) -> None:
    platform = _platform("prod")
    platform["cluster"]["kind"] = "acs"
    platform["workloads"] = {}  # prod's workloads use ECI options; the kind is what is tested
    registered: list[str] = []
    with pytest.raises(ConfigError) as err:
        _preview(
            project_copy,
            "prod",
            platform,
            invokes={GET_CLUSTERS: _deployed("Serverless")},
            registered=registered,
        )
    assert [str(problem) for problem in err.value.problems] == [
        "ask:platform.cluster.kind: the deployed cluster c-old is kind ask (profile Serverless); "
        "kind acs (profile Acs) REPLACES it with a new cluster, and every Kubernetes resource "
        "moves to the new one (docs/migrate-ask-to-acs.md): set cluster.allowReplacement: true "
        "to do that on a prod* stack (and protect: false, cluster.deletionProtection: false first)"
    ]
    # Nothing of the cloud: the platform component and the provider the look-up uses.
    assert sorted(urn.rsplit("::", 1)[1] for urn in registered) == ["shop", "shop-alicloud"]


def test_an_allowed_kind_change_says_it_replaces_the_cluster(project_copy: Path) -> None:
    platform = _platform("prod", protect=False)
    platform["cluster"].update(kind="acs", allowReplacement=True, deletionProtection=False)
    platform["workloads"] = {}
    graph = _preview(
        project_copy, "prod", platform, invokes={GET_CLUSTERS: _deployed("Serverless")}
    )
    warnings = [d.message for d in graph.diagnostics if d.severity == "warning"]
    assert warnings == [
        "ask:platform.cluster.kind: the deployed cluster c-old is kind ask (profile Serverless); "
        "kind acs (profile Acs) REPLACES it with a new cluster, and every Kubernetes resource "
        "moves to the new one (docs/migrate-ask-to-acs.md)"
    ]
    cluster = _one(graph, CLUSTER)
    # A new cluster: resolved as new (newest 1.33), not kept at the old cluster's 1.33.1.
    assert (cluster.inputs["profile"], cluster.inputs["version"]) == ("Acs", "1.33.3-aliyun.1")
    # The same URN as the ASK cluster's: the preview shows it replaced (profile is ForceNew).
    assert cluster.urn == _one(run_preview(PROJECT_ROOT, "prod"), CLUSTER).urn


def test_the_local_target_sizes_acs_pods_and_states_pod_use_spec(project_copy: Path) -> None:
    platform = _platform("local")
    platform["cluster"] = {"kind": "acs"}
    graph = _preview(project_copy, "local", platform)
    stated = {}
    for name, (template, _) in templates(graph).items():
        annotations = template["metadata"]["annotations"]
        assert "k8s.aliyun.com/eci-instance-spec" not in annotations, name
        stated[name] = (
            annotations["alibabacloud.com/pod-use-spec"],
            template["spec"]["containers"][0]["resources"]["limits"],
        )
    # The local stack's app and CronJob ask for 0.5 vCPU / 1 GiB: on ACS's grid as they are.
    assert stated == {
        "web-deployment": ("0.5-1Gi", {"cpu": "500m", "memory": "1Gi"}),
        "nightly-report-cronjob": ("0.5-1Gi", {"cpu": "500m", "memory": "1Gi"}),
    }


def test_acs_rounding_on_the_local_target(project_copy: Path) -> None:
    platform = _platform("local")
    platform["cluster"] = {"kind": "acs"}
    platform["workloads"]["apps"][0].update(cpu="2", memory="3.5Gi")
    graph = _preview(project_copy, "local", platform)
    template, _ = templates(graph)["web-deployment"]
    assert template["metadata"]["annotations"]["alibabacloud.com/pod-use-spec"] == "2-4Gi"
    assert template["spec"]["containers"][0]["resources"]["requests"] == {
        "cpu": "2",
        "memory": "4Gi",
    }


def test_an_acs_pod_is_priced_from_the_acs_catalog_china_site() -> None:
    """One 2 vCPU / 4 GiB ACS pod (general-purpose, default QoS) for 730 hours in cn-hangzhou:
    (2 x 0.0000167 + 4 x 0.00000833) CNY/s x 3,600 s x 730 h = 0.00006672 x 2,628,000 = 175.34016."""
    graph = run_preview(PROJECT_ROOT, "acs")
    report = estimate(graph, region="cn-hangzhou")
    [web] = [r for r in report.resources if r.name == "web-deployment"]
    fixed = [line for line in web.lines if not line.usage_based]
    assert [(line.name, line.price_key) for line in fixed] == [
        (
            "vCPU (2 vCPU × 2 pods, ACS general-purpose, default QoS)",
            "acs.general_purpose.default.vcpu",
        ),
        (
            "Memory (4 GiB × 2 pods, ACS general-purpose, default QoS)",
            "acs.general_purpose.default.memory",
        ),
    ]
    per_pod = sum((line.monthly_cost for line in fixed), Decimal(0)) / 2
    assert per_pod == Decimal("175.34016")
    assert round(per_pod, 2) == Decimal("175.34")


def test_ack_pro_pays_the_management_fee() -> None:
    report = estimate(run_preview(PROJECT_ROOT, "ack-pro"), region="cn-hangzhou")
    [cluster] = [r for r in report.resources if r.name == "shop-pro-ask-cluster"]
    [fee] = [line for line in cluster.lines if line.name.startswith("Cluster management")]
    assert (fee.name, fee.unit_price, fee.monthly_cost) == (
        "Cluster management (ACK Pro, ack.pro.small)",
        Decimal("0.64"),
        Decimal("467.20"),
    )
