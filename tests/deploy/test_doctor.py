"""askc doctor: one line per check, exact, against fake pulumi/kind/kubectl/docker scripts on a
PATH of their own; credentials never printed; the exit codes."""

from __future__ import annotations

import json
import stat
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ask_components.cli import app
from ask_components.deploy import doctor
from ask_components.deploy.doctor import minimum_cli_version, plugin_version
from tests.conftest import PROJECT_ROOT

runner = CliRunner()

ALICLOUD = plugin_version("pulumi_alicloud")
KUBERNETES = plugin_version("pulumi_kubernetes")
SDK = metadata.version("pulumi")

_ALL_ENV = (
    *doctor.ACCESS_KEY_ENV,
    *doctor.SECRET_KEY_ENV,
    *doctor.SECURITY_TOKEN_ENV,
    *doctor.ECS_ROLE_ENV,
    *doctor.REGION_ENV,
    *doctor.PROFILE_ENV,
    *doctor.CREDENTIALS_FILE_ENV,
    *doctor.CREDENTIALS_URI_ENV,
    "KUBECONFIG",
)


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with nothing on PATH but a folder of fakes (returned), an empty home, and no
    Alibaba Cloud variable set."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    for name in _ALL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("HOME", str(home))
    return bin_dir


def fake(bin_dir: Path, name: str, cases: dict[str, str | tuple[str, int]]) -> Path:
    """A ``/bin/sh`` program answering ``name <args>`` with the text (and exit code, default 0)
    of the first case whose key is a prefix of the arguments; anything else fails as an unknown
    command would. It fails too when run without PULUMI_SKIP_UPDATE_CHECK=true (doctor must
    never let pulumi go online)."""
    lines = ["#!/bin/sh", '[ "$PULUMI_SKIP_UPDATE_CHECK" = true ] || exit 97', 'case "$*" in']
    for prefix, answer in cases.items():
        text, code = answer if isinstance(answer, tuple) else (answer, 0)
        quoted = text.replace("'", "'\\''")
        lines.append(f"  '{prefix}'*) printf '%s\\n' '{quoted}'; exit {code} ;;")
    lines += ["  *) printf 'unknown command: %s\\n' \"$*\" >&2; exit 2 ;;", "esac"]
    path = bin_dir / name
    path.write_text("\n".join(lines) + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def plugins_json(*plugins: tuple[str, str, str]) -> str:
    return json.dumps(
        [
            {"name": name, "kind": kind, "version": version, "size": 1024}
            for name, kind, version in plugins
        ]
    )


def fake_pulumi(bin_dir: Path, version: str = "v3.190.0", plugins: str | None = None) -> Path:
    listed = (
        plugins
        if plugins is not None
        else plugins_json(
            ("alicloud", "resource", str(ALICLOUD)), ("kubernetes", "resource", str(KUBERNETES))
        )
    )
    return fake(bin_dir, "pulumi", {"version": version, "plugin ls --json": listed})


def set_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def doctor_run(*args: str) -> Result:
    return runner.invoke(app, ["doctor", *args, "-C", str(PROJECT_ROOT)])


def lines(result: Result) -> list[str]:
    return result.stdout.splitlines()


def cli_ok(bin_dir: Path) -> str:
    return (
        f"ok      Pulumi CLI: v3.190.0 at {bin_dir}/pulumi (the pulumi SDK {SDK} accepts v3.1.0 "
        "or later)"
    )


PLUGINS_OK = [
    f"ok      plugin alicloud: v{ALICLOUD} installed (pulumi_alicloud asks for it)",
    f"ok      plugin kubernetes: v{KUBERNETES} installed (pulumi_kubernetes asks for it)",
]


def test_the_sdk_names_its_minimum_cli_version() -> None:
    assert minimum_cli_version() == (3, 1, 0)
    assert metadata.version("pulumi_alicloud") == ALICLOUD
    assert metadata.version("pulumi_kubernetes") == KUBERNETES


def test_a_ready_machine_for_the_prod_stack(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pulumi(machine)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    result = doctor_run("--stack", "prod")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        cli_ok(machine),
        *PLUGINS_OK,
        "ok      credentials: an AccessKey pair from ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ok      region: cn-hangzhou (alicloud:region in stacks/Pulumi.prod.yaml)",
        "Nothing missing for `pulumi up --stack prod`.",
    ]
    assert result.stderr == ""


def test_without_the_cli_it_says_what_still_works(machine: Path) -> None:
    result = doctor_run("--stack", "dev")
    assert result.exit_code == 1
    assert lines(result) == [
        "missing Pulumi CLI: not found on PATH; install it: "
        "https://www.pulumi.com/docs/iac/download-install/ (askc preview, cost and policy work "
        "without it)",
        f"note    plugins: not checked without the Pulumi CLI (the SDKs ask for alicloud "
        f"v{ALICLOUD}, kubernetes v{KUBERNETES})",
        "missing credentials: none found; set ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALIBABA_CLOUD_PROFILE (a profile of "
        "~/.aliyun/config.json), or ALIBABA_CLOUD_ECS_METADATA (on an ECS instance)",
        "ok      region: cn-hangzhou (alicloud:region in stacks/Pulumi.dev.yaml)",
        "2 things missing for `pulumi up --stack dev`: see the lines marked missing.",
    ]


def test_an_old_cli_is_missing(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pulumi(machine, version="v3.0.2")
    monkeypatch.setenv("ALICLOUD_ACCESS_KEY", "id")
    monkeypatch.setenv("ALICLOUD_SECRET_KEY", "secret")
    result = doctor_run()
    assert result.exit_code == 1
    assert lines(result)[0] == (
        f"missing Pulumi CLI: v3.0.2 at {machine}/pulumi is older than v3.1.0, the oldest the "
        f"pulumi SDK {SDK} accepts; upgrade it: https://www.pulumi.com/docs/iac/download-install/"
    )
    assert lines(result)[-1] == "1 thing missing for `pulumi up`: see the lines marked missing."


def test_a_cli_that_fails_or_prints_no_version(machine: Path) -> None:
    fake(machine, "pulumi", {"version": ("panic: no home", 3)})
    assert lines(doctor_run())[0] == (
        f"missing Pulumi CLI: `{machine}/pulumi version` failed (exit 3); reinstall it: "
        "https://www.pulumi.com/docs/iac/download-install/"
    )
    fake(machine, "pulumi", {"version": "development", "plugin ls --json": "[]"})
    assert lines(doctor_run())[0] == (
        f"warning Pulumi CLI: `{machine}/pulumi version` printed 'development', not a version"
    )


def test_the_cli_never_goes_online(machine: Path) -> None:
    """The fakes exit 97 without PULUMI_SKIP_UPDATE_CHECK=true: a passing version check shows
    that doctor set it."""
    fake_pulumi(machine)
    assert lines(doctor_run())[0] == cli_ok(machine)


def test_plugins_missing_or_of_another_version_are_notes(
    machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pulumi(
        machine,
        plugins=plugins_json(
            ("kubernetes", "resource", "4.30.0"),
            ("kubernetes", "resource", "4.18.0"),
            ("alicloud", "language", str(ALICLOUD)),  # not a resource plugin
            ("python", "language", "3.190.0"),
        ),
    )
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    result = doctor_run("--stack", "prod")
    assert result.exit_code == 0
    assert lines(result)[1:3] == [
        f"note    plugin alicloud: v{ALICLOUD} not installed; `pulumi up` downloads it, or run: "
        f"pulumi plugin install resource alicloud v{ALICLOUD}",
        f"note    plugin kubernetes: v{KUBERNETES} not installed (installed: v4.18.0, v4.30.0); "
        f"`pulumi up` downloads it, or run: pulumi plugin install resource kubernetes "
        f"v{KUBERNETES}",
    ]


def test_an_unreadable_plugin_list_is_a_warning(machine: Path) -> None:
    fake_pulumi(machine, plugins="plugins: none")
    assert lines(doctor_run())[1] == (
        "warning plugins: `pulumi plugin ls --json` printed no plugin list; `pulumi up` "
        "installs the plugins it lacks"
    )
    fake(machine, "pulumi", {"version": "v3.190.0", "plugin ls": ("boom", 4)})
    assert lines(doctor_run())[1] == (
        "warning plugins: `pulumi plugin ls --json` failed (exit 4); `pulumi up` installs the "
        "plugins it lacks"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {
                "ALICLOUD_ACCESS_KEY": "a",
                "ALICLOUD_SECRET_KEY": "b",
                "ALICLOUD_SECURITY_TOKEN": "c",
            },
            "ok      credentials: an AccessKey pair from ALICLOUD_ACCESS_KEY and "
            "ALICLOUD_SECRET_KEY, with the STS token in ALICLOUD_SECURITY_TOKEN",
        ),
        (
            # An empty variable is unset, as the provider's MultiEnvDefaultFunc has it.
            {
                "ALICLOUD_ACCESS_KEY": "",
                "ALIBABACLOUD_ACCESS_KEY_ID": "a",
                "ALICLOUD_SECRET_KEY": "b",
            },
            "ok      credentials: an AccessKey pair from ALIBABACLOUD_ACCESS_KEY_ID and "
            "ALICLOUD_SECRET_KEY",
        ),
        (
            {"ALIBABA_CLOUD_ACCESS_KEY_ID": "a"},
            "missing credentials: ALIBABA_CLOUD_ACCESS_KEY_ID is set but its pair is not: set "
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        ),
        (
            {"ALICLOUD_SECRET_KEY": "b"},
            "missing credentials: ALICLOUD_SECRET_KEY is set but its pair is not: set "
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
        ),
        (
            {"ALIBABA_CLOUD_ECS_METADATA": "deployer-role"},
            "ok      credentials: the RAM role of this ECS instance (ALIBABA_CLOUD_ECS_METADATA; "
            "works on an ECS instance only)",
        ),
        (
            {"ALIBABA_CLOUD_CREDENTIALS_URI": "http://127.0.0.1:9/creds"},
            "ok      credentials: fetched from the URI in ALIBABA_CLOUD_CREDENTIALS_URI",
        ),
    ],
)
def test_credential_sources(
    machine: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    set_env(monkeypatch, env)
    result = doctor_run()
    assert lines(result)[2] == expected
    missing = 2 if expected.startswith("missing") else 1  # the CLI is missing too
    assert lines(result)[-1].startswith(f"{missing} thing")


PROFILES = {
    "current": "default",
    "profiles": [
        {
            "name": "default",
            "mode": "AK",
            "access_key_id": "Kq8vZprofileIDvalue",
            "access_key_secret": "Wm3xYprofileSECRETvalue",
            "region_id": "cn-hangzhou",
        },
        {"name": "ci", "mode": "StsToken", "sts_token": "Jt5nRprofileSTSvalue"},
    ],
}


def test_a_profile_of_the_aliyun_cli(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Path(str(machine.parent / "home"))
    (home / ".aliyun").mkdir()
    (home / ".aliyun" / "config.json").write_text(json.dumps(PROFILES))
    monkeypatch.setenv("ALIBABA_CLOUD_PROFILE", "ci")
    assert lines(doctor_run())[2] == (
        "ok      credentials: profile 'ci' (mode StsToken) of ~/.aliyun/config.json, named by "
        "ALIBABA_CLOUD_PROFILE"
    )
    monkeypatch.setenv("ALIBABA_CLOUD_PROFILE", "prod")
    assert lines(doctor_run())[2] == (
        "missing credentials: ALIBABA_CLOUD_PROFILE names profile 'prod', which "
        "~/.aliyun/config.json does not have (it has: 'default', 'ci')"
    )


def test_a_profile_file_named_by_the_environment(
    machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = machine.parent / "creds.json"
    monkeypatch.setenv("ALICLOUD_PROFILE", "default")
    monkeypatch.setenv("ALICLOUD_SHARED_CREDENTIALS_FILE", str(path))
    assert lines(doctor_run())[2] == (
        f"missing credentials: ALICLOUD_PROFILE names profile 'default', but {path} "
        "(ALICLOUD_SHARED_CREDENTIALS_FILE) does not exist: run `aliyun configure --profile "
        "default`"
    )
    path.write_text("{profiles: [")
    assert lines(doctor_run())[2] == (
        f"missing credentials: {path} (ALICLOUD_SHARED_CREDENTIALS_FILE) is not JSON"
    )
    path.write_text(json.dumps(PROFILES))
    assert lines(doctor_run())[2] == (
        f"ok      credentials: profile 'default' (mode AK) of {path} "
        "(ALICLOUD_SHARED_CREDENTIALS_FILE), named by ALICLOUD_PROFILE"
    )


def test_no_credential_value_is_ever_printed(
    machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pulumi(machine)
    values = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "Zr4qLTAIenvIDvalue",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "Hx2mpenvSECRETvalue",
        "ALIBABA_CLOUD_SECURITY_TOKEN": "Vb9wkenvSTStokenvalue",
    }
    set_env(monkeypatch, values)
    outputs = [doctor_run("--stack", "prod").output]
    # The same with the secrets in a profile instead.
    for name in values:
        monkeypatch.delenv(name)
    home = machine.parent / "home"
    (home / ".aliyun").mkdir()
    (home / ".aliyun" / "config.json").write_text(json.dumps(PROFILES))
    monkeypatch.setenv("ALIBABA_CLOUD_PROFILE", "default")
    outputs.append(doctor_run("--stack", "prod").output)
    assert "credentials: an AccessKey pair" in outputs[0]
    assert "credentials: profile 'default'" in outputs[1]
    secrets = [*values.values(), "Kq8vZprofileIDvalue", "Wm3xYprofileSECRETvalue"]
    for output in outputs:
        for secret in secrets:
            # Not the value, and not its first five characters either.
            assert secret[:5] not in output, secret


def test_provider_credentials_in_the_stack_file_are_flagged(
    project_copy: Path, machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack_file = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack_file.write_text(
        stack_file.read_text()
        + "  alicloud:accessKey: {secure: v1:bm9uY2U=:Y2lwaGVy}\n"
        + "  alicloud:profile: ci\n"
    )
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret")
    result = runner.invoke(app, ["doctor", "--stack", "dev", "-C", str(project_copy)])
    assert lines(result)[3:6] == [
        "warning alicloud:accessKey: set in stacks/Pulumi.dev.yaml but not used: the program's "
        "alicloud resources go through an explicit provider that takes credentials from the "
        "environment only",
        "warning alicloud:profile: set in stacks/Pulumi.dev.yaml but not used: the program's "
        "alicloud resources go through an explicit provider that takes credentials from the "
        "environment only",
        "ok      region: cn-hangzhou (alicloud:region in stacks/Pulumi.dev.yaml)",
    ]
    # Warnings alone never fail: only the missing CLI does.
    assert lines(result)[-1] == (
        "1 thing missing for `pulumi up --stack dev`: see the lines marked missing."
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {},
            "note    region: the program takes it from the stack's alicloud:region; pass "
            "--stack NAME to check it",
        ),
        (
            {"ALIBABA_CLOUD_REGION": "ap-southeast-1"},
            "ok      region: ap-southeast-1 (ALIBABA_CLOUD_REGION; a stack's alicloud:region "
            "takes precedence)",
        ),
        (
            {"ALICLOUD_REGION": "Hangzhou"},
            "warning region: ALICLOUD_REGION='Hangzhou' is not an Alibaba region id like "
            "cn-hangzhou",
        ),
    ],
)
def test_region_without_a_stack(
    machine: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    set_env(monkeypatch, env)
    assert lines(doctor_run())[-2] == expected


def fake_local_tools(bin_dir: Path, contexts: str = "kind-ask\nminikube") -> None:
    fake(bin_dir, "kind", {"version": "kind v0.27.0 go1.23.4 linux/amd64"})
    fake(
        bin_dir,
        "kubectl",
        {
            "version --client": "Client Version: v1.32.2\nKustomize Version: v5.5.0",
            "config get-contexts -o name": contexts,
        },
    )
    fake(bin_dir, "docker", {"--version": "Docker version 27.5.1, build 9f9e405"})


def test_the_local_stack_needs_kind_kubectl_docker_and_its_context(machine: Path) -> None:
    fake_pulumi(machine)
    fake_local_tools(machine)
    result = doctor_run("--stack", "local")
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        cli_ok(machine),
        *PLUGINS_OK,
        f"ok      kind: kind v0.27.0 go1.23.4 linux/amd64 at {machine}/kind",
        f"ok      kubectl: Client Version: v1.32.2 at {machine}/kubectl",
        f"ok      docker: Docker version 27.5.1, build 9f9e405 at {machine}/docker",
        "ok      kubectl context kind-ask: in your kubeconfig (ask:local.kubeContext)",
        "note    credentials: not needed: the local target creates no Alibaba Cloud resources",
        "ok      region: cn-hangzhou (alicloud:region in stacks/Pulumi.local.yaml)",
        "Nothing missing for `pulumi up --stack local`.",
    ]


def test_the_local_stack_without_its_cluster_or_tools(machine: Path) -> None:
    fake_pulumi(machine)
    fake_local_tools(machine, contexts="minikube")
    (machine / "docker").unlink()
    result = doctor_run("--stack", "local")
    assert result.exit_code == 1
    assert lines(result)[5:7] == [
        "missing docker: not found on PATH; install it: https://docs.docker.com/engine/install/",
        "missing kubectl context kind-ask: not in your kubeconfig: `make kind-up` creates the kind "
        "cluster and its context",
    ]
    (machine / "kubectl").unlink()
    assert lines(doctor_run("--stack", "local"))[4:7] == [
        "missing kubectl: not found on PATH; install it: https://kubernetes.io/docs/tasks/tools/",
        "missing docker: not found on PATH; install it: https://docs.docker.com/engine/install/",
        "note    kubectl context kind-ask: not checked without kubectl",
    ]


def test_an_unknown_stack_is_bad_input(machine: Path) -> None:
    result = doctor_run("--stack", "qa")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: stack 'qa' has no config file {PROJECT_ROOT}/stacks/Pulumi.qa.yaml (stacks with "
        "one: ack-pro, acs, dev, local, prod)\n"
    )


def test_an_invalid_stack_is_bad_input(project_copy: Path, machine: Path) -> None:
    (project_copy / "stacks" / "Pulumi.qa.yaml").write_text(
        "config:\n  alicloud:region: cn_hangzhou\n  ask:platform: {name: shop}\n"
    )
    result = runner.invoke(app, ["doctor", "--stack", "qa", "-C", str(project_copy)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: invalid stack config (2 problems):\n"
        "  - ask:platform.network: is required\n"
        "  - alicloud:region: 'cn_hangzhou' is not an Alibaba region id like cn-hangzhou\n"
    )


def test_a_local_stack_without_a_region_says_which_it_assumes(
    project_copy: Path, machine: Path
) -> None:
    stack_file = project_copy / "stacks" / "Pulumi.local.yaml"
    stack_file.write_text(stack_file.read_text().replace("  alicloud:region: cn-hangzhou\n", ""))
    result = runner.invoke(app, ["doctor", "--stack", "local", "-C", str(project_copy)])
    assert lines(result)[-2] == (
        "ok      region: cn-hangzhou (the local target's default: alicloud:region is not set in "
        "stacks/Pulumi.local.yaml)"
    )
