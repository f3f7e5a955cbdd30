"""Validate every Kubernetes manifest a program renders, offline.

Built-in kinds are checked with the OpenAPI schemas ``kubernetes-validate`` ships (Kubernetes
1.25–1.37), in strict mode: an unknown field is an error, as the API server's strict field
validation makes it. Custom resources (ACK's CronHPA, the spark-operator's SparkApplication and
ScheduledSparkApplication, and whatever later layers add) are checked with the JSON schemas in
``ask_components/schemas/<kind>_<apiVersion with / as _>.json``, strict for the fields the project
renders. A kind without a schema is a problem too: "every manifest validates" has no exceptions.

Schemas are loaded once per (Kubernetes version, kind) and kept: ``kubernetes_validate.validate``
re-reads a 1.4 MB definitions file on every call.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

from ask_components.errors import AskError
from ask_components.preview.graph import SECRET_MASK, UNKNOWN_MARK, ResourceGraph, ResourceNode

__all__ = [
    "DEFAULT_KUBERNETES_VERSION",
    "SCHEMA_DIR",
    "ManifestProblem",
    "SchemaError",
    "manifest_of",
    "schema_version",
    "validate_graph",
    "validate_manifest",
]

DEFAULT_KUBERNETES_VERSION: Final = "1.33"
"""Version validated against when none is given: the newest the library knows up to this one."""

SCHEMA_DIR: Final = Path(__file__).resolve().parent.parent / "schemas"
"""Where the project's custom-resource schemas live."""


# Type tokens of the kubernetes package that are not manifests of their own.
_NOT_MANIFESTS: Final = re.compile(r"^kubernetes:(helm\.sh|yaml|kustomize)[/:]")


class SchemaError(AskError):
    """A Kubernetes version the validator cannot serve, or a schema file it cannot read."""


@dataclass(frozen=True)
class ManifestProblem:
    """One way a rendered manifest breaks its schema.

    Attributes:
        resource: the Pulumi logical name of the resource.
        kind: ``apiVersion/kind`` of the manifest (``apps/v1/Deployment``).
        name: the object's ``namespace/name`` (or ``name``).
        path: where in the manifest (``spec.template.spec.containers[0].resources``), or "".
        message: what is wrong.
    """

    resource: str
    kind: str
    name: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"{self.kind} {self.name} ({self.resource}){where}: {self.message}"


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _schema_root() -> Any:
    try:
        return resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    except ModuleNotFoundError:
        raise SchemaError(
            "validating manifests needs kubernetes-validate: pip install 'ask-components[validate]'"
        ) from None


@functools.cache
def _known_versions() -> tuple[str, ...]:
    """The Kubernetes minor versions kubernetes-validate has schemas for, oldest first."""
    root = _schema_root()
    versions = {
        match.group(1)
        for entry in root.iterdir()
        if (match := re.fullmatch(r"v(\d+\.\d+)\.\d+-local-strict", entry.name))
    }
    return tuple(sorted(versions, key=_version_tuple))


def schema_version(kubernetes_version: str) -> str:
    """The schema version used for a cluster version: the newest known that is not newer.

    Args:
        kubernetes_version: ``"1.33"``, ``"1.33.3"``, ``"v1.33.3-aliyun.1"``.

    Raises:
        SchemaError: the version is malformed or older than every schema.
    """
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?(?:-[\w.]+)?", kubernetes_version)
    if match is None:
        raise SchemaError(f"{kubernetes_version!r} is not a Kubernetes version like 1.33")
    wanted = (int(match.group(1)), int(match.group(2)))
    candidates = [v for v in _known_versions() if _version_tuple(v) <= wanted]
    if not candidates:
        raise SchemaError(
            f"Kubernetes {kubernetes_version} is older than every schema kubernetes-validate "
            f"ships (oldest: {_known_versions()[0]})"
        )
    return candidates[-1]


@functools.cache
def _definitions(version: str) -> Any:
    from referencing import Resource

    text = (
        _schema_root()
        .joinpath(f"v{version}.0-local-strict", "_definitions.json")
        .read_text("utf-8")
    )
    return Resource.from_contents(json.loads(text))


def _api_file_part(api_version: str) -> str:
    # As kubernetes-validate names its files: rbac.authorization.k8s.io/v1 -> rbac-v1, v1 -> v1.
    return re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)


def _custom_schema_file(api_version: str, kind: str) -> Path:
    return SCHEMA_DIR / f"{kind.lower()}_{api_version.replace('/', '_')}.json"


