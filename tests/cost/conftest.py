"""Builders shared by the cost tests: graphs of hand-made nodes, priced in one call."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ask_components.cost.estimate import Estimate, ResourceCost, estimate
from ask_components.cost.usage import NO_USAGE, Usage, parse_usage
from ask_components.preview.graph import ResourceGraph, ResourceNode

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SHARED_FIXTURES = HERE.parents[1] / ".." / "shared" / "fixtures" / "pulumi-json"


def node(
    type_token: str,
    name: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    custom: bool = True,
    parent: str | None = None,
    provider: str | None = None,
) -> ResourceNode:
    """A node with a URN in the test stack ``dev`` of project ``p``."""
    return ResourceNode(
        urn=f"urn:pulumi:dev::p::{type_token}::{name}",
        type=type_token,
        name=name,
        custom=custom,
        parent=parent,
        provider=provider,
        inputs=dict(inputs or {}),
    )


def graph(*nodes: ResourceNode) -> ResourceGraph:
    """A graph of the given nodes."""
    return ResourceGraph("p", "dev", tuple(nodes))


def usage(document: Mapping[str, Any] | None) -> Usage:
    """A usage file from a dict (None: no usage)."""
    return NO_USAGE if document is None else parse_usage(document, "test usage")


def price_one(
    resource: ResourceNode,
    *,
    region: str = "cn-hangzhou",
    site: str | None = None,
    usage_doc: Mapping[str, Any] | None = None,
    extra: tuple[ResourceNode, ...] = (),
) -> ResourceCost:
    """The cost of ``resource`` (priced in a graph with ``extra`` nodes)."""
    result = estimate(
        graph(resource, *extra),
        region=region,
        site=site,  # type: ignore[arg-type]
        usage=usage(usage_doc),
    )
    return result.resources[0]


def run(resources: tuple[ResourceNode, ...], **kwargs: Any) -> Estimate:
    """Estimate a graph of ``resources``."""
    return estimate(graph(*resources), **kwargs)


def lines(cost: ResourceCost) -> dict[str, Decimal | None]:
    """Line name to monthly cost."""
    return {line.name: line.monthly_cost for line in cost.lines}


def cents(amount: Decimal | None) -> Decimal:
    """An amount rounded to the cent (half up), as shown."""
    from ask_components.cost.model import round_money

    assert amount is not None
    return round_money(amount)


def pod_template(
    cpu: str | None = "2",
    memory: str | None = "4Gi",
    *,
    annotations: Mapping[str, str] | None = None,
    kind: str = "limits",
) -> dict[str, Any]:
    """A pod template with one container sized by ``kind`` (limits or requests)."""
    resources: dict[str, Any] = {}
    if cpu is not None or memory is not None:
        values = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
        resources = {kind: values}
    template: dict[str, Any] = {
        "spec": {"containers": [{"name": "app", "image": "nginx", "resources": resources}]}
    }
    if annotations:
        template["metadata"] = {"annotations": dict(annotations)}
    return template


def deployment(
    name: str = "web", replicas: int | None = 1, *, namespace: str | None = None, **template: Any
) -> ResourceNode:
    """A Deployment of ``replicas`` pods of ``pod_template(**template)``."""
    spec: dict[str, Any] = {"template": pod_template(**template)}
    if replicas is not None:
        spec["replicas"] = replicas
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    return node("kubernetes:apps/v1:Deployment", name, {"metadata": metadata, "spec": spec})


@pytest.fixture
def shared_fixture() -> Any:
    """The path of a real Pulumi JSON sample in shared/fixtures (skips when absent)."""

    def get(name: str) -> Path:
        path = SHARED_FIXTURES / name
        if not path.exists():
            pytest.skip(f"shared fixture {name} is not here")
        return path

    return get


class JsonHandler(BaseHTTPRequestHandler):
    """A quiet request handler of the fake APIs on 127.0.0.1 that answers JSON."""

    def log_message(self, *args: object) -> None:
        pass

    def answer(self, status: int, payload: Any) -> None:
        """Send ``payload`` as a JSON answer with ``status``."""
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self) -> bytes:
        """The request's body."""
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


def start_server(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    """A threaded server of ``handler`` on a free port of 127.0.0.1, and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def priced_diff(sides: Any, region: str = "eu-west-1") -> Any:
    """The cost diff of a ``pulumi preview --json``'s two sides, with its steps' ops."""
    from ask_components.cost.diff import diff

    return diff(
        estimate(sides.before, region=region),
        estimate(sides.after, region=region),
        ops={step.urn: step.op for step in sides.steps},
        before_graph=sides.before,
        after_graph=sides.after,
    )


def assert_nothing_priced(sides: Any) -> None:
    """Both sides of an AWS preview: read whole, every resource free or not supported."""
    for side in (sides.before, sides.after):
        result = estimate(side, region="eu-west-1")
        assert result.total == 0
        assert result.coverage.estimated == 0
        assert all(t.startswith("aws:") for t, _ in result.coverage.unsupported_types)
        assert result.coverage.unsupported + result.coverage.free == len(side)
