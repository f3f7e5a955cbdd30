"""A sandbox in a temporary store, and helpers that call the providers directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import CreateResult

from ask_components.sandbox.alb import AlbProvider
from ask_components.sandbox.nat import EipProvider, NatGatewayProvider
from ask_components.sandbox.pvtz import PrivateZoneProvider, ZoneRecordProvider
from ask_components.sandbox.store import SandboxRecord, SandboxStore
from ask_components.sandbox.vpc import VpcProvider, VSwitchProvider


class Sandbox:
    """Creates stand-ins through their providers, as Pulumi would, in one store."""

    def __init__(self, state: str) -> None:
        self.state = state

    def props(self, **inputs: Any) -> dict[str, Any]:
        # Pulumi adds the pickled provider; the providers must ignore it.
        return {"sandbox_state": self.state, "__provider": "<pickle>", **inputs}

    def vpc(self, cidr: str = "10.0.0.0/16", **inputs: Any) -> CreateResult:
        return VpcProvider().create(
            self.props(cidr_block=cidr, region="cn-hangzhou", vpc_name="shop-vpc", **inputs)
        )

    def vswitch(
        self, vpc_id: str, cidr: str, zone: str = "cn-hangzhou-i", **inputs: Any
    ) -> CreateResult:
        return VSwitchProvider().create(
            self.props(vpc_id=vpc_id, cidr_block=cidr, zone_id=zone, **inputs)
        )

    def nat(self, vpc_id: str, vswitch_id: str, **inputs: Any) -> CreateResult:
        base = {
            "nat_type": "Enhanced",
            "network_type": "internet",
            "payment_type": "PayAsYouGo",
            "internet_charge_type": "PayByLcu",
        }
        return NatGatewayProvider().create(
            self.props(vpc_id=vpc_id, vswitch_id=vswitch_id, **{**base, **inputs})
        )

    def eip(self, **inputs: Any) -> CreateResult:
        base = {"bandwidth": "100", "internet_charge_type": "PayByTraffic", "isp": "BGP"}
        return EipProvider().create(self.props(**{**base, **inputs}))

    def alb(self, vpc_id: str, mappings: list[tuple[str, str]], **inputs: Any) -> CreateResult:
        base = {"address_type": "Internet", "load_balancer_edition": "Standard"}
        return AlbProvider().create(
            self.props(
                vpc_id=vpc_id,
                zone_mappings=[{"vswitch_id": vsw, "zone_id": zone} for vsw, zone in mappings],
                **{**base, **inputs},
            )
        )

    def zone(self, name: str = "shop.internal", **inputs: Any) -> CreateResult:
        return PrivateZoneProvider().create(self.props(zone_name=name, **inputs))

    def record(self, zone_id: str, rr: str, kind: str, value: str, **inputs: Any) -> CreateResult:
        return ZoneRecordProvider().create(
            self.props(zone_id=zone_id, rr=rr, type=kind, value=value, **inputs)
        )

    def network(self) -> tuple[str, str, str]:
        """A VPC 10.0.0.0/16 with vSwitches in zones i (10.0.0.0/19) and j (10.0.32.0/19)."""
        vpc = self.vpc()
        first = self.vswitch(vpc.id, "10.0.0.0/19", "cn-hangzhou-i")
        second = self.vswitch(vpc.id, "10.0.32.0/19", "cn-hangzhou-j")
        return vpc.id, first.id, second.id

    def records(self, type_name: str | None = None) -> list[SandboxRecord]:
        with SandboxStore(self.state) as store:
            return store.list(type_name)

    def get(self, resource_id: str) -> SandboxRecord | None:
        with SandboxStore(self.state) as store:
            return store.get(resource_id)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(str(tmp_path / "sandbox" / "state.db"))
