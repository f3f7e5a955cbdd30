"""The RAM table: every Alibaba Cloud type and invoke the package uses has a row, and each row
says where the provider makes each call (checked against the provider's source when its
snapshot is on this machine)."""

from __future__ import annotations

import inspect
import re
import subprocess
from functools import cache
from pathlib import Path

import pulumi
import pulumi_alicloud
import pytest

from ask_components.deploy.policy import MAX_POLICY_CHARS, statements_for
from ask_components.deploy.ram import (
    IMPLIED_INVOKES,
    INVOKE_ROWS,
    PHASES,
    RAM_CODES,
    RESOURCE_ROWS,
    ROWS_BY_TOKEN,
    RamRow,
)
from ask_components.preview.engine import _INVOKES
from tests.conftest import PROJECT_ROOT

PROVIDER_REPO = Path("/work/.mirror/aliyun+terraform-provider-alicloud/repo")
ACTION_RE = re.compile(r"^[a-z]+:[A-Z][A-Za-z0-9]+$")
_TOKEN_RE = re.compile(r"'(alicloud:[A-Za-z0-9]+/[A-Za-z0-9]+:[A-Za-z0-9]+)'")


def _package_references() -> set[tuple[str, str]]:
    """Every ``alicloud.<module>.<Name>`` the package's code mentions."""
    found: set[tuple[str, str]] = set()
    for path in (PROJECT_ROOT / "ask_components").rglob("*.py"):
        found.update(re.findall(r"\balicloud\.([a-z_]+)\.([A-Za-z_]+)\b", path.read_text()))
    return found


def _tokens_used_by_package() -> tuple[set[str], set[str]]:
    """The type tokens of the resources, and the tokens of the invokes, the package's code
    creates or calls (read from the SDK's own source of each class and function)."""
    resources: set[str] = set()
    invokes: set[str] = set()
    for module_name, name in _package_references():
        member = getattr(getattr(pulumi_alicloud, module_name), name)
        if inspect.isclass(member) and issubclass(member, pulumi.CustomResource):
            (token,) = set(_TOKEN_RE.findall(inspect.getsource(member)))
            resources.add(token)
        elif inspect.isfunction(member):
            (token,) = set(_TOKEN_RE.findall(inspect.getsource(member)))
            invokes.add(token)
    return resources, invokes


def test_every_type_and_invoke_the_package_uses_has_a_row() -> None:
    resources, invokes = _tokens_used_by_package()
    # What the code mentions today (the lead adds KubernetesAddon and get_kubernetes_version,
    # whose rows are already in the table).
    assert {
        "alicloud:vpc/network:Network",
        "alicloud:vpc/switch:Switch",
        "alicloud:vpc/natGateway:NatGateway",
        "alicloud:ecs/eipAddress:EipAddress",
        "alicloud:ecs/eipAssociation:EipAssociation",
        "alicloud:vpc/snatEntry:SnatEntry",
        "alicloud:cs/managedKubernetes:ManagedKubernetes",
        "alicloud:alb/loadBalancer:LoadBalancer",
        "alicloud:pvtz/zone:Zone",
        "alicloud:pvtz/zoneAttachment:ZoneAttachment",
        "alicloud:pvtz/zoneRecord:ZoneRecord",
    } <= resources
    assert "alicloud:cs/getClusterCredential:getClusterCredential" in invokes
    assert resources <= {row.token for row in RESOURCE_ROWS}
    assert invokes <= {row.token for row in INVOKE_ROWS}


def test_every_invoke_the_offline_engine_answers_has_a_row_and_follows_from_a_type() -> None:
    implied = {invoke for invokes in IMPLIED_INVOKES.values() for invoke in invokes}
    for token in _INVOKES:
        assert token in {row.token for row in INVOKE_ROWS}, token
        assert token in implied, f"{token}: no resource type implies it (IMPLIED_INVOKES)"
    # ... and every implied invoke has its row, from a type that has one.
    for resource_type, invokes in IMPLIED_INVOKES.items():
        assert resource_type in {row.token for row in RESOURCE_ROWS}
        for invoke in invokes:
            assert invoke in {row.token for row in INVOKE_ROWS}


@pytest.mark.parametrize("row", RESOURCE_ROWS + INVOKE_ROWS, ids=lambda row: row.token)
def test_rows_are_well_formed(row: RamRow) -> None:
    assert row.calls
    for call in row.calls:
        assert ACTION_RE.match(call.action), call.action
        assert call.action.split(":")[0] in RAM_CODES - {"ram"}
        assert call.phases
        assert set(call.phases) <= set(PHASES)
        assert re.fullmatch(r"[a-z0-9_]+\.go:[A-Za-z0-9_]+", call.where), call.where
    # A call left out on purpose is never also granted.
    assert not {skip.action for skip in row.not_granted} & row.actions
    covered = {phase for call in row.calls for phase in call.phases}
    if row in INVOKE_ROWS:
        assert covered == {"read"}
    else:
        # Update may have nothing to grant: an EipAssociation's only updatable argument (mode)
        # is never set.
        assert covered >= {"create", "read", "delete"}, row.token


