"""``ServerlessApp``: a long-running service on ECI (``ask:workloads:ServerlessApp``).

Deployment + ClusterIP Service, an HPA on CPU when autoscaled, ACK's CronHPA for scheduled
scaling, a PodDisruptionBudget once two or more replicas run, HTTP probes. Each pod is an ECI
instance of the spec its CPU and memory round to; the pod template says so in
``k8s.aliyun.com/eci-use-specs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pulumi
import pulumi_kubernetes as k8s

from ask_components.ingress.base import AlbIngressBase
from ask_components.ingress.config import ExposeConfig
from ask_components.ingress.expose import ClbIngress, ExposedApp, Exposure, expose_app
from ask_components.workloads import describe as _describe  # registers the preview describers
from ask_components.workloads._base import PodArgs, WorkloadChildren
from ask_components.workloads.cron import to_time_zone
from ask_components.workloads.pod import (
    PodSizing,
    container,
    env_vars,
    manifest,
    pod_spec,
    selector,
)

__all__ = [
    "CRONHPA_API_VERSION",
    "CRONHPA_KIND",
    "Autoscale",
    "HttpProbe",
    "ScheduledScaling",
    "ServerlessApp",
    "ServerlessAppArgs",
]

_ = _describe

CRONHPA_API_VERSION: Final = "autoscaling.alibabacloud.com/v1beta1"
CRONHPA_KIND: Final = "CronHorizontalPodAutoscaler"
"""ACK's CronHPA (https://github.com/AliyunContainerService/kubernetes-cronhpa-controller); the
ack-kubernetes-cronhpa-controller add-on must be installed in the cluster."""

DEFAULT_TARGET_CPU_PERCENT: Final = 70
"""HPA target: average CPU at 70% of the pod's spec leaves room for a burst while new ECI pods
start (tens of seconds)."""


@dataclass(frozen=True)
class Autoscale:
    """A HorizontalPodAutoscaler on CPU.

    Attributes:
        min: fewest replicas.
        max: most replicas.
        target_cpu_percent: the average CPU use, in % of the pod's spec, to scale at.
    """

    min: int
    max: int
    target_cpu_percent: int = DEFAULT_TARGET_CPU_PERCENT


@dataclass(frozen=True)
class ScheduledScaling:
    """One CronHPA job: from ``schedule`` on, the HPA keeps at least ``target_size`` replicas.

    Attributes:
        name: the job name, unique within the app.
        schedule: 6-field cron, seconds first (``"0 0 8 * * 1-5"``), in the app's
            ``schedule_time_zone``.
        target_size: the replica floor from then on.
        run_once: run once, then never again.
    """

    name: str
    schedule: str
    target_size: int
    run_once: bool = False


@dataclass(frozen=True)
class HttpProbe:
    """An HTTP GET probe.

    Attributes:
        path: the path, e.g. ``/healthz``.
        port: the port; the container's port when None.
        initial_delay_seconds: seconds before the first probe.
        period_seconds: seconds between probes.
        timeout_seconds: seconds before a probe times out.
        failure_threshold: failures in a row that count.
    """

    path: str
    port: int | None = None
    initial_delay_seconds: int = 0
    period_seconds: int = 10
    timeout_seconds: int = 1
    failure_threshold: int = 3

    def manifest(self, default_port: int) -> dict[str, Any]:
        """The probe as a container field."""
        return {
            "httpGet": {"path": self.path, "port": self.port or default_port},
            "initialDelaySeconds": self.initial_delay_seconds,
            "periodSeconds": self.period_seconds,
            "timeoutSeconds": self.timeout_seconds,
            "failureThreshold": self.failure_threshold,
        }


@dataclass(kw_only=True)
class ServerlessAppArgs(PodArgs):
    """Arguments of a ``ServerlessApp`` (and every ``PodArgs`` field).

    Attributes:
        port: the port the container listens on.
        service_port: the ClusterIP Service's port (to ``port``).
        replicas: the fixed replica count; ignored with ``autoscale``.
        autoscale: an HPA on CPU; None runs ``replicas`` pods.
        schedules: CronHPA jobs (need ``autoscale``: they move the HPA's floor).
        schedule_time_zone: the zone ``schedules`` are written in; the controller's when None.
        controller_time_zone: the zone the CronHPA controller runs schedules in (it has no
            per-object time zone; schedules are moved into it).
        readiness: the readiness probe; none when None.
        liveness: the liveness probe; none when None.
        expose: serve the app through ``ingress`` (host, path, public); not exposed when None.
        ingress: the platform's ``AlbIngress`` (``SandboxAlbIngress`` on the local target: the
            app gets an Ingress) or ``ClbIngress`` (its Service becomes a LoadBalancer with the
            CCM annotations); needed with ``expose``.
        private_zone: the private zone; an ALB-exposed app also answers on ``<name>.<zone>``.
    """

    port: int = 8080
    service_port: int = 80
    replicas: int = 1
    autoscale: Autoscale | None = None
    schedules: Sequence[ScheduledScaling] = field(default_factory=tuple)
    schedule_time_zone: str | None = None
    controller_time_zone: str = "UTC"
    readiness: HttpProbe | None = None
    liveness: HttpProbe | None = None
    expose: ExposeConfig | None = None
    ingress: AlbIngressBase | ClbIngress | None = None
    private_zone: str | None = None


class ServerlessApp(pulumi.ComponentResource):
    """A long-running service whose pods are ECI instances.

    Pass the cluster's Kubernetes provider in ``opts`` (``ResourceOptions(provider=...)``).

    Outputs:
        service_name: the Service's name (plain text; known at preview).
        namespace: the namespace.
        billed_spec: the ECI spec each pod is billed as (``"1-2Gi"``).

    Attributes for the layers above (ingress, DNS):
        port: the Service port; target_port: the container port;
        readiness_path: the readiness probe's path, or None;
        exposure: how it is exposed (its Ingress, or its Service's CLB settings), or None.
    """

    service_name: str
    namespace: str
    billed_spec: str
    port: int
    target_port: int
    readiness_path: str | None
    sizing: PodSizing

    def __init__(
        self, name: str, args: ServerlessAppArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ask:workloads:ServerlessApp", name, None, opts)
        if args.schedules and args.autoscale is None:
            raise ValueError(f"{name}: schedules need autoscale (the CronHPA moves the HPA's min)")
        if args.expose is not None and args.ingress is None:
            raise ValueError(f"{name}: expose needs an ingress (an AlbIngress or a ClbIngress)")
        self.sizing = args.size()
        children = WorkloadChildren(self, name, args, "app")
        self.namespace = args.namespace
        self.service_name = name
        self.billed_spec = self.sizing.use_specs_value
        self.port = args.service_port
        self.target_port = args.port
        self.readiness_path = args.readiness.path if args.readiness else None

        extra: dict[str, Any] = {"ports": [{"name": "http", "containerPort": args.port}]}
        if args.readiness is not None:
            extra["readinessProbe"] = args.readiness.manifest(args.port)
        if args.liveness is not None:
            extra["livenessProbe"] = args.liveness.manifest(args.port)
        main = container(
            name=name,
            image=args.image,
            spec=self.sizing.spec,
            security=args.security,
            command=args.command,
            args=args.args,
            env=_env(children),
            extra=extra,
        )
        spec: dict[str, Any] = {"selector": {"matchLabels": selector(name)}}
        if args.autoscale is None:
            spec["replicas"] = args.replicas
        # With an HPA the Deployment states no replica count: every `pulumi up` would otherwise
        # reset the HPA's choice (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling).
        spec["strategy"] = {
            "type": "RollingUpdate",
            # Never below capacity during a rollout; the surge pod is billed only while it runs.
            "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
        }
        spec["template"] = {
            "metadata": children.template_metadata(self.sizing),
            "spec": pod_spec([main], args.security),
        }
        self.deployment = k8s.apps.v1.Deployment(
            f"{name}-deployment",
            metadata=children.metadata(name),
            spec=manifest(spec),
            opts=children.opts(),
        )
        exposed = (
            ExposedApp(
                name=name,
                namespace=args.namespace,
                service_name=name,
                service_port=args.service_port,
                container_port=args.port,
                readiness_path=self.readiness_path,
                readiness_port=args.readiness.port if args.readiness else None,
                expose=args.expose,
            )
            if args.expose is not None
            else None
        )
        self.exposure: Exposure | None = None
        service_metadata = children.metadata(name)
        service_spec: dict[str, Any] = {
            "type": "ClusterIP",
            "selector": selector(name),
            "ports": [
                {
                    "name": "http",
                    "port": args.service_port,
                    "targetPort": args.port,
                    "protocol": "TCP",
                }
            ],
        }
        service_after: list[pulumi.Resource] = []
        if exposed is not None and isinstance(args.ingress, ClbIngress):
            # Its own CLB: the Service turns LoadBalancer and waits for (and, on destroy, goes
            # before) the cluster and network that serve it.
            self.exposure = expose_app(name, exposed, args.ingress)
            clb = self.exposure.service
            assert clb is not None
            service_metadata["annotations"] = clb.annotations
            service_spec = clb.spec(selector(name))
            service_after = clb.depends_on
        self.service = k8s.core.v1.Service(
            f"{name}-service",
            metadata=service_metadata,
            spec=manifest(service_spec),
            opts=children.opts(after=service_after),
        )
        if exposed is not None and isinstance(args.ingress, AlbIngressBase):
            # An Ingress on the shared ALB, after the Service it sends traffic to.
            self.exposure = expose_app(
                name,
                exposed,
                args.ingress,
                children.opts(after=[self.service]),
                private_zone=args.private_zone,
            )
        self.hpa: k8s.autoscaling.v2.HorizontalPodAutoscaler | None = None
        self.cron_hpa: k8s.apiextensions.CustomResource | None = None
        if args.autoscale is not None:
            self.hpa = _hpa(name, args.autoscale, children, cron_driven=bool(args.schedules))
            if args.schedules:
                self.cron_hpa = _cron_hpa(name, args, children)
        min_replicas = args.autoscale.min if args.autoscale is not None else args.replicas
        self.pdb: k8s.policy.v1.PodDisruptionBudget | None = None
        if min_replicas >= 2:
            # One pod may go at a time (ECI maintenance, rollouts): the service never drops to 0.
            self.pdb = k8s.policy.v1.PodDisruptionBudget(
                f"{name}-pdb",
                metadata=children.metadata(name),
                spec=manifest({"minAvailable": 1, "selector": {"matchLabels": selector(name)}}),
                opts=children.opts(),
            )
        self.register_outputs(
            {
                "service_name": self.service_name,
                "namespace": self.namespace,
                "billed_spec": self.billed_spec,
            }
        )


def _env(children: WorkloadChildren) -> list[dict[str, Any]]:
    return env_vars(children.args.env, children.secret_env_names, children.env_secret_name)


BOUNDS_ANNOTATION: Final = "autoscaling.ask-components.io/bounds"
"""On an HPA that a CronHPA drives: the bounds the stack file asks for (``"2-10"``)."""

CRON_DRIVEN_FIELDS: Final = ("spec.minReplicas", "spec.maxReplicas")
"""The HPA fields the CronHPA controller rewrites: it raises ``minReplicas`` to a job's
``targetSize`` (and ``maxReplicas`` when the size is above it) with a plain update
(AliyunContainerService/kubernetes-cronhpa-controller ``pkg/controller/cronjob.go``,
``ScaleHPA``)."""


def _hpa(
    name: str, autoscale: Autoscale, children: WorkloadChildren, *, cron_driven: bool
) -> k8s.autoscaling.v2.HorizontalPodAutoscaler:
    opts = children.opts()
    metadata = children.metadata(name)
    if cron_driven:
        # The controller owns the bounds once the HPA exists: Pulumi ignores them, so a
        # refresh + up never resets the floor mid-day and never meets a server-side-apply
        # conflict (pulumi-kubernetes leaves ignored fields out of its apply). A change of the
        # bounds in the stack file changes this annotation, which replaces the HPA with the new
        # bounds (a replacement is a create, where nothing is ignored).
        metadata["annotations"] = {BOUNDS_ANNOTATION: f"{autoscale.min}-{autoscale.max}"}
        opts = pulumi.ResourceOptions.merge(
            opts,
            pulumi.ResourceOptions(
                ignore_changes=list(CRON_DRIVEN_FIELDS),
                replace_on_changes=[f'metadata.annotations["{BOUNDS_ANNOTATION}"]'],
            ),
        )
    return k8s.autoscaling.v2.HorizontalPodAutoscaler(
        f"{name}-hpa",
        metadata=metadata,
        spec=manifest(
            {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": autoscale.min,
                "maxReplicas": autoscale.max,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {
                                "type": "Utilization",
                                "averageUtilization": autoscale.target_cpu_percent,
                            },
                        },
                    }
                ],
            }
        ),
        opts=opts,
    )


def _cron_hpa(
    name: str, args: ServerlessAppArgs, children: WorkloadChildren
) -> k8s.apiextensions.CustomResource:
    source = args.schedule_time_zone or args.controller_time_zone
    jobs = [
        {
            "name": job.name,
            "schedule": to_time_zone(job.schedule, source=source, target=args.controller_time_zone),
            "targetSize": job.target_size,
            "runOnce": job.run_once,
        }
        for job in args.schedules
    ]
    return k8s.apiextensions.CustomResource(
        f"{name}-cronhpa",
        api_version=CRONHPA_API_VERSION,
        kind=CRONHPA_KIND,
        metadata=children.metadata(name),
        spec=manifest(
            {
                # Aimed at the HPA, not the Deployment: the CronHPA then moves the HPA's floor and
                # the HPA does the scaling from there (https://www.alibabacloud.com/help/en/ack/
                # ack-managed-and-ack-dedicated/user-guide/make-cronhpa-compatible-with-hpa);
                # the HPA leaves its bounds to the controller (see _hpa).
                "scaleTargetRef": {
                    "apiVersion": "autoscaling/v2",
                    "kind": "HorizontalPodAutoscaler",
                    "name": name,
                },
                "jobs": jobs,
            }
        ),
        opts=children.opts(after=children.args.served_by),
    )
