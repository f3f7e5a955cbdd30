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
        "usage_unknown",
        True,
    )


@pytest.mark.parametrize(
    ("site", "monthly"),
    [
        ("international", "10.220"),  # 2 LCU × 730 h × 0.007 USD (pricing.md §1.10)
        ("china", "71.540"),  # 2 LCU × 730 h × 0.049 CNY
    ],
)
def test_alb_lcu_from_usage(site: str, monthly: str) -> None:
    cost = price_one(
        node(ALB, "alb", {"loadBalancerEdition": "Basic"}),
        site=site,
        usage_doc={"resource_usage": {"alb": {"average_lcu": 2}}},
    )
    lcu = cost.lines[1]
    assert lcu.quantity == Decimal(1460)  # 2 × 730 LCU-hours
    assert lcu.monthly_cost == Decimal(monthly)


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


def test_nat_china_site_hangzhou() -> None:
    cost = price_one(
        node(NAT, "nat", {"internetChargeType": "PayByLcu"}),
        usage_doc={"resource_usage": {"nat": {"average_cu": 1}}},
    )
    # 0.23 CNY/h × 730 = 167.90 instance fee; 1 CU × 730 h × 0.23 = 167.90 CU fee.
    assert lines(cost) == {
        "Instance fee": Decimal("167.90"),
        "Capacity units (CU)": Decimal("167.90"),
    }


@pytest.mark.parametrize(
    ("inputs", "region", "name", "monthly"),
    [
        # China site, pay-by-specification table of AlibabaCloudDocs/nat @ afe4a439:
        # Small 0.50, Middle 0.96, Large 1.88 CNY/h in Hangzhou; Virginia Large 2.46.
        (
            {"specification": "Small"},
            "cn-hangzhou",
            "Instance fee (pay-by-specification, Small)",
            "365.00",
        ),
        (
            {"specification": "Middle"},
            "cn-hangzhou",
            "Instance fee (pay-by-specification, Middle)",
            "700.80",
        ),
        (
            {"specification": "Large"},
            "cn-beijing",
            "Instance fee (pay-by-specification, Large)",
            "1372.40",
        ),
        (
            {"specification": "Large"},
            "us-east-1",
            "Instance fee (pay-by-specification, Large)",
            "1795.80",
        ),
        ({}, "cn-hangzhou", "Instance fee (pay-by-specification, Small)", "365.00"),
    ],
)
def test_nat_pay_by_spec_is_a_fixed_fee_not_cu(
    inputs: dict[str, str], region: str, name: str, monthly: str
) -> None:
    cost = price_one(
        node(NAT, "nat", {"internetChargeType": "PayBySpec", **inputs}),
        region=region,
        site="china",
        usage_doc={"resource_usage": {"nat": {"average_cu": 5}}},
    )
    (line,) = cost.lines  # no CU line: a pay-by-specification gateway pays no CU fee
    assert (line.name, line.monthly_cost, line.price_key) == (
        name,
        Decimal(monthly),
        line.price_key,
    )
    assert line.price_key.startswith("nat.spec_")
    assert ("priced as Small (assumed)" in line.note) == (not inputs)


@pytest.mark.parametrize(
    ("inputs", "site", "why"),
    [
        ({"specification": "XLarge.1"}, "china", "Small, Middle and Large only"),
        (
            {"specification": "Small"},
            "international",
            "no international-site (USD) pay-by-specification",
        ),
        ({"specification": "Huge"}, "china", "unknown NAT specification 'Huge'"),
    ],
)
def test_nat_pay_by_spec_without_a_price_is_not_found(
    inputs: dict[str, str], site: str, why: str
) -> None:
    cost = price_one(node(NAT, "nat", {"internetChargeType": "PayBySpec", **inputs}), site=site)
    (line,) = cost.lines
    assert line.status == "price_not_found"
    assert why in line.note


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
    # The current international page: config 0.003 × 730 = 2.19; traffic 100 GB × 0.123 = 12.3
    assert lines(cost) == {
        "Configuration fee (pay-by-traffic)": Decimal("2.190"),
        "Outbound traffic": Decimal("12.300"),
    }
    assert cents(cost.monthly_cost) == Decimal("14.49")


