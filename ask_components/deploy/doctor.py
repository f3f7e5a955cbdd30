"""``askc doctor``: what this machine has, and lacks, for ``pulumi up``.

Every check looks at local things only (programs on ``PATH`` and what they print, environment
variables, files under ``$HOME``); nothing talks to a network or a cloud. Each check is one line:
``ok``, ``missing`` (``pulumi up`` would fail: exit code 1), ``warning`` (it would run, but
something is off) or ``note`` (for your information). A credential's value is never printed:
only the names of the variables or files it comes from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from ask_components.config import REGION_KEY, PlatformConfig, is_region_id

PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/iac/download-install/"
KIND_INSTALL_URL = "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
KUBECTL_INSTALL_URL = "https://kubernetes.io/docs/tasks/tools/"
DOCKER_INSTALL_URL = "https://docs.docker.com/engine/install/"

COMMAND_TIMEOUT_SECONDS = 30
"""How long one local command (``pulumi version``, ``kind version``, ...) may take."""

PLUGIN_PACKAGES = (("alicloud", "pulumi_alicloud"), ("kubernetes", "pulumi_kubernetes"))
"""The provider plugins the program needs, and the SDK package that says which version."""

# The alicloud provider's environment variables, in the order it tries them
# (aliyun/terraform-provider-alicloud alicloud/provider.go, the schema's MultiEnvDefaultFunc of
# access_key, secret_key, security_token, ecs_role_name, region, profile,
# shared_credentials_file and credentials_uri; pulumi/pulumi-alicloud provider/resources.go adds
# only ALICLOUD_REGION, ALICLOUD_PROFILE and ALICLOUD_ECS_ROLE_NAME, which are already there).
# An empty variable counts as unset, as in MultiEnvDefaultFunc.
ACCESS_KEY_ENV = (
    "ALICLOUD_ACCESS_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
)
SECRET_KEY_ENV = (
    "ALICLOUD_SECRET_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
)
SECURITY_TOKEN_ENV = (
    "ALICLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
)
ECS_ROLE_ENV = ("ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA")
REGION_ENV = ("ALICLOUD_REGION", "ALIBABA_CLOUD_REGION")
PROFILE_ENV = ("ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE")
CREDENTIALS_FILE_ENV = ("ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE")
CREDENTIALS_URI_ENV = ("ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI")

DEFAULT_CREDENTIALS_FILE = Path(".aliyun") / "config.json"
"""The aliyun CLI's profiles, under ``$HOME`` (provider.go ``defaultConfigPath``)."""

MAX_CREDENTIALS_FILE_BYTES = 1024 * 1024

# Provider settings a stack file can hold that only a *default* provider reads ("each provider
# uses its package's global configuration settings, which are controlled by your stack's
# configuration", https://www.pulumi.com/docs/iac/concepts/resources/providers/). The program's
# alicloud resources go through an explicit provider (ask_components/targets/alicloud.py) given
# only the region, so these keys have no effect on them.
UNUSED_PROVIDER_KEYS = (
    "alicloud:accessKey",
    "alicloud:secretKey",
    "alicloud:securityToken",
    "alicloud:profile",
    "alicloud:sharedCredentialsFile",
    "alicloud:ecsRoleName",
    "alicloud:credentialsUri",
    "alicloud:assumeRole",
)

_VERSION_RE = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


class Status(StrEnum):
    """How a check came out."""

    OK = "ok"
    MISSING = "missing"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Check:
    """One line of the report.

    Attributes:
        status: how it came out.
        subject: what was checked (``Pulumi CLI``, ``plugin alicloud``, ``credentials``, ...).
        message: what was found, and for a problem what to do.
    """

    status: Status
    subject: str
    message: str

    def line(self) -> str:
        """The report line: the status in a column of its own, then subject and message."""
        return f"{self.status.value:<8}{self.subject}: {self.message}"


