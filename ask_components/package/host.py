"""The component provider host: serves the package to the Pulumi engine (``PulumiPlugin.yaml``
runs ``provider/__main__.py``, which calls :func:`main`), and its schema offline.

The schema is what ``pulumi package get-schema`` returns: the pinned Pulumi SDK's analyzer infers
it from the components' annotations (``pulumi.provider.experimental``), here in-process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parent / "schema.json"
"""The committed schema (in the wheel too); a test keeps it equal to :func:`package_schema`."""


def _version() -> str:
    from ask_components import __version__

    return __version__


def package_schema() -> dict[str, Any]:
    """The package schema, as the component host serves it."""
    from pulumi.provider.experimental.component import ComponentProvider

    from ask_components.package.components import COMPONENTS, PACKAGE

    provider = ComponentProvider(list(COMPONENTS), PACKAGE, version=_version())
    schema: dict[str, Any] = json.loads(str(provider.schema))
    return schema


def schema_text() -> str:
    """The schema as JSON text, indented (what ``askc package schema`` prints)."""
    return json.dumps(package_schema(), indent=2, sort_keys=True) + "\n"


def provider() -> Any:
    """A ``ComponentProvider`` for the package: what the host serves (tests construct through
    its ``construct``, as the engine's Construct call does)."""
    from pulumi.provider.experimental.component import ComponentProvider

    from ask_components.package.components import COMPONENTS, PACKAGE

    return ComponentProvider(list(COMPONENTS), PACKAGE, version=_version())


def main() -> None:
    """Serve the package to the engine (the plugin's entry point)."""
    from pulumi.provider.experimental import component_provider_host

    from ask_components.package.components import COMPONENTS, PACKAGE

    component_provider_host(list(COMPONENTS), PACKAGE, version=_version())
