"""Generated inputs for every cost reader (issue #16): thousands of documents, zero tracebacks.

Each document is a valid one (the prod and dev stacks' offline previews written the way
``pulumi preview --json``, ``pulumi stack export`` and a DIY-backend checkpoint write them, a usage
file with every key, a price book) with one to three mutations at random places: a value of
another type, a number out of range, a string that looks like a number, an unknown, a Pulumi
wire sentinel, a deleted key, a value nested deeper than any manifest. Each is read and priced
the way ``askc cost`` reads and prices it. An input error (exit 2) is a fine answer; anything
else (a traceback) fails the test, and so does a negative cost.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ask_components.backend.checkpoint import decode_checkpoint
from ask_components.cost.catalog import load_price_book
from ask_components.cost.estimate import Estimate, estimate
from ask_components.cost.resources import PRICERS
from ask_components.cost.sources import read_preview_json, read_state, state_from_document
from ask_components.cost.usage import load_usage, parse_usage
from ask_components.errors import AskError
from ask_components.preview.engine import run_preview
from ask_components.preview.graph import ResourceGraph
from ask_components.preview.wire import OUTPUT_SIG, RESOURCE_REF_SIG, SECRET_SIG, SIG_KEY
from tests.conftest import PROJECT_ROOT

Path_ = tuple[str | int, ...]


def _platform_graph() -> ResourceGraph:
    """One resource of each type of the prod and dev stacks (dev adds a CLB Service), and every
    Deployment and HPA (replicas come from either): every pricer, in a graph small enough to
    fuzz fast."""
    prod = run_preview(PROJECT_ROOT, "prod")
    dev = run_preview(PROJECT_ROOT, "dev")
    seen: set[str] = set()
    nodes = []
    every = ("pulumi:", "kubernetes:apps/v1:Deployment", "kubernetes:autoscaling/v2:")
    for node in prod.resources + dev.resources:
        if node.type not in seen or node.type.startswith(every):
            seen.add(node.type)
            nodes.append(node)
    return ResourceGraph(prod.project, prod.stack, tuple(nodes), prod.outputs)


GRAPH = _platform_graph()


def _state(node: Any) -> dict[str, Any]:
    return {
        "urn": node.urn,
        "custom": node.custom,
        "type": node.type,
        "parent": node.parent or "",
        "provider": node.provider or "",
        "dependencies": list(node.dependencies),
        "inputs": {**node.inputs, "__defaults": []},
    }


PREVIEW = {
    "config": {"alicloud:region": "cn-hangzhou", "ask:pricing": '{"site":"china"}'},
    # Every third step an update (both states), the others creates (the new state only).
    "steps": [
        {"op": "update", "urn": n.urn, "oldState": _state(n), "newState": _state(n),
         "diffReasons": ["spec"], "detailedDiff": None}
        if i % 3 == 0
        else {"op": "create", "urn": n.urn, "newState": _state(n), "detailedDiff": None}
        for i, n in enumerate(GRAPH.resources)
    ],
    "duration": 1_000_000,
    "changeSummary": {"create": len(GRAPH.resources)},
}  # fmt: skip
CHECKPOINT = {
    "version": 3,
    "checkpoint": {
        "stack": "organization/ask-platform/prod",
        "latest": {
            "manifest": {"time": "2026-01-01T00:00:00Z", "magic": "m", "version": "v3.200.0"},
            "resources": [_state(n) for n in GRAPH.resources],
        },
    },
}
EXPORT = {"version": 3, "deployment": CHECKPOINT["checkpoint"]["latest"]}  # type: ignore[index]
USAGE = {
    "version": 0.1,
    "resource_type_default_usage": {
        pricer.types[0]: {key.name: 1 for key in pricer.usage_keys}
        for pricer in PRICERS
        if pricer.types and pricer.usage_keys
    },
    "resource_usage": {n.name: {"average_replicas": 2} for n in GRAPH.resources[:3]},
}
PRICE_BOOK = {
    "site": "china",
    "prices": {
        "alb.lcu": {
            "default": {"price": "0.0056", "source": "https://example.com/c", "retrieved": "2026-11-01"},
            "regions": {"cn-hangzhou": {"status": "not_found", "note": "ask sales"}},
        },
        "eci.vcpu": {"default": {"price": "0.0000098", "source": "https://example.com/c", "retrieved": "2026-11-01"}},
    },
}  # fmt: skip

# Values that have broken readers before, and the odd ones Pulumi's wire format holds.
_TRICKY: list[Any] = [
    None, True, False, 0, -1, -3, 2**31, 2**63, 10**12, 1e30, -1.5, 0.5, "", " ", "[unknown]",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "NaN", "Infinity", "-4", "abc", "1e999999",
    "1e9999999999", "-1e999999", "1Gi", "-1Gi", "1000000000000Gi", "0.0000001", "sNaN",
    "PayAsYouGo", "urn:pulumi:prod::ask-platform::x::y", {SIG_KEY: SECRET_SIG, "value": "s"},
    {SIG_KEY: RESOURCE_REF_SIG, "urn": "urn:pulumi:prod::p::t::n"}, {SIG_KEY: OUTPUT_SIG},
    {SIG_KEY: OUTPUT_SIG, "value": 3, "secret": True}, [], {}, [1, "a"], {"a": {"b": 1}},
    "@@BIGINT@@",
]  # fmt: skip

BIGINT = "9" * 4400
"""An integer past the 4,300 digits Python's int() reads; neither json nor yaml can write one,
so the documents carry a marker that :func:`_json` and :func:`_yaml` replace by it."""


def _json(document: Any) -> bytes:
    return json.dumps(document, allow_nan=False).replace('"@@BIGINT@@"', BIGINT).encode()


# One folder for the files the readers take, rewritten by each example.
_FOLDER = Path(tempfile.mkdtemp(prefix="askc-fuzz-"))


def _yaml_file(document: Any) -> Path:
    path = _FOLDER / "document.yaml"
    path.write_text(yaml.safe_dump(document).replace("'@@BIGINT@@'", BIGINT))
    return path


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def _values(deepest: int) -> st.SearchStrategy[Any]:
    """Replacement values; ``deepest``: the deepest nesting (YAML's writer recurses, so YAML
    documents get less than JSON ones; the readers refuse both long before)."""
    return st.one_of(
        st.sampled_from(_TRICKY),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=6),
        st.builds(_deep, st.sampled_from([150, deepest])),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=4),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=4), inner, max_size=3)
            ),
            max_leaves=6,
        ),
    )


def _paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _apply(document: Any, path: Path_, op: str, value: Any) -> None:
    parent = document
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return  # an earlier mutation removed the way here
    last = path[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        if op == "delete":
            parent.pop(last, None)
        else:
            parent[last] = value if op == "replace" else {"wrapped": parent.get(last)}
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        if op == "delete":
            del parent[last]
        else:
            parent[last] = value if op == "replace" else [parent[last]]


# What the readers and pricers look at: half of the mutations land on one of these keys.
HOT_KEYS = frozenset(
    {
        "steps", "oldState", "newState", "diffReasons", "urn", "type", "inputs", "dependencies",
        "provider", "parent", "config", "alicloud:region", "version", "checkpoint", "latest",
        "deployment", "resources", "spec", "template", "metadata", "annotations", "containers",
        "limits", "requests", "cpu", "memory", "ephemeral-storage", "replicas", "minReplicas",
        "maxReplicas", "completions", "parallelism", "executor", "driver", "instances", "cores",
        "data", "loadBalancerBillingConfig", "payType", "loadBalancerEdition", "bandwidth",
        "internetChargeType", "natType", "paymentType", "specification", "region", "zoneName",
        "k8s.aliyun.com/eci-extra-ephemeral-storage", "k8s.aliyun.com/eci-use-specs",
        "resource_type_default_usage", "resource_usage", "average_replicas", "run_seconds",
        "monthly_runs", "average_lcu", "monthly_traffic_gb", "spot_discount_percent", "prices",
        "default", "regions", "price", "status", "site",
    }
)  # fmt: skip


def _mutants(base: Any, deepest: int = 600) -> st.SearchStrategy[Any]:
    text = json.dumps(base)
    paths = list(_paths(base))
    hot = [path for path in paths if path[-1] in HOT_KEYS]
    values = _values(deepest)

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        document = json.loads(text)
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "wrap"]))
            path = draw(st.sampled_from(hot if draw(st.booleans()) else paths))
            _apply(document, path, op, draw(values))
        return document

    return build()


def _check(result: Estimate) -> None:
    for resource in result.resources:
        for line in resource.lines:
            assert line.monthly_cost is None or line.monthly_cost >= 0, (resource.name, line)
            assert line.monthly_cost is None or line.monthly_cost.is_finite()
    assert result.total >= 0


def _answers(read: Callable[[], None]) -> None:
    """Run one read-and-price; an AskError (exit 2 and the like) is an answer, not a failure."""
    with contextlib.suppress(AskError):
        read()


FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(document=_mutants(PREVIEW))
def test_preview_json(document: Any) -> None:
    def read() -> None:
        sides = read_preview_json("-", stdin=io.BytesIO(_json(document)))
        before = estimate(sides.before, region="cn-hangzhou")
        after = estimate(sides.after, region="cn-hangzhou")
        _check(before)
        _check(after)

    _answers(read)


@settings(FUZZ, max_examples=300)
@given(document=_mutants(CHECKPOINT))
def test_checkpoint(document: Any) -> None:
    def read() -> None:
        graph = state_from_document(decode_checkpoint(_json(document), "fuzz"), "fuzz")
        _check(estimate(graph, region="cn-hangzhou"))

    _answers(read)


@settings(FUZZ, max_examples=300)
@given(document=_mutants(EXPORT))
def test_stack_export(document: Any) -> None:
    def read() -> None:
        path = _FOLDER / "export.json"
        path.write_bytes(_json(document))
        _check(estimate(read_state(path), region="cn-hangzhou"))

    _answers(read)


@settings(FUZZ, max_examples=500)
@given(document=_mutants(USAGE, deepest=150))
def test_usage_file(document: Any) -> None:
    def read() -> None:
        usage = load_usage(_yaml_file(document))
        _check(estimate(GRAPH, region="cn-hangzhou", usage=usage))

    _answers(read)


@settings(FUZZ, max_examples=500)
@given(document=_mutants(PRICE_BOOK, deepest=150))
def test_price_book(document: Any) -> None:
    def read() -> None:
        book = load_price_book("china", _yaml_file(document))
        _check(estimate(GRAPH, region="cn-hangzhou", site="china", price_book=book))

    _answers(read)


def test_the_base_documents_are_read_and_priced() -> None:
    """Without mutations, every base document is read and priced: the fuzzing starts from
    documents the readers accept, so every refusal above is one a mutation caused."""
    data = json.dumps(PREVIEW).encode()
    sides = read_preview_json("-", stdin=io.BytesIO(data))
    assert len(sides.after) == len(GRAPH)
    priced = estimate(sides.after, region="cn-hangzhou")
    assert priced.total == estimate(GRAPH, region="cn-hangzhou").total > Decimal(100)
    state = state_from_document(decode_checkpoint(json.dumps(CHECKPOINT).encode(), "x"), "x")
    assert len(state) == len(GRAPH)
    assert len(state_from_document(EXPORT, "x")) == len(GRAPH)
    usage = parse_usage(USAGE, "x")
    assert estimate(GRAPH, region="cn-hangzhou", usage=usage).total > priced.total
    assert load_price_book("china", _yaml_file(PRICE_BOOK)).origin.endswith("document.yaml")


@pytest.mark.parametrize("name", ["preview", "checkpoint"])
def test_a_traceback_would_fail_the_fuzzing(name: str) -> None:
    """The harness lets only AskError through: anything else escapes it."""
    with pytest.raises(ZeroDivisionError):
        _answers(lambda: (_ for _ in ()).throw(ZeroDivisionError(name)))
