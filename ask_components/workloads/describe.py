"""One-line details of workload resources in ``askc preview``: replicas, schedules, billed spec.

Imported by the workload components, so the describers are registered whenever a program that
uses them has run. The billed spec is read from the pod template's ``eci-use-specs`` (its first
entry), the same place ECI reads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ask_components.preview.graph import ResourceGraph, ResourceNode
from ask_components.preview.render import register_describer, register_node_describer, siblings
from ask_components.workloads._format import plain
from ask_components.workloads.eci_options import (
    ANNOTATION_FAIL_STRATEGY,
    ANNOTATION_USE_SPECS,
    is_spot,
)
from ask_components.workloads.quantity import QuantityError, parse_cpu, parse_memory_gib
from ask_components.workloads.runtime import LABEL_COMPUTE_CLASS, LABEL_COMPUTE_QOS

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
CRONHPA = "kubernetes:autoscaling.alibabacloud.com/v1beta1:CronHorizontalPodAutoscaler"
CRONJOB = "kubernetes:batch/v1:CronJob"
JOB = "kubernetes:batch/v1:Job"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
SPARK_APPLICATION = "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication"
SCHEDULED_SPARK_APPLICATION = "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication"


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _join(*parts: object) -> str:
    return ", ".join(str(part) for part in parts if part not in (None, ""))


def eci_text(annotations: Any) -> str:
    """``ECI 1-2Gi`` (the first ``eci-use-specs`` entry: the billed spec), ``spot`` for spot
    pods, then the fallbacks: ``ECI 1-2Gi spot (fallback 2-4Gi)``."""
    if not isinstance(annotations, Mapping):
        return ""
    specs = [spec.strip() for spec in str(annotations.get(ANNOTATION_USE_SPECS, "")).split(",")]
    if not specs[0]:
        return ""
    text = f"ECI {specs[0]}"
    if is_spot(annotations):
        text += " spot"
    if len(specs) > 1:
        text += f" (fallback {', '.join(specs[1:])})"
    return text


def acs_text(labels: Any, cpu: Any, memory: Any) -> str:
    """``ACS 2-4Gi`` (the spec the pod asks for, requests = limits = the ACS spec), then the
    compute class when it is not the default and ``best-effort`` for preemptible pods:
    ``ACS 2-4Gi performance best-effort``; '' for a pod without ACS's labels."""
    if not isinstance(labels, Mapping) or LABEL_COMPUTE_CLASS not in labels:
        return ""
    try:
        spec = f"{plain(parse_cpu(cpu))}-{plain(parse_memory_gib(memory))}Gi"
    except (QuantityError, TypeError, ValueError):
        spec = "?"
    text = f"ACS {spec}"
    if labels.get(LABEL_COMPUTE_CLASS) != "general-purpose":
        text += f" {labels.get(LABEL_COMPUTE_CLASS)}"
    if labels.get(LABEL_COMPUTE_QOS) == "best-effort":
        text += " best-effort"
    return text


def _template_eci(spec: Any) -> str:
    """The billed spec of a pod template: ECI's from its annotations, ACS's from its labels and
    its first container's limits."""
    metadata = _get(spec, "template", "metadata")
    containers = _get(spec, "template", "spec", "containers") or [None]
    limits = _get(containers[0], "resources", "limits")
    return acs_text(
        _get(metadata, "labels"), _get(limits, "cpu"), _get(limits, "memory")
    ) or eci_text(_get(metadata, "annotations"))


def _spark_pod(pod: Any) -> str:
    """A Spark driver's or executor's billed spec: its ECI annotations, or its ACS labels with
    the pod size (coreLimit; memory plus memoryOverhead, in Spark's MiB notation)."""
    labels = _get(pod, "labels")
    if isinstance(labels, Mapping) and LABEL_COMPUTE_CLASS in labels:
        memory = _spark_mib(_get(pod, "memory")) + _spark_mib(_get(pod, "memoryOverhead"))
        return acs_text(labels, _get(pod, "coreLimit"), f"{memory}Mi")
    return eci_text(_get(pod, "annotations"))


def _spark_mib(value: Any) -> int:
    text = str(value or "0m")
    return int(text[:-1]) if text.endswith("m") and text[:-1].isdigit() else 0


def describe_deployment(node: ResourceNode, graph: ResourceGraph | None = None) -> str:
    """``2 replicas (HPA 2-10, CronHPA), ECI 1-2Gi``; the HPA is found among the siblings."""
    spec = node.inputs.get("spec")
    name = _get(node.inputs, "metadata", "name")
    autoscaling = ""
    replicas: Any = _get(spec, "replicas")
    nearby = siblings(node, graph) if graph is not None else []
    for other in nearby:
        if other.type == HPA and _get(other.inputs, "spec", "scaleTargetRef", "name") == name:
            low = _get(other.inputs, "spec", "minReplicas")
            replicas = low
            autoscaling = f"HPA {low}-{_get(other.inputs, 'spec', 'maxReplicas')}"
    if autoscaling and any(other.type == CRONHPA for other in nearby):
        autoscaling += ", CronHPA"
    count = replicas if replicas is not None else 1
    text = f"{count} replica{'s' if count != 1 else ''}"
    if autoscaling:
        text += f" ({autoscaling})"
    return _join(text, _template_eci(spec))


