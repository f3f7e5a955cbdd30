"""The platform network: VPC, vSwitches over several zones, NAT egress."""

from ask_components.network.cidr import NetworkPlan, VSwitchPlan, plan_vswitches

__all__ = [
    "Network",
    "NetworkArgs",
    "NetworkPlan",
    "SandboxNetwork",
    "SandboxNetworkArgs",
    "VSwitchPlan",
    "plan_vswitches",
]


def __getattr__(name: str) -> object:
    # The components import pulumi_alicloud / the sandbox provider; load them only when asked for.
    if name in ("Network", "NetworkArgs"):
        from ask_components.network import network

        return getattr(network, name)
    if name in ("SandboxNetwork", "SandboxNetworkArgs"):
        from ask_components.network import sandbox

        return getattr(sandbox, name)
    raise AttributeError(name)
