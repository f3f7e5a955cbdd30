"""The platform network: VPC, vSwitches over several zones, NAT egress."""

from ask_components.network.cidr import NetworkPlan, VSwitchPlan, plan_vswitches

__all__ = ["Network", "NetworkArgs", "NetworkPlan", "VSwitchPlan", "plan_vswitches"]


def __getattr__(name: str) -> object:
    # The component imports pulumi_alicloud; load it only when asked for.
    if name in ("Network", "NetworkArgs"):
        from ask_components.network import network

        return getattr(network, name)
    raise AttributeError(name)