def test_eip_pay_by_traffic_china_site() -> None:
    eip = node(EIP, "eip", {"internetChargeType": "PayByTraffic"})
    cost = price_one(eip, usage_doc={"resource_usage": {"eip": {"monthly_traffic_gb": 100}}})
    # 0.02 CNY/h × 730 = 14.60; 100 GB × 0.80 CNY = 80 (AlibabaCloudDocs/eip @ 70848e3c)
    assert lines(cost) == {
        "Configuration fee (pay-by-traffic)": Decimal("14.60"),
        "Outbound traffic": Decimal("80.00"),
    }


@pytest.mark.parametrize(
    ("bandwidth", "region", "expected"),
    [
        # 0.48 CNY/day + 0.96 CNY per Mbit/s-day, × 730 / 24 days.
        (
            "3",
            "cn-hangzhou",
            {"Configuration fee (pay-by-bandwidth)": "14.6", "Bandwidth (3 Mbit/s)": "87.6"},
        ),
        # 10 Mbit/s: 5 at 0.96, 5 at 3.36 CNY per Mbit/s-day.
        (
            "10",
            "cn-hangzhou",
            {
                "Configuration fee (pay-by-bandwidth)": "14.6",
                "Bandwidth, first 5 Mbit/s": "146",
                "Bandwidth above 5 Mbit/s (5 Mbit/s)": "511",
            },
        ),
        # Qingdao: 0.72 then 3.12.
        (
            "6",
            "cn-qingdao",
            {
                "Configuration fee (pay-by-bandwidth)": "14.6",
                "Bandwidth, first 5 Mbit/s": "109.5",
                "Bandwidth above 5 Mbit/s (1 Mbit/s)": "94.9",
            },
        ),
    ],
)
def test_eip_pay_by_bandwidth_is_tiered_at_5_mbps(
    bandwidth: str, region: str, expected: dict[str, str]
) -> None:
    cost = price_one(
        node(EIP, "eip", {"internetChargeType": "PayByBandwidth", "bandwidth": bandwidth}),
        region=region,
    )
    assert lines(cost) == {name: Decimal(value) for name, value in expected.items()}


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
    # zone: 0.015 × 730 / 24 = 0.45625; queries: 5,000,000 a month = 164,383.56 a day →
    # 0.06575 USD → billed 0.07 a day → 0.07 × 730 / 24 = 2.129166…
    assert lines(cost)["Authoritative zone"] == Decimal("0.45625")
    assert cents(lines(cost)["DNS queries"]) == Decimal("2.13")
    assert "0.07 a day" in cost.lines[1].note


