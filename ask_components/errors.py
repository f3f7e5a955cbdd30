"""The project's exceptions. Each failure class maps to one ``askc`` exit code.

| exception           | exit code | meaning                                              |
| ------------------- | --------- | ---------------------------------------------------- |
| ``ConfigError``     | 2         | the stack config is invalid (every problem listed)   |
| ``ArgumentError``   | 2         | a component's arguments are invalid (every problem listed) |
| ``InputError``      | 2         | a file, URL or option given to a command is unusable |
| ``BackendError``    | 2         | the state backend (OSS/S3) refused or is misconfigured |
| ``CostGateError``   | 3         | ``--fail-above``: the monthly increase is too high   |
| ``ReplaceGateError`` | 3        | ``--fail-on-replace``: a stateful resource would be replaced |
| ``PolicyViolation`` | 1         | a mandatory policy failed                            |
| ``SandboxError``    | 1         | the sandbox provider refused a change, as the cloud would |
| ``LocalClusterError`` | 1       | the local (kind) cluster could not be read or changed |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class AskError(Exception):
    """Base class of every error the project raises on purpose."""

    exit_code: int = 2


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a stack config.

    Attributes:
        path: where it is, as a user writes it (``ask:platform.network.zones[1]``).
        message: what is wrong, and what would be right.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ConfigError(AskError):
    """The stack config is invalid. Lists every problem found, each with its config path."""

    exit_code = 2

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        self.problems: tuple[ConfigProblem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"invalid {self._subject()} ({count} {noun}):"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        return "\n".join(lines)

    def _subject(self) -> str:
        """What is invalid, as the first line says it."""
        return "stack config"


class ArgumentError(ConfigError, ValueError):
    """A component's arguments are invalid: every problem, each with its argument path
    (``egress``, ``autoscale.min``), found before the component registers anything.

    The rules and messages are the stack file's (``ask_components/arguments/``); a
    ``ConfigError`` (and a ``ValueError``) for callers that catch those.

    Attributes:
        component: the component's class name (``Network``).
        name: the component's logical name.
    """

    def __init__(self, component: str, name: str, problems: Iterable[ConfigProblem]) -> None:
        self.component = component
        self.name = name
        super().__init__(problems)

    def _subject(self) -> str:
        return f"arguments of {self.component} {self.name!r}"


class InputError(AskError):
    """A file, URL or option given to a command cannot be used (missing, unreadable, malformed)."""

    exit_code = 2


class BackendError(AskError):
    """The state backend (OSS or any S3 API) refused a request or is set up wrongly."""

    exit_code = 2


class CostGateError(AskError):
    """The monthly cost increase is above the ``--fail-above`` limit."""

    exit_code = 3


class ReplaceGateError(AskError):
    """``askc preview diff --fail-on-replace``: a stateful resource (cluster, ALB, NAT, EIP,
    vSwitch, VPC, private zone) would be replaced."""

    exit_code = 3


class PolicyViolation(AskError):
    """At least one mandatory policy failed."""

    exit_code = 1


class SandboxError(AskError):
    """The sandbox provider refused a change the way Alibaba Cloud would.

    Attributes:
        code: Alibaba's error code where one is documented (``DependencyViolation.VSwitch``),
            else the closest generic one (``InvalidParameter``).
        message: Alibaba's message, then what the sandbox found.
    """

    exit_code = 1

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


class LocalClusterError(AskError):
    """The local target's cluster could not be read or changed through ``kubectl`` (not
    installed, unknown context, CoreDNS's ConfigMap missing, the API server refusing)."""

    exit_code = 1
