"""Call the pack's policies the way the Pulumi engine does, without starting the pack's server."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from ask_components.policy.model import UNKNOWN_MARK
from ask_components.policy.pack import build_policies
from ask_components.policy.settings import PolicySettings
from ask_components.preview.graph import ResourceGraph


def engine_value(value: Any) -> Any:
    """Inputs as the engine sends them: unknowns as pulumi_policy's sentinel."""
    if isinstance(value, dict):
        return {key: engine_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [engine_value(item) for item in value]
    return UNKNOWN_STRING_VALUE if value == UNKNOWN_MARK else value


def _opts(parent: str | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], parent)


def resource_args(
    node_type: str, name: str, urn: str, inputs: dict[str, Any]
) -> ResourceValidationArgs:
    props = unknown_checking_proxy(engine_value(inputs))
    return ResourceValidationArgs(node_type, props, urn, name, _opts(), None, None)


def stack_args(graph: ResourceGraph) -> StackValidationArgs:
    resources = {
        node.urn: PolicyResource(
            node.type,
            unknown_checking_proxy(engine_value(dict(node.inputs))),
            node.urn,
            node.name,
            _opts(node.parent),
            None,
            None,
            [],
            {},
        )
        for node in graph
    }
    for node in graph:
        resource = resources[node.urn]
        # Half the edges as plain dependencies, half as property dependencies: both count.
        for index, dep in enumerate(node.dependencies):
            if index % 2:
                resource.property_dependencies.setdefault("vpcIds", []).append(resources[dep])
            else:
                resource.dependencies.append(resources[dep])
    return StackValidationArgs(list(resources.values()), None)


def run_pack(
    graph: ResourceGraph, settings: PolicySettings | None = None
) -> list[tuple[str, EnforcementLevel, str, str | None]]:
    """(policy, level, message, urn) of every violation the pack reports over a graph.

    Like the engine, resource policies run once per resource and stack policies once; disabled
    policies do not run.
    """
    reported: list[tuple[str, EnforcementLevel, str, str | None]] = []
    for policy in build_policies(settings):
        level = policy.enforcement_level or EnforcementLevel.ADVISORY
        if level is EnforcementLevel.DISABLED:
            continue

        def report(
            message: str,
            urn: str | None = None,
            *,
            _name: str = policy.name,
            _level: EnforcementLevel = level,
        ) -> None:
            reported.append((_name, _level, message, urn))

        if isinstance(policy, ResourceValidationPolicy):
            for node in graph:
                args = resource_args(node.type, node.name, node.urn, dict(node.inputs))
                policy.validate(args, lambda message, urn=None, _u=node.urn: report(message, _u))
        elif isinstance(policy, StackValidationPolicy):
            policy.validate(stack_args(graph), report)
    return reported
