"""askc preview --stack local: the sandbox stand-ins and kind, offline, without touching a store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ask_components.cli import app

runner = CliRunner()


def test_preview_of_the_local_stack(project_copy: Path) -> None:
    result = runner.invoke(app, ["preview", "--stack", "local", "-C", str(project_copy)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ask-platform / local" in out
    assert (
        "shop-local-network-vsw-cn-hangzhou-j  pulumi-python:dynamic/sandbox:SandboxVSwitch  "
        "10.20.32.0/19, cn-hangzhou-j" in out
    )
    assert (
        "shop-local-network-vpc  pulumi-python:dynamic/sandbox:SandboxVpc  10.20.0.0/16, cn-hangzhou"
        in out
    )
    assert (
        "shop-local-network-eip  pulumi-python:dynamic/sandbox:SandboxEip  PayByTraffic, 100 Mbit/s"
        in out
    )
    assert "shop-local-kind-k8s  pulumi:providers:kubernetes" in out
    assert "alicloud:" not in out
    assert "web-deployment  kubernetes:apps/v1:Deployment  1 replica, ECI 0.5-1Gi" in out
    # The ALB served by ingress-nginx, and the zone answered by CoreDNS.
    assert (
        "shop-local-alb-class  kubernetes:networking.k8s.io/v1:IngressClass  k8s.io/ingress-nginx"
        in out
    )
    assert (
        "web-ingress  kubernetes:networking.k8s.io/v1:Ingress  class alb, shop.localhost/, "
        "web.shop.internal/" in out
    )
    assert (
        "shop-local-dns-coredns  pulumi-python:dynamic/sandbox:CorednsZones  "
        "kind-ask kube-system/coredns" in out
    )
    assert "26 resources" in out
    # A preview creates nothing: the store is only written by `pulumi up`.
    assert not (project_copy / ".ask-sandbox").exists()


def test_json_preview_of_the_local_stack_hides_the_pickled_providers(project_copy: Path) -> None:
    result = runner.invoke(app, ["preview", "--stack", "local", "--json", "-C", str(project_copy)])
    assert result.exit_code == 0, result.output
    graph = json.loads(result.stdout)
    dynamic = [n for n in graph["resources"] if n["type"].startswith("pulumi-python:dynamic/")]
    assert len(dynamic) == 10
    assert {n["inputs"]["__provider"] for n in dynamic} == {"[dynamic provider]"}
    assert graph["outputs"]["cluster_id"] == "kind-ask"
    assert graph["outputs"]["kubeconfig"] == "[secret]"


def test_a_bad_local_config_exits_2(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.local.yaml"
    stack.write_text(stack.read_text().replace("kubeContext: kind-ask", "kubeContext: kind ask"))
    result = runner.invoke(app, ["preview", "--stack", "local", "-C", str(project_copy)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: invalid stack config (1 problem):\n"
        "  - ask:local.kubeContext: 'kind ask' is not a kubectl context name (non-empty, no spaces)\n"
    )