@pytest.mark.parametrize(
    ("queries", "site", "daily", "monthly"),
    [
        # Per daily bill, rounded to the cent half up (pricing.md §1.10).
        (100_000, "china", "0.01", "0.30"),  # 3,287.67/day × 0.03 / 10k = 0.00986 → 0.01
        (50_000, "china", "0.00", "0.00"),  # 0.00493 a day rounds to nothing
        (30_000_000, "china", "2.96", "90.03"),  # 986,301.37/day → 2.9589 → 2.96
        (1_000_000, "international", "0.01", "0.30"),  # 32,876.71/day × 0.004 / 10k = 0.01315
    ],
)
def test_private_zone_queries_are_rounded_per_daily_bill(
    queries: int, site: str, daily: str, monthly: str
) -> None:
    from ask_components.cost.resources.private_zone import daily_query_fee

    price = Decimal("0.03") if site == "china" else Decimal("0.004")
    assert daily_query_fee(Decimal(queries), price) == Decimal(daily)
    cost = price_one(
        node(ZONE, "zone", {}),
        site=site,
        usage_doc={"resource_usage": {"zone": {"monthly_queries": queries}}},
    )
    assert cents(cost.lines[1].monthly_cost) == Decimal(monthly)


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
            "Cluster management (ASK Basic, ack.standard)",
            "0",
        ),
        (
            {"profile": "Serverless", "clusterSpec": "ack.pro.small"},
            "international",
            "Cluster management (ASK Pro, ack.pro.small)",
            "0",
        ),
        (
            {"profile": "Acs", "clusterSpec": "ack.pro.small"},
            "china",
            "Cluster management (ACS, ack.pro.small)",
            "0",
        ),  # "There is no cluster management fee" (ACS-BILL-CN)
        (
            {"profile": "Default", "clusterSpec": "ack.pro.small"},
            "international",
            "Cluster management (ACK Pro, ack.pro.small)",
            "65.70",
        ),  # 0.09 × 730
        (
            {"clusterSpec": "ack.pro.small"},  # profile unset = Default
            "china",
            "Cluster management (ACK Pro, ack.pro.small)",
            "467.20",
        ),  # 0.64 × 730
        (
            {"profile": "Default", "clusterSpec": "ack.standard"},
            "china",
            "Cluster management (ACK Basic, ack.standard)",
            "0",
        ),
    ],
)
def test_cluster_management_fee(inputs: dict[str, str], site: str, name: str, monthly: str) -> None:
    cost = price_one(
        node(CLUSTER, "k8s", {**inputs, "newNatGateway": False, "slbInternetEnabled": False}),
        site=site,
    )
    assert [line.name for line in cost.lines] == [
        name,
        "API server CLB instance fee",
        "API server CLB capacity units (LCU)",
    ]
    assert cost.lines[0].monthly_cost == Decimal(monthly)


@pytest.mark.parametrize(
    ("profile", "site", "clb"),
    [
        # 0.147 CNY/h × 730 = 107.31 (CLB-CN); 0.021 USD/h × 730 = 15.33 (CLB-ANN).
        ("Serverless", "china", "107.31"),
        ("Acs", "china", "107.31"),
        ("Default", "international", "15.33"),
    ],
)
def test_every_cluster_pays_for_its_api_server_clb(profile: str, site: str, clb: str) -> None:
    cost = price_one(
        node(
            CLUSTER,
            "k8s",
            {"profile": profile, "newNatGateway": False, "slbInternetEnabled": False},
        ),
        site=site,
        usage_doc={"resource_usage": {"k8s": {"average_lcu": 1}}},
    )
    by_name = {line.name: line for line in cost.lines}
    assert by_name["API server CLB instance fee"].monthly_cost == Decimal(clb)
    lcu = by_name["API server CLB capacity units (LCU)"]
    # 1 LCU × 730 h × 0.049 CNY / 0.007 USD (pricing.md §1.10)
    assert lcu.monthly_cost == (Decimal("35.770") if site == "china" else Decimal("5.110"))
    assert lcu.usage_based


def test_public_api_endpoint_prices_the_eip_ack_binds() -> None:
    cost = price_one(node(CLUSTER, "k8s", {"profile": "Serverless", "newNatGateway": False}))
    # slbInternetEnabled defaults to true: an EIP on the API server CLB, 0.02 CNY/h × 730.
    line = cost.lines[-1]
    assert (line.name, line.monthly_cost) == (
        "API server public endpoint (EIP configuration fee)",
        Decimal("14.60"),
    )


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
    cost = price_one(
        node(CLUSTER, "k8s", {"profile": "Serverless", "slbInternetEnabled": False}),
        site="international",
    )
    # newNatGateway defaults to true: ACK creates a NAT gateway, 0.034 × 730 = 24.82
    assert lines(cost)["NAT gateway created by ACK (newNatGateway)"] == Decimal("24.820")
    assert "clusterSpec not set" in cost.lines[0].note


SANDBOX = "pulumi-python:dynamic/ask_components.sandbox.provider:"


@pytest.mark.parametrize(
    ("cls", "inputs", "monthly"),
    [
        ("SandboxAlb", {"loadBalancerEdition": "Standard"}, "15.33"),
        ("SandboxNatGateway", {}, "24.82"),
        ("SandboxEip", {"internetChargeType": "PayByTraffic"}, "2.190"),
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