def test_tokens_are_unique() -> None:
    tokens = [row.token for row in RESOURCE_ROWS + INVOKE_ROWS]
    assert len(tokens) == len(set(tokens)) == len(ROWS_BY_TOKEN)


def test_a_policy_with_every_row_fits_in_a_ram_policy() -> None:
    """Whatever a stack registers, its policy is a subset of this one."""
    import json

    statements = statements_for(RESOURCE_ROWS + INVOKE_ROWS)
    document = {"Version": "1", "Statement": [s.to_dict() for s in statements]}
    assert len(json.dumps(document, indent=2) + "\n") <= MAX_POLICY_CHARS


@cache
def _provider_file(name: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(PROVIDER_REPO), "show", f"HEAD:alicloud/{name}"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _function_body(source: str, function: str) -> str | None:
    """The text of a Go function (``func name(`` or ``func (r *T) name(``) up to the next one."""
    match = re.search(rf"^func (?:\([^)]*\) )?{re.escape(function)}\(", source, re.MULTILINE)
    if match is None:
        return None
    end = source.find("\nfunc ", match.end())
    return source[match.start() : end if end != -1 else len(source)]


def _sites() -> list[tuple[str, str, str]]:
    sites = []
    for row in RESOURCE_ROWS + INVOKE_ROWS:
        for call in row.calls:
            sites.append((row.token, call.where, call.api))
        for skip in row.not_granted:
            sites.append((row.token, skip.where, skip.api))
    return sites


@pytest.mark.skipif(
    not PROVIDER_REPO.exists(), reason="the terraform-provider-alicloud snapshot is not here"
)
@pytest.mark.parametrize(("token", "where", "api"), _sites())
def test_each_call_is_where_the_row_says(token: str, where: str, api: str) -> None:
    file_name, function = where.split(":")
    source = _provider_file(file_name)
    if source is None:
        pytest.skip(f"cannot read alicloud/{file_name} from the snapshot")
    body = _function_body(source, function)
    assert body is not None, f"{token}: no function {function} in alicloud/{file_name}"
    assert api in body, f"{token}: {function} in alicloud/{file_name} does not call {api}"


@pytest.mark.skipif(
    not PROVIDER_REPO.exists(), reason="the terraform-provider-alicloud snapshot is not here"
)
@pytest.mark.parametrize("row", RESOURCE_ROWS + INVOKE_ROWS, ids=lambda row: row.token)
def test_each_row_names_its_terraform_resource(row: RamRow) -> None:
    """provider.go maps the row's Terraform name to a function of ``resource_<name>.go`` (or
    ``data_source_<name>.go``), the file the row's calls start from."""
    source = _provider_file("provider.go")
    assert source is not None
    entry = re.search(rf'"{row.terraform}":\s+(\w+)\(\)', source)
    assert entry is not None, row.terraform
    kind = "data_source" if row in INVOKE_ROWS else "resource"
    file_name = f"{kind}_{row.terraform}.go"
    assert _function_body(_provider_file(file_name) or "", entry.group(1)), (
        f"{row.terraform} -> {entry.group(1)} is not in {file_name}"
    )


# Names in the resource files that are client plumbing or the provider's own helpers, not APIs.
_NOT_APIS = {
    "RpcPost",
    "RpcGet",
    "RoaGet",
    "NewRoaCsClient",
    "NewTeaRoaCommonClient",
    "DoRequestWithAction",
    "WithVpcClient",
    "GetRetryTimeout",
    "DescribeCsKubernetesAddon",
    "GetCsKubernetesAddonInstance",
    "DescribeClusterKubeConfigWithExpiration",
    "DescribeTaskRefreshFunc",
}


@pytest.mark.skipif(
    not PROVIDER_REPO.exists(), reason="the terraform-provider-alicloud snapshot is not here"
)
@pytest.mark.parametrize("row", RESOURCE_ROWS + INVOKE_ROWS, ids=lambda row: row.token)
def test_every_api_the_resource_file_calls_is_granted_or_left_out_on_purpose(row: RamRow) -> None:
    """Every ``action := "X"`` and SDK client call in the resource's (or data source's) own file
    is in the row, granted or in ``not_granted``: a call the table forgot fails here."""
    kind = "data_source" if row in INVOKE_ROWS else "resource"
    source = _provider_file(f"{kind}_{row.terraform}.go")
    assert source is not None
    literals = set(re.findall(r'action\s*:?=\s*"(\w+)"', source))
    sdk_calls = set(
        re.findall(
            r"(?:[cC]lient|csClient|rosCsClient|roaCsClient|vpcClient)(?:\.client)?\.([A-Z]\w+)\(",
            source,
        )
    )
    listed = {call.api for call in row.calls} | {skip.api for skip in row.not_granted}
    assert (literals | sdk_calls) - listed - _NOT_APIS == set()
