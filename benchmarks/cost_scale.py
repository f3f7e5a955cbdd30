"""How fast is the cost engine on a large stack?

Run: ``make bench`` (or ``.venv/bin/python benchmarks/cost_scale.py``).

A generated graph of 10,000 priced resources (Deployments with HPAs, CronJobs, Spark apps, CI
runner configs, LoadBalancer Services, ALBs, NAT gateways, EIPs, PrivateZones), with a usage file
that matches some of them by pattern. Every time is measured in this run and printed against a
baseline of the same run, because these machines are noisy and absolute times drift:

- baseline: iterate over the graph and deep-copy every resource's inputs (the least any
  consumer of the graph does);
- estimate: classify and price every resource (``estimate``);
- diff: estimate both sides of a change to a tenth of the resources and compare them;
- render: JSON, Markdown and the terminal table of that diff.

Goal (issue #14): estimate within 3× the baseline, no renderer slower than the estimate.
"""

from __future__ import annotations

import copy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ask_components.cost.diff import diff  # noqa: E402
from ask_components.cost.estimate import estimate  # noqa: E402
from ask_components.cost.render import render_json, render_markdown, render_table  # noqa: E402
from ask_components.cost.usage import parse_usage  # noqa: E402
from ask_components.preview.graph import ResourceGraph, ResourceNode  # noqa: E402

PRICED = 10_000
REPEAT = 3
KINDS = 10


def _node(type_token: str, name: str, inputs: dict[str, Any]) -> ResourceNode:
    return ResourceNode(
        urn=f"urn:pulumi:bench::p::{type_token}::{name}",
        type=type_token,
        name=name,
        custom=True,
        inputs=inputs,
    )


def _template(cpu: str, memory: str) -> dict[str, Any]:
    return {
        "metadata": {"annotations": {"k8s.aliyun.com/eci-extra-ephemeral-storage": "20Gi"}},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "app:1",
                    "resources": {"limits": {"cpu": cpu, "memory": memory}},
                }
            ]
        },
    }


def generate(count: int, *, replicas: int = 2) -> ResourceGraph:
    """``count`` priced resources (plus one free HPA per Deployment)."""
    nodes: list[ResourceNode] = []
    for index in range(count):
        kind = index % KINDS
        name = f"r{index}"
        if kind in (0, 1, 2):
            nodes.append(
                _node(
                    "kubernetes:apps/v1:Deployment",
                    name,
                    {
                        "metadata": {"name": name, "namespace": "apps"},
                        "spec": {"replicas": replicas, "template": _template("1", "2Gi")},
                    },
                )
            )
            nodes.append(
                _node(
                    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
                    f"{name}-hpa",
                    {
                        "metadata": {"namespace": "apps"},
                        "spec": {
                            "minReplicas": replicas,
                            "maxReplicas": 10,
                            "scaleTargetRef": {"kind": "Deployment", "name": name},
                        },
                    },
                )
            )
        elif kind == 3:
            nodes.append(
                _node(
                    "kubernetes:batch/v1:CronJob",
                    name,
                    {"spec": {"jobTemplate": {"spec": {"template": _template("2", "4Gi")}}}},
                )
            )
        elif kind == 4:
            nodes.append(
                _node(
                    "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication",
                    name,
                    {
                        "spec": {
                            "type": "Scala",
                            "driver": {"cores": 1, "memory": "2g"},
                            "executor": {"cores": 2, "instances": 4, "memory": "4g"},
                        }
                    },
                )
            )
        elif kind == 5:
            nodes.append(
                _node(
                    "kubernetes:core/v1:Service",
                    name,
                    {"spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}},
                )
            )
        elif kind == 6:
            nodes.append(
                _node(
                    "alicloud:alb/loadBalancer:LoadBalancer",
                    name,
                    {"loadBalancerEdition": "Standard"},
                )
            )
        elif kind == 7:
            nodes.append(_node("alicloud:vpc/natGateway:NatGateway", name, {"natType": "Enhanced"}))
        elif kind == 8:
            nodes.append(
                _node(
                    "alicloud:ecs/eipAddress:EipAddress",
                    name,
                    {"internetChargeType": "PayByTraffic"},
                )
            )
        else:
            nodes.append(_node("alicloud:pvtz/zone:Zone", name, {"zoneName": f"{name}.local"}))
    return ResourceGraph("p", "bench", tuple(nodes))


USAGE = parse_usage(
    {
        "resource_type_default_usage": {
            "kubernetes:batch/v1:CronJob": {"monthly_runs": 30, "run_seconds": 600}
        },
        "resource_usage": {"r1*": {"average_replicas": 3}, "r*7": {"average_cu": 2}},
    },
    "bench usage",
)


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs (the least disturbed by the rest of the machine)."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    graph = generate(PRICED)
    changed = generate(PRICED, replicas=3)
    total = len(graph)
    baseline, _ = best_of(REPEAT, lambda: [copy.deepcopy(dict(n.inputs)) for n in graph])

    def price() -> Any:
        return estimate(graph, region="cn-hangzhou", usage=USAGE)

    elapsed, result = best_of(REPEAT, price)
    assert result.coverage.estimated == PRICED, result.coverage

    def compare() -> Any:
        return diff(price(), estimate(changed, region="cn-hangzhou", usage=USAGE))

    diff_time, cost_diff = best_of(REPEAT, compare)
    json_time, _ = best_of(REPEAT, lambda: render_json(cost_diff))
    md_time, _ = best_of(REPEAT, lambda: render_markdown(cost_diff))

    def table() -> str:
        import io

        from rich.console import Console

        buffer = io.StringIO()
        Console(file=buffer, width=160, color_system=None).print(render_table(cost_diff))
        return buffer.getvalue()

    table_time, _ = best_of(REPEAT, table)

    print(f"cost engine on {PRICED:,} priced resources ({total:,} in the graph), best of {REPEAT}")
    print(f"{'step':<34} {'seconds':>8} {'resources/s':>12} {'× baseline':>11}")
    rows = [
        ("baseline: iterate + deep-copy inputs", baseline),
        ("estimate (classify + price)", elapsed),
        ("diff (2 estimates + compare)", diff_time),
        ("render diff as JSON", json_time),
        ("render diff as Markdown", md_time),
        ("render diff as a table", table_time),
    ]
    for label, seconds in rows:
        print(f"{label:<34} {seconds:>8.3f} {total / seconds:>12,.0f} {seconds / baseline:>11.1f}")
    print(f"monthly total: {result.total:.2f} {result.currency}; diff {cost_diff.delta:+.2f}")
    slowest = max(json_time, md_time, table_time)
    print(
        f"goal: estimate ≤ 3× baseline ({elapsed / baseline:.1f}×); "
        f"slowest renderer ≤ estimate ({slowest / elapsed:.2f}× the estimate)"
    )


if __name__ == "__main__":
    main()
