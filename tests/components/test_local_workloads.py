"""Workloads on the local target state the spec ECI would create them as (eci-instance-spec)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ask_components.preview.engine import run_preview
from ask_components.preview.graph import ResourceGraph

USE_SPECS = "k8s.aliyun.com/eci-use-specs"
INSTANCE_SPEC = "k8s.aliyun.com/eci-instance-spec"


def annotation_maps(value: Any) -> Iterator[dict[str, Any]]:
    """Every mapping (at any depth) that carries eci-use-specs: the pod-template annotations."""
    if isinstance(value, dict):
        if USE_SPECS in value:
            yield value
        for item in value.values():
            yield from annotation_maps(item)
    elif isinstance(value, list):
        for item in value:
            yield from annotation_maps(item)


def pod_annotations(graph: ResourceGraph) -> dict[str, list[dict[str, Any]]]:
    """Resource name -> the pod annotations in its inputs."""
    found: dict[str, list[dict[str, Any]]] = {}
    for resource in graph.resources:
        maps = list(annotation_maps(resource.inputs))
        if maps:
            found[resource.name] = maps
    return found


def prod_workloads_on(project: Path, target: str) -> ResourceGraph:
    """The prod stack's workloads (every kind) without its ingress and zone, on ``target``
    (locally without the app's schedules)."""
    stack = yaml.safe_load((project / "stacks" / "Pulumi.prod.yaml").read_text())["config"]
    platform = stack["ask:platform"]
    for key in ("ingress", "dns", "cluster"):
        platform.pop(key, None)
    for app in platform["workloads"]["apps"]:
        app.pop("expose", None)
        if target == "local":
            # The local target runs no CronHPA controller (the config says so).
            app.pop("schedules", None)
    return run_preview(
        project,
        "prod",
        config_overrides={"ask:target": target, "ask:platform": json.dumps(platform)},
    )


def test_local_pods_carry_the_instance_spec_of_their_billed_spec(project_copy: Path) -> None:
    graph = prod_workloads_on(project_copy, "local")
    found = pod_annotations(graph)
    instance_specs = {
        name: [(m[USE_SPECS], m[INSTANCE_SPEC]) for m in maps] for name, maps in found.items()
    }
    # The app's fallback spec stays a fallback: the instance spec is the pod's own (first).
    assert instance_specs == {
        "web-deployment": [("1-2Gi,2-4Gi", "1.0-2.0Gi")],
        "nightly-report-cronjob": [("1-2Gi", "1.0-2.0Gi")],
        "thumbnail-backfill-job": [("2-4Gi", "2.0-4.0Gi")],
        "daily-sales-application": [("2-8Gi", "2.0-8.0Gi"), ("1-4Gi", "1.0-4.0Gi")],
        "gitlab-ci-deployment": [("0.25-0.5Gi", "0.25-0.5Gi")],
    }
    # The CI runner's job pods get theirs through the runner's config.toml.
    [runner_config] = [r for r in graph.resources if r.name == "gitlab-ci-config"]
    toml = runner_config.inputs["data"]["config.toml"]
    assert f'"{USE_SPECS}" = "2-4Gi"\n      "{INSTANCE_SPEC}" = "2.0-4.0Gi"\n' in toml


def test_cloud_pods_leave_the_instance_spec_to_eci(project_copy: Path) -> None:
    graph = prod_workloads_on(project_copy, "alicloud")
    found = pod_annotations(graph)
    assert len(found) == 5
    assert [m for maps in found.values() for m in maps if INSTANCE_SPEC in m] == []
    [runner_config] = [r for r in graph.resources if r.name == "gitlab-ci-config"]
    assert INSTANCE_SPEC not in runner_config.inputs["data"]["config.toml"]
