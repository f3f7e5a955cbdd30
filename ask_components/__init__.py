"""ask-components: Pulumi components for Alibaba Cloud ACK Serverless (ASK), ACS and ACK Pro.

The public API. Components load the Pulumi provider SDKs only when first used, so importing
this package stays fast for the CLI and for pure helpers (CIDR planning, ECI specs, pricing).
For type checkers and IDEs the same names are imported for real (the ``TYPE_CHECKING`` block):
``from ask_components import NetworkArgs`` has the type of ``NetworkArgs``, not ``Any``.
``tests/unit/test_public_api.py`` keeps that block and ``_LAZY`` naming the same objects.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from ask_components.config import PlatformConfig, load_platform_config, platform_config_from_pulumi
from ask_components.errors import (
    ArgumentError,
    AskError,
    ConfigError,
    ConfigProblem,
    InputError,
    SandboxError,
)
from ask_components.network.cidr import NetworkPlan, VSwitchPlan, plan_vswitches

if TYPE_CHECKING:
    from ask_components.cluster.cluster import AskCluster, AskClusterArgs, ClusterAddon
    from ask_components.cluster.kind import KindCluster, KindClusterArgs
    from ask_components.dns.dns import PrivateDns, PrivateDnsArgs
    from ask_components.ingress.alb import AccessLog, AlbIngress, AlbIngressArgs
    from ask_components.ingress.expose import ClbIngress, ExposedApp, Exposure, expose_app
    from ask_components.ingress.local import SandboxAlbIngress, SandboxAlbIngressArgs
    from ask_components.ingress.nginx import translate_alb_annotations
    from ask_components.manifests.validate import ManifestProblem, validate_graph
    from ask_components.network.network import Network, NetworkArgs
    from ask_components.network.sandbox import SandboxNetwork, SandboxNetworkArgs
    from ask_components.platform import Platform
    from ask_components.preview.engine import run_preview, run_program
    from ask_components.preview.graph import ResourceGraph, ResourceNode
    from ask_components.workloads.app import (
        Autoscale,
        HttpProbe,
        ScheduledScaling,
        ServerlessApp,
        ServerlessAppArgs,
    )
    from ask_components.workloads.batch import BatchJob, BatchJobArgs
    from ask_components.workloads.ci_runner import CiRunnerPool, CiRunnerPoolArgs
    from ask_components.workloads.config import WorkloadsConfig
    from ask_components.workloads.cronjob import ServerlessCronJob, ServerlessCronJobArgs
    from ask_components.workloads.eci import EciOptions, EciSpec
    from ask_components.workloads.pod import PodSecurity
    from ask_components.workloads.runtime import ACS, ECI, AcsOptions, PodRuntime, runtime_for
    from ask_components.workloads.spark import SparkJob, SparkJobArgs, SparkPod

try:
    # The version lives in pyproject.toml only; an installed package knows it from its metadata.
    __version__ = version("ask-components")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0.0.0+unknown"

_LAZY = {
    "Platform": "ask_components.platform",
    "Network": "ask_components.network.network",
    "NetworkArgs": "ask_components.network.network",
    "AskCluster": "ask_components.cluster.cluster",
    "AskClusterArgs": "ask_components.cluster.cluster",
    "ClusterAddon": "ask_components.cluster.cluster",
    "AccessLog": "ask_components.ingress.alb",
    "AlbIngress": "ask_components.ingress.alb",
    "AlbIngressArgs": "ask_components.ingress.alb",
    "SandboxAlbIngress": "ask_components.ingress.local",
    "SandboxAlbIngressArgs": "ask_components.ingress.local",
    "translate_alb_annotations": "ask_components.ingress.nginx",
    "ClbIngress": "ask_components.ingress.expose",
    "ExposedApp": "ask_components.ingress.expose",
    "Exposure": "ask_components.ingress.expose",
    "expose_app": "ask_components.ingress.expose",
    "PrivateDns": "ask_components.dns.dns",
    "PrivateDnsArgs": "ask_components.dns.dns",
    "KindCluster": "ask_components.cluster.kind",
    "KindClusterArgs": "ask_components.cluster.kind",
    "SandboxNetwork": "ask_components.network.sandbox",
    "SandboxNetworkArgs": "ask_components.network.sandbox",
    "ResourceGraph": "ask_components.preview.graph",
    "ResourceNode": "ask_components.preview.graph",
    "run_preview": "ask_components.preview.engine",
    "run_program": "ask_components.preview.engine",
    "ServerlessApp": "ask_components.workloads.app",
    "ServerlessAppArgs": "ask_components.workloads.app",
    "Autoscale": "ask_components.workloads.app",
    "HttpProbe": "ask_components.workloads.app",
    "ScheduledScaling": "ask_components.workloads.app",
    "ServerlessCronJob": "ask_components.workloads.cronjob",
    "ServerlessCronJobArgs": "ask_components.workloads.cronjob",
    "BatchJob": "ask_components.workloads.batch",
    "BatchJobArgs": "ask_components.workloads.batch",
    "SparkJob": "ask_components.workloads.spark",
    "SparkJobArgs": "ask_components.workloads.spark",
    "SparkPod": "ask_components.workloads.spark",
    "CiRunnerPool": "ask_components.workloads.ci_runner",
    "CiRunnerPoolArgs": "ask_components.workloads.ci_runner",
    "EciOptions": "ask_components.workloads.eci",
    "EciSpec": "ask_components.workloads.eci",
    "PodSecurity": "ask_components.workloads.pod",
    "AcsOptions": "ask_components.workloads.runtime",
    "PodRuntime": "ask_components.workloads.runtime",
    "ECI": "ask_components.workloads.runtime",
    "ACS": "ask_components.workloads.runtime",
    "runtime_for": "ask_components.workloads.runtime",
    "WorkloadsConfig": "ask_components.workloads.config",
    "validate_graph": "ask_components.manifests.validate",
    "ManifestProblem": "ask_components.manifests.validate",
}

__all__ = [
    "ACS",
    "ECI",
    "AccessLog",
    "AcsOptions",
    "AlbIngress",
    "AlbIngressArgs",
    "ArgumentError",
    "AskCluster",
    "AskClusterArgs",
    "AskError",
    "Autoscale",
    "BatchJob",
    "BatchJobArgs",
    "CiRunnerPool",
    "CiRunnerPoolArgs",
    "ClbIngress",
    "ClusterAddon",
    "ConfigError",
    "ConfigProblem",
    "EciOptions",
    "EciSpec",
    "ExposedApp",
    "Exposure",
    "HttpProbe",
    "InputError",
    "KindCluster",
    "KindClusterArgs",
    "ManifestProblem",
    "Network",
    "NetworkArgs",
    "NetworkPlan",
    "Platform",
    "PlatformConfig",
    "PodRuntime",
    "PodSecurity",
    "PrivateDns",
    "PrivateDnsArgs",
    "ResourceGraph",
    "ResourceNode",
    "SandboxAlbIngress",
    "SandboxAlbIngressArgs",
    "SandboxError",
    "SandboxNetwork",
    "SandboxNetworkArgs",
    "ScheduledScaling",
    "ServerlessApp",
    "ServerlessAppArgs",
    "ServerlessCronJob",
    "ServerlessCronJobArgs",
    "SparkJob",
    "SparkJobArgs",
    "SparkPod",
    "VSwitchPlan",
    "WorkloadsConfig",
    "__version__",
    "expose_app",
    "load_platform_config",
    "plan_vswitches",
    "platform_config_from_pulumi",
    "run_preview",
    "run_program",
    "runtime_for",
    "translate_alb_annotations",
    "validate_graph",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ask_components' has no attribute {name!r}")
    return getattr(import_module(module), name)
