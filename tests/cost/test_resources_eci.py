"""ECI pods: exact monthly amounts worked out by hand from the built-in catalog.

China site, Chinese mainland (ECI-CN): vCPU 0.000049 CNY/s = 0.1764 CNY/h, memory 0.00000613 CNY/s
= 0.022068 CNY/h, economy vCPU 0.000027 CNY/s = 0.0972 CNY/h, extra storage 0.00000059 CNY/s =
0.002124 CNY/h. International site, Chinese mainland (ECI-VNODE-EN): vCPU 0.0000077 USD/s =
0.02772 USD/h, memory 0.00000096 USD/s = 0.003456 USD/h. 730 hours a month.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ask_components.preview.graph import ResourceNode
from tests.cost.conftest import cents, deployment, lines, node, pod_template, price_one

SPOT = {"k8s.aliyun.com/eci-spot-strategy": "SpotAsPriceGo"}


def test_one_pod_2_vcpu_4_gib_for_a_month_in_hangzhou() -> None:
    cost = price_one(deployment(replicas=1))
    # vCPU: 2 × 0.000049 × 3600 × 730 = 257.544; memory: 4 × 0.00000613 × 3600 × 730 = 64.43856
    assert lines(cost) == {
        "vCPU (2 vCPU × 1 pod)": Decimal("257.544"),
        "Memory (4 GiB × 1 pod)": Decimal("64.43856"),
    }
    assert cost.fixed_cost == Decimal("321.98256")
    assert cents(cost.monthly_cost) == Decimal("321.98")
    assert [line.unit_price for line in cost.lines] == [Decimal("0.1764"), Decimal("0.022068")]
    assert [line.quantity for line in cost.lines] == [Decimal(1460), Decimal(2920)]


def test_three_replicas_international_site() -> None:
    cost = price_one(deployment(replicas=3), site="international")
    # 3 × (2 × 0.0000077 × 3600 + 4 × 0.00000096 × 3600) × 730 = 3 × 50.56272 = 151.68816
    assert cost.monthly_cost == Decimal("151.68816")
    assert cents(cost.monthly_cost) == Decimal("151.69")


def test_requests_are_rounded_up_to_an_eci_spec() -> None:
    # 1.5 vCPU / 3 GiB requested → billed as 2 vCPU / 4 GiB: 321.98256 as above.
    cost = price_one(deployment(cpu="1500m", memory="3Gi", kind="requests"))
    assert cost.monthly_cost == Decimal("321.98256")
    assert cost.lines[0].name == "vCPU (2 vCPU × 1 pod)"


def test_no_resources_is_the_default_2_vcpu_4_gib() -> None:
    assert price_one(deployment(cpu=None, memory=None)).monthly_cost == Decimal("321.98256")


def test_use_specs_annotation_wins() -> None:
    cost = price_one(deployment(annotations={"k8s.aliyun.com/eci-use-specs": "4-8Gi,2-4Gi"}))
    # 4 × 0.1764 × 730 = 515.088; 8 × 0.022068 × 730 = 128.87712
    assert cost.monthly_cost == Decimal("643.96512")


def test_hpa_min_replicas_is_the_baseline() -> None:
    hpa = node(
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "web-hpa",
        {
            "metadata": {"namespace": "shop"},
            "spec": {
                "minReplicas": 2,
                "maxReplicas": 10,
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            },
        },
    )
    cost = price_one(deployment(replicas=5, namespace="shop"), extra=(hpa,))
    # 2 pods all month: 2 × 321.98256 = 643.96512 (spec.replicas 5 is ignored under an HPA)
    assert cost.fixed_cost == Decimal("643.96512")
    assert "HPA web-hpa minReplicas" in cost.lines[0].note
    # Replicas above the minimum depend on usage: shown with the price of one pod-hour,
    # 2 × 0.1764 + 4 × 0.022068 = 0.441072 CNY.
    extra = cost.lines[-1]
    assert extra.status == "usage_unknown"
    assert extra.unit_price == Decimal("0.441072")
    assert "up to 8 more pods" in extra.note


def test_hpa_in_another_namespace_does_not_match() -> None:
    hpa = node(
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "web-hpa",
        {
            "metadata": {"namespace": "other"},
            "spec": {"minReplicas": 4, "scaleTargetRef": {"kind": "Deployment", "name": "web"}},
        },
    )
    cost = price_one(deployment(replicas=1, namespace="shop"), extra=(hpa,))
    assert cost.monthly_cost == Decimal("321.98256")


def test_average_replicas_adds_usage_based_replicas() -> None:
    hpa = node(
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "web-hpa",
        {
            "spec": {
                "minReplicas": 2,
                "maxReplicas": 10,
                "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            },
        },
    )
    cost = price_one(
        deployment(replicas=None),
        extra=(hpa,),
        usage_doc={"resource_usage": {"web": {"average_replicas": 5}}},
    )
    # baseline 2 pods = 643.96512 fixed; 3 more pods = 965.94768 usage-based
    assert cost.fixed_cost == Decimal("643.96512")
    assert cost.usage_cost == Decimal("965.94768")
    assert cents(cost.monthly_cost) == Decimal("1609.91")


def test_economy_category_prices_vcpu_at_the_economy_price() -> None:
    cost = price_one(deployment(annotations={"k8s.aliyun.com/eci-compute-category": "economy"}))
    # vCPU 2 × 0.000027 × 3600 × 730 = 141.912; memory 64.43856
    assert lines(cost) == {
        "vCPU (2 vCPU economy × 1 pod)": Decimal("141.912"),
        "Memory (4 GiB × 1 pod)": Decimal("64.43856"),
    }
    assert cost.lines[0].price_key == "eci.vcpu_economy"


@pytest.mark.parametrize(
    "template",
    [
        {"annotations": {"k8s.aliyun.com/eci-extra-ephemeral-storage": "50Gi"}},
        # 80 GiB requested in total = 50 GiB on top of the free 30 GiB
        {"annotations": {}},
    ],
)
def test_extra_ephemeral_storage(template: dict[str, dict[str, str]]) -> None:
    workload = deployment(**template)
    if not template["annotations"]:
        spec = dict(workload.inputs["spec"])
        pod = pod_template()
        pod["spec"]["containers"][0]["resources"]["requests"] = {"ephemeral-storage": "80Gi"}
        spec["template"] = pod
        workload = node(workload.type, workload.name, {**workload.inputs, "spec": spec})
    cost = price_one(workload)
    # 50 × 0.00000059 × 3600 × 730 = 77.526; + 321.98256
    assert lines(cost)["Extra ephemeral storage (50 GiB × 1 pod)"] == Decimal("77.526")
    assert cost.monthly_cost == Decimal("399.50856")


def test_spot_without_discount_is_an_on_demand_upper_bound() -> None:
    cost = price_one(deployment(annotations=SPOT))
    assert cost.monthly_cost == Decimal("321.98256")
    assert cost.upper_bound
    assert all(line.upper_bound for line in cost.lines)
    assert "market price, at most on-demand" in cost.lines[0].note


def test_spot_with_a_discount_from_the_usage_file() -> None:
    cost = price_one(
        deployment(annotations=SPOT),
        usage_doc={"resource_usage": {"web": {"spot_discount_percent": 70}}},
    )
    # 321.98256 × (100 − 70) / 100 = 96.594768
    assert cost.monthly_cost == Decimal("96.594768")
    assert not cost.upper_bound


def test_region_without_eci_prices_says_not_found() -> None:
    cost = price_one(deployment(), region="ap-southeast-1")
    assert all(line.status == "price_not_found" for line in cost.lines)
    assert cost.monthly_cost == 0
    assert "DescribeContainerGroupPrice" in cost.lines[0].note


def test_a_pinned_ecs_type_is_not_found() -> None:
    cost = price_one(deployment(annotations={"k8s.aliyun.com/eci-use-specs": "ecs.c6.large"}))
    assert [line.status for line in cost.lines] == ["price_not_found"]
    assert "ECS instance type" in cost.lines[0].note


def test_statefulset_and_pod() -> None:
    stateful = node(
        "kubernetes:apps/v1:StatefulSet",
        "db",
        {"spec": {"replicas": 2, "template": pod_template()}},
    )
    assert price_one(stateful).monthly_cost == Decimal("643.96512")
    pod = node("kubernetes:core/v1:Pod", "one", {"spec": pod_template()["spec"]})
    assert price_one(pod).monthly_cost == Decimal("321.98256")


def cronjob(**job_spec: object) -> ResourceNode:
    template = pod_template("1", "2Gi", kind="requests")
    return node(
        "kubernetes:batch/v1:CronJob",
        "report",
        {
            "spec": {
                "schedule": "0 1 * * *",
                "jobTemplate": {"spec": {"template": template, **job_spec}},
            },
        },
    )


def test_cronjob_from_monthly_runs_and_run_seconds() -> None:
    cost = price_one(
        cronjob(),
        usage_doc={"resource_usage": {"report": {"monthly_runs": 30, "run_seconds": 600}}},
    )
    # 1 vCPU / 2 GiB: 0.1764 + 2 × 0.022068 = 0.220536 per pod-hour;
    # 30 runs × 600 s = 5 pod-hours → 1.10268
    (line,) = cost.lines
    assert (line.quantity, line.unit, line.unit_price) == (
        Decimal(5),
        "pod-hours",
        Decimal("0.220536"),
    )
    assert line.usage_based
    assert cost.usage_cost == Decimal("1.10268")
    assert cost.fixed_cost == 0


def test_job_completions_multiply_the_pods() -> None:
    job = node(
        "kubernetes:batch/v1:Job",
        "batch",
        {
            "spec": {
                "completions": 4,
                "parallelism": 2,
                "template": pod_template("1", "2Gi", kind="requests"),
            },
        },
    )
    cost = price_one(
        job,
        usage_doc={
            "resource_type_default_usage": {
                "kubernetes:batch/v1:Job": {"monthly_runs": 30, "run_seconds": 600}
            }
        },
    )
    # 4 pods × 5 pod-hours × 0.220536 = 4.41072
    assert cost.usage_cost == Decimal("4.41072")


def test_job_without_usage_depends_on_usage() -> None:
    (line,) = price_one(cronjob()).lines
    assert line.status == "usage_unknown"
    assert line.quantity is None
    assert line.monthly_cost is None
    assert line.unit_price == Decimal("0.220536")  # one pod for one hour


def test_spot_job_with_discount() -> None:
    template = pod_template("1", "2Gi", kind="requests", annotations=SPOT)
    job = node("kubernetes:batch/v1:Job", "batch", {"spec": {"template": template}})
    cost = price_one(
        job,
        usage_doc={
            "resource_usage": {
                "batch": {"monthly_runs": 30, "run_seconds": 600, "spot_discount_percent": 50}
            }
        },
    )
    # 5 pod-hours × 0.220536 × 0.5 = 0.55134
    assert cost.usage_cost == Decimal("0.55134")


def spark(kind: str = "SparkApplication") -> ResourceNode:
    spec = {
        "type": "Scala",
        "driver": {"cores": 1, "memory": "2g"},
        "executor": {"cores": 2, "instances": 3, "memory": "4g"},
    }
    if kind == "ScheduledSparkApplication":
        spec = {"schedule": "@daily", "template": spec}
    return node(f"kubernetes:sparkoperator.k8s.io/v1beta2:{kind}", "etl", {"spec": spec})


@pytest.mark.parametrize("kind", ["SparkApplication", "ScheduledSparkApplication"])
def test_spark_driver_and_executors(kind: str) -> None:
    cost = price_one(
        spark(kind),
        usage_doc={"resource_usage": {"etl": {"monthly_runs": 10, "run_seconds": 3600}}},
    )
    # driver: 2g + max(10 %, 384 MiB) = 2.375 GiB, 1 vCPU → 1 vCPU / 4 GiB:
    #   0.1764 + 4 × 0.022068 = 0.264672 per pod-hour × 10 pod-hours = 2.64672
    # executors: 4g + 0.4 GiB = 4.4 GiB, 2 vCPU → 2 vCPU / 6 GiB (an extended spec of Hangzhou):
    #   2 × 0.1764 + 6 × 0.022068 = 0.485208 per pod-hour × 3 pods × 10 h = 14.55624
    assert lines(cost) == {
        "Driver pod (1 vCPU, 4 GiB)": Decimal("2.64672"),
        "Executor pods (2 vCPU, 6 GiB)": Decimal("14.55624"),
    }
    assert cents(cost.usage_cost) == Decimal("17.20")


def test_pyspark_memory_overhead_is_40_percent() -> None:
    app = node(
        "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication",
        "py",
        {
            "spec": {
                "type": "Python",
                "driver": {"cores": 1, "memory": "2g"},
                "executor": {"cores": 1, "memory": "3g"},
            }
        },
    )
    names = [line.name for line in price_one(app).lines]
    # driver 2 + 0.8 = 2.8 GiB → 1/4; executor 3 + 1.2 = 4.2 GiB → 1 vCPU / 8 GiB; 2 executors
    assert names == ["Driver pod (1 vCPU, 4 GiB)", "Executor pods (1 vCPU, 8 GiB)"]
    assert "Spark's default 2" in price_one(app).lines[1].note


RUNNER_TOML = """
concurrent = 4
[[runners]]
  name = "ask"
  executor = "kubernetes"
  [runners.kubernetes]
    cpu_request = "1"
    memory_request = "2Gi"
    helper_cpu_request = "250m"
    helper_memory_request = "256Mi"
"""


def test_ci_runner_job_pods_from_the_config_map() -> None:
    config = node(
        "kubernetes:core/v1:ConfigMap", "runner-config", {"data": {"config.toml": RUNNER_TOML}}
    )
    cost = price_one(
        config,
        usage_doc={"resource_usage": {"runner-config": {"monthly_runs": 200, "run_seconds": 300}}},
    )
    # build 1 vCPU + helper 0.25 = 1.25 vCPU, 2.25 GiB → 2 vCPU / 4 GiB: 0.441072 per pod-hour
    # 200 × 300 s = 60,000 pod-seconds: 60,000 × 0.441072 / 3600 = 7.3512
    (line,) = cost.lines
    assert line.name == "CI job pods (2 vCPU, 4 GiB)"
    assert line.monthly_cost == Decimal("7.3512")
    assert cents(line.monthly_cost) == Decimal("7.35")


def test_other_config_maps_are_free() -> None:
    config = node("kubernetes:core/v1:ConfigMap", "settings", {"data": {"a.toml": "x = 1"}})
    assert price_one(config).category == "free"