@dataclass(frozen=True)
class CommandResult:
    """What a local command did.

    Attributes:
        code: its exit code (None: it could not be started or timed out).
        stdout: what it printed.
        error: the first line of stderr, or why it could not run.
    """

    code: int | None
    stdout: str
    error: str


@dataclass(frozen=True)
class Machine:
    """What the checks may look at: the environment, ``$HOME`` and programs on ``PATH``.

    Attributes:
        env: the environment variables.
        home: the home directory.
        run: runs a command (argv) and returns what it did.
    """

    env: Mapping[str, str]
    home: Path
    run: Callable[[Sequence[str]], CommandResult]

    @classmethod
    def current(cls) -> Machine:
        """This machine: ``os.environ``, ``Path.home()``, commands run with a timeout."""
        env = dict(os.environ)
        return cls(env=env, home=Path.home(), run=lambda argv: run_command(argv, env))

    def which(self, program: str) -> str | None:
        """The path of a program on this environment's ``PATH``, or None."""
        return shutil.which(program, path=self.env.get("PATH", ""))

    def first_set(self, names: Sequence[str]) -> str | None:
        """The first of these variables that is set and not empty, or None."""
        return next((name for name in names if self.env.get(name)), None)


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> CommandResult:
    """Run a local command with a timeout; never raises for a command that fails."""
    # pulumi would otherwise ask the network for a newer version on every command.
    command_env = {**env, "PULUMI_SKIP_UPDATE_CHECK": "true"}
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
            env=command_env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return CommandResult(None, "", f"no answer in {COMMAND_TIMEOUT_SECONDS} s")
    except OSError as err:
        return CommandResult(None, "", err.strerror or str(err))
    first_error = next((line for line in done.stderr.splitlines() if line.strip()), "")
    return CommandResult(done.returncode, done.stdout, first_error.strip()[:200])


@dataclass(frozen=True)
class StackFacts:
    """What the checks need from a stack file.

    Attributes:
        name: the stack name.
        stack_file: the stack file, as the report names it (``stacks/Pulumi.prod.yaml``).
        config: the validated platform config (target, region, kubectl context).
        keys: every config key the stack file sets.
    """

    name: str
    stack_file: str
    config: PlatformConfig
    keys: frozenset[str]


def run_checks(machine: Machine, stack: StackFacts | None) -> tuple[Check, ...]:
    """Every check, in report order, for a stack (or for this machine alone with None)."""
    checks: list[Check] = []
    pulumi_path, cli_checks = _pulumi_cli(machine)
    checks.extend(cli_checks)
    checks.extend(_plugins(machine, pulumi_path))
    if stack is not None and stack.config.target == "local":
        checks.extend(_local_tools(machine, stack.config.local.kube_context))
        checks.append(
            Check(
                Status.NOTE,
                "credentials",
                "not needed: the local target creates no Alibaba Cloud resources",
            )
        )
    else:
        checks.append(_credentials(machine))
        if stack is not None:
            checks.extend(_unused_provider_keys(stack))
    checks.append(_region(machine, stack))
    return tuple(checks)


def exit_code(checks: Sequence[Check]) -> int:
    """1 when something ``pulumi up`` needs is missing, else 0."""
    return 1 if any(check.status is Status.MISSING for check in checks) else 0


def summary(checks: Sequence[Check], stack: str | None) -> str:
    """The report's last line."""
    command = f"`pulumi up --stack {stack}`" if stack else "`pulumi up`"
    missing = sum(check.status is Status.MISSING for check in checks)
    if missing == 0:
        return f"Nothing missing for {command}."
    noun = "thing" if missing == 1 else "things"
    return f"{missing} {noun} missing for {command}: see the lines marked missing."


def _version(text: str) -> tuple[int, int, int] | None:
    match = _VERSION_RE.search(text)
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def _dotted(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)


