"""The least-privilege RAM policy for a stack, from what its offline preview registers.

Pure: a ResourceGraph in, a ``RamPolicy`` out. The actions come from the rows of
:mod:`ask_components.deploy.ram` for exactly the ``alicloud:*`` types the graph holds (and the
invokes those types imply), so a policy cannot drift from the program: a resource type without
a row is an error naming it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ask_components.deploy.ram import IMPLIED_INVOKES, ROWS_BY_TOKEN, RamRow
from ask_components.errors import InputError
from ask_components.preview.graph import ResourceGraph

POLICY_VERSION = "1"
"""The only policy language version RAM has ("Version: Specifies the policy version number.
It is fixed at 1", https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/
developer-reference/api-cs-2015-12-15-ram)."""

MAX_POLICY_CHARS = 6144
"""RAM refuses a policy document longer than this ("The document must be 1 to 6,144 characters
in length", CreatePolicy, https://alibabacloud.com/help/en/resource-management/api-createpolicy)."""

SERVICE_LINKED_ROLE_ACTION = "ram:CreateServiceLinkedRole"

CLOUD_PREFIX = "alicloud:"
"""Type tokens of Alibaba Cloud resources and invokes."""


@dataclass(frozen=True)
class Statement:
    """One ``Allow`` statement: the actions of one RamCode on every resource.

    ``Resource`` is ``*``: nothing the first ``up`` creates has an id (or ARN) before it exists,
    and narrowing by tag conditions is not documented for every action used here.

    Attributes:
        ram_code: the actions' prefix (``vpc``, ``cs``, ...).
        actions: the actions, sorted.
        service_names: for ``ram:CreateServiceLinkedRole``, the ``ram:ServiceName`` values it
            is limited to (empty for other statements).
    """

    ram_code: str
    actions: tuple[str, ...]
    service_names: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The statement as RAM policy JSON."""
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Action": list(self.actions),
            "Resource": "*",
        }
        if self.service_names:
            statement["Condition"] = {"StringEquals": {"ram:ServiceName": list(self.service_names)}}
        return statement


@dataclass(frozen=True)
class RamPolicy:
    """The RAM policy a deployer of one stack needs.

    Attributes:
        stack: the stack it was made for.
        rows: the table rows it was made from (resource types, then invokes), by token.
        statements: one statement per RamCode, by RamCode.
    """

    stack: str
    rows: tuple[RamRow, ...]
    statements: tuple[Statement, ...]

    def document(self) -> dict[str, Any]:
        """The RAM policy document."""
        return {
            "Version": POLICY_VERSION,
            "Statement": [statement.to_dict() for statement in self.statements],
        }

    def to_json(self) -> str:
        """The document as the committed ``docs/ram/<stack>.json`` holds it (ends in a newline)."""
        return json.dumps(self.document(), indent=2) + "\n"


def cloud_tokens(graph: ResourceGraph) -> tuple[str, ...]:
    """The Alibaba Cloud resource types a graph registers, sorted (providers excluded)."""
    return tuple(sorted({node.type for node in graph if node.type.startswith(CLOUD_PREFIX)}))


def ram_policy(graph: ResourceGraph) -> RamPolicy:
    """The least-privilege RAM policy for deploying, updating and destroying a graph.

    Raises:
        InputError: the graph registers no Alibaba Cloud resource, or a type that has no row
            in ``ask_components/deploy/ram.py`` (each such type named).
    """
    types = cloud_tokens(graph)
    if not types:
        raise InputError(
            f"stack {graph.stack} registers no Alibaba Cloud resources "
            "(a local-target stack?): it needs no RAM policy"
        )
    unknown = [token for token in types if token not in ROWS_BY_TOKEN]
    if unknown:
        raise InputError(
            f"stack {graph.stack} registers {', '.join(unknown)}, which "
            "ask_components/deploy/ram.py has no RAM actions for: add a row with the API calls "
            "of its Terraform resource"
        )
    invokes = sorted({invoke for token in types for invoke in IMPLIED_INVOKES.get(token, ())})
    rows = tuple(ROWS_BY_TOKEN[token] for token in (*types, *invokes))
    return RamPolicy(stack=graph.stack, rows=rows, statements=statements_for(rows))


def statements_for(rows: Iterable[RamRow]) -> tuple[Statement, ...]:
    """One statement per RamCode for the rows' actions, and one for their service-linked roles."""
    by_code: dict[str, set[str]] = {}
    service_names: set[str] = set()
    for row in rows:
        for action in row.actions:
            by_code.setdefault(action.split(":", 1)[0], set()).add(action)
        service_names.update(role.service_name for role in row.service_linked_roles)
    statements = [Statement(code, tuple(sorted(actions))) for code, actions in by_code.items()]
    if service_names:
        statements.append(
            Statement("ram", (SERVICE_LINKED_ROLE_ACTION,), tuple(sorted(service_names)))
        )
    return tuple(sorted(statements, key=lambda statement: statement.ram_code))
