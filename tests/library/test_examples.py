"""The examples run in the suite: the Python program under mocks; the TypeScript and YAML programs
checked against the package schema (the Pulumi CLI that would run them is not here)."""

from __future__ import annotations

import runpy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ask_components.package.host import package_schema
from ask_components.preview.engine import run_program
from tests.conftest import PROJECT_ROOT
from tests.library.schema_check import PULUMI_STUBS, typescript_declarations, yaml_problems

EXAMPLES = PROJECT_ROOT / "examples"


def test_the_python_example_runs_under_mocks() -> None:
    graph = run_program(
        lambda: runpy.run_path(str(EXAMPLES / "python" / "__main__.py"), run_name="__main__"),
        project="ask-example",
        config={"ask-example:apiToken": "s3cr3t"},
        secret_keys=["ask-example:apiToken"],
        resolve_outputs=True,
    )
    counts = graph.type_counts()
    assert {kind: counts[kind] for kind in counts if kind.startswith("ask:")} == {
        "ask:network:Network": 1,
        "ask:cluster:AskCluster": 1,
        "ask:workloads:ServerlessApp": 1,
        "ask:workloads:ServerlessCronJob": 1,
    }
    cluster = graph.of_type("alicloud:cs/managedKubernetes:ManagedKubernetes")[0]
    # kind acs: its profile, spec and its own default add-ons (not ASK's).
    assert (cluster.inputs["profile"], cluster.inputs["clusterSpec"]) == ("Acs", "ack.pro.small")
    assert [addon["name"] for addon in cluster.inputs["addons"]] == [
        "managed-coredns",
        "managed-metrics-server",
    ]
    deployment = graph.of_type("kubernetes:apps/v1:Deployment")[0]
    labels = deployment.inputs["spec"]["template"]["metadata"]["labels"]
    assert labels["alibabacloud.com/compute-class"] == "general-purpose"
    assert "s3cr3t" not in graph.to_json()
    assert graph.outputs["web_billed_spec"] == "1-2Gi"
    assert graph.outputs["kubeconfig"] == "[secret]"


def _yaml_program() -> dict[str, Any]:
    program: dict[str, Any] = yaml.safe_load((EXAMPLES / "yaml" / "Pulumi.yaml").read_text())
    return program


def test_the_yaml_example_matches_the_schema() -> None:
    program = _yaml_program()
    assert program["runtime"] == "yaml"
    assert list(program["packages"]) == ["ask"]
    assert {spec["type"] for spec in program["resources"].values()} == {
        "ask:index:Network",
        "ask:index:AskCluster",
        "ask:index:ServerlessApp",
        "pulumi:providers:kubernetes",
    }
    assert yaml_problems(program, package_schema()) == []


def test_the_yaml_check_finds_what_the_engine_would_refuse() -> None:
    program = _yaml_program()
    network = program["resources"]["network"]["properties"]
    network["cidrBlock"] = network.pop("cidr")
    del network["zones"]
    program["resources"]["web"]["properties"]["autoscale"]["min"] = "two"
    program["resources"]["cluster"]["type"] = "ask:Cluster"
    program["outputs"]["vpcId"] = "${network.vpc}"
    assert yaml_problems(program, package_schema()) == [
        "resources.network.cidrBlock: not an input of the schema",
        "resources.network.zones: required by the schema, missing",
        "resources.cluster: no resource ask:index:Cluster in the package",
        "resources.web.autoscale.min: 'two' is not of type integer",
        "outputs.vpcId: network (ask:index:Network) has no output vpc",
    ]


def _typescript(tmp_path: Path) -> Path:
    """A folder with tsc, the example, and declarations of @pulumi/ask from the schema."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("needs node and npm on the PATH")
    install = subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            "--prefix",
            str(tmp_path),
            "typescript@5.9.3",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if install.returncode != 0:
        pytest.skip(f"typescript could not be installed from npm: {install.stderr[-300:]}")
    (tmp_path / "declarations.d.ts").write_text(
        PULUMI_STUBS + typescript_declarations(package_schema())
    )
    shutil.copy(EXAMPLES / "typescript" / "index.ts", tmp_path / "index.ts")
    return tmp_path


def _tsc(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(folder / "node_modules" / ".bin" / "tsc"),
            "--noEmit",
            "--strict",
            "--target",
            "es2020",
            "--module",
            "commonjs",
            "--pretty",
            "false",
            "declarations.d.ts",
            "index.ts",
        ],
        capture_output=True,
        text=True,
        cwd=folder,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_the_typescript_example_type_checks_against_the_schema(tmp_path: Path) -> None:
    folder = _typescript(tmp_path)
    result = _tsc(folder)
    assert (result.returncode, result.stdout) == (0, "")
    # And the check bites: a number for the CIDR, a misspelt input.
    program = (folder / "index.ts").read_text()
    broken = program.replace('cidr: "10.20.0.0/16"', "cidr: 10").replace("clusterKind:", "kind:")
    (folder / "index.ts").write_text(broken)
    errors = _tsc(folder).stdout
    assert (
        "index.ts(12,5): error TS2322: Type 'number' is not assignable to type 'string'." in errors
    )
    assert "'kind' does not exist in type 'ServerlessAppArgs'" in errors
