"""``LocalPrivateDns``: the local target's ``PrivateDns`` (``ask:dns:LocalPrivateDns``).

Same records, same logical names and the same outputs as ``PrivateDns``, made of sandbox
stand-ins (``SandboxPrivateZone`` attached to the sandbox VPC, a ``SandboxZoneRecord`` per record,
refused where Alibaba would refuse) plus what the cloud does by itself: the records really
resolve inside the kind cluster, because ``CorednsZones`` adds the zone to the cluster's CoreDNS
(see ``coredns.py`` for how it answers, and docs/local-target.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from ask_components.arguments.dns import check_dns
from ask_components.dns import describe as _describe
from ask_components.dns.coredns import LocalZone, owner_token, server_blocks
from ask_components.dns.coredns_provider import CorednsZones
from ask_components.dns.outputs import PrivateDnsOutputs
from ask_components.dns.records import DnsRecord, with_keys
from ask_components.sandbox.pvtz import SandboxPrivateZone, SandboxZoneRecord

_describe.register()


@dataclass
class LocalPrivateDnsArgs:
    """Arguments of a ``LocalPrivateDns``.

    Attributes:
        zone_name: the zone (``shop.internal``).
        vpc_id: the one sandbox VPC the zone is attached to.
        kube_context: the kubectl context of the kind cluster whose CoreDNS answers the zone.
        sandbox_state: the sandbox store file, relative to where the provider runs (the project).
        records: the records (``configured_records``, ``app_cname``); values may be Outputs.
        addresses: names outside the zone -> IPv4 addresses inside the cluster, so that CNAMEs
            to them are answered with addresses (the sandbox ALB's DNS name -> the ClusterIP in
            front of ingress-nginx). A mapping, or an Output of one when the names are known
            only later (the ALB's DNS name is). Empty by default: such CNAMEs are answered as
            written.
        region: accepted for parity with ``PrivateDnsArgs``; the sandbox folds the attachment
            into the zone and checks the VPC by id, so the region is not used.
        remark: the zone's remark.
        tags: tags on the zone.
    """

    zone_name: str
    vpc_id: pulumi.Input[str]
    kube_context: pulumi.Input[str]
    sandbox_state: str
    records: Sequence[DnsRecord[pulumi.Input[str]]] = ()
    addresses: pulumi.Input[Mapping[str, pulumi.Input[str]]] = field(default_factory=dict)
    region: str | None = None
    remark: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


class LocalPrivateDns(PrivateDnsOutputs):
    """A sandbox private zone for one VPC, with its records, answered by the cluster's CoreDNS.

    Outputs (those of ``PrivateDns``):
        zone_id: the sandbox zone id (32 hex characters).
        zone_name: the zone name.
        record_names: the full name of every record, in order (``web.shop.internal``).
    """

    def __init__(
        self, name: str, args: LocalPrivateDnsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_dns("LocalPrivateDns", name, args.zone_name, args.records)
        records = with_keys(args.records)
        _check_known_values(args.zone_name, records, args.addresses)
        super().__init__("ask:dns:LocalPrivateDns", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        state = args.sandbox_state

        self.zone = SandboxPrivateZone(
            f"{name}-zone",
            zone_name=args.zone_name,
            vpc_ids=[args.vpc_id],
            remark=args.remark,
            tags=dict(args.tags),
            sandbox_state=state,
            opts=child,
        )
        self.records: dict[str, SandboxZoneRecord] = {
            str(record.key): SandboxZoneRecord(
                f"{name}-{record.key}",
                zone_id=self.zone.id,
                rr=record.rr,
                type=record.type,
                value=record.value,
                ttl=record.ttl,
                priority=record.priority,
                sandbox_state=state,
                opts=child,
            )
            for record in records
        }
        # Served once the sandbox has accepted every record; removed from CoreDNS first on
        # destroy.
        self.coredns = CorednsZones(
            f"{name}-coredns",
            kube_context=args.kube_context,
            owner=owner_token(args.zone_name, name),
            zones=_zones_input(args.zone_name, records),
            addresses=args.addresses,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(self.records.values())),
        )
        self._register_dns_outputs(zone_id=self.zone.id, zone_name=args.zone_name, records=records)


def _zones_input(
    zone_name: str, records: Sequence[DnsRecord[pulumi.Input[str]]]
) -> pulumi.Output[list[dict[str, Any]]]:
    """The ``zones`` input of ``CorednsZones``, once every record value is known."""

    def wire(values: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "name": zone_name,
                "records": [
                    {
                        "rr": record.rr,
                        "type": record.type,
                        "value": value,
                        "ttl": record.ttl,
                        "priority": record.priority,
                    }
                    for record, value in zip(records, values, strict=True)
                ],
            }
        ]

    return pulumi.Output.all(*[record.value for record in records]).apply(wire)


def _check_known_values(
    zone_name: str,
    records: Sequence[DnsRecord[pulumi.Input[str]]],
    addresses: pulumi.Input[Mapping[str, pulumi.Input[str]]],
) -> None:
    """Render the zone now when every value is already known, so a zone CoreDNS cannot serve
    (a CNAME loop, a CNAME beside other records) fails before anything is registered."""
    if not isinstance(addresses, Mapping):
        return  # checked by the provider once the values are known
    values = [record.value for record in records]
    if not all(isinstance(value, str) for value in [*values, *addresses.values()]):
        return
    known: list[DnsRecord[str]] = [
        DnsRecord(r.rr, r.type, str(r.value), r.ttl, r.priority, r.key) for r in records
    ]
    server_blocks(
        [LocalZone(zone_name, tuple(known))],
        {key: str(value) for key, value in addresses.items()},
    )
