"""``Platform``: a whole ASK platform from one ``PlatformConfig`` (``ask:index:Platform``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi

from ask_components.config import PlatformConfig
from ask_components.ingress.base import AlbIngressBase
from ask_components.ingress.expose import exposed_app_records
from ask_components.targets import (
    Controllers,
    build_controllers,
    build_dns,
    build_foundation,
    build_ingress,
)

if TYPE_CHECKING:
    from ask_components.workloads.build import Workloads


class Platform(pulumi.ComponentResource):
    """Network, cluster (and, as configured, ingress, DNS and workloads) of one stack.

    Outputs:
        vpc_id: the VPC id.
        vswitch_ids: the vSwitch ids, in zone order.
        zone_ids: the zones.
        nat_gateway_ids: the NAT gateway ids.
        egress_ips: the egress public IPs.
        cluster_id: the cluster id.
        kubeconfig: the cluster's kubeconfig, a secret.
        workloads: kind -> workload name -> the ECI spec its pods are billed as (only when the
            platform has workloads).
        ingress_load_balancer_id: the ALB id (ingress kind alb only; a sandbox id locally).
        ingress_dns_name: the ALB's DNS name (ingress kind alb only).
        private_zone_id: the PrivateZone id (with ``dns`` only).
        private_zone_records: the full names of its records (with ``dns`` only).
    """

    def __init__(
        self,
        name: str,
        config: PlatformConfig,
        opts: pulumi.ResourceOptions | None = None,
        *,
        secrets: Mapping[str, pulumi.Input[str]] | None = None,
    ) -> None:
        """Build the platform.

        Args:
            name: the logical name.
            config: the validated config.
            opts: resource options.
            secrets: full config key (``ask:dbPassword``) -> secret value, for the secrets the
                workloads read; None reads them with ``pulumi.Config("ask").require_secret``.
        """
        super().__init__("ask:index:Platform", name, None, opts)
        self.config = config
        foundation = build_foundation(name, config, self)
        self.foundation = foundation
        self.vpc_id = foundation.vpc_id
        self.vswitch_ids = foundation.vswitch_ids
        self.zone_ids = foundation.zone_ids
        self.nat_gateway_ids = foundation.nat_gateway_ids
        self.egress_ips = foundation.egress_ips
        self.cluster_id = foundation.cluster_id
        self.kubeconfig = foundation.kubeconfig
        self.provider = foundation.provider
        # What serves apps (an AlbIngress, ClbIngress settings, or None), the workloads, then
        # the private zone.
        self.ingress = build_ingress(name, config, self, foundation)
        # What serves the workloads' custom resources (CronHPA, SparkApplication), before them.
        self.controllers: Controllers = build_controllers(name, config, self, foundation)
        self.workloads: Workloads | None = None
        if any(True for _ in config.workloads.all()):
            from ask_components.workloads.build import build_workloads

            values = secrets if secrets is not None else read_workload_secrets(config)
            self.workloads = build_workloads(
                config,
                foundation.provider,
                self,
                values,
                ingress=self.ingress,
                runtime=foundation.pod_runtime,
                controllers=self.controllers,
            )
        app_records = (
            exposed_app_records(self.ingress, self.workloads.apps.values())
            if self.workloads is not None and self.ingress is not None
            else []
        )
        self.dns = build_dns(name, config, self, foundation, app_records, self.ingress)
        self.register_outputs(self.outputs())

    def outputs(self) -> dict[str, Any]:
        """The platform's outputs by name (what ``__main__.py`` exports)."""
        outputs: dict[str, Any] = {
            "vpc_id": self.vpc_id,
            "vswitch_ids": self.vswitch_ids,
            "zone_ids": self.zone_ids,
            "nat_gateway_ids": self.nat_gateway_ids,
            "egress_ips": self.egress_ips,
            "cluster_id": self.cluster_id,
            "kubeconfig": self.kubeconfig,
            **({"workloads": self.workloads.billed_specs()} if self.workloads else {}),
        }
        if isinstance(self.ingress, AlbIngressBase):
            outputs["ingress_load_balancer_id"] = self.ingress.load_balancer_id
            outputs["ingress_dns_name"] = self.ingress.dns_name
        if self.dns is not None:
            outputs["private_zone_id"] = self.dns.zone_id
            outputs["private_zone_records"] = self.dns.record_names
        return outputs


def read_workload_secrets(config: PlatformConfig) -> dict[str, pulumi.Output[str]]:
    """The secrets the workloads read, as secret Outputs, by full config key.

    ``platform_config_from_pulumi`` has checked that each is set and is a secret.
    """
    result: dict[str, pulumi.Output[str]] = {}
    for _, key in config.workloads.secret_config_keys():
        namespace, _, name = key.partition(":")
        result[key] = pulumi.Config(namespace).require_secret(name)
    return result
