"""The output contract both private-DNS realisations share: ``PrivateDns`` in the cloud,
``LocalPrivateDns`` on the local target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from ask_components.dns.names import fqdn
from ask_components.dns.records import DnsRecord

DNS_OUTPUT_KEYS = ("zone_id", "zone_name", "record_names")
"""The outputs every private-DNS component sets and registers."""


class PrivateDnsOutputs(pulumi.ComponentResource):
    """A private zone with its records, whichever way it is realised.

    Outputs:
        zone_id: the zone id.
        zone_name: the zone name.
        record_names: the full name of every record, in order (``web.shop.internal``).
    """

    zone_id: pulumi.Output[str]
    zone_name: pulumi.Output[str]
    record_names: pulumi.Output[list[str]]

    def _register_dns_outputs(
        self, *, zone_id: pulumi.Input[str], zone_name: str, records: Sequence[DnsRecord[Any]]
    ) -> None:
        """Set the outputs from the zone's id and the records, and register them."""
        self.zone_id = pulumi.Output.from_input(zone_id)
        self.zone_name = pulumi.Output.from_input(zone_name)
        self.record_names = pulumi.Output.from_input(
            [fqdn(record.rr, zone_name) for record in records]
        )
        self.register_outputs({key: getattr(self, key) for key in DNS_OUTPUT_KEYS})