def describe_hpa(inputs: Mapping[str, Any]) -> str:
    """``2-10 replicas at 70% CPU``."""
    spec = inputs.get("spec")
    target = None
    for metric in _get(spec, "metrics") or []:
        target = _get(metric, "resource", "target", "averageUtilization")
    return _join(
        f"{_get(spec, 'minReplicas')}-{_get(spec, 'maxReplicas')} replicas",
        f"at {target}% CPU" if target is not None else None,
    ).replace(", at", " at")


def describe_cron_hpa(inputs: Mapping[str, Any]) -> str:
    """``workday-up "0 0 0 * * 1-5" -> 10; workday-down "0 0 12 * * 1-5" -> 2``."""
    jobs = _get(inputs, "spec", "jobs") or []
    return "; ".join(
        f'{_get(job, "name")} "{_get(job, "schedule")}" -> {_get(job, "targetSize")}'
        for job in jobs
    )


def describe_cronjob(inputs: Mapping[str, Any]) -> str:
    """``"30 2 * * *" Asia/Shanghai, Forbid, ECI 1-2Gi spot``."""
    spec = inputs.get("spec")
    schedule = _get(spec, "schedule")
    zone = _get(spec, "timeZone")
    return _join(
        f'"{schedule}"' + (f" {zone}" if zone else ""),
        _get(spec, "concurrencyPolicy"),
        _template_eci(_get(spec, "jobTemplate", "spec")),
    )


def describe_job(inputs: Mapping[str, Any]) -> str:
    """``4 pods at once, 20 completions, ECI 2-4Gi spot, fail-fast``."""
    spec = inputs.get("spec")
    annotations = _get(spec, "template", "metadata", "annotations")
    parallelism = _get(spec, "parallelism") or 1
    completions = _get(spec, "completions") or 1
    return _join(
        f"{parallelism} pod{'s' if parallelism != 1 else ''} at once",
        f"{completions} completion{'s' if completions != 1 else ''}",
        _template_eci(spec),
        _get(annotations, ANNOTATION_FAIL_STRATEGY),
    )


def _spark(spec: Any) -> str:
    driver = _get(spec, "driver")
    executor = _get(spec, "executor")
    instances = _get(executor, "instances") or 1
    return _join(
        f"driver {_spark_pod(driver)}".strip(),
        f"{instances} executor{'s' if instances != 1 else ''} {_spark_pod(executor)}".strip(),
    )


def describe_spark(inputs: Mapping[str, Any]) -> str:
    """``Scala 3.5.5, driver ECI 1-4Gi, 3 executors ECI 2-8Gi spot``."""
    spec = inputs.get("spec")
    return _join(f"{_get(spec, 'type')} {_get(spec, 'sparkVersion')}", _spark(spec))


def describe_scheduled_spark(inputs: Mapping[str, Any]) -> str:
    """``"0 3 * * *" Asia/Shanghai, Scala 3.5.5, driver …, 3 executors …``."""
    spec = inputs.get("spec")
    zone = _get(spec, "timeZone")
    return _join(
        f'"{_get(spec, "schedule")}"' + (f" {zone}" if zone else ""),
        describe_spark({"spec": _get(spec, "template")}),
    )


_CONCURRENT_RE = re.compile(r"^concurrent = (\d+)$", re.MULTILINE)
_USE_SPECS_RE = re.compile(r'"k8s\.aliyun\.com/eci-use-specs" = "([^"]+)"')
_CPU_RE = re.compile(r'^\s*cpu_limit = "([^"]+)"$', re.MULTILINE)
_MEMORY_RE = re.compile(r'^\s*memory_limit = "([^"]+)"$', re.MULTILINE)
_CLASS_RE = re.compile(r'"alibabacloud\.com/compute-class" = "([^"]+)"')
_QOS_RE = re.compile(r'"alibabacloud\.com/compute-qos" = "([^"]+)"')


def describe_config_map(inputs: Mapping[str, Any]) -> str:
    """A GitLab Runner ``config.toml``: ``8 concurrent jobs, job pods ECI 1-2Gi``."""
    text = _get(inputs, "data", "config.toml")
    if not isinstance(text, str):
        return ""
    concurrent = _CONCURRENT_RE.search(text)
    specs = _USE_SPECS_RE.search(text)
    pods = f"job pods ECI {specs.group(1).split(',')[0]}" if specs else None
    compute_class = _CLASS_RE.search(text)
    if compute_class is not None:
        qos = _QOS_RE.search(text)
        cpu, memory = _CPU_RE.search(text), _MEMORY_RE.search(text)
        labels = {
            LABEL_COMPUTE_CLASS: compute_class.group(1),
            LABEL_COMPUTE_QOS: qos.group(1) if qos else "default",
        }
        pods = "job pods " + acs_text(
            labels, cpu.group(1) if cpu else None, memory.group(1) if memory else None
        )
    return _join(f"{concurrent.group(1)} concurrent jobs" if concurrent else None, pods)


register_node_describer(DEPLOYMENT, describe_deployment)
register_describer(
    DEPLOYMENT,
    lambda inputs: describe_deployment(
        ResourceNode(urn="", type=DEPLOYMENT, name="", custom=True, inputs=inputs)
    ),
)
register_describer(HPA, describe_hpa)
register_describer(CRONHPA, describe_cron_hpa)
register_describer(CRONJOB, describe_cronjob)
register_describer(JOB, describe_job)
register_describer(SPARK_APPLICATION, describe_spark)
register_describer(SCHEDULED_SPARK_APPLICATION, describe_scheduled_spark)
register_describer(CONFIG_MAP, describe_config_map)
