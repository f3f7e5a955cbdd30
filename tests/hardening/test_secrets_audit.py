"""Secrets audit: ``secure:`` values in a stack file, credentials in the environment and
credentials in a URL given to any option never show up in any ``askc`` output; where the program
uses secrets they are secrets in the ResourceGraph (``secret_paths``)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.clikit import GuardedGroup
from ask_components.preview.engine import run_preview
from ask_components.preview.graph import SECRET_MASK, ResourceGraph
from ask_components.redaction import SECRET_VARIABLES
from tests.backend.conftest import moto_endpoint  # noqa: F401 - a fixture: the S3 test server

runner = CliRunner()

# Ciphertexts as `pulumi config set --secret` writes them, and the plaintexts they would hide.
CIPHERTEXTS = {
    "addon": "v1:Zm9vYmFyYmF6:ZXhhbXBsZS1hZGRvbi10b2tlbg==",
    "db": "v1:cXV4cXV1eA==:ZGItcGFzc3dvcmQtc2VjcmV0",
    "key": "v1:a2V5a2V5:TFRBSTVleGFtcGxlYWNjZXNza2V5",
}


@pytest.fixture
def secret_project(project_copy: Path) -> Path:
    """The dev stack with secure values: in an addon's config, a program key and a provider key."""
    stack_file = project_copy / "stacks" / "Pulumi.dev.yaml"
    document = yaml.safe_load(stack_file.read_text())
    config = document["config"]
    config["ask:platform"]["cluster"]["addons"] = [
        {"name": "metrics-server"},
        {
            "name": "logtail-ds",
            "config": {
                "sls_project_name": "shop",
                "access_token": {"secure": CIPHERTEXTS["addon"]},
            },
        },
    ]
    config["ask-platform:dbPassword"] = {"secure": CIPHERTEXTS["db"]}
    config["alicloud:secretKey"] = {"secure": CIPHERTEXTS["key"]}
    stack_file.write_text(yaml.safe_dump(document))
    return project_copy


def _invocations(project: Path, graph_file: Path) -> Iterator[list[str]]:
    """Every askc command, in every output format."""
    yield ["preview", "--stack", "dev", "-C", str(project)]
    yield ["preview", "--stack", "dev", "--json", "-C", str(project)]
    for fmt in ("tree", "json", "markdown"):
        yield ["preview", "diff", "--stack", "dev", "-C", str(project), "--baseline-stack", "dev",
               "--format", fmt]  # fmt: skip
    yield ["preview", "diff", "--stack", "dev", "-C", str(project), "--preview-json",
           str(graph_file.with_name("preview.json")), "-f", "markdown", "--with-diagram"]  # fmt: skip
    for fmt in ("mermaid", "svg", "html"):
        yield ["diagram", "--stack", "dev", "-C", str(project), "--format", fmt]
    state_file = graph_file.with_name("state.json")
    for fmt in ("table", "json", "markdown"):
        yield ["policy", "check", "--stack", "dev", "-C", str(project), "--format", fmt]
        yield ["policy", "check", "--graph-json", str(graph_file), "-C", str(project), "-f", fmt]
        yield ["cost", "--stack", "dev", "-C", str(project), "--format", fmt]
        yield ["cost", "diff", "--stack", "dev", "-C", str(project), "--format", fmt,
               "--baseline", str(state_file)]  # fmt: skip
    yield ["cost", "usage-template", "--stack", "dev", "-C", str(project)]
    for fmt in ("table", "json", "markdown"):
        yield ["policy", "rules", "--stack", "dev", "-C", str(project), "--format", fmt]
    # The sandbox store is a file of its own (never the stack file); an empty one here.
    store = str(graph_file.with_name("sandbox.db"))
    yield ["sandbox", "ls", "--state", store]
    yield ["sandbox", "ls", "--json", "--state", store]
    yield ["sandbox", "show", "vpc-missing", "--state", store]  # exits 2: no store
    yield ["sandbox", "reset", "--yes", "--state", store]
    yield ["deploy", "ram-policy", "--stack", "dev", "-C", str(project)]
    # Exits 1 where pulumi or credentials are missing; it names alicloud:secretKey, never its value.
    yield ["doctor", "--stack", "dev", "-C", str(project)]
    yield ["version"]
    yield ["package", "schema"]  # reads no stack file; printed whole, so audited here too


