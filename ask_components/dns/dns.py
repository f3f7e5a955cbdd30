"""``PrivateDns``: a PrivateZone resolvable inside the platform VPC only (``ask:dns:PrivateDns``).

A ``pvtz.Zone``, one ``pvtz.ZoneAttachment`` to the platform VPC (and no other: a private zone
attached to a VPC answers for the whole name there, so attaching it wider would hijack those
names elsewhere), and a ``pvtz.ZoneRecord`` per record: the configured ones and one CNAME per
exposed app (``<app>.<zone>`` -> the ALB).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_alicloud as alicloud

from ask_components.dns import describe as _describe
from ask_components.dns.outputs import PrivateDnsOutputs, check_zone_name
from ask_components.dns.records import DnsRecord, with_keys
from ask_components.replacement import child_options

_describe.register()


@dataclass
class PrivateDnsArgs:
    """Arguments of a ``PrivateDns``.

    Attributes:
        zone_name: the zone (``shop.internal``).
        vpc_id: the one VPC the zone is attached to.
        region: the VPC's region; the provider's region when None.
        records: the records (``configured_records``, ``app_cname``).
        remark: the zone's remark in the console.
        tags: tags on the zone.
    """

    zone_name: str
    vpc_id: pulumi.Input[str]
    region: str | None = None
    records: Sequence[DnsRecord[pulumi.Input[str]]] = ()
    remark: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


class PrivateDns(PrivateDnsOutputs):
    """A private zone for one VPC, with its records.

    Outputs:
        zone_id: the zone id.
        zone_name: the zone name.
        record_names: the full name of every record, in order (``web.shop.internal``).
    """

    def __init__(
        self, name: str, args: PrivateDnsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_zone_name(args.zone_name)
        records = with_keys(args.records)
        super().__init__("ask:dns:PrivateDns", name, None, opts)
        self.zone = alicloud.pvtz.Zone(
            f"{name}-zone",
            zone_name=args.zone_name,
            remark=args.remark,
            tags=dict(args.tags),
            opts=child_options(self, "alicloud:pvtz/zone:Zone"),
        )
        self.attachment = alicloud.pvtz.ZoneAttachment(
            f"{name}-vpc",
            zone_id=self.zone.id,
            vpcs=[alicloud.pvtz.ZoneAttachmentVpcArgs(vpc_id=args.vpc_id, region_id=args.region)],
            opts=child_options(self, "alicloud:pvtz/zoneAttachment:ZoneAttachment"),
        )
        self.records: dict[str, alicloud.pvtz.ZoneRecord] = {
            str(record.key): alicloud.pvtz.ZoneRecord(
                f"{name}-{record.key}",
                zone_id=self.zone.id,
                rr=record.rr,
                type=record.type,
                value=record.value,
                ttl=record.ttl,
                priority=record.priority,
                opts=child_options(self, "alicloud:pvtz/zoneRecord:ZoneRecord"),
            )
            for record in records
        }
        self._register_dns_outputs(zone_id=self.zone.id, zone_name=args.zone_name, records=records)
