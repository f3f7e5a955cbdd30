"""The ForceNew table: complete for the stacks' types, true to the provider sources it cites."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ask_components.preview.engine import run_preview
from ask_components.preview.forcenew import (
    ALICLOUD_COMMIT,
    ALICLOUD_RULES,
    UnknownType,
    camel,
    is_known,
    rules_for,
)
from ask_components.preview.paths import parse_path

ROOT = Path(__file__).parents[2]
TF_MIRROR = Path("/work/.mirror/aliyun+terraform-provider-alicloud/repo")
ADDON = "alicloud:cs/kubernetesAddon:KubernetesAddon"


@pytest.fixture(scope="module")
def stack_types() -> set[str]:
    types = {ADDON}
    for stack in ("prod", "dev", "local"):
        graph = run_preview(ROOT, stack)
        types.update(node.type for node in graph if node.custom and not node.is_provider)
    types.add("pulumi:providers:kubernetes")
    return types


def test_every_type_the_stacks_register_has_replacement_rules(stack_types: set[str]) -> None:
    missing = sorted(t for t in stack_types if not is_known(t))
    assert missing == [], f"no ForceNew rules for: {', '.join(missing)}"


def test_an_unknown_type_is_refused_by_name() -> None:
    with pytest.raises(UnknownType, match=r"no replacement rules for alicloud:oss/bucket:Bucket"):
        rules_for("alicloud:oss/bucket:Bucket")


def test_the_alicloud_rows_cover_the_types_the_components_register(stack_types: set[str]) -> None:
    alicloud = {t for t in stack_types if t.startswith("alicloud:")}
    assert alicloud == {rules.type_token for rules in ALICLOUD_RULES}
    assert len(alicloud) == 12


@pytest.mark.parametrize(
    ("type_token", "path", "cited"),
    [
        (
            "alicloud:cs/managedKubernetes:ManagedKubernetes",
            ("serviceCidr",),
            ":243 (service_cidr)",
        ),
        ("alicloud:cs/managedKubernetes:ManagedKubernetes", ("profile",), ":57 (profile)"),
        ("alicloud:vpc/switch:Switch", ("cidrBlock",), ":35 (cidr_block)"),
        ("alicloud:vpc/switch:Switch", ("zoneId",), ":92 (zone_id)"),
        (
            "alicloud:alb/loadBalancer:LoadBalancer",
            ("loadBalancerBillingConfig", "payType"),
            ":117",
        ),
        ("alicloud:vpc/natGateway:NatGateway", ("accessMode", "modeValue"), ":207"),
        (
            "kubernetes:apps/v1:Deployment",
            ("spec", "selector", "matchLabels", "app"),
            "diff.go:171",
        ),
        (
            "kubernetes:batch/v1:Job",
            ("spec", "template", "spec", "containers", 0, "image"),
            "diff.go:178",
        ),
        ("kubernetes:core/v1:Service", ("spec", "clusterIP"), "diff.go:158"),
        ("kubernetes:core/v1:ConfigMap", ("data", "config.toml"), "diff.go:33"),
        ("kubernetes:core/v1:Namespace", ("metadata", "name"), "diff.go:207"),
        ("kubernetes:helm.sh/v3:Release", ("namespace",), "helm_release.go:906"),
        (
            "pulumi-python:dynamic/sandbox:SandboxVSwitch",
            ("cidr_block",),
            "VSwitchProvider.replace_on",
        ),
    ],
)
def test_changes_that_replace(type_token: str, path: tuple[str | int, ...], cited: str) -> None:
    rule = rules_for(type_token).rule_for(path)
    assert rule is not None
    assert cited in rule.source


@pytest.mark.parametrize(
    ("type_token", "path"),
    [
        ("alicloud:cs/managedKubernetes:ManagedKubernetes", ("version",)),
        ("alicloud:cs/managedKubernetes:ManagedKubernetes", ("vswitchIds",)),
        ("alicloud:vpc/network:Network", ("cidrBlock",)),  # changed in place by the provider
        ("alicloud:vpc/natGateway:NatGateway", ("vswitchId",)),
        ("kubernetes:apps/v1:Deployment", ("spec", "replicas")),
        ("kubernetes:apps/v1:Deployment", ("spec", "template", "spec", "containers", 0, "image")),
        ("kubernetes:core/v1:Service", ("spec", "type")),
        ("kubernetes:core/v1:Namespace", ("metadata", "labels", "team")),
    ],
)
def test_changes_in_place(type_token: str, path: tuple[str | int, ...]) -> None:
    assert rules_for(type_token).rule_for(path) is None


def _sdk_names(type_token: str) -> set[str]:
    """The wire names of a pulumi_alicloud resource's properties, from the installed SDK."""
    import pulumi_alicloud

    module, _, klass = type_token.split(":")[1].partition("/")
    file = re.sub(r"(?<!^)([A-Z])", r"_\1", klass).lower()
    folder = Path(pulumi_alicloud.__file__).parent / module
    source = (folder / f"{file}.py").read_text() + (folder / "_inputs.py").read_text()
    named = set(re.findall(r'@pulumi\.getter\(name="([A-Za-z0-9]+)"\)', source))
    plain = set(re.findall(r"@pulumi\.getter\n(?:    @.*\n)*    def ([a-z0-9]+)\(", source))
    return named | plain


@pytest.mark.parametrize("rules", ALICLOUD_RULES, ids=lambda r: r.type_token)
def test_alicloud_rows_use_the_sdks_property_names(rules: object) -> None:
    names = _sdk_names(rules.type_token)  # type: ignore[attr-defined]
    for row in rules.force_new:  # type: ignore[attr-defined]
        for key in row.path.split("."):
            assert key in names, f"{rules.type_token}: {key} is not a property of the SDK"  # type: ignore[attr-defined]


def _force_new_lines(source: str) -> list[tuple[str, int]]:
    """(snake path, line) of every `ForceNew: true` in a Terraform resource file."""
    stack: list[str | None] = []
    found: list[tuple[str, int]] = []
    for number, line in enumerate(source.splitlines(), 1):
        key = re.match(r'\s*"([a-z0-9_]+)":\s*\{', line)
        label = key.group(1) if key else None
        code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        for position, char in enumerate(code):
            if char == "{":
                stack.append(label if position == code.index("{") else None)
            elif char == "}" and stack:
                stack.pop()
        if re.search(r"ForceNew:\s*true", line):
            found.append((".".join(k for k in stack if k), number))
    return found


@pytest.mark.skipif(
    not TF_MIRROR.exists(), reason="the terraform-provider-alicloud snapshot is not on this machine"
)
@pytest.mark.parametrize("rules", ALICLOUD_RULES, ids=lambda r: r.type_token)
def test_alicloud_rows_are_every_force_new_of_the_provider_file(rules: object) -> None:
    file = rules.source.rsplit("alicloud/", 1)[-1]  # type: ignore[attr-defined]
    source = subprocess.run(
        ["git", "-C", str(TF_MIRROR), "show", f"{ALICLOUD_COMMIT}:alicloud/{file}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    expected = [
        (".".join(camel(part) for part in path.split(".")), f"{file}:{line} ({path})")
        for path, line in _force_new_lines(source)
    ]
    actual = [(row.path, row.source.rsplit("alicloud/", 1)[-1]) for row in rules.force_new]  # type: ignore[attr-defined]
    assert actual == expected


def test_kubernetes_paths_parse() -> None:
    for type_token in ("kubernetes:batch/v1:Job", "kubernetes:apps/v1:StatefulSet"):
        for row in rules_for(type_token).force_new:
            assert parse_path(row.path)