# Commands that read no stack file (so no `secure:` value can reach them), each audited for the
# secrets they do handle by the test named.
AUDITED_ELSEWHERE = {
    **{
        ("backend", name): "tests/backend/test_backend_secrets.py (credentials, every format)"
        for name in ("bootstrap", "check", "history", "restore")
    },
    # They talk to a fake API on 127.0.0.1; the token / access key secret is asserted absent
    # from every output and error there.
    ("cost", "comment", "github"): "tests/cost/test_comment.py (token never printed)",
    ("cost", "comment", "gitlab"): "tests/cost/test_comment.py (token never printed)",
    ("cost", "prices", "fetch"): "tests/cost/test_prices.py (key secret never printed)",
}


def _leaf_commands(group: Any, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    import typer.main

    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    found: set[tuple[str, ...]] = set()
    for name, command in click_group.commands.items():
        if hasattr(command, "commands"):
            found |= _leaf_commands(command, (*prefix, name))
        else:
            found.add((*prefix, name))
    return found


def test_the_audit_covers_every_command(tmp_path: Path) -> None:
    audited = {
        tuple(itertools.takewhile(lambda arg: not arg.startswith("-"), invocation))
        for invocation in _invocations(tmp_path, tmp_path)
    }
    commands = _leaf_commands(app)
    missing = {
        command
        for command in commands - set(AUDITED_ELSEWHERE)
        if not any(invoked[: len(command)] == command for invoked in audited)
    }
    assert not missing, f"add these commands to the secrets audit: {sorted(missing)}"


# A credential for every variable the redaction knows: none may ever be printed.
ENV_CREDENTIALS = {name: f"envCREDENTIAL{index:02d}value{name[-6:]}" for index, name in enumerate(SECRET_VARIABLES)}  # fmt: skip
URL_ID = "urlKEYid4711"
URL_SECRET = "urlSECRETpass4711"
LEAKS = (*ENV_CREDENTIALS.values(), URL_ID, URL_SECRET)


@pytest.fixture
def credentials_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV_CREDENTIALS.items():
        monkeypatch.setenv(name, value)


def test_no_command_prints_a_secret(
    secret_project: Path, tmp_path: Path, credentials_env: None
) -> None:
    preview = runner.invoke(app, ["preview", "--stack", "dev", "--json", "-C", str(secret_project)])
    assert preview.exit_code == 0, preview.output
    graph_file = tmp_path / "graph.json"
    graph_file.write_text(preview.stdout)
    # An empty deployed state: the cost diff's baseline.
    empty_state = {"version": 3, "deployment": {"resources": []}}
    (tmp_path / "state.json").write_text(json.dumps(empty_state))
    # A `pulumi preview --json` whose new state carries a masked secret input.
    step = {"op": "create", "urn": "urn:pulumi:dev::p::kubernetes:core/v1:Secret::s",
            "newState": {"urn": "urn:pulumi:dev::p::kubernetes:core/v1:Secret::s",
                         "type": "kubernetes:core/v1:Secret", "custom": True,
                         "inputs": {"data": "[secret]"}}}  # fmt: skip
    (tmp_path / "preview.json").write_text(json.dumps({"steps": [step]}))

    for invocation in _invocations(secret_project, graph_file):
        result = runner.invoke(app, invocation)
        expected = {2} if invocation[:2] == ["sandbox", "show"] else {0}
        if invocation[0] == "doctor":
            expected = {0, 1}
        assert result.exit_code in expected, (invocation, result.output)
        assert "Traceback" not in result.stderr
        for ciphertext in CIPHERTEXTS.values():
            for part in ciphertext.split(":")[1:]:
                assert part not in result.stdout, invocation
                assert part not in result.stderr, invocation
        for leak in LEAKS:
            assert leak not in result.stdout + result.stderr, invocation


def _leaves(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    import typer.main

    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    if click_group.callback is not None:
        yield prefix, click_group
    for name, command in click_group.commands.items():
        if hasattr(command, "commands"):
            yield from _leaves(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_every_command_runs_guarded() -> None:
    """Every command's output passes through the redaction: each Typer app runs as a
    GuardedGroup (its option parser's errors quote values), and each command is wrapped by
    handle_errors."""
    import typer.main

    from ask_components.backend.cli import app as backend_app
    from ask_components.cost.cli import app as cost_app
    from ask_components.policy.cli import policy_app
    from ask_components.sandbox.cli import app as sandbox_app

    for typer_app in (app, backend_app, cost_app, policy_app, sandbox_app):
        assert isinstance(typer.main.get_command(typer_app), GuardedGroup)
    commands = dict(_leaves(app))
    assert {("preview",), ("cost",), ("backend", "restore"), ("sandbox", "reset")} <= set(commands)
    unguarded = [path for path, c in commands.items() if not getattr(c.callback, "askc_guarded", 0)]
    assert unguarded == []


# Arguments each command needs besides the one under test; the backend ones reach a local S3 server.
def _base_args(command: tuple[str, ...], project: Path, endpoint: str) -> dict[str, str]:
    if command[0] == "backend":
        args = {"--bucket": "audit-bucket", "--region": "cn-hangzhou", "--endpoint": endpoint}
        if command[1] in ("history", "restore"):
            args["--stack"] = "dev"
        if command[1] == "restore":
            args["--version-id"] = "v1"
        return args
    if command[0] == "sandbox":
        return {"--state": str(project / "sandbox.db")}
    return {"--project-dir": str(project)}


def test_no_command_prints_credentials_given_in_a_url(
    secret_project: Path,
    credentials_env: None,
    moto_endpoint: str,  # noqa: F811 - the fixture imported above
) -> None:
    """Each option (and argument) of each command gets a URL with credentials in its user info
    and its query; whatever the command makes of it, the credentials are never printed."""
    url = (
        f"s3://{URL_ID}:{URL_SECRET}@audit-bucket/k.json?region=cn-hangzhou"
        f"&endpoint=http://{URL_ID}:{URL_SECRET}@127.0.0.1:9&ak={URL_ID}&sk={URL_SECRET}"
    )
    tried = 0
    echoed = 0
    for command, click_command in _leaves(app):
        for param in click_command.params:
            if getattr(param, "is_flag", False):
                continue
            args = _base_args(command, secret_project, moto_endpoint)
            if param.param_type_name == "argument":
                argv = [*command, url]
            else:
                args[param.opts[0]] = url
                argv = list(command)
            if command == ("sandbox", "show") and param.param_type_name != "argument":
                argv.append("vpc-x")
            argv += [part for pair in args.items() for part in pair]
            result = runner.invoke(app, argv)
            tried += 1
            assert result.exit_code in (0, 1, 2), (argv, result.output, result.exception)
            assert "Traceback" not in result.stdout + result.stderr, argv
            for leak in LEAKS:
                assert leak not in result.stdout + result.stderr, (argv, leak)
            echoed += "****" in result.stdout + result.stderr
    assert tried >= 62  # every value option of every command, 62 when this test was written
    assert echoed >= 40  # most commands quote the bad value back: masked


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _covered(path: str, secret_paths: tuple[str, ...]) -> bool:
    return any(path == s or path.startswith((f"{s}.", f"{s}[")) for s in secret_paths)


def test_secrets_are_secret_in_the_graph(secret_project: Path) -> None:
    graph: ResourceGraph = run_preview(secret_project, "dev")
    masked: list[tuple[str, str]] = []
    for node in graph:
        for path, text in _strings(dict(node.inputs)):
            if SECRET_MASK in text:
                masked.append((node.name, path))
                assert _covered(path, node.secret_paths), (
                    node.type,
                    node.name,
                    path,
                    node.secret_paths,
                )
    # The addon's secret reached the cluster, as a secret; the kubeconfig reached the provider.
    assert ("shop-dev-ask-cluster", "addons[1].config") in masked
    cluster = next(n for n in graph if n.name == "shop-dev-ask-cluster")
    assert cluster.inputs["addons"][0]["name"] == "metrics-server"
    assert "addons[1].config" in cluster.secret_paths
    provider = next(n for n in graph if n.type == "pulumi:providers:kubernetes")
    assert provider.secret_paths == ("kubeconfig",)
    assert graph.outputs["kubeconfig"] == SECRET_MASK
    assert json.dumps(graph.to_dict()).count(CIPHERTEXTS["addon"]) == 0


@pytest.mark.parametrize("stack", ["dev", "prod", "local"])
def test_every_masked_value_of_the_shipped_stacks_is_at_a_secret_path(stack: str) -> None:
    from tests.conftest import PROJECT_ROOT

    graph = run_preview(PROJECT_ROOT, stack)
    for node in graph:
        for path, text in _strings(dict(node.inputs)):
            if SECRET_MASK in text:
                assert _covered(path, node.secret_paths), (node.type, node.name, path)
