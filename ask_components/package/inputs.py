"""The package's inputs as models: the same rules as the Python components' arguments and the
stack file, with what a program in another language passes instead of Python objects.

``Network`` and ``AskCluster`` take the Python components' argument models as they are
(``NetworkArguments``, ``AskClusterArguments``); ``ServerlessApp`` and ``Platform`` take the stack
file's ``apps[]`` entry and ``ask:platform`` with the secrets as values (not config keys) and the
cluster's kind instead of a Python ``PodRuntime``. ``generate.py`` writes the host's argument
types (``types.py``) from these models, descriptions included.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ask_components.arguments import InputStr
from ask_components.cluster.kinds import ClusterKind
from ask_components.config import PlatformConfig
from ask_components.workloads.config import DEFAULT_CRONHPA_TIME_ZONE, AppConfig

SECRETS_DESCRIPTION = (
    "Env vars from secrets: name -> secret value (a Pulumi secret); kept in a Kubernetes Secret "
    "and read through secretKeyRef."
)


class ServerlessAppInputs(AppConfig):
    """A long-running service on serverless pods (Deployment, Service, HPA, CronHPA, PDB)."""

    region: str = Field(description="Alibaba region (ECI spec rounding depends on it).")
    cluster_kind: ClusterKind = Field(
        "ask",
        description="The cluster's kind: ask (ECI pods), acs (ACS pods) or ack-pro (its virtual "
        "node's pods, see serverlessPods).",
    )
    serverless_pods: Literal["eci", "acs"] | None = Field(
        None, description="kind ack-pro only: what the virtual node runs, eci (default) or acs."
    )
    controller_time_zone: str = Field(
        DEFAULT_CRONHPA_TIME_ZONE,
        description="Time zone the CronHPA controller runs schedules in; schedules are moved "
        "into it.",
    )
    secrets: dict[str, InputStr] = Field(default_factory=dict, description=SECRETS_DESCRIPTION)


class PlatformInputs(PlatformConfig):
    """A whole platform from the stack file's ask:platform document (and alicloud:region,
    ask:target, ask:local): network, cluster, ingress, DNS and workloads."""

    secrets: dict[str, InputStr] = Field(
        default_factory=dict,
        description="Full config key (ask:dbPassword) -> secret value, for exactly the "
        "secrets the workloads read (each secretEnv value and each CI runner's tokenSecret).",
    )
