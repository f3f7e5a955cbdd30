"""Private DNS: a PrivateZone attached to the platform VPC, with its records."""

from ask_components.dns.config import DnsConfig, DnsRecordConfig
from ask_components.dns.records import DnsRecord, app_cname, configured_records

__all__ = [
    "DnsConfig",
    "DnsRecord",
    "DnsRecordConfig",
    "PrivateDns",
    "PrivateDnsArgs",
    "app_cname",
    "configured_records",
]


def __getattr__(name: str) -> object:
    # The component imports pulumi_alicloud; load it only when asked for.
    if name in ("PrivateDns", "PrivateDnsArgs"):
        from ask_components.dns import dns

        return getattr(dns, name)
    raise AttributeError(name)
