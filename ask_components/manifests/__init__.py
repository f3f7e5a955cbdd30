"""Offline validation of the Kubernetes manifests a program renders (see ``validate.py``)."""

from ask_components.manifests.validate import (
    DEFAULT_KUBERNETES_VERSION,
    ManifestProblem,
    SchemaError,
    manifest_of,
    schema_version,
    validate_graph,
    validate_manifest,
)

__all__ = [
    "DEFAULT_KUBERNETES_VERSION",
    "ManifestProblem",
    "SchemaError",
    "manifest_of",
    "schema_version",
    "validate_graph",
    "validate_manifest",
]
