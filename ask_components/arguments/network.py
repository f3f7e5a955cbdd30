"""``NetworkArgs`` checked with the stack file's ``network`` rules (``NetworkConfig``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from ask_components.arguments import check_arguments, plain, region_problems, valid_region
from ask_components.config import NetworkConfig

if TYPE_CHECKING:
    from ask_components.network.network import NetworkArgs

DEFAULT_EIP_BANDWIDTH_MBPS = 100
"""Peak bandwidth of each egress EIP. Billed by traffic, so the cap costs nothing by itself."""


class NetworkArguments(NetworkConfig):
    """The arguments of a ``Network``: the stack file's ``network`` keys and rules, and what only
    a program sets (the cloud names' prefix, the EIP bandwidth, tags, the region)."""

    region: str | None = Field(
        None,
        description="Alibaba region of the zones (cn-hangzhou); zones of another region are "
        "refused. Not checked when unset.",
    )
    name_prefix: str | None = Field(
        None,
        min_length=1,
        description="Prefix of the cloud names (<prefix>-vpc); default: the component name.",
    )
    eip_bandwidth_mbps: int = Field(
        DEFAULT_EIP_BANDWIDTH_MBPS,
        ge=1,
        description="Peak bandwidth (Mbit/s) of each egress EIP, billed by traffic.",
    )
    tags: dict[str, str] = Field(default_factory=dict, description="Tags on every cloud resource.")

    @field_validator("region")
    @classmethod
    def _region(cls, region: str | None) -> str | None:
        for _, message in region_problems(region) if region is not None else ():
            raise ValueError(message)
        return region


def check_network(name: str, args: NetworkArgs, *, component: str = "Network") -> None:
    """Raise one ``ArgumentError`` for everything wrong with ``args`` (see the module docs)."""
    # The local target's arguments add where its store is (SandboxNetworkArgs.sandbox_state).
    document: dict[str, Any] = {
        key: value for key, value in plain(args).items() if key in NetworkArguments.model_fields
    }
    check_arguments(
        component,
        name,
        NetworkArguments,
        document,
        context={"region": valid_region(args.region), "region_key": "region"},
    )
