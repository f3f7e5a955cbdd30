"""The Spark operator's pods: a Helm release of kubeflow's ``spark-operator`` chart.

A Helm release's objects are not in the graph, so releases are "not supported" in general. This
one the platform installs itself (``ask:workloads:SparkOperator``), and its chart values say what
runs: ``controller.replicas`` controller pods (default 1) and, with ``webhook.enable`` (default
true), ``webhook.replicas`` webhook pods (default 1), each sized by its ``resources`` and placed
by its ``labels`` (kubeflow/spark-operator ``charts/spark-operator-chart/values.yaml``). They run
all month, priced as any pod (:mod:`.eci_pods`: ECI, or ACS when labelled for it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ask_components.cost.model import CostLine
from ask_components.cost.resources._base import Pricer, PricingContext, as_count, dig, string_map
from ask_components.cost.resources.eci_pods import always_on_lines, pod_shape
from ask_components.preview.graph import ResourceNode
from ask_components.workloads.spark_operator_chart import CHART

RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"


def _replicas(part: Any, where: str) -> Decimal:
    replicas = as_count(dig(part, "replicas"), f"values.{where}.replicas")
    return replicas if replicas is not None and replicas > 0 else Decimal(1)


def price_operator(node: ResourceNode, ctx: PricingContext) -> list[CostLine]:
    """The controller's and the webhook's pods, 730 hours a month."""
    values = node.inputs.get("values")
    lines: list[CostLine] = []
    for label, part in (
        ("Controller", dig(values, "controller")),
        ("Webhook", dig(values, "webhook")),
    ):
        if label == "Webhook" and dig(part, "enable") is False:
            continue
        pod_spec = {"containers": [{"resources": dig(part, "resources") or {}}]}
        shape = pod_shape(pod_spec, {}, ctx.region, string_map(dig(part, "labels")))
        lines += always_on_lines(shape, ctx, _replicas(part, label.lower()), prefix=f"{label}: ")
    return lines


PRICER = Pricer(
    kind="Spark operator (Helm release)",
    types=(RELEASE_TYPE,),
    price=price_operator,
    applies=lambda node: node.inputs.get("chart") == CHART,
)
