"""Serverless workloads on ECI: ServerlessApp, ServerlessCronJob, BatchJob, SparkJob, CiRunnerPool.

Re-exported lazily: the components load the Pulumi SDKs, the pure parts (``eci``, ``pod``,
``config``) do not, and the CLI imports the config without the SDKs.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {
    "ServerlessApp": "app",
    "ServerlessAppArgs": "app",
    "Autoscale": "app",
    "HttpProbe": "app",
    "ScheduledScaling": "app",
    "ServerlessCronJob": "cronjob",
    "ServerlessCronJobArgs": "cronjob",
    "BatchJob": "batch",
    "BatchJobArgs": "batch",
    "SparkJob": "spark",
    "SparkJobArgs": "spark",
    "SparkPod": "spark",
    "CiRunnerPool": "ci_runner",
    "CiRunnerPoolArgs": "ci_runner",
    "PodSecurity": "pod",
    "PodSizing": "pod",
    "size_pod": "pod",
    "WorkloadsConfig": "config",
    "build_workloads": "build",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ask_components.workloads' has no attribute {name!r}")
    return getattr(import_module(f"ask_components.workloads.{module}"), name)
