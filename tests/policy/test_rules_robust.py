"""Rules read untrusted, partial inputs: whatever the JSON, they return findings, never raise."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ask_components.policy import RULES, Subject, check
from ask_components.policy.pods import parse_image
from tests.policy.cases import CASES

TYPES = sorted({res.type for case in CASES for res in case.resources})

_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.just("[unknown]")
_keys = st.sampled_from(
    [
        "spec",
        "template",
        "metadata",
        "annotations",
        "containers",
        "env",
        "name",
        "value",
        "securityContext",
        "resources",
        "limits",
        "data",
        "listeners",
        "config",
        "vpcIds",
        "vpcs",
        "jobTemplate",
        "driver",
        "executor",
        "image",
        "hostNetwork",
        "slbInternetEnabled",
        "k8s.aliyun.com/eci-spot-strategy",
        "alb.ingress.kubernetes.io/listen-ports",
        "type",
    ]
) | st.text(max_size=5)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(type_=st.sampled_from(TYPES), props=st.dictionaries(_keys, _json, max_size=5))
def test_rules_never_raise_on_arbitrary_inputs(type_: str, props: dict[str, Any]) -> None:
    subject = Subject(type_, "x", f"urn:pulumi:prod::p::{type_}::x", props, ("urn:x",))
    report = check([subject])
    assert all(v.rule in {rule.id for rule in RULES} for v in report.violations)


@settings(max_examples=200, deadline=None)
@given(
    registry=st.sampled_from(
        ["", "docker.io/", "ghcr.io/", "localhost:5000/", "registry.cn-hangzhou.aliyuncs.com/"]
    ),
    path=st.from_regex(r"[a-z0-9]+(/[a-z0-9]+){0,2}", fullmatch=True),
    tag=st.none() | st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}", fullmatch=True),
)
def test_image_references_round_trip(registry: str, path: str, tag: str | None) -> None:
    image = f"{registry}{path}" + (f":{tag}" if tag else "")
    ref = parse_image(image)
    assert ref.repository == path
    assert ref.tag == tag
    assert ref.registry == (registry.rstrip("/") or "docker.io")