def minimum_cli_version() -> tuple[int, int, int] | None:
    """The oldest Pulumi CLI the installed pulumi SDK accepts, or None when it names none.

    The SDK's automation API refuses older CLIs (``pulumi/automation/_minimum_version.py``,
    read by ``pulumi/automation/_cmd.py``); the SDK documents no other minimum.
    """
    try:
        from pulumi.automation._minimum_version import _MINIMUM_VERSION
    except ImportError:
        return None
    return _version(str(_MINIMUM_VERSION))


def _pulumi_cli(machine: Machine) -> tuple[str | None, list[Check]]:
    subject = "Pulumi CLI"
    path = machine.which("pulumi")
    if path is None:
        return None, [
            Check(
                Status.MISSING,
                subject,
                f"not found on PATH; install it: {PULUMI_INSTALL_URL} "
                "(askc preview, cost and policy work without it)",
            )
        ]
    result = machine.run([path, "version"])
    if result.code != 0:
        return None, [
            Check(
                Status.MISSING,
                subject,
                f"`{path} version` failed ({_failure(result)}); reinstall it: {PULUMI_INSTALL_URL}",
            )
        ]
    version = _version(result.stdout)
    if version is None:
        printed = result.stdout.strip()[:80]
        return path, [
            Check(Status.WARNING, subject, f"`{path} version` printed {printed!r}, not a version")
        ]
    sdk = metadata.version("pulumi")
    minimum = minimum_cli_version()
    if minimum is None:
        return path, [
            Check(
                Status.OK,
                subject,
                f"v{_dotted(version)} at {path} "
                f"(the pulumi SDK {sdk} names no minimum CLI version)",
            )
        ]
    if version < minimum:
        return path, [
            Check(
                Status.MISSING,
                subject,
                f"v{_dotted(version)} at {path} is older than v{_dotted(minimum)}, the oldest the "
                f"pulumi SDK {sdk} accepts; upgrade it: {PULUMI_INSTALL_URL}",
            )
        ]
    return path, [
        Check(
            Status.OK,
            subject,
            f"v{_dotted(version)} at {path} (the pulumi SDK {sdk} accepts v{_dotted(minimum)} "
            "or later)",
        )
    ]


def _failure(result: CommandResult) -> str:
    if result.code is None:
        return result.error
    return f"exit {result.code}: {result.error}" if result.error else f"exit {result.code}"


