"""Pod pieces every workload shares: sizing, the security context, env, resources (pure).

Plain values in, plain manifest dicts (camelCase keys) out; no Pulumi. The components put them
into their Deployments, Jobs, CronJobs and Spark pod specs.

**What Kubernetes sees is what the cloud bills.** :func:`size_pod` rounds the requested CPU and
memory up to the spec the pod's runtime creates (``runtime.PodRuntime``: ECI's spec table or ACS's
grid); the main container gets ``requests = limits =`` that spec. On ECI the pod template states
it first in ``k8s.aliyun.com/eci-use-specs`` (then the user's fallbacks); on ACS the template
carries the compute class and QoS labels, so the billed spec is explicit and reviewable.
**Sidecars:** the components add none. A container added later (a mesh proxy, a log
agent) should carry ``__ECI_RESOURCE_IGNORE__=TRUE`` so ECI leaves it out of sizing, and shares
the pod's spec; the ``eci-use-specs`` annotation keeps the billed spec as stated either way
(https://www.alibabacloud.com/help/en/eci/user-guide/ignore-specific-containers-during-resource-adjustment).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from ask_components.workloads.acs_specs import AcsSpec
from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.eci_specs import EciSpec
from ask_components.workloads.quantity import parse_cpu, parse_memory_gib
from ask_components.workloads.runtime import ECI, AcsOptions, PodRuntime, PodSizing

__all__ = [
    "DEFAULT_RUN_AS_USER",
    "TMP_MOUNT",
    "TMP_VOLUME",
    "PodSecurity",
    "PodSizing",
    "container_security_context",
    "env_vars",
    "pod_security_context",
    "resources",
    "size_pod",
]

DEFAULT_RUN_AS_USER: Final = 10001
"""UID pods run as when unset: above every distribution's system range, so never a host user."""

TMP_VOLUME: Final[Mapping[str, Any]] = {"name": "tmp", "emptyDir": {}}
"""An emptyDir for /tmp, so programs that write temp files work on a read-only root filesystem."""

TMP_MOUNT: Final[Mapping[str, Any]] = {"name": "tmp", "mountPath": "/tmp"}


def size_pod(
    cpu: str | int | float | Decimal,
    memory: str | int | float | Decimal,
    *,
    region: str,
    eci: EciOptions,
    acs: AcsOptions | None = None,
    runtime: PodRuntime = ECI,
) -> PodSizing:
    """Round a pod's CPU and memory to its spec and render its template labels and annotations.

    Args:
        cpu: the CPU the pod needs, a Kubernetes quantity (``"500m"``, ``1``).
        memory: the memory the pod needs, a Kubernetes quantity (``"1Gi"``).
        region: the region (it decides whether ECI's extended specs exist).
        eci: the pod's ECI options (spot pods cannot use the extended specs; on ACS only those
            with an ACS counterpart).
        acs: the pod's ACS options (ACS pods only).
        runtime: where the pods run (ECI, the default, or ACS; ``PodRuntime``).

    Raises:
        QuantityError: cpu or memory is not a quantity.
        EciSpecError / AcsSpecError: no spec is large enough.
        EciOptionsError / AcsOptionsError: the options conflict with the spec or the runtime.
    """
    return runtime.size(
        parse_cpu(cpu, name="cpu"),
        parse_memory_gib(memory, name="memory"),
        region=region,
        eci=eci,
        acs=acs,
    )


def resources(spec: EciSpec | AcsSpec) -> dict[str, Any]:
    """Container resources with requests = limits = the pod's spec."""
    amounts = {"cpu": spec.cpu_quantity, "memory": spec.memory_quantity}
    return {"requests": dict(amounts), "limits": dict(amounts)}


