"""Private DNS: a PrivateZone attached to the platform VPC, with its records; on the local
target, sandbox stand-ins whose records the kind cluster's CoreDNS answers."""

from importlib import import_module

from ask_components.dns.config import DnsConfig, DnsRecordConfig
from ask_components.dns.coredns import LocalZone
from ask_components.dns.records import DnsRecord, app_cname, configured_records

__all__ = [
    "CorednsZones",
    "DnsConfig",
    "DnsRecord",
    "DnsRecordConfig",
    "LocalPrivateDns",
    "LocalPrivateDnsArgs",
    "LocalZone",
    "PrivateDns",
    "PrivateDnsArgs",
    "app_cname",
    "configured_records",
]

_LAZY = {
    # The components import pulumi (and pulumi_alicloud); load them only when asked for.
    "PrivateDns": "ask_components.dns.dns",
    "PrivateDnsArgs": "ask_components.dns.dns",
    "LocalPrivateDns": "ask_components.dns.local",
    "LocalPrivateDnsArgs": "ask_components.dns.local",
    "CorednsZones": "ask_components.dns.coredns_provider",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(import_module(module), name)