def plugin_version(package: str) -> str | None:
    """The provider plugin version an installed Pulumi SDK package asks for (its
    ``pulumi-plugin.json``), or None when the package or the file is missing."""
    try:
        text = resources.files(package).joinpath("pulumi-plugin.json").read_text("utf-8")
        version = json.loads(text).get("version")
    except (ModuleNotFoundError, FileNotFoundError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def _plugins(machine: Machine, pulumi_path: str | None) -> list[Check]:
    wanted = [(name, plugin_version(package), package) for name, package in PLUGIN_PACKAGES]
    if pulumi_path is None:
        asked = ", ".join(f"{name} v{version}" for name, version, _ in wanted if version)
        return [
            Check(
                Status.NOTE,
                "plugins",
                f"not checked without the Pulumi CLI (the SDKs ask for {asked})",
            )
        ]
    result = machine.run([pulumi_path, "plugin", "ls", "--json"])
    installed = _installed_plugins(result)
    if installed is None:
        what = "printed no plugin list" if result.code == 0 else f"failed ({_failure(result)})"
        return [
            Check(
                Status.WARNING,
                "plugins",
                f"`pulumi plugin ls --json` {what}; `pulumi up` installs the plugins it lacks",
            )
        ]
    checks = []
    for name, version, package in wanted:
        subject = f"plugin {name}"
        if version is None:
            checks.append(
                Check(
                    Status.MISSING, subject, f"the {package} package is not installed: make setup"
                )
            )
            continue
        have = sorted(installed.get(name, set()))
        if version in have:
            checks.append(
                Check(Status.OK, subject, f"v{version} installed ({package} asks for it)")
            )
            continue
        other = f" (installed: {', '.join('v' + v for v in have)})" if have else ""
        checks.append(
            Check(
                Status.NOTE,
                subject,
                f"v{version} not installed{other}; `pulumi up` downloads it, or run: "
                f"pulumi plugin install resource {name} v{version}",
            )
        )
    return checks


def _installed_plugins(result: CommandResult) -> dict[str, set[str]] | None:
    """Resource plugin name -> installed versions, from ``pulumi plugin ls --json`` (a list of
    ``{"name", "kind", "version", ...}``, pulumi/pulumi ``pkg/cmd/pulumi/plugin/plugin_ls.go``
    ``pluginInfoJSON``); None when the command failed or printed something else."""
    if result.code != 0:
        return None
    try:
        listed: Any = json.loads(result.stdout or "[]")
    except ValueError:
        return None
    if not isinstance(listed, list):
        return None
    installed: dict[str, set[str]] = {}
    for plugin in listed:
        if not isinstance(plugin, dict) or plugin.get("kind") != "resource":
            continue
        name, version = plugin.get("name"), plugin.get("version")
        if isinstance(name, str) and isinstance(version, str):
            installed.setdefault(name, set()).add(version.removeprefix("v"))
    return installed


def _credentials(machine: Machine) -> Check:
    """Which credential source the alicloud provider will use; never a value."""
    subject = "credentials"
    key_id, secret = machine.first_set(ACCESS_KEY_ENV), machine.first_set(SECRET_KEY_ENV)
    if key_id and secret:
        token = machine.first_set(SECURITY_TOKEN_ENV)
        sts = f", with the STS token in {token}" if token else ""
        return Check(Status.OK, subject, f"an AccessKey pair from {key_id} and {secret}{sts}")
    if key_id or secret:
        have, lack = (key_id, SECRET_KEY_ENV[1]) if key_id else (secret, ACCESS_KEY_ENV[1])
        return Check(Status.MISSING, subject, f"{have} is set but its pair is not: set {lack}")
    profile_env = machine.first_set(PROFILE_ENV)
    if profile_env:
        return _profile(machine, profile_env)
    role_env = machine.first_set(ECS_ROLE_ENV)
    if role_env:
        return Check(
            Status.OK,
            subject,
            f"the RAM role of this ECS instance ({role_env}; works on an ECS instance only)",
        )
    uri_env = machine.first_set(CREDENTIALS_URI_ENV)
    if uri_env:
        return Check(Status.OK, subject, f"fetched from the URI in {uri_env}")
    return Check(
        Status.MISSING,
        subject,
        f"none found; set {ACCESS_KEY_ENV[1]} and {SECRET_KEY_ENV[1]}, or {PROFILE_ENV[1]} (a "
        f"profile of ~/{DEFAULT_CREDENTIALS_FILE}), or {ECS_ROLE_ENV[1]} (on an ECS instance)",
    )


def _profile(machine: Machine, profile_env: str) -> Check:
    """A named profile of the aliyun CLI's config file (provider.go ``getConfigFromProfile``)."""
    subject = "credentials"
    name = machine.env[profile_env]
    file_env = machine.first_set(CREDENTIALS_FILE_ENV)
    if file_env:
        path = Path(machine.env[file_env]).expanduser()
        shown = f"{path} ({file_env})"
    else:
        path = machine.home / DEFAULT_CREDENTIALS_FILE
        shown = f"~/{DEFAULT_CREDENTIALS_FILE}"
    try:
        if path.stat().st_size > MAX_CREDENTIALS_FILE_BYTES:
            return Check(Status.MISSING, subject, f"{shown} is larger than 1 MiB: not a config")
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Check(
            Status.MISSING,
            subject,
            f"{profile_env} names profile {name!r}, but {shown} does not exist: "
            f"run `aliyun configure --profile {name}`",
        )
    except (OSError, ValueError) as err:
        reason = "is not JSON" if isinstance(err, ValueError) else "cannot be read"
        return Check(Status.MISSING, subject, f"{shown} {reason}")
    profiles = document.get("profiles") if isinstance(document, dict) else None
    entries = [entry for entry in profiles or [] if isinstance(entry, dict)]
    found = next((entry for entry in entries if entry.get("name") == name), None)
    if found is None:
        names = ", ".join(repr(entry.get("name")) for entry in entries) or "none"
        return Check(
            Status.MISSING,
            subject,
            f"{profile_env} names profile {name!r}, which {shown} does not have (it has: {names})",
        )
    mode = found.get("mode")
    mode_text = f" (mode {mode})" if isinstance(mode, str) else ""
    return Check(
        Status.OK, subject, f"profile {name!r}{mode_text} of {shown}, named by {profile_env}"
    )


def _unused_provider_keys(stack: StackFacts) -> list[Check]:
    return [
        Check(
            Status.WARNING,
            key,
            f"set in {stack.stack_file} but not used: the program's alicloud resources go "
            "through an explicit provider that takes credentials from the environment only",
        )
        for key in UNUSED_PROVIDER_KEYS
        if key in stack.keys
    ]


def _region(machine: Machine, stack: StackFacts | None) -> Check:
    if stack is not None:
        if REGION_KEY not in stack.keys:  # only the local target may leave it out
            where = f"the local target's default: {REGION_KEY} is not set in {stack.stack_file}"
        else:
            where = f"{REGION_KEY} in {stack.stack_file}"
        return Check(Status.OK, "region", f"{stack.config.region} ({where})")
    region_env = machine.first_set(REGION_ENV)
    if region_env is None:
        return Check(
            Status.NOTE,
            "region",
            f"the program takes it from the stack's {REGION_KEY}; pass --stack NAME to check it",
        )
    region = machine.env[region_env]
    if not is_region_id(region):
        return Check(
            Status.WARNING,
            "region",
            f"{region_env}={region!r} is not an Alibaba region id like cn-hangzhou",
        )
    return Check(
        Status.OK, "region", f"{region} ({region_env}; a stack's {REGION_KEY} takes precedence)"
    )


_LOCAL_TOOLS = (
    ("kind", ("version",), KIND_INSTALL_URL),
    ("kubectl", ("version", "--client"), KUBECTL_INSTALL_URL),
    ("docker", ("--version",), DOCKER_INSTALL_URL),
)


def _local_tools(machine: Machine, context: str) -> list[Check]:
    """kind, kubectl and docker for the local target, and the kubectl context it deploys to."""
    checks = []
    kubectl: str | None = None
    for tool, version_args, url in _LOCAL_TOOLS:
        path = machine.which(tool)
        if path is None:
            checks.append(Check(Status.MISSING, tool, f"not found on PATH; install it: {url}"))
            continue
        if tool == "kubectl":
            kubectl = path
        result = machine.run([path, *version_args])
        printed = next((line.strip() for line in result.stdout.splitlines() if line.strip()), "")
        if result.code != 0 or not printed:
            checks.append(
                Check(
                    Status.WARNING,
                    tool,
                    f"`{tool} {' '.join(version_args)}` failed ({_failure(result)})",
                )
            )
            continue
        checks.append(Check(Status.OK, tool, f"{printed[:80]} at {path}"))
    subject = f"kubectl context {context}"
    if kubectl is None:
        checks.append(Check(Status.NOTE, subject, "not checked without kubectl"))
        return checks
    result = machine.run([kubectl, "config", "get-contexts", "-o", "name"])
    if result.code != 0:
        checks.append(
            Check(
                Status.WARNING,
                subject,
                f"`kubectl config get-contexts` failed ({_failure(result)})",
            )
        )
    elif context in result.stdout.split():
        checks.append(Check(Status.OK, subject, "in your kubeconfig (ask:local.kubeContext)"))
    else:
        checks.append(
            Check(
                Status.MISSING,
                subject,
                "not in your kubeconfig: `make kind-up` creates the kind cluster and its context",
            )
        )
    return checks
