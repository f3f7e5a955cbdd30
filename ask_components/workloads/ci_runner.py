"""``CiRunnerPool``: a GitLab Runner whose CI jobs run as ECI pods (``ask:workloads:CiRunnerPool``).

The runner itself is a small on-demand pod (a Deployment of one) using the kubernetes executor:
for each CI job it creates a pod in the same namespace, and on ASK each such pod is an ECI
instance. The job pods' CPU and memory are rounded to their ECI spec, which ``config.toml``
states both as requests = limits of the build container and in ``eci-use-specs`` among the job
pods' annotations, so the billed spec of every CI job is visible in review.

**The runner token never appears in an input in plain text.** It goes into a Kubernetes Secret
(from a Pulumi secret) and reaches the runner as ``CI_SERVER_TOKEN`` through ``secretKeyRef``;
at start the runner writes it into a private copy of ``config.toml`` on an in-memory volume.
The ConfigMap's ``config.toml`` has everything but the token.

**Tags:** a runner authentication token (``glrt-…``) carries its tags on the GitLab side (set
them where the runner is created: UI or ``POST /user/runners``); ``config.toml`` has no place
for them. They are recorded on the Deployment (``ask-components.io/runner-tags``) for review.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import pulumi
import pulumi_kubernetes as k8s

from ask_components.workloads import describe as _describe  # registers the preview describers
from ask_components.workloads._base import Quantity, WorkloadArgs, WorkloadChildren
from ask_components.workloads.defaults import DEFAULT_JOB_IMAGE, DEFAULT_RUNNER_IMAGE
from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.pod import (
    PodSecurity,
    PodSizing,
    container,
    env_vars,
    manifest,
    pod_spec,
    selector,
    size_pod,
)
from ask_components.workloads.runtime import AcsOptions

__all__ = [
    "CONFIG_SHA_ANNOTATION",
    "DEFAULT_RUNNER_IMAGE",
    "RUNNER_RBAC_RULES",
    "TAGS_ANNOTATION",
    "TOKEN_ENV",
    "CiRunnerPool",
    "CiRunnerPoolArgs",
    "render_config_toml",
]

_ = _describe

TOKEN_ENV: Final = "CI_SERVER_TOKEN"
"""The env var the runner token reaches the runner pod as (GitLab Runner's own name for it)."""

TAGS_ANNOTATION: Final = "ask-components.io/runner-tags"
CONFIG_SHA_ANNOTATION: Final = "ask-components.io/config-sha256"
"""On the runner's pod template: a changed config.toml rolls the runner (it reads it at start)."""

POLL_TIMEOUT_SECONDS: Final = 600
"""How long the runner waits for a job pod to start. GitLab's default (180 s) is short for an
ECI pod that pulls a large image on first use."""

# What the kubernetes executor does with the API, resource by resource
# (https://docs.gitlab.com/runner/executors/kubernetes/#configure-runner-api-permissions).
RUNNER_RBAC_RULES: Final[tuple[Mapping[str, Any], ...]] = (
    {
        "apiGroups": [""],
        "resources": ["pods"],
        "verbs": ["create", "delete", "get", "list", "watch"],
    },
    {
        "apiGroups": [""],
        "resources": ["pods/exec", "pods/attach"],
        "verbs": ["create", "delete", "get", "patch"],
    },
    {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get", "list"]},
    {
        "apiGroups": [""],
        "resources": ["secrets", "configmaps"],
        "verbs": ["create", "delete", "get", "update"],
    },
)

# The runner reads its config from the ConfigMap, adds the token (from the environment, never
# from an argument or a file in the image) under [[runners]], and runs from that private copy on
# an in-memory volume. awk's ENVIRON keeps the token out of the process list.
_START_SCRIPT: Final = (
    "set -eu\n"
    "umask 077\n"
    "awk '{ print } /^\\[\\[runners\\]\\]$/ "
    f'{{ printf "  token = \\"%s\\"\\n", ENVIRON["{TOKEN_ENV}"] }}\' '
    "/configmaps/config.toml > /runner/config.toml\n"
    "exec gitlab-runner run --config /runner/config.toml --working-directory /runner\n"
)


@dataclass(kw_only=True)
class CiRunnerPoolArgs(WorkloadArgs):
    """Arguments of a ``CiRunnerPool`` (and every ``WorkloadArgs`` field).

    Attributes:
        url: the GitLab URL.
        token: the runner authentication token, a Pulumi secret.
        concurrency: CI jobs running at once.
        tags: the runner's tags (recorded for review; GitLab holds them, see the module docs).
        image: the GitLab Runner image, pinned.
        cpu: vCPUs of the runner pod itself.
        memory: memory of the runner pod itself.
        job_image: the image of jobs that name none.
        job_cpu: vCPUs of each job pod (its build container).
        job_memory: memory of each job pod.
        job_eci: ECI options of the job pods.
        job_acs: ACS options of the job pods (ACS pods only).
        pull_policy: image pull policy of the job pods.
    """

    url: str
    token: pulumi.Input[str]
    concurrency: int = 4
    tags: Sequence[str] = ()
    image: str = DEFAULT_RUNNER_IMAGE
    cpu: Quantity = "0.25"
    memory: Quantity = "0.5Gi"
    job_image: str = DEFAULT_JOB_IMAGE
    job_cpu: Quantity = "1"
    job_memory: Quantity = "2Gi"
    job_eci: EciOptions = field(default_factory=EciOptions)
    job_acs: AcsOptions = field(default_factory=AcsOptions)
    pull_policy: Literal["always", "if-not-present", "never"] = "if-not-present"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are a subset of TOML basic strings'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _table(header: str, values: Mapping[str, Any], indent: str) -> list[str]:
    lines = [f"{indent}[{header}]"]
    lines.extend(f"{indent}  {_key(key)} = {_toml(value)}" for key, value in values.items())
    return lines


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def render_config_toml(
    *,
    name: str,
    url: str,
    namespace: str,
    concurrency: int,
    job_image: str,
    job_sizing: PodSizing,
    security: PodSecurity,
    pull_policy: str,
) -> str:
    """The runner's ``config.toml``, without the token (pure).

    Job pods get: requests = limits = the pod's spec on the build container, the runtime's
    annotations (on ECI ``eci-use-specs`` first) and labels (ACS compute class and QoS, ACK Pro's
    placement label), non-root with no privilege escalation and no capabilities, and no
    service-account token.
    """
    cpu = job_sizing.spec.cpu_quantity
    memory = job_sizing.spec.memory_quantity
    lines = [
        f"concurrent = {concurrency}",
        "check_interval = 3",
        "shutdown_timeout = 30",
        'log_format = "json"',
        "",
        "[[runners]]",
        f"  name = {_toml(name)}",
        f"  url = {_toml(url)}",
        '  executor = "kubernetes"',
    ]
    kubernetes = {
        "namespace": namespace,
        "image": job_image,
        "pull_policy": [pull_policy],
        "cpu_request": cpu,
        "cpu_limit": cpu,
        "memory_request": memory,
        "memory_limit": memory,
        "poll_timeout": POLL_TIMEOUT_SECONDS,
        "automount_service_account_token": False,
    }
    lines += _table("runners.kubernetes", kubernetes, "  ")
    lines += _table("runners.kubernetes.pod_annotations", dict(job_sizing.annotations), "    ")
    lines += _table(
        "runners.kubernetes.pod_labels",
        {
            "app.kubernetes.io/managed-by": "gitlab-runner",
            "app.kubernetes.io/part-of": name,
            **job_sizing.labels,
        },
        "    ",
    )
    lines += _table(
        "runners.kubernetes.pod_security_context",
        {
            "run_as_non_root": True,
            "run_as_user": security.run_as_user,
            "run_as_group": security.run_as_user,
            "fs_group": security.run_as_user,
        },
        "    ",
    )
    for which in ("build", "helper"):
        section = f"runners.kubernetes.{which}_container_security_context"
        lines += _table(section, {"allow_privilege_escalation": False}, "    ")
        lines += _table(f"{section}.capabilities", {"drop": ["ALL"]}, "      ")
    return "\n".join(lines) + "\n"


class CiRunnerPool(pulumi.ComponentResource):
    """A GitLab Runner whose jobs are ECI pods.

    Pass the cluster's Kubernetes provider in ``opts`` (``ResourceOptions(provider=...)``).

    Outputs:
        namespace: the namespace.
        billed_spec: the ECI spec each CI job pod is billed as (``"1-2Gi"``).
        runner_spec: the ECI spec of the runner pod itself.
    """

    namespace: str
    billed_spec: str
    runner_spec: str
    job_sizing: PodSizing
    runner_sizing: PodSizing
    config_toml: str

    def __init__(
        self, name: str, args: CiRunnerPoolArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ask:workloads:CiRunnerPool", name, None, opts)
        self.job_sizing = size_pod(
            args.job_cpu,
            args.job_memory,
            region=args.region,
            eci=args.job_eci,
            acs=args.job_acs,
            runtime=args.runtime,
        )
        # The runner pod has no options of its own; it states its spec as the job pods do.
        runner_eci = EciOptions(instance_spec=args.job_eci.instance_spec)
        self.runner_sizing = size_pod(
            args.cpu, args.memory, region=args.region, eci=runner_eci, runtime=args.runtime
        )
        children = WorkloadChildren(self, name, args, "ci-runner")
        self.namespace = args.namespace
        self.billed_spec = self.job_sizing.use_specs_value
        self.runner_spec = self.runner_sizing.use_specs_value
        self.config_toml = render_config_toml(
            name=name,
            url=args.url,
            namespace=args.namespace,
            concurrency=args.concurrency,
            job_image=args.job_image,
            job_sizing=self.job_sizing,
            security=args.security,
            pull_policy=args.pull_policy,
        )
        self.service_account, self.role, self.role_binding = children.service_account_with_role(
            name, RUNNER_RBAC_RULES
        )
        token_secret = f"{name}-token"
        self.token_secret = k8s.core.v1.Secret(
            f"{name}-token",
            metadata=children.metadata(token_secret),
            type="Opaque",
            # pulumi-kubernetes keeps a Secret's stringData secret as a whole.
            string_data=_token_data(args.token),
            opts=children.opts(),
        )
        self.config_map = k8s.core.v1.ConfigMap(
            f"{name}-config",
            metadata=children.metadata(f"{name}-config"),
            data=_config_data(self.config_toml),
            opts=children.opts(),
        )
        env = env_vars(args.env, children.secret_env_names, children.env_secret_name)
        env += [
            {"name": "HOME", "value": "/runner"},
            {
                "name": TOKEN_ENV,
                "valueFrom": {"secretKeyRef": {"name": token_secret, "key": "token"}},
            },
        ]
        runner = container(
            name="runner",
            image=args.image,
            spec=self.runner_sizing.spec,
            security=args.security,
            command=["/bin/sh", "-c", _START_SCRIPT],
            env=env,
            mounts=[
                {"name": "config", "mountPath": "/configmaps", "readOnly": True},
                {"name": "runner", "mountPath": "/runner"},
            ],
        )
        digest = hashlib.sha256(self.config_toml.encode()).hexdigest()
        template = {
            "metadata": children.template_metadata(
                self.runner_sizing, {CONFIG_SHA_ANNOTATION: digest}
            ),
            "spec": pod_spec(
                [runner],
                args.security,
                service_account=name,
                volumes=[
                    {"name": "config", "configMap": {"name": f"{name}-config"}},
                    # The token's copy lives in memory only.
                    {"name": "runner", "emptyDir": {"medium": "Memory"}},
                ],
            ),
        }
        annotations = {TAGS_ANNOTATION: ",".join(args.tags)} if args.tags else {}
        self.deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=children.metadata(name, annotations=annotations)
            if annotations
            else children.metadata(name),
            spec=manifest(
                {
                    "replicas": 1,
                    "selector": {"matchLabels": selector(name)},
                    # One runner at a time: two would share the token and double the concurrency.
                    "strategy": {"type": "Recreate"},
                    "template": template,
                }
            ),
            opts=children.opts(after=[self.token_secret, self.config_map, self.role_binding]),
        )
        self.register_outputs(
            {
                "namespace": self.namespace,
                "billed_spec": self.billed_spec,
                "runner_spec": self.runner_spec,
            }
        )


def _token_data(token: pulumi.Input[str]) -> Any:
    return {"token": pulumi.Output.secret(token)}


def _config_data(config_toml: str) -> Any:
    return {"config.toml": config_toml}
