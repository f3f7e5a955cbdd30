"""What the workload components share: pod arguments, namespace and secret-env children."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

import pulumi
import pulumi_kubernetes as k8s

from ask_components.workloads.defaults import DEFAULT_CPU, DEFAULT_MEMORY, POD_SECURITY_LABELS
from ask_components.workloads.eci_options import EciOptions
from ask_components.workloads.naming import env_secret_name
from ask_components.workloads.pod import PodSecurity, labels, size_pod
from ask_components.workloads.runtime import ECI, AcsOptions, PodRuntime, PodSizing

__all__ = ["DEFAULT_NAMESPACE", "PodArgs", "WorkloadArgs", "WorkloadChildren"]

DEFAULT_NAMESPACE: Final = "default"
"""Namespace of a workload whose args name none (the platform passes its shared namespace)."""

Quantity = str | int | float | Decimal


@dataclass(kw_only=True)
class WorkloadArgs:
    """Arguments every workload shares.

    Attributes:
        region: the region (ECI spec rounding depends on it).
        env: env vars, name -> value.
        secret_env: env vars from secrets, name -> value (a secret Output); kept in a
            Kubernetes Secret ``<name>-env`` and read through ``secretKeyRef``.
        security: the UID and the read-only root filesystem switch.
        namespace: the namespace of every object.
        create_namespace: create that namespace as a child (a namespace of the workload's own).
        part_of: the ``app.kubernetes.io/part-of`` label (the platform's name).
        runtime: where the pods run and how they are sized (``ECI``, the default, or ``ACS``;
            ``workloads.runtime``); the Platform passes its cluster's.
        served_by: what serves the custom resources the workload makes (the CronHPA controller
            add-on, the Spark operator): each of them is created after these, and a destroy
            removes it before them.
    """

    region: str
    env: Mapping[str, str] = field(default_factory=dict)
    secret_env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    security: PodSecurity = field(default_factory=PodSecurity)
    namespace: str = DEFAULT_NAMESPACE
    create_namespace: bool = False
    part_of: str | None = None
    runtime: PodRuntime = ECI
    served_by: Sequence[pulumi.Resource] = field(default_factory=tuple)


@dataclass(kw_only=True)
class PodArgs(WorkloadArgs):
    """Arguments of a workload with one kind of pod (and every ``WorkloadArgs`` field).

    CPU, memory and the ECI options are plain values, not Inputs: the billed spec and the ECI
    annotations must be known when the program runs, so a preview shows them.

    Attributes:
        image: the container image, pinned to a tag or digest.
        cpu: vCPUs the pod needs (a quantity); rounded up to an ECI spec.
        memory: memory the pod needs (a quantity); rounded up likewise.
        command: the entrypoint override; the image's when None.
        args: the arguments; the image's when None.
        eci: the ECI options of the pods (on ACS pods: only those with an ACS counterpart).
        acs: the ACS options of the pods (compute class and QoS; ACS pods only).
    """

    image: str
    cpu: Quantity = DEFAULT_CPU
    memory: Quantity = DEFAULT_MEMORY
    command: Sequence[str] | None = None
    args: Sequence[str] | None = None
    eci: EciOptions = field(default_factory=EciOptions)
    acs: AcsOptions = field(default_factory=AcsOptions)

    def size(self) -> PodSizing:
        """The pods' spec, labels and annotations on ``runtime``."""
        return size_pod(
            self.cpu,
            self.memory,
            region=self.region,
            eci=self.eci,
            acs=self.acs,
            runtime=self.runtime,
        )


def _string_data(values: Mapping[str, pulumi.Input[str]]) -> Any:
    # Secret whatever the caller passed: a plain string must not end up in the state as text.
    return {name: pulumi.Output.secret(value) for name, value in values.items()}


class WorkloadChildren:
    """Makes the children every workload may need, parented to the component."""

    def __init__(
        self, component: pulumi.ComponentResource, name: str, args: WorkloadArgs, kind: str
    ) -> None:
        self.component = component
        self.name = name
        self.args = args
        self.labels = labels(name, kind, args.part_of)
        self.depends_on: list[pulumi.Resource] = []
        if args.create_namespace:
            self.depends_on.append(
                k8s.core.v1.Namespace(
                    f"{name}-namespace",
                    metadata={
                        "name": args.namespace,
                        "labels": {**self.labels, **POD_SECURITY_LABELS},
                    },
                    opts=self.opts(),
                )
            )
        self.env_secret: k8s.core.v1.Secret | None = None
        if args.secret_env:
            self.env_secret = k8s.core.v1.Secret(
                f"{name}-env",
                metadata=self.metadata(env_secret_name(name)),
                type="Opaque",
                string_data=_string_data(args.secret_env),
                opts=self.opts(),
            )
            self.depends_on.append(self.env_secret)

    def metadata(self, name: str, **extra: Any) -> Any:
        """Object metadata in the workload's namespace, with its labels (a manifest dict)."""
        return {
            "name": name,
            "namespace": self.args.namespace,
            "labels": dict(self.labels),
            **extra,
        }

    def template_metadata(
        self, sizing: PodSizing, annotations: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """A pod template's metadata: the workload's labels plus the runtime's (ACS compute class
        and QoS, ACK Pro's placement label; never in a selector, Alibaba may rewrite them), the
        runtime's annotations plus ``annotations``."""
        return {
            "labels": {**self.labels, **sizing.labels},
            "annotations": {**sizing.annotations, **(annotations or {})},
        }

    def opts(self, after: Sequence[pulumi.Resource] = ()) -> pulumi.ResourceOptions:
        """Options of a child: parented to the component, after the namespace and secret."""
        return pulumi.ResourceOptions(parent=self.component, depends_on=[*self.depends_on, *after])

    @property
    def secret_env_names(self) -> list[str]:
        """Names of the env vars read from the Secret."""
        return list(self.args.secret_env)

    @property
    def env_secret_name(self) -> str:
        """The Secret's Kubernetes name."""
        return env_secret_name(self.name)

    def service_account_with_role(
        self, account: str, rules: Sequence[Mapping[str, Any]]
    ) -> tuple[k8s.core.v1.ServiceAccount, k8s.rbac.v1.Role, k8s.rbac.v1.RoleBinding]:
        """A ServiceAccount ``account`` bound to a Role of the same name holding ``rules``."""
        role_rules: Any = [dict(rule) for rule in rules]
        role_ref: Any = {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": account}
        subjects: Any = [
            {"kind": "ServiceAccount", "name": account, "namespace": self.args.namespace}
        ]
        service_account = k8s.core.v1.ServiceAccount(
            f"{self.name}-sa", metadata=self.metadata(account), opts=self.opts()
        )
        role = k8s.rbac.v1.Role(
            f"{self.name}-role", metadata=self.metadata(account), rules=role_rules, opts=self.opts()
        )
        binding = k8s.rbac.v1.RoleBinding(
            f"{self.name}-rolebinding",
            metadata=self.metadata(account),
            role_ref=role_ref,
            subjects=subjects,
            opts=self.opts(),
        )
        return service_account, role, binding
