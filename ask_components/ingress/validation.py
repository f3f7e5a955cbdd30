"""Validate rendered manifests: Kubernetes kinds against the official OpenAPI schemas
(kubernetes-validate, strict: unknown fields are errors) and AlbConfig against the schema this
project ships (``ask_components/schemas/albconfig_alibabacloud.com_v1.json``).

kubernetes-validate re-reads a 1.4 MB definitions file on every call, so schemas and validators
are loaded once per (Kubernetes version, kind) and cached here. ``kubernetes-validate`` and
``jsonschema`` are development dependencies: they are imported on first use.

(The workloads branch is writing a shared ``validate_graph``; until it lands, this is the
ingress branch's own, and AlbConfig's schema moves into the shared one's CRD schemas then.)
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ask_components.errors import AskError

ALBCONFIG_TYPE = "kubernetes:alibabacloud.com/v1:AlbConfig"

# Graph type tokens of the manifests the ingress renders; others are left to their owners.
INGRESS_TYPES = (
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1:IngressClass",
    "kubernetes:core/v1:Service",
    ALBCONFIG_TYPE,
)


class ManifestError(AskError):
    """A rendered manifest does not validate."""

    exit_code = 1


@dataclass(frozen=True)
class ManifestProblem:
    """One manifest that failed validation.

    Attributes:
        resource: what it is (``Ingress default/web`` or a graph URN).
        path: where in the manifest (``spec.rules[0].host``), '' for the top.
        message: what the schema says.
    """

    resource: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"{self.resource}{where}: {self.message}"


def manifest_problems(
    manifest: Mapping[str, Any], kubernetes_version: str
) -> list[ManifestProblem]:
    """Every schema error of one manifest (empty when it validates).

    Args:
        manifest: the manifest, as sent to the API server.
        kubernetes_version: the cluster's version (``1.33``); the newest schema not newer is used.

    Raises:
        ManifestError: the kind has no schema (neither Kubernetes nor shipped).
    """
    validator = _validator_for(
        str(manifest.get("apiVersion", "")), str(manifest.get("kind", "")), kubernetes_version
    )
    label = _label(manifest)
    return [
        ManifestProblem(label, _json_path(error.absolute_path), error.message)
        for error in sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    ]


def validate_manifest(manifest: Mapping[str, Any], kubernetes_version: str) -> None:
    """Raise ``ManifestError`` listing every schema error of ``manifest``."""
    problems = manifest_problems(manifest, kubernetes_version)
    if problems:
        raise ManifestError("\n".join(str(problem) for problem in problems))


def graph_manifests(nodes: Iterable[Any], types: Iterable[str] = INGRESS_TYPES) -> list[Any]:
    """The nodes of a ResourceGraph whose inputs are Kubernetes manifests of ``types``."""
    wanted = set(types)
    return [node for node in nodes if node.type in wanted]


def graph_problems(
    nodes: Iterable[Any], kubernetes_version: str, types: Iterable[str] = INGRESS_TYPES
) -> list[ManifestProblem]:
    """Validate every manifest of ``types`` in a ResourceGraph (a node's inputs are its
    manifest; the offline preview restores integral floats to ints)."""
    problems: list[ManifestProblem] = []
    for node in graph_manifests(nodes, types):
        manifest = {key: value for key, value in node.inputs.items() if not key.startswith("__")}
        problems.extend(
            ManifestProblem(node.urn, problem.path, problem.message)
            for problem in manifest_problems(manifest, kubernetes_version)
        )
    return problems


def _label(manifest: Mapping[str, Any]) -> str:
    metadata = manifest.get("metadata") or {}
    name = metadata.get("name", "?") if isinstance(metadata, Mapping) else "?"
    namespace = metadata.get("namespace") if isinstance(metadata, Mapping) else None
    return f"{manifest.get('kind', '?')} {namespace + '/' if namespace else ''}{name}"


def _json_path(parts: Iterable[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


@functools.cache
def _validator_for(api_version: str, kind: str, kubernetes_version: str) -> Any:
    if api_version == "alibabacloud.com/v1" and kind == "AlbConfig":
        return _albconfig_validator()
    return _kubernetes_validator(api_version, kind, _schema_version(kubernetes_version))


@functools.cache
def _albconfig_validator() -> Any:
    import jsonschema

    schema = json.loads(
        resources.files("ask_components.schemas")
        .joinpath("albconfig_alibabacloud.com_v1.json")
        .read_text()
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def albconfig_schema() -> dict[str, Any]:
    """The shipped AlbConfig JSON schema."""
    schema: dict[str, Any] = _albconfig_validator().schema
    return schema


@functools.cache
def _schema_versions() -> tuple[str, ...]:
    root = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    found = {
        match.group(1)
        for entry in root.iterdir()
        if (match := re.match(r"^v(\d+\.\d+)\.\d+-local-strict$", entry.name))
    }
    return tuple(sorted(found, key=lambda v: tuple(int(p) for p in v.split("."))))


def _schema_version(kubernetes_version: str) -> str:
    match = re.match(r"^v?(\d+)\.(\d+)", kubernetes_version)
    if not match:
        raise ManifestError(f"{kubernetes_version!r} is not a Kubernetes version like 1.33")
    wanted = (int(match.group(1)), int(match.group(2)))
    versions = _schema_versions()
    usable = [v for v in versions if tuple(int(p) for p in v.split(".")) <= wanted]
    if not usable or wanted > tuple(int(p) for p in versions[-1].split(".")):
        raise ManifestError(
            f"no Kubernetes schema for version {kubernetes_version} "
            f"(kubernetes-validate has {versions[0]} to {versions[-1]})"
        )
    return usable[-1]


@functools.cache
def _definitions(schema_version: str) -> Any:
    from referencing import Resource

    root = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    text = root.joinpath(f"v{schema_version}.0-local-strict", "_definitions.json").read_text()
    return Resource.from_contents(json.loads(text))


def _kubernetes_validator(api_version: str, kind: str, schema_version: str) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    # kubernetes-validate's file names: networking.k8s.io/v1 -> networking-v1, v1 -> v1.
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    root = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    path = root.joinpath(
        f"v{schema_version}.0-local-strict", f"{kind.lower()}-{group_version}.json"
    )
    try:
        schema = json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(
            f"no schema for {kind} ({api_version}) in Kubernetes {schema_version}"
        ) from None
    registry: Any = Resource.from_contents(schema) @ Registry()
    registry = _definitions(schema_version) @ registry
    return jsonschema.Draft202012Validator(schema, registry=registry)
