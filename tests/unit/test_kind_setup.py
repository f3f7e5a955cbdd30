"""make kind-up / kind-down: the kind config, and a clear message without kind or kubectl."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT


def test_the_kind_cluster_maps_ingress_ports_and_is_ingress_ready() -> None:
    config = yaml.safe_load((PROJECT_ROOT / "kind" / "cluster.yaml").read_text())
    assert (config["kind"], config["apiVersion"]) == ("Cluster", "kind.x-k8s.io/v1alpha4")
    [node] = config["nodes"]
    assert node["role"] == "control-plane"
    assert node["labels"] == {"ingress-ready": "true"}
    assert node["extraPortMappings"] == [
        {"containerPort": 80, "hostPort": 8080, "protocol": "TCP"},
        {"containerPort": 443, "hostPort": 8443, "protocol": "TCP"},
    ]


def test_the_ingress_nginx_manifest_is_pinned() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "INGRESS_NGINX_VERSION ?= controller-v1.13.3" in makefile
    assert (
        "https://raw.githubusercontent.com/kubernetes/ingress-nginx/$(INGRESS_NGINX_VERSION)"
        "/deploy/static/provider/kind/deploy.yaml" in makefile
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["kind-up", "kind-down"])
def test_without_kind_the_targets_say_what_is_missing(tmp_path: Path, target: str) -> None:
    # A PATH with nothing on it: kind and kubectl are missing even where they are installed.
    make = shutil.which("make")
    assert make is not None
    result = subprocess.run(
        [make, "--no-print-directory", target],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert (
        f"make {target}: 'kind' is not installed; the local target needs it: "
        "https://kind.sigs.k8s.io/docs/user/quick-start/#installation" in result.stderr
    )
