"""ALB, CLB/NLB, NAT, EIP, PrivateZone, the cluster and the local stand-ins: exact amounts by hand.

Prices from pricing.md (see the catalog); 730 hours a month, 730 / 24 days a month.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ask_components.cost.catalog import load_price_book
from ask_components.cost.estimate import estimate
from ask_components.cost.resources import FREE_TYPES, GraphIndex, classify
from tests.cost.conftest import cents, graph, lines, node, price_one, usage

ALB = "alicloud:alb/loadBalancer:LoadBalancer"
NAT = "alicloud:vpc/natGateway:NatGateway"
EIP = "alicloud:ecs/eipAddress:EipAddress"
ZONE = "alicloud:pvtz/zone:Zone"
CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"
SERVICE = "kubernetes:core/v1:Service"
CLB_PREFIX = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-"


@pytest.mark.parametrize(
    ("edition", "site", "monthly"),
    [
        ("Basic", "international", "5.11"),  # 0.007 × 730
        ("Standard", "international", "15.33"),  # 0.021 × 730
        ("StandardWithWaf", "international", "25.55"),  # 0.035 × 730
        ("Basic", "china", "35.77"),  # 0.049 × 730
        ("Standard", "china", "107.31"),  # 0.147 × 730
        ("StandardWithWaf", "china", "178.85"),  # 0.245 × 730
    ],
)
def test_alb_instance_fee_by_edition(edition: str, site: str, monthly: str) -> None:
    cost = price_one(node(ALB, "alb", {"loadBalancerEdition": edition}), site=site)
    assert cost.fixed_cost == Decimal(monthly)
    lcu = cost.lines[1]
    assert (lcu.name, lcu.status, lcu.usage_based) == (
        "Capacity units (LCU)",
        "price_not_found",
        True,
    )


def test_alb_lcu_usage_has_a_quantity_but_no_price() -> None:
    cost = price_one(
        node(ALB, "alb", {"loadBalancerEdition": "Basic"}),
        site="international",
        usage_doc={"resource_usage": {"alb": {"average_lcu": 2}}},
    )
    lcu = cost.lines[1]
    assert lcu.quantity == Decimal(1460)  # 2 × 730 LCU-hours
    assert lcu.monthly_cost is None
    assert "ALB LCU unit price is not in public docs" in lcu.note


def test_alb_lcu_priced_from_an_override(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        'prices:\n  alb.lcu:\n    default: {price: "0.0056", source: "https://x", '
        'retrieved: "2026-11-01"}\n'
    )
    book = load_price_book("international", path)
    result = estimate(
        graph(node(ALB, "alb", {"loadBalancerEdition": "Basic"})),
        region="cn-hangzhou",
        price_book=book,
        usage=usage({"resource_usage": {"alb": {"monthly_lcu_hours": 1000}}}),
    )
    # 5.11 + 1000 × 0.0056 = 5.11 + 5.60
    assert result.total == Decimal("10.71")
    assert result.usage_total == Decimal("5.6")


def test_alb_unknown_edition_is_not_found() -> None:
    cost = price_one(node(ALB, "alb", {"loadBalancerEdition": "Premium"}))
    assert cost.lines[0].status == "price_not_found"
    assert "unknown ALB edition (Premium)" in cost.lines[0].note


def lb_service(annotations: dict[str, str] | None = None, **spec: str) -> object:
    return node(
        SERVICE,
        "web-lb",
        {
            "metadata": {"annotations": annotations or {}},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80}], **spec},
        },
    )


def test_clb_service_international() -> None:
    cost = price_one(lb_service(), site="international")  # type: ignore[arg-type]
    # instance 0.021 × 730 = 15.33; public IP retention 0.003 × 730 = 2.19
    assert lines(cost) == {
        "Instance fee": Decimal("15.330"),
        "Public IP retention fee": Decimal("2.190"),
        "Capacity units (LCU)": None,
    }
    assert cost.fixed_cost == Decimal("17.52")
    assert "exempt until 2026-11-30" in cost.lines[0].note


def test_clb_service_china_site_hangzhou() -> None:
    cost = price_one(lb_service())  # type: ignore[arg-type]
    # 0.147 × 730 = 107.31; 0.02 × 730 = 14.60
    assert cost.fixed_cost == Decimal("121.91")


def test_intranet_clb_has_no_public_ip_fee() -> None:
    cost = price_one(
        lb_service({CLB_PREFIX + "address-type": "intranet"}),  # type: ignore[arg-type]
        site="international",
    )
    assert cost.fixed_cost == Decimal("15.33")


def test_pay_by_spec_clb_spec_fee_is_not_found() -> None:
    cost = price_one(
        lb_service(
            {
                CLB_PREFIX + "instance-charge-type": "PayBySpec",  # type: ignore[arg-type]
                CLB_PREFIX + "spec": "slb.s2.small",
            }
        )
    )
    spec_line = cost.lines[-1]
    assert spec_line.name == "Specification fee (slb.s2.small)"
    assert spec_line.status == "price_not_found"


def test_nlb_service() -> None:
    cost = price_one(
        lb_service(loadBalancerClass="alibabacloud.com/nlb"),  # type: ignore[arg-type]
        site="international",
    )
    assert cost.fixed_cost == Decimal("14.60")  # 0.02 × 730


def test_services_that_create_no_load_balancer_are_free() -> None:
    reused = lb_service({CLB_PREFIX + "id": "lb-123"})
    cluster_ip = node(SERVICE, "web", {"spec": {"type": "ClusterIP"}})
    for resource in (reused, cluster_ip):
        assert price_one(resource).category == "free"  # type: ignore[arg-type]


def test_slb_resource() -> None:
    slb = node("alicloud:slb/loadBalancer:LoadBalancer", "api", {"addressType": "internet"})
    assert price_one(slb, site="international").fixed_cost == Decimal("17.52")


@pytest.mark.parametrize(
    ("region", "site", "doc", "fixed", "usage"),
    [
        ("cn-hangzhou", "international", None, "24.82", "0"),  # 0.034 × 730
        ("ap-southeast-1", "international", None, "31.39", "0"),  # 0.043 × 730
        ("cn-hangzhou", "international", {"average_cu": 2}, "24.82", "49.64"),  # 1460 × 0.034
        ("cn-hangzhou", "international", {"monthly_cu_hours": 100}, "24.82", "3.4"),
        ("cn-hangzhou", "international", {"monthly_data_processed_gb": 500}, "24.82", "17"),
        ("cn-shanghai", "china", None, "167.9", "0"),  # 0.23 × 730
    ],
)
def test_nat_gateway(
    region: str, site: str, doc: dict[str, int] | None, fixed: str, usage: str
) -> None:
    cost = price_one(
        node(NAT, "nat", {"natType": "Enhanced"}),
        region=region,
        site=site,
        usage_doc={"resource_usage": {"nat": doc}} if doc else None,
    )
    assert cost.fixed_cost == Decimal(fixed)
    assert cost.usage_cost == Decimal(usage)


def test_nat_china_site_hangzhou_is_not_found() -> None:
    cost = price_one(node(NAT, "nat", {}))
    assert [line.status for line in cost.lines] == ["price_not_found", "price_not_found"]


def test_vpc_nat_gateway_is_not_found() -> None:
    cost = price_one(node(NAT, "nat", {"networkType": "intranet"}), site="international")
    assert cost.lines[0].name == "VPC NAT: Instance fee"
    assert cost.lines[0].status == "price_not_found"


def test_eip_pay_by_traffic() -> None:
    eip = node(EIP, "eip", {"internetChargeType": "PayByTraffic", "bandwidth": "200"})
    cost = price_one(
        eip,
        site="international",
        usage_doc={"resource_usage": {"eip": {"monthly_traffic_gb": 100}}},
    )
    # config 0.0031 × 730 = 2.263; traffic 100 GB × 0.125 = 12.5
    assert lines(cost) == {
        "Configuration fee (pay-by-traffic)": Decimal("2.2630"),
        "Outbound traffic": Decimal("12.500"),
    }
    assert cents(cost.monthly_cost) == Decimal("14.76")


def test_eip_singapore() -> None:
    eip = node(EIP, "eip", {"internetChargeType": "PayByTraffic"})
    # 0.0063 × 730 = 4.599
    assert cents(price_one(eip, region="ap-southeast-1").fixed_cost) == Decimal("4.60")


def test_eip_pay_by_bandwidth_prices_are_not_found() -> None:
    cost = price_one(node(EIP, "eip", {}), site="international")  # PayByBandwidth by default
    assert [line.name for line in cost.lines] == [
        "Configuration fee (pay-by-bandwidth)",
        "Bandwidth (5 Mbit/s)",
    ]
    assert {line.status for line in cost.lines} == {"price_not_found"}
    assert "the default 5 Mbit/s" in cost.lines[1].note


def test_private_zone() -> None:
    cost = price_one(
        node(ZONE, "zone", {"zoneName": "svc.local"}),
        site="international",
        usage_doc={"resource_usage": {"zone": {"monthly_queries": 5_000_000}}},
    )
    # zone: 0.015 × 730 / 24 = 0.45625; queries: 5,000,000 / 10,000 × 0.004 = 2
    assert lines(cost) == {
        "Authoritative zone": Decimal("0.45625"),
        "DNS queries": Decimal("2.000"),
    }


def test_private_zone_china_site() -> None:
    cost = price_one(node(ZONE, "zone", {}))
    # 0.1 × 730 / 24 = 3.041666…
    assert cents(cost.fixed_cost) == Decimal("3.04")
    assert cost.lines[1].status == "usage_unknown"
    assert cost.lines[1].unit_price == Decimal("0.03")


@pytest.mark.parametrize(
    ("inputs", "site", "name", "monthly"),
    [
        (
            {"profile": "Serverless", "clusterSpec": "ack.standard"},
            "china",
            "Cluster management (Serverless Basic, ack.standard)",
            "0",
        ),
        (
            {"profile": "Serverless", "clusterSpec": "ack.pro.small"},
            "international",
            "Cluster management (Serverless Pro, ack.pro.small)",
            "0",
        ),
        (
            {"profile": "Default", "clusterSpec": "ack.pro.small"},
            "international",
            "Cluster management (managed Pro, ack.pro.small)",
            "65.70",
        ),  # 0.09 × 730
        (
            {"profile": "Default", "clusterSpec": "ack.pro.small"},
            "china",
            "Cluster management (managed Pro, ack.pro.small)",
            "467.20",
        ),  # 0.64 × 730
    ],
)
def test_cluster_management_fee(inputs: dict[str, str], site: str, name: str, monthly: str) -> None:
    cost = price_one(node(CLUSTER, "k8s", {**inputs, "newNatGateway": False}), site=site)
    (line,) = cost.lines
    assert line.name == name
    assert line.monthly_cost == Decimal(monthly)


def test_serverless_pro_says_it_is_currently_free() -> None:
    cost = price_one(
        node(
            CLUSTER,
            "k8s",
            {"profile": "Serverless", "clusterSpec": "ack.pro.small", "newNatGateway": False},
        )
    )
    assert "currently free" in cost.lines[0].note


def test_cluster_with_its_own_nat_gateway() -> None:
    cost = price_one(node(CLUSTER, "k8s", {"profile": "Serverless"}), site="international")
    # newNatGateway defaults to true: ACK creates a NAT gateway, 0.034 × 730 = 24.82
    assert lines(cost)["NAT gateway created by ACK (newNatGateway)"] == Decimal("24.820")
    assert "clusterSpec not set" in cost.lines[0].note


SANDBOX = "pulumi-python:dynamic/ask_components.sandbox.provider:"


@pytest.mark.parametrize(
    ("cls", "inputs", "monthly"),
    [
        ("SandboxAlb", {"loadBalancerEdition": "Standard"}, "15.33"),
        ("SandboxNatGateway", {}, "24.82"),
        ("SandboxEip", {"internetChargeType": "PayByTraffic"}, "2.263"),
        ("SandboxPrivateZone", {"zoneName": "x"}, "0.45625"),
    ],
)
def test_local_stand_ins_cost_what_they_stand_for(
    cls: str, inputs: dict[str, str], monthly: str
) -> None:
    cost = price_one(node(SANDBOX + cls, "x", inputs), site="international")
    assert cost.category == "priced"
    assert cost.fixed_cost == Decimal(monthly)


@pytest.mark.parametrize(
    ("type_token", "custom", "category"),
    [
        *[(t, True, "free") for t in sorted(FREE_TYPES)],
        (SANDBOX + "SandboxVpc", True, "free"),
        (SANDBOX + "SandboxVSwitch", True, "free"),
        (SANDBOX + "SandboxZoneRecord", True, "free"),
        (SANDBOX + "CorednsZones", True, "free"),
        (SANDBOX + "SandboxSomethingNew", True, "unsupported"),
        ("pulumi:providers:alicloud", True, "free"),
        ("ask:network:Network", False, "free"),
        ("kubernetes:core/v1:Namespace", True, "free"),
        ("kubernetes:networking.k8s.io/v1:Ingress", True, "free"),
        ("kubernetes:alibabacloud.com/v1:AlbConfig", True, "free"),
        ("kubernetes:policy/v1:PodDisruptionBudget", True, "free"),
        ("kubernetes:helm.sh/v3:Release", True, "unsupported"),
        ("kubernetes:helm.sh/v4:Chart", False, "unsupported"),  # no children: contents unseen
        ("aws:s3/bucket:Bucket", True, "unsupported"),
        ("alicloud:rds/instance:Instance", True, "unsupported"),
    ],
)
def test_classification(type_token: str, custom: bool, category: str) -> None:
    resource = node(type_token, "x", {}, custom=custom)
    assert classify(resource, GraphIndex(graph(resource))).category == category


def test_kubernetes_objects_with_pod_templates_are_not_free() -> None:
    daemonset = node(
        "kubernetes:apps/v1:DaemonSet",
        "agent",
        {"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}},
    )
    knative = node(
        "kubernetes:serving.knative.dev/v1:Service",
        "fn",
        {"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}},
    )
    for resource in (daemonset, knative):
        assert classify(resource, GraphIndex(graph(resource))).category == "unsupported"
