"""Rules fail closed (issue #16): a manifest a rule cannot read is a violation naming what could
not be read, never a pass. Unknown values (``[unknown]``) stay unjudged, as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.policy import Subject, check
from ask_components.policy.model import UNREADABLE_FIX

runner = CliRunner()

DEPLOYMENT = "kubernetes:apps/v1:Deployment"
POD_RULES = [
    "eci-spec-declared",
    "container-limits",
    "image-tag-pinned",
    "run-as-non-root",
    "no-privileged-containers",
    "no-host-namespaces",
    "spot-batch-only",
    "no-plaintext-secrets",
    "nat-egress-for-public-images",
    "acs-supported-features",
    "acs-no-eci-annotations",
]
GOOD_CONTAINER = {
    "name": "a",
    "image": "registry.cn-hangzhou.aliyuncs.com/a/b:1",
    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
}


def _found(type_: str, props: dict[str, Any]) -> list[tuple[str, str]]:
    subject = Subject(type_, "x", f"urn:pulumi:prod::p::{type_}::x", props)
    report = check([subject])
    assert all(v.fix == UNREADABLE_FIX for v in report.violations if "cannot check" in v.message)
    return [(v.rule, v.message) for v in report.violations]


def _pod(spec: Any) -> dict[str, Any]:
    return {"spec": {"template": {"metadata": {"annotations": {}}, "spec": spec}}}


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (_pod({"containers": "nginx"}), "cannot check spec.template.spec.containers: it is a string ('nginx'), not a list"),
        ({"spec": None}, "cannot check spec.template: it is missing: a Deployment needs a pod template"),
        ({"spec": "web"}, "cannot check spec: it is a string ('web'), not a mapping"),
        ({"spec": {"template": 5}}, "cannot check spec.template: it is a number (5), not a mapping"),
        (_pod(None), "cannot check spec.template.spec: it is missing: a pod template needs a spec with its containers"),
        (_pod({}), "cannot check spec.template.spec.containers: it is missing: a pod has at least one container"),
        (_pod({"containers": ["nginx:1"]}), "cannot check spec.template.spec.containers[0]: it is a string ('nginx:1'), not a mapping"),
        (_pod({"containers": [GOOD_CONTAINER], "initContainers": {}}), "cannot check spec.template.spec.initContainers: it is a mapping, not a list"),
        ({"spec": {"template": {"metadata": {"annotations": "x"}, "spec": {"containers": [GOOD_CONTAINER]}}}}, "cannot check spec.template.metadata.annotations: it is a string ('x'), not a mapping"),
    ],
)  # fmt: skip
def test_a_pod_template_that_cannot_be_read_fails_every_pod_rule(
    props: dict[str, Any], message: str
) -> None:
    rules = list(POD_RULES)
    if message.startswith("cannot check spec:"):  # the selector is under spec too
        rules.insert(rules.index("acs-supported-features"), "acs-labels-not-in-selectors")
    assert _found(DEPLOYMENT, props) == [(rule, message) for rule in rules]


@pytest.mark.parametrize(
    ("type_", "props", "expected"),
    [
        (DEPLOYMENT, _pod({"containers": [{**GOOD_CONTAINER, "securityContext": "root"}]}), [
            ("eci-spec-declared", "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)"),
            ("run-as-non-root", "cannot check spec.template.spec.containers[0].securityContext: it is a string ('root'), not a mapping"),
            ("no-privileged-containers", "cannot check spec.template.spec.containers[0].securityContext: it is a string ('root'), not a mapping"),
        ]),
        (DEPLOYMENT, _pod({"securityContext": [], "containers": [GOOD_CONTAINER]}), [
            ("eci-spec-declared", "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)"),
            ("run-as-non-root", "cannot check spec.template.spec.securityContext: it is a list, not a mapping"),
        ]),
        (DEPLOYMENT, _pod({"containers": [{**GOOD_CONTAINER, "env": ["TOKEN=x"]}]}), [
            ("eci-spec-declared", "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)"),
            ("run-as-non-root", "container spec.template.spec.containers[0] (a) may run as root: runAsNonRoot is unset on the pod and container"),
            ("no-plaintext-secrets", "cannot check spec.template.spec.containers[0].env[0]: it is a string ('TOKEN=x'), not a mapping"),
        ]),
        (DEPLOYMENT, _pod({"containers": [{**GOOD_CONTAINER, "resources": {"limits": "1"}}]}), [
            ("eci-spec-declared", "spec.template.metadata.annotations has no k8s.aliyun.com/eci-use-specs annotation (Deployment)"),
            ("container-limits", "cannot check spec.template.spec.containers[0].resources.limits: it is a string ('1'), not a mapping"),
            ("run-as-non-root", "container spec.template.spec.containers[0] (a) may run as root: runAsNonRoot is unset on the pod and container"),
        ]),
        ("kubernetes:core/v1:Service", {"metadata": {"annotations": "x"}, "spec": {"type": "LoadBalancer"}}, [
            ("clb-internet-public-only", "cannot check metadata.annotations: it is a string ('x'), not a mapping"),
        ]),
        ("kubernetes:networking.k8s.io/v1:Ingress", {"metadata": {"annotations": ["a"]}, "spec": {"ingressClassName": "alb"}}, [
            ("alb-https-redirect", "cannot check metadata.annotations: it is a list, not a mapping"),
        ]),
        ("kubernetes:alibabacloud.com/v1:AlbConfig", {"spec": {"config": {}, "listeners": [443]}}, [
            ("alb-https-redirect", "cannot check spec.listeners[0]: it is a number (443), not a mapping"),
        ]),
        ("kubernetes:core/v1:ConfigMap", {"data": "TOKEN=x"}, [
            (rule, "cannot check data: it is a string ('TOKEN=x'), not a mapping") for rule in POD_RULES
        ]),
        ("kubernetes:core/v1:ConfigMap", {"data": {"config.toml": "[[runners]]\nexecutor = "}}, [
            (rule, "cannot check data.config.toml: it is not valid TOML (Invalid value (at end of document))") for rule in POD_RULES
        ]),
        ("kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication", {"spec": {"driver": [1]}}, [
            (rule, "cannot check spec.driver: it is a list, not a mapping") for rule in POD_RULES
        ]),
        ("alicloud:pvtz/zoneAttachment:ZoneAttachment", {"vpcIds": "vpc-1"}, [
            ("private-zone-platform-vpc", "cannot check vpcIds: it is a string ('vpc-1'), not a list"),
        ]),
    ],
)  # fmt: skip
def test_each_unreadable_part_fails_the_rules_that_read_it(
    type_: str, props: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert _found(type_, props) == expected


@pytest.mark.parametrize(
    "props",
    [
        {"spec": "[unknown]"},
        {"spec": {"template": "[unknown]"}},
        _pod("[unknown]"),
        {"spec": {"template": {"metadata": "[unknown]", "spec": {"containers": "[unknown]"}}}},
    ],
)
def test_unknown_values_are_still_not_judged(props: dict[str, Any]) -> None:
    assert [rule for rule, _ in _found(DEPLOYMENT, props)] in ([], ["eci-spec-declared"])


def _graph_file(tmp_path: Path, props: dict[str, Any]) -> Path:
    urn = f"urn:pulumi:dev::p::{DEPLOYMENT}::web"
    node = {"urn": urn, "type": DEPLOYMENT, "name": "web", "custom": True, "parent": None,
            "provider": None, "dependencies": [], "inputs": props, "secretPaths": []}  # fmt: skip
    path = tmp_path / "graph.json"
    path.write_text(json.dumps({"project": "p", "stack": "dev", "resources": [node]}))
    return path


def test_askc_policy_check_fails_on_a_manifest_it_cannot_read(tmp_path: Path) -> None:
    graph = _graph_file(tmp_path, {"spec": None})
    result = runner.invoke(
        app, ["policy", "check", "--graph-json", str(graph), "-C", str(tmp_path), "-f", "json"]
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["passed"] is False
    assert {v["message"] for v in report["violations"]} == {
        "cannot check spec.template: it is missing: a Deployment needs a pod template"
    }
    assert result.stderr.endswith(
        "Error: policy check FAILED for stack 'dev': 9 mandatory, 2 advisory violations "
        "(17 rules over 1 resource)\n"
    )


def test_graph_json_refuses_a_cost_report(tmp_path: Path, project_copy: Path) -> None:
    for kind, command in (("diff", ["cost", "diff", "--baseline-ref", "HEAD"]), ("estimate", ["cost"])):  # fmt: skip
        report = tmp_path / f"{kind}.json"
        made = runner.invoke(app, [*command, "-C", str(project_copy), "-f", "json"])
        if made.exit_code != 0:  # cost diff needs the project in git; an estimate does not
            report.write_text(json.dumps({"formatVersion": "1", "kind": kind, "resources": []}))
        else:
            report.write_text(made.stdout)
        result = runner.invoke(
            app, ["policy", "check", "--graph-json", str(report), "-C", str(project_copy)]
        )
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"Error: graph file {report} is not a ResourceGraph (askc preview --json): it is "
            f"askc cost JSON (kind: {kind}); give the graph that `askc preview --json` prints\n"
        )


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"project": "p", "stack": "s", "resources": [], "total": 1}, "unknown top-level key(s) total"),
        ({"project": "p", "stack": "s", "resources": [{"urn": "u", "type": "t", "name": "n"}]}, "resources[0].inputs is missing"),
    ],
)  # fmt: skip
def test_graph_json_refuses_other_documents(
    tmp_path: Path, document: dict[str, Any], problem: str
) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(app, ["policy", "check", "--graph-json", str(path), "-C", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: graph file {path} is not a ResourceGraph (askc preview --json): {problem}\n",
    )
