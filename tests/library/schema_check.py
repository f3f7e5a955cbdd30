"""Checking programs in other languages against the package schema, without the Pulumi CLI.

- YAML: every ``ask:`` resource's type must be in the schema, its properties inputs of that
  resource, its required inputs present, literal values of the schema's types (nested objects
  against their types), and every ``${resource.property}`` of an ``ask:`` resource one of its
  outputs.
- TypeScript: the schema becomes type declarations for ``@pulumi/ask`` (inputs and outputs
  typed as the SDK the CLI would generate types them, plain or ``pulumi.Input``), beside minimal
  declarations of the ``@pulumi/pulumi`` and ``@pulumi/kubernetes`` names the example uses, and
  ``tsc --strict`` checks the program against them.
"""

from __future__ import annotations

import re
from typing import Any

_REF = re.compile(r"^#/types/(.+)$")
_INTERPOLATION = re.compile(r"^\$\{([^}]+)\}$")


def _token(type_name: str) -> str:
    """``ask:Network`` is YAML's short form of ``ask:index:Network``."""
    parts = type_name.split(":")
    return f"{parts[0]}:index:{parts[1]}" if len(parts) == 2 else type_name


def yaml_problems(program: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """What a Pulumi YAML program gets wrong about the package (empty when nothing)."""
    problems: list[str] = []
    resources: dict[str, Any] = program.get("resources") or {}
    package = schema["name"]
    types_of = {name: _token(spec["type"]) for name, spec in resources.items()}

    def check_value(where: str, value: Any, spec: dict[str, Any]) -> None:
        if isinstance(value, str) and _INTERPOLATION.match(value):
            check_reference(where, value)
            return
        ref = spec.get("$ref", "")
        if ref.startswith("#/types/"):
            check_object(where, value, schema["types"][_REF.match(ref)[1]])  # type: ignore[index]
            return
        kind = spec.get("type")
        expected = {
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "array": list,
            "object": dict,
        }.get(kind or "")
        if expected is not None and (
            not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool))
        ):
            problems.append(f"{where}: {value!r} is not of type {kind}")
            return
        if kind == "array":
            for index, item in enumerate(value):
                check_value(f"{where}[{index}]", item, spec["items"])
        elif kind == "object" and "additionalProperties" in spec:
            for key, item in value.items():
                check_value(f"{where}.{key}", item, spec["additionalProperties"])

    def check_object(
        where: str, value: Any, spec: dict[str, Any], props_key: str = "properties"
    ) -> None:
        if not isinstance(value, dict):
            problems.append(f"{where}: {value!r} is not an object")
            return
        properties = spec.get(props_key) or {}
        for key, item in value.items():
            if key not in properties:
                problems.append(f"{where}.{key}: not an input of the schema")
            else:
                check_value(f"{where}.{key}", item, properties[key])
        required = spec.get("requiredInputs" if props_key == "inputProperties" else "required")
        for key in required or ():
            if key not in value:
                problems.append(f"{where}.{key}: required by the schema, missing")

    def check_reference(where: str, text: str) -> None:
        target, _, prop = _INTERPOLATION.match(text)[1].partition(".")  # type: ignore[index]
        if target not in types_of:
            return  # config or a variable
        token = types_of[target]
        if token in schema["resources"] and prop:
            outputs = schema["resources"][token]["properties"]
            if prop.split(".")[0] not in outputs:
                problems.append(f"{where}: {target} ({token}) has no output {prop}")

    for name, spec in resources.items():
        token = types_of[name]
        if not token.startswith(f"{package}:"):
            continue
        resource = schema["resources"].get(token)
        if resource is None:
            problems.append(f"resources.{name}: no resource {token} in the package")
            continue
        check_object(f"resources.{name}", spec.get("properties") or {}, resource, "inputProperties")
    for key, value in (program.get("outputs") or {}).items():
        if isinstance(value, str) and _INTERPOLATION.match(value):
            check_reference(f"outputs.{key}", value)
    return problems


PULUMI_STUBS = """\
declare module "@pulumi/pulumi" {
    export class Output<T> { apply<U>(f: (value: T) => U): Output<U>; }
    export type Input<T> = T | Promise<T> | Output<T>;
    export class Resource { readonly urn: Output<string>; }
    export class ProviderResource extends Resource {}
    export class ComponentResource extends Resource {}
    export interface ComponentResourceOptions {
        dependsOn?: Resource | Resource[];
        providers?: ProviderResource[] | Record<string, ProviderResource>;
        protect?: boolean;
    }
    export interface CustomResourceOptions {
        dependsOn?: Resource | Resource[];
        provider?: ProviderResource;
    }
    export class Config {
        constructor(name?: string);
        require(key: string): string;
        requireSecret(key: string): Output<string>;
    }
}
declare module "@pulumi/kubernetes" {
    import * as pulumi from "@pulumi/pulumi";
    export class Provider extends pulumi.ProviderResource {
        constructor(name: string, args?: { kubeconfig?: pulumi.Input<string> },
                    opts?: pulumi.CustomResourceOptions);
    }
}
"""


def _ts_type(spec: dict[str, Any], *, output: bool = False) -> str:
    ref = spec.get("$ref", "")
    if ref == "pulumi.json#/Any":
        inner = "any"
    elif ref.startswith("#/types/"):
        inner = ref.rsplit(":", 1)[1]
    else:
        kind = spec.get("type")
        if kind == "array":
            inner = f"{_ts_type(spec['items'], output=output)}[]"
        elif kind == "object":
            inner = (
                f"Record<string, {_ts_type(spec.get('additionalProperties', {}), output=output)}>"
            )
        else:
            inner = {"integer": "number", "number": "number", "boolean": "boolean"}.get(
                kind or "", "string"
            )
    if output or spec.get("plain"):
        return inner
    return f"pulumi.Input<{inner}>"


def _members(properties: dict[str, Any], required: list[str], *, output: bool = False) -> str:
    lines = []
    for name, spec in sorted(properties.items()):
        optional = "" if name in required else "?"
        if output:
            lines.append(f"        readonly {name}: pulumi.Output<{_ts_type(spec, output=True)}>;")
        else:
            lines.append(f"        {name}{optional}: {_ts_type(spec)};")
    return "\n".join(lines)


def typescript_declarations(schema: dict[str, Any]) -> str:
    """``declare module "@pulumi/<package>"`` for the schema's resources and types."""
    package = schema["name"]
    parts = [
        f'declare module "@pulumi/{package}" {{',
        '    import * as pulumi from "@pulumi/pulumi";',
    ]
    for token, spec in sorted(schema["types"].items()):
        name = token.rsplit(":", 1)[1]
        parts.append(f"    export interface {name} {{")
        parts.append(_members(spec.get("properties", {}), spec.get("required", [])))
        parts.append("    }")
    for token, spec in sorted(schema["resources"].items()):
        name = token.rsplit(":", 1)[1]
        parts.append(f"    export interface {name}Args {{")
        parts.append(_members(spec["inputProperties"], spec.get("requiredInputs", [])))
        parts.append("    }")
        parts.append(f"    export class {name} extends pulumi.ComponentResource {{")
        parts.append(_members(spec["properties"], spec.get("required", []), output=True))
        parts.append(
            f"        constructor(name: string, args: {name}Args, "
            "opts?: pulumi.ComponentResourceOptions);"
        )
        parts.append("    }")
    parts.append("}")
    return "\n".join(parts) + "\n"