@dataclass(frozen=True)
class PodSecurity:
    """How a workload's pods run.

    Attributes:
        run_as_user: the UID (and GID) of every container; never 0.
        read_only_root_filesystem: mount the image read-only (an emptyDir at /tmp stays
            writable); turn off only for images that must write elsewhere.
    """

    run_as_user: int = DEFAULT_RUN_AS_USER
    read_only_root_filesystem: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.run_as_user, bool) or not isinstance(self.run_as_user, int):
            raise ValueError(f"run_as_user must be an int, got {self.run_as_user!r}")
        if self.run_as_user <= 0:
            raise ValueError(f"run_as_user must be a non-root UID (> 0), got {self.run_as_user}")


def pod_security_context(security: PodSecurity) -> dict[str, Any]:
    """The pod-level security context: non-root, the runtime's default seccomp profile."""
    return {
        "runAsNonRoot": True,
        "runAsUser": security.run_as_user,
        "runAsGroup": security.run_as_user,
        "fsGroup": security.run_as_user,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def container_security_context(security: PodSecurity) -> dict[str, Any]:
    """The container security context: no privilege escalation, no capabilities at all."""
    return {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": security.read_only_root_filesystem,
        "runAsNonRoot": True,
    }


def env_vars(
    env: Mapping[str, str], secret_env: Iterable[str], secret_name: str
) -> list[dict[str, Any]]:
    """A container's env: plain values first, then each secret one from the workload's Secret.

    Args:
        env: name -> value, in the order given.
        secret_env: names of the variables kept in the Secret (key = variable name).
        secret_name: the Secret's name.
    """
    result: list[dict[str, Any]] = [{"name": name, "value": value} for name, value in env.items()]
    result.extend(
        {"name": name, "valueFrom": {"secretKeyRef": {"name": secret_name, "key": name}}}
        for name in secret_env
    )
    return result


def labels(name: str, component: str, part_of: str | None = None) -> dict[str, str]:
    """The recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/)."""
    result = {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "pulumi",
    }
    if part_of:
        result["app.kubernetes.io/part-of"] = part_of
    return result


def selector(name: str) -> dict[str, str]:
    """The selector of a workload's pods (immutable on Deployments: keep it minimal)."""
    return {"app.kubernetes.io/name": name}


def container(
    *,
    name: str,
    image: str,
    spec: EciSpec | AcsSpec,
    security: PodSecurity,
    command: Sequence[str] | None = None,
    args: Sequence[str] | None = None,
    env: list[dict[str, Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
    mounts: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The main container: the whole ECI spec as requests = limits, locked down, /tmp mounted."""
    result: dict[str, Any] = {"name": name, "image": image}
    if command:
        result["command"] = list(command)
    if args:
        result["args"] = list(args)
    if env:
        result["env"] = env
    result.update(extra or {})
    result["resources"] = resources(spec)
    result["securityContext"] = container_security_context(security)
    result["volumeMounts"] = [dict(TMP_MOUNT), *(dict(mount) for mount in mounts)]
    return result


def pod_spec(
    containers: list[dict[str, Any]],
    security: PodSecurity,
    *,
    restart_policy: str | None = None,
    service_account: str | None = None,
    volumes: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A pod spec around ``containers``: security context, /tmp volume, no API token by default.

    Pods get a service-account token only when they name a service account that needs the API
    (the Spark driver, the CI runner); everything else has no reason to talk to the API server.
    """
    result: dict[str, Any] = {"containers": containers}
    if restart_policy is not None:
        result["restartPolicy"] = restart_policy
    if service_account is not None:
        result["serviceAccountName"] = service_account
    else:
        result["automountServiceAccountToken"] = False
    result["securityContext"] = pod_security_context(security)
    result["volumes"] = [dict(TMP_VOLUME), *(dict(volume) for volume in volumes)]
    return result


def manifest(fragment: Mapping[str, Any]) -> Any:
    """A manifest fragment passed to a ``pulumi_kubernetes`` argument, typed ``Any`` on purpose.

    The SDK types its arguments as unions of nested TypedDicts and Inputs; checking a nested
    dict against them made mypy use more than 20 GB. The fragments are validated where it
    counts: against the Kubernetes schemas (``ask_components.manifests``).
    """
    return fragment
