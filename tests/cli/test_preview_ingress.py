"""askc preview shows the prod stack's ALB, AlbConfig, IngressClass and private zone."""

from __future__ import annotations

from typer.testing import CliRunner

from ask_components.cli import app
from tests.conftest import PROJECT_ROOT

runner = CliRunner()


def test_prod_tree_shows_the_alb_and_the_private_zone() -> None:
    result = runner.invoke(app, ["preview", "--stack", "prod", "-C", str(PROJECT_ROOT)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for line in (
        "shop-alb  ask:ingress:AlbIngress",
        "shop-alb-lb  alicloud:alb/loadBalancer:LoadBalancer  Standard, Internet, 3 zones, access log shop-prod-logs/alb-access, deletion protection",
        "shop-alb-config  kubernetes:alibabacloud.com/v1:AlbConfig  reuses [unknown], HTTP:80, HTTPS:443 (1 certificate)",
        "shop-alb-class  kubernetes:networking.k8s.io/v1:IngressClass  ingress.k8s.alibabacloud/alb, AlbConfig shop-alb",
        "shop-dns  ask:dns:PrivateDns",
        "shop-dns-zone  alicloud:pvtz/zone:Zone  shop.internal",
        "shop-dns-vpc  alicloud:pvtz/zoneAttachment:ZoneAttachment  VPC [unknown]",
        "shop-dns-db-cname  alicloud:pvtz/zoneRecord:ZoneRecord  db CNAME rm-shop.mysql.rds.aliyuncs.com, ttl 60",
        "shop-dns-app-web  alicloud:pvtz/zoneRecord:ZoneRecord  web CNAME [unknown], ttl 60",
        "web-ingress  kubernetes:networking.k8s.io/v1:Ingress  class alb, shop.example.com/, web.shop.internal/, HTTPS redirect",
        "web-service  kubernetes:core/v1:Service  ClusterIP, 80 -> 8080",
        "62 resources",
    ):
        assert line in out, line


def test_a_config_problem_in_the_ingress_exits_2_with_its_path(project_copy: object) -> None:
    from pathlib import Path

    assert isinstance(project_copy, Path)
    stack = project_copy / "stacks" / "Pulumi.prod.yaml"
    stack.write_text(
        stack.read_text().replace("certificateIds: [1234567-cn-hangzhou]", "certificateIds: []")
    )
    result = runner.invoke(app, ["preview", "--stack", "prod", "-C", str(project_copy)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: invalid stack config (1 problem):\n"
        "  - ask:platform.ingress.https.certificateIds: HTTPS needs at least one certificate id from Certificate Management Service (like 1234567-cn-hangzhou)\n"
    )