@functools.cache
def _validator(version: str, api_version: str, kind: str) -> Any:
    """A validator for the kind, or None when neither Kubernetes nor the project has a schema."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    custom = _custom_schema_file(api_version, kind)
    if custom.exists():
        try:
            schema = json.loads(custom.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise SchemaError(f"schema {custom} cannot be read: {error}") from None
        return Draft202012Validator(schema)
    path = _schema_root().joinpath(
        f"v{version}.0-local-strict", f"{kind.lower()}-{_api_file_part(api_version)}.json"
    )
    if not path.is_file():
        return None
    schema = json.loads(path.read_text("utf-8"))
    registry: Registry[Any] = Resource.from_contents(schema) @ Registry()
    registry = _definitions(version) @ registry
    return Draft202012Validator(schema, registry=registry)


def _without_placeholders(value: Any) -> Any:
    """Drop values only known after deployment or kept secret: they cannot be checked offline."""
    if isinstance(value, Mapping):
        return {
            key: _without_placeholders(item)
            for key, item in value.items()
            if item not in (SECRET_MASK, UNKNOWN_MARK)
        }
    if isinstance(value, list):
        return [
            _without_placeholders(item) for item in value if item not in (SECRET_MASK, UNKNOWN_MARK)
        ]
    return value


def manifest_of(node: ResourceNode) -> dict[str, Any] | None:
    """The Kubernetes manifest a ``kubernetes:*`` resource stands for, or None for other nodes.

    ``apiVersion`` and ``kind`` come from the type token (``kubernetes:apps/v1:Deployment`` ->
    ``apps/v1``, ``Deployment``; the core group ``kubernetes:core/v1:Service`` -> ``v1``); the
    rest is the resource's inputs, with secret and unknown values left out.
    """
    if (
        not node.custom
        or not node.type.startswith("kubernetes:")
        or _NOT_MANIFESTS.match(node.type)
    ):
        return None
    parts = node.type.split(":")
    if len(parts) != 3 or "/" not in parts[1]:
        return None
    group_version, kind = parts[1], parts[2]
    api_version = (
        group_version.removeprefix("core/") if group_version.startswith("core/") else group_version
    )
    body = {key: value for key, value in node.inputs.items() if key not in ("apiVersion", "kind")}
    return {"apiVersion": api_version, "kind": kind, **_without_placeholders(body)}


def _path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def validate_manifest(
    manifest: Mapping[str, Any], kubernetes_version: str = DEFAULT_KUBERNETES_VERSION
) -> list[tuple[str, str]]:
    """Validate one manifest; returns (path, message) per problem, none when it is valid.

    Raises:
        SchemaError: the Kubernetes version cannot be served.
    """
    version = schema_version(kubernetes_version)
    api_version = str(manifest.get("apiVersion", ""))
    kind = str(manifest.get("kind", ""))
    validator = _validator(version, api_version, kind)
    if validator is None:
        custom = _custom_schema_file(api_version, kind).relative_to(SCHEMA_DIR.parent.parent)
        return [
            (
                "",
                f"no schema for {api_version} {kind}: Kubernetes {version} has no such kind and "
                f"the project ships none ({custom})",
            )
        ]
    errors = sorted(validator.iter_errors(manifest), key=lambda error: list(error.absolute_path))
    return [(_path(error.absolute_path), error.message) for error in errors]


def validate_graph(
    graph: ResourceGraph, kubernetes_version: str = DEFAULT_KUBERNETES_VERSION
) -> list[ManifestProblem]:
    """Validate the manifest of every ``kubernetes:*`` resource in a graph.

    Args:
        graph: the resources a program registers (e.g. from ``run_preview``).
        kubernetes_version: the cluster's version (``PlatformConfig.kubernetes_version``).

    Returns:
        Every problem, in graph order; an empty list when every manifest validates.

    Raises:
        SchemaError: the Kubernetes version cannot be served.
    """
    problems: list[ManifestProblem] = []
    for node in graph:
        manifest = manifest_of(node)
        if manifest is None:
            continue
        metadata = manifest.get("metadata") or {}
        name = str(metadata.get("name", "?"))
        if metadata.get("namespace"):
            name = f"{metadata['namespace']}/{name}"
        kind = f"{manifest['apiVersion']}/{manifest['kind']}"
        problems.extend(
            ManifestProblem(node.name, kind, name, path, message)
            for path, message in validate_manifest(manifest, kubernetes_version)
        )
    return problems
