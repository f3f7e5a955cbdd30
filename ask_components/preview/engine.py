"""Run a Pulumi program offline and record every resource it registers.

The real ``__main__.py`` runs in-process under ``pulumi.runtime`` mocks, with the stack's config
read from ``stacks/Pulumi.<stack>.yaml``. A recording monitor keeps each registration whole
(parent, provider, dependencies, inputs), which the stock mocks do not show. The result is a
``ResourceGraph``. This is not an engine: with the Pulumi CLI, ``pulumi preview`` stays the truth.

Two modes:

- ``resolve_outputs=False`` (default) behaves like ``pulumi preview`` of a new stack: ids and
  computed outputs are unknown, ``apply`` callbacks on them do not run, and inputs that depend on
  them show as :data:`UNKNOWN_MARK`.
- ``resolve_outputs=True`` behaves like a finished ``pulumi up``: every resource gets an id in
  Alibaba's shape (``vpc-…``) and the computed outputs the program reads, so wiring can be
  asserted exactly (tests use this).

``run_dynamic_providers=True`` (implies ``resolve_outputs``) goes one step further for dynamic
resources such as the sandbox provider's: their pickled provider is loaded and its ``create()``
really runs, so the ids, outputs and refusals are the provider's own. It has effects (the sandbox
provider writes its store), so it is off by default and ``askc preview`` never turns it on.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import runpy
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2

from ask_components.errors import AskError, ConfigError, InputError
from ask_components.preview.graph import STACK_TYPE, Diagnostic, ResourceGraph, ResourceNode
from ask_components.preview.graph import UNKNOWN_MARK as UNKNOWN_MARK  # re-exported
from ask_components.preview.project import (
    PulumiProject,
    load_project,
    mask_secure,
    read_stack_config,
)
from ask_components.preview.wire import SECRET_SIG, SIG_KEY, UNKNOWN_VALUE, plain_value

PICKLED_PROVIDER_MARK = "[dynamic provider]"
"""What a dynamic resource's pickled provider (``__provider``) shows as."""


class ProgramError(AskError):
    """The Pulumi program itself failed (a bug in it, not a config problem)."""

    exit_code = 1


@dataclass
class _Registration:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    provider: str
    dependencies: list[str]
    inputs: dict[str, Any]
    secret_paths: list[str]
    options: dict[str, Any] = field(default_factory=dict)
    property_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)


# Alibaba id prefixes, so resolved ids look like the real thing (vpc-…, vsw-…).
_ID_PREFIXES = {
    "alicloud:vpc/network:Network": "vpc",
    "alicloud:vpc/switch:Switch": "vsw",
    "alicloud:vpc/natGateway:NatGateway": "ngw",
    "alicloud:ecs/eipAddress:EipAddress": "eip",
    "alicloud:cs/managedKubernetes:ManagedKubernetes": "c",
    "alicloud:alb/loadBalancer:LoadBalancer": "alb",
    "alicloud:pvtz/zone:Zone": "pvtz",
    "alicloud:slb/loadBalancer:LoadBalancer": "lb",
    "pulumi-python:dynamic/sandbox:SandboxVpc": "vpc",
    "pulumi-python:dynamic/sandbox:SandboxVSwitch": "vsw",
    "pulumi-python:dynamic/sandbox:SandboxNatGateway": "ngw",
    "pulumi-python:dynamic/sandbox:SandboxEip": "eip",
    "pulumi-python:dynamic/sandbox:SandboxAlb": "alb",
}


def _fake_id(type_token: str, name: str) -> str:
    digest = hashlib.sha256(f"{type_token}::{name}".encode()).hexdigest()[:17]
    return f"{_ID_PREFIXES.get(type_token, 'id')}-{digest}"


def _fake_ip(name: str) -> str:
    # 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never a real address.
    return f"203.0.113.{int(hashlib.sha256(name.encode()).hexdigest(), 16) % 254 + 1}"


_FAKE_KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters:\n- name: offline\n  cluster:\n"
    "    server: https://offline.invalid:6443\ncontexts:\n- name: offline\n  context:\n"
    "    cluster: offline\n    user: offline\ncurrent-context: offline\nusers:\n"
    "- name: offline\n  user:\n    token: offline-preview\n"
)


def _computed_outputs(
    type_token: str, name: str, resource_id: str, inputs: Any = None
) -> dict[str, Any]:
    """The computed outputs the components read, for ``resolve_outputs=True``."""
    if type_token == "alicloud:vpc/natGateway:NatGateway":
        return {
            "snatTableIds": f"stb-{resource_id[4:]}",
            "forwardTableIds": f"ftb-{resource_id[4:]}",
        }
    if type_token == "alicloud:ecs/eipAddress:EipAddress":
        return {"ipAddress": _fake_ip(name)}
    if type_token == "alicloud:alb/loadBalancer:LoadBalancer":
        return {"dnsName": f"{resource_id}.cn-hangzhou.alb.aliyuncsslb.com"}
    if type_token == "alicloud:pvtz/zone:Zone":
        return {"recordCount": 0}
    if type_token == "alicloud:cs/managedKubernetes:ManagedKubernetes":
        # The endpoints ACK reports (MasterUrl); a private cluster's kubeconfig is pointed at
        # the intranet one. 192.0.2.0/24 is TEST-NET-1 (RFC 5737).
        return {
            "connections": [
                {
                    "apiServerIntranet": (
                        f"https://192.0.2.{int(resource_id[-2:], 16) % 254 + 1}:6443"
                    ),
                    "serviceDomain": f"*.{resource_id}.cn-hangzhou.alicontainer.com",
                }
            ]
        }
    if type_token == "pulumi-python:dynamic/sandbox:SandboxAlb":
        # What the sandbox provider computes (sandbox/alb.py dns_name); run_dynamic_providers
        # gets the provider's own answer.
        return {"dns_name": f"{resource_id}.cn-hangzhou.alb.aliyuncsslb.com"}
    if type_token == "kubernetes:core/v1:Service":
        computed: dict[str, Any] = {}
        service_type = _service_field(inputs, "type")
        if service_type in (None, "ClusterIP", "NodePort", "LoadBalancer") and (
            _service_field(inputs, "clusterIP") is None
        ):
            # The API server gives every such Service a cluster IP (spec.clusterIP), from kind's
            # default service range 10.96.0.0/16; SandboxAlbIngress reads it.
            digest = int(hashlib.sha256(name.encode()).hexdigest(), 16)
            computed["spec"] = {"clusterIP": f"10.96.{digest % 256}.{digest // 256 % 254 + 1}"}
        if service_type == "LoadBalancer":
            # The address the cloud controller gives the Service's CLB (a private-zone A record
            # reads it); Pulumi waits for it before the Service counts as created.
            high, low = int(resource_id[-4:], 16) % 254 + 1, int(resource_id[-2:], 16) % 254 + 1
            computed["status"] = {"loadBalancer": {"ingress": [{"ip": f"10.255.{high}.{low}"}]}}
        return computed
    return {}


def _preview_unknowns(type_token: str, inputs: Any) -> dict[str, Any]:
    """Computed outputs a preview does not know yet, which a program reads inside an apply.

    ``pulumi preview`` leaves them unknown, so the apply does not run; marking them unknown
    here keeps the offline preview from running it on a value the API server has not given.
    """
    if type_token == "kubernetes:core/v1:Service" and _service_field(inputs, "clusterIP") is None:
        return {"spec": {"clusterIP": UNKNOWN_VALUE}}
    return {}


def _merged(inputs: Mapping[str, Any], computed: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs with computed outputs laid over them; a computed mapping is merged into the input
    of the same name (one level deep)."""
    merged = dict(inputs)
    for key, value in computed.items():
        current = merged.get(key)
        merged[key] = (
            {**current, **value}
            if isinstance(current, Mapping) and isinstance(value, Mapping)
            else value
        )
    return merged


def _service_field(inputs: Any, field: str) -> str | None:
    """``spec.<field>`` of Service inputs (a dict, or the wire Struct), or None when unset.

    Membership is tested before indexing: indexing a protobuf Struct by a missing key inserts
    an empty value into the request, which then fails to deserialize.
    """
    if inputs is None or "spec" not in inputs:
        return None
    spec = inputs["spec"]
    if not hasattr(spec, "__contains__") or field not in spec:
        return None
    return str(spec[field])


InvokeHandler = Callable[[dict[str, Any]], dict[str, Any]]
"""Answers an invoke: its arguments (camelCase, as on the wire) in, its result out."""


def _kubernetes_versions(args: dict[str, Any]) -> dict[str, Any]:
    from ask_components.cluster.versions import OFFLINE_VERSIONS

    return {
        "clusterType": args.get("clusterType", ""),
        "profile": args.get("profile", ""),
        "id": "offline",
        "metadatas": [{"version": version, "runtimes": []} for version in OFFLINE_VERSIONS],
    }


def _no_clusters(args: dict[str, Any]) -> dict[str, Any]:
    return {"id": "offline", "ids": [], "names": [], "clusters": []}


# Invokes a program may make, answered the way the cloud would. Invokes whose arguments are
# outputs of resources (the cluster credential) are only called in resolve mode: in a preview
# their inputs are unknown and the SDK does not call them. The others are called in a preview
# too, as `pulumi preview` calls them: the Kubernetes versions come from a dated table of ACK's
# release notes (cluster/versions.py), and no cluster is deployed yet (a new stack).
_INVOKE_NOTES: dict[str, str] = {
    "alicloud:cs/getKubernetesVersion:getKubernetesVersion": (
        "offline preview: the Kubernetes versions ACK offers come from the built-in table of "
        "ACK's release notes (as of {date}); `pulumi preview` asks ACK"
    ),
    "alicloud:cs/getClusters:getClusters": (
        "offline preview: no deployed cluster is looked up (a new stack is assumed); "
        "`pulumi preview` asks ACK"
    ),
}
"""What the offline preview says once when it answers an invoke from its own tables."""

_INVOKES: dict[str, InvokeHandler] = {
    "alicloud:cs/getClusterCredential:getClusterCredential": lambda args: {
        "clusterId": args.get("clusterId", ""),
        "id": args.get("clusterId", ""),
        "kubeConfig": _FAKE_KUBECONFIG,
        "certificateAuthorities": [],
    },
    "alicloud:cs/getKubernetesVersion:getKubernetesVersion": _kubernetes_versions,
    "alicloud:cs/getClusters:getClusters": _no_clusters,
}


_PROVIDER_KEY = "__provider"
"""The input holding a dynamic resource's pickled provider."""


def _unwrap_secrets(value: Any) -> Any:
    """Wire values with secrets unwrapped, as the dynamic provider host hands them over."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return _unwrap_secrets(value.get("value"))
        return {key: _unwrap_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unwrap_secrets(item) for item in value]
    return value


def _create_dynamic(inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Run a dynamic resource's own ``create()``, as ``pulumi up`` does in the provider host."""
    import dill  # type: ignore[import-untyped]

    wire_provider = inputs[_PROVIDER_KEY]
    provider = dill.loads(base64.b64decode(_unwrap_secrets(wire_provider)))
    props = _unwrap_secrets(inputs)
    result = provider.create(props)
    outs = dict(result.outs or {})
    outs[_PROVIDER_KEY] = wire_provider
    return str(result.id), outs


class _Mocks:
    """Answers registrations and invokes like a preview (or a finished update)."""

    def __init__(
        self,
        resolve_outputs: bool,
        run_dynamic_providers: bool = False,
        invokes: Mapping[str, InvokeHandler] | None = None,
    ) -> None:
        self.resolve_outputs = resolve_outputs or run_dynamic_providers
        self.run_dynamic_providers = run_dynamic_providers
        self.invokes = {**_INVOKES, **(invokes or {})}
        self.overridden = set(invokes or ())
        self.notes: list[Diagnostic] = []

    def answer(self, type_token: str, name: str, inputs: Any = None) -> tuple[str, dict[str, Any]]:
        """The id and computed outputs of a custom resource (its inputs are outputs too)."""
        if not self.resolve_outputs:
            return "", _preview_unknowns(type_token, inputs)
        resource_id = _fake_id(type_token, name)
        return resource_id, _computed_outputs(type_token, name, resource_id, inputs)

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        """Resources read rather than registered (``StackReference``, ``get``), and dynamic
        resources whose own ``create()`` runs."""
        if not args.custom:
            return "", {}
        inputs = dict(args.inputs)
        if self.run_dynamic_providers and _PROVIDER_KEY in inputs:
            return _create_dynamic(inputs)
        resource_id, computed = self.answer(args.typ, args.name, inputs)
        return resource_id, _merged(inputs, computed)

    def call(self, args: Any) -> dict[str, Any]:
        handler = self.invokes.get(args.token)
        if args.token in _INVOKE_NOTES and args.token not in self.overridden:
            from ask_components.cluster.versions import OFFLINE_VERSIONS_DATE

            note = _INVOKE_NOTES[args.token].format(date=OFFLINE_VERSIONS_DATE)
            if all(known.message != note for known in self.notes):
                self.notes.append(Diagnostic("info", note))
        if handler is None:
            raise InputError(
                f"the program calls {args.token}, which the offline preview cannot answer; "
                "run `pulumi preview` with the Pulumi CLI for this program"
            )
        return handler(dict(args.args))

    def register_transform(self, transform: Any) -> None:  # pragma: no cover - interface only
        """Transforms are not run offline."""

    def register_invoke_transform(self, transform: Any) -> None:  # pragma: no cover
        """Invoke transforms are not run offline."""


def _qualified_type(urn: str) -> str:
    """The qualified type of a URN (``ask:index:Platform$ask:network:Network``)."""
    return urn.split("::")[2]


def _alias_urns(request: Any, stack_urn: str) -> list[str]:
    """The URNs a resource's aliases stand for, as the engine computes them from alias specs.

    A spec's unset fields default to the resource's own (name, type, stack, project, parent);
    ``noParent`` means the resource had no parent (the stack's child).
    """
    from pulumi.runtime.settings import get_project, get_stack

    urns: list[str] = []
    for alias in request.aliases:
        if alias.urn:
            urns.append(alias.urn)
            continue
        spec = alias.spec
        parent = "" if spec.noParent else (spec.parentUrn or request.parent)
        type_ = spec.type or request.type
        if parent and parent != stack_urn:
            type_ = _qualified_type(parent) + "$" + type_
        urns.append(
            "urn:pulumi:"
            + "::".join(
                [
                    spec.stack or get_stack(),
                    spec.project or get_project(),
                    type_,
                    spec.name or request.name,
                ]
            )
        )
    urns.extend(urn for urn in request.aliasURNs if urn not in urns)
    return urns


def _options(request: Any, stack_urn: str) -> dict[str, Any]:
    """The non-default resource options of a registration, named as Pulumi names them.

    ``dependsOn`` holds the explicit dependencies: the request's dependencies less those that
    come through inputs (a resource named both ways shows only as an input dependency).
    """
    options: dict[str, Any] = {}
    if request.protect:
        options["protect"] = True
    if request.ignoreChanges:
        options["ignoreChanges"] = list(request.ignoreChanges)
    if request.deleteBeforeReplace:
        options["deleteBeforeReplace"] = True
    if request.replaceOnChanges:
        options["replaceOnChanges"] = list(request.replaceOnChanges)
    if request.retainOnDelete:
        options["retainOnDelete"] = True
    aliases = _alias_urns(request, stack_urn)
    if aliases:
        options["aliases"] = aliases
    if request.additionalSecretOutputs:
        options["additionalSecretOutputs"] = list(request.additionalSecretOutputs)
    timeouts = {
        key: getattr(request.customTimeouts, key)
        for key in ("create", "update", "delete")
        if getattr(request.customTimeouts, key)
    }
    if timeouts:
        options["customTimeouts"] = timeouts
    through_inputs = {urn for deps in request.propertyDependencies.values() for urn in deps.urns}
    explicit = [urn for urn in dict.fromkeys(request.dependencies) if urn not in through_inputs]
    if explicit:
        options["dependsOn"] = explicit
    return options


def _make_monitor_class() -> type:
    from pulumi.runtime.mocks import MockMonitor
    from pulumi.runtime.proto import resource_pb2

    class RecordingMonitor(MockMonitor):
        """A mock monitor that keeps every registration whole and builds engine-shaped URNs."""

        def __init__(self, mocks: Any) -> None:
            super().__init__(mocks)
            self.answers: _Mocks = mocks
            self.registrations: dict[str, _Registration] = {}
            self.stack_urn = ""
            self.stack_outputs: dict[str, Any] = {}

        def make_urn(self, parent: str, type_: str, name: str) -> str:
            # As the engine does it (resource.NewURN): the qualified type is the parent's whole
            # qualified type, then '$', then the type, and the stack is never part of it. The
            # stock monitor keeps only the parent's last type and prefixes the stack's.
            from pulumi.runtime.settings import get_project, get_stack

            if parent and parent != self.stack_urn:
                type_ = parent.split("::")[2] + "$" + type_
            return "urn:pulumi:" + "::".join([get_stack(), get_project(), type_, name])

        def RegisterResource(self, request: Any) -> Any:
            # Answered here rather than by the stock MockMonitor, which deserializes the inputs
            # and serializes the mock's state back with a nested _sync_await: that nested loop
            # runs every other ready task on each registration, and a program with thousands of
            # resources spent most of its time there. The answer is the same: a custom
            # resource's outputs are its inputs (plus, when resolving, an id and the computed
            # outputs), a component's are empty.
            urn = self.make_urn(request.parent, request.type, request.name)
            if request.type == STACK_TYPE:
                self.stack_urn = urn
                response = resource_pb2.RegisterResourceResponse(urn=urn)
            elif not request.custom:
                response = resource_pb2.RegisterResourceResponse(urn=urn, id="")
            elif self.answers.run_dynamic_providers and _PROVIDER_KEY in request.object.fields:
                # A dynamic resource whose own create() runs: the stock path, through
                # new_resource (there are few of them).
                response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
            else:
                resource_id, computed = self.answers.answer(
                    request.type, request.name, request.object
                )
                outputs = struct_pb2.Struct()
                outputs.CopyFrom(request.object)
                for key, value in computed.items():
                    if isinstance(value, dict) and key in outputs.fields:
                        # A computed field inside an input (spec.clusterIP): merged, not replaced.
                        merged = json_format.MessageToDict(outputs.fields[key])
                        outputs.update({key: _merged(merged, value)})
                    else:
                        outputs.update({key: value})
                response = resource_pb2.RegisterResourceResponse(
                    urn=urn, id=resource_id, object=outputs
                )
            secrets: list[str] = []
            raw = json_format.MessageToDict(request.object, preserving_proto_field_name=True)
            if "__provider" in raw:
                raw["__provider"] = PICKLED_PROVIDER_MARK
            inputs = plain_value(raw, "", secrets)
            dependencies = list(dict.fromkeys(request.dependencies))
            for deps in request.propertyDependencies.values():
                for dep in deps.urns:
                    if dep not in dependencies:
                        dependencies.append(dep)
            self.registrations[urn] = _Registration(
                urn=urn,
                type=request.type,
                name=request.name,
                custom=bool(request.custom),
                parent=request.parent,
                provider=request.provider,
                dependencies=dependencies,
                inputs=inputs,
                secret_paths=secrets,
                options=_options(request, self.stack_urn),
                property_dependencies={
                    key: tuple(sorted(set(deps.urns)))
                    for key, deps in sorted(request.propertyDependencies.items())
                    if deps.urns
                },
            )
            return response

        def RegisterResourceOutputs(self, request: Any) -> Any:
            if request.urn == self.stack_urn:
                secrets: list[str] = []
                raw = json_format.MessageToDict(request.outputs, preserving_proto_field_name=True)
                self.stack_outputs = plain_value(raw, "", secrets)
            return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]

    return RecordingMonitor


_SEVERITIES = {0: "debug", 1: "info", 2: "warning", 3: "error"}
"""``pulumirpc.LogSeverity`` values (engine.proto), as ``pulumi preview`` names them."""


def _make_engine_class(base: type) -> Any:
    class RecordingEngine(base):  # type: ignore[misc]
        """The mock engine, keeping what the program logs (``pulumi.log.info`` and friends),
        as ``pulumi preview`` shows it under Diagnostics. Debug messages are left out, as the
        CLI leaves them out without ``--debug``."""

        def __init__(self, logger: logging.Logger) -> None:
            super().__init__(logger)
            self.diagnostics: list[Diagnostic] = []

        def Log(self, request: Any) -> None:
            severity = _SEVERITIES.get(int(request.severity), "info")
            if severity != "debug":
                self.diagnostics.append(Diagnostic(severity, request.message, request.urn or None))
            super().Log(request)

    return RecordingEngine


@dataclass
class PreviewRun:
    """Options of one offline run (what ``run_preview`` takes, kept together)."""

    project: PulumiProject
    stack: str
    config: dict[str, Any]
    secret_keys: list[str] = field(default_factory=list)
    resolve_outputs: bool = False
    run_dynamic_providers: bool = False
    invokes: Mapping[str, InvokeHandler] | None = None


def run_preview(
    project_dir: Path | str,
    stack: str,
    *,
    config_overrides: Mapping[str, Any] | None = None,
    resolve_outputs: bool = False,
    run_dynamic_providers: bool = False,
    registered: list[str] | None = None,
    invokes: Mapping[str, InvokeHandler] | None = None,
) -> ResourceGraph:
    """Run the project's program offline for a stack and return what it registers.

    Args:
        project_dir: the folder holding ``Pulumi.yaml``.
        stack: the stack name; its config comes from ``<stackConfigDir>/Pulumi.<stack>.yaml``.
        config_overrides: config key -> value set over the stack file's (tests, benchmarks); a
            value ``{"secure": "…"}`` is a secret, as in a stack file.
        resolve_outputs: give every resource an id and computed outputs (see module docs).
        run_dynamic_providers: run dynamic resources' own ``create()`` (implies
            ``resolve_outputs``); it has the providers' effects, e.g. the sandbox store is written.
        registered: if given, receives the URN of every registered resource, even when the run
            fails (to check that a failed run registered nothing).
        invokes: invoke token -> answer, over the built-in ones (e.g. a deployed cluster for
            ``cs.get_clusters``).

    Raises:
        InputError: no Pulumi project there, or no such stack file.
        ConfigError: the stack config is invalid (nothing was registered).
        ProgramError: the program failed for another reason.
    """
    project = load_project(Path(project_dir))
    config, secret_keys = read_stack_config(project, stack)
    for key, value in (config_overrides or {}).items():
        config[key], secret = mask_secure(value)
        if secret and key not in secret_keys:
            secret_keys.append(key)
        elif not secret and key in secret_keys:
            secret_keys.remove(key)
    run = PreviewRun(
        project, stack, config, secret_keys, resolve_outputs, run_dynamic_providers, invokes
    )
    return _run(run, registered=registered)


def run_program(
    program: Callable[[], None],
    *,
    project: str = "ask-platform",
    stack: str = "dev",
    config: Mapping[str, Any] | None = None,
    secret_keys: list[str] | None = None,
    resolve_outputs: bool = False,
    run_dynamic_providers: bool = False,
    invokes: Mapping[str, InvokeHandler] | None = None,
) -> ResourceGraph:
    """Run a Python callable as a Pulumi program offline (for components used in other programs).

    Args:
        program: the program body: creates resources, may call ``pulumi.export``.
        project: the project name in URNs.
        stack: the stack name in URNs and ``pulumi.get_stack()``.
        config: config key -> value (``ask:platform`` as a mapping or JSON text).
        secret_keys: config keys whose values are secrets.
        resolve_outputs: give every resource an id and computed outputs.
        run_dynamic_providers: run dynamic resources' own ``create()`` (implies
            ``resolve_outputs``).
        invokes: invoke token -> answer, over the built-in ones.
    """
    fake = PulumiProject(name=project, directory=Path.cwd(), main=None, stack_config_dir=Path.cwd())
    run = PreviewRun(
        fake,
        stack,
        dict(config or {}),
        list(secret_keys or []),
        resolve_outputs,
        run_dynamic_providers,
        invokes,
    )
    return _run(run, program)


def _run(
    run: PreviewRun,
    program: Callable[[], None] | None = None,
    registered: list[str] | None = None,
) -> ResourceGraph:
    with _collector_paused():
        return _run_program(run, program, registered)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one run, graph building included.

    Every registration leaves futures, tasks and callbacks that refer to each other, and each
    full collection walks all of them again: a 200-app preview spent half its time collecting.
    Memory grows by about a tenth (a 1,000-app preview: 600 -> 650 MB); collection resumes
    when the run ends.
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
            # Collect the run's garbage here, at a known point, rather than in whatever code
            # next allocates: its finalizers (futures that log unretrieved exceptions) would
            # run there. Inside CPython 3.11.7's ast.parse that surfaced as "SystemError: AST
            # constructor recursion depth mismatch" (CPython gh-106905, fixed in 3.11.8).
            gc.collect()


def _run_program(
    run: PreviewRun,
    program: Callable[[], None] | None,
    registered: list[str] | None,
) -> ResourceGraph:
    import pulumi
    from pulumi.runtime import settings as pulumi_settings
    from pulumi.runtime.mocks import MockEngine, MockSettings
    from pulumi.runtime.stack import run_in_stack
    from pulumi.runtime.sync_await import _sync_await

    mocks = _Mocks(run.resolve_outputs, run.run_dynamic_providers, run.invokes)
    monitor = _make_monitor_class()(mocks)
    quiet = logging.getLogger("ask_components.preview.pulumi")
    engine = _make_engine_class(MockEngine)(quiet)
    settings = MockSettings(  # type: ignore[no-untyped-call]
        monitor=monitor,
        monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
        engine=engine,
        project=run.project.name,
        stack=run.stack,
        dry_run=not mocks.resolve_outputs,
        organization="organization",
        callbacks=None,
    )
    pulumi_settings.configure(settings)
    pulumi_settings.SETTINGS.outputs.clear()
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
    pulumi.runtime.set_all_config(
        {
            key: value if isinstance(value, str) else json.dumps(value)
            for key, value in run.config.items()
        },
        run.secret_keys,
    )

    body = program if program is not None else _main_runner(run.project)
    try:
        with _guard_dynamic_pickling(), _in_project(run.project), _offline_runtime():
            _sync_await(run_in_stack(body))
    except BaseException as err:
        raise _classify(err) from err
    finally:
        pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
        if registered is not None:
            registered.extend(
                urn for urn, reg in monitor.registrations.items() if reg.type != STACK_TYPE
            )

    nodes = tuple(
        ResourceNode(
            urn=reg.urn,
            type=reg.type,
            name=reg.name,
            custom=reg.custom,
            parent=reg.parent or None,
            provider=reg.provider or None,
            dependencies=tuple(reg.dependencies),
            inputs=reg.inputs,
            secret_paths=tuple(reg.secret_paths),
            options=reg.options,
            property_dependencies=reg.property_dependencies,
        )
        for reg in _tree_order(monitor.registrations)
    )
    return ResourceGraph(
        project=run.project.name,
        stack=run.stack,
        resources=nodes,
        outputs=monitor.stack_outputs,
        diagnostics=(*mocks.notes, *engine.diagnostics),
    )


def _tree_order(registrations: Mapping[str, _Registration]) -> list[_Registration]:
    """Registrations parent-first, siblings by name.

    The order in which registrations reach the monitor depends on when their inputs resolve, so
    it differs between runs; the tree order does not, which keeps output and diffs stable.
    """
    children: dict[str, list[_Registration]] = {}
    roots: list[_Registration] = []
    for reg in registrations.values():
        if reg.parent and reg.parent in registrations:
            children.setdefault(reg.parent, []).append(reg)
        else:
            roots.append(reg)
    ordered: list[_Registration] = []
    stack = sorted(roots, key=lambda reg: (reg.name, reg.type), reverse=True)
    while stack:
        reg = stack.pop()
        ordered.append(reg)
        stack.extend(
            sorted(children.get(reg.urn, []), key=lambda r: (r.name, r.type), reverse=True)
        )
    return ordered


def _main_runner(project: PulumiProject) -> Callable[[], None]:
    main = project.main_path()

    def body() -> None:
        runpy.run_path(str(main), run_name="__main__")

    return body


def _classify(err: BaseException) -> BaseException:
    """Find the user-facing error inside what the Pulumi runtime raised."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, AskError):
            return current
        current = current.__cause__ or current.__context__
    if isinstance(err, KeyboardInterrupt | SystemExit):
        return err
    message = str(err) or type(err).__name__
    return ProgramError(f"the Pulumi program failed: {type(err).__name__}: {message}")


@contextlib.contextmanager
def _in_project(project: PulumiProject) -> Iterator[None]:
    """Run with the project's folder as cwd and first on sys.path, as the Pulumi CLI does."""
    previous_cwd = Path.cwd()
    entry = str(project.directory)
    os.chdir(project.directory)
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


@contextlib.contextmanager
def _offline_runtime() -> Iterator[None]:
    """Two SDK costs that only matter with an engine, taken out while running offline.

    - ``pulumi.runtime.resource._get_stack_trace`` extracts the whole Python stack (reading
      source lines) on every registration, for the engine's source positions; nothing offline
      reads them, so an empty trace is sent.
    - ``pulumi.runtime.stack.wait_for_rpcs`` waits for outstanding outputs with
      ``asyncio.wait(FIRST_COMPLETED)`` in a loop, re-arming a callback on every pending output
      each time one finishes: quadratic in the number of outputs, which dominated previews of
      hundreds of workloads. :func:`_wait_for_rpcs` waits for them in one pass
      (``FIRST_EXCEPTION``, so a failure still surfaces at once).
    """
    from pulumi.runtime import resource, stack
    from pulumi.runtime.proto import source_pb2

    saved = (resource._get_stack_trace, stack.wait_for_rpcs)
    resource._get_stack_trace = source_pb2.StackTrace
    stack.wait_for_rpcs = _wait_for_rpcs
    try:
        yield
    finally:
        resource._get_stack_trace, stack.wait_for_rpcs = saved


async def _wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
    """``pulumi.runtime.stack.wait_for_rpcs`` with a linear wait for outstanding outputs."""
    import asyncio

    from pulumi.runtime.settings import SETTINGS, _get_rpc_manager

    rpc_manager = _get_rpc_manager()
    while True:
        while rpc_manager.rpcs:
            await asyncio.sleep(0)
            await rpc_manager.rpcs.pop()
        if rpc_manager.unhandled_exception is not None:
            raise rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
        if await_all_outstanding_tasks:
            while True:
                with SETTINGS.lock:
                    pending = list(SETTINGS.outputs)
                    SETTINGS.outputs.clear()
                if not pending:
                    break
                done, not_done = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
                for task in done:
                    await task  # re-raises a failure
                if not_done:
                    with SETTINGS.lock:
                        SETTINGS.outputs.update(not_done)
        if not rpc_manager.rpcs:
            break


@contextlib.contextmanager
def _guard_dynamic_pickling() -> Iterator[None]:
    """Undo the pickler patching of ``pulumi.dynamic.serialize_provider`` after each call.

    pulumi 3.272 wraps ``pickle._Pickler._batch_setitems`` anew on every call and never restores
    it; after ~320 dynamic resources in one process that raises RecursionError. Saving and
    restoring the two methods around every call keeps the wrapper depth at one.
    """
    import pickle

    from pulumi.dynamic import dynamic

    original = dynamic.serialize_provider
    pickler: Any = pickle._Pickler

    def guarded(provider: Any) -> str:
        saved = (pickler._batch_setitems, pickler.save_dict)
        try:
            return str(original(provider))
        finally:
            pickler._batch_setitems, pickler.save_dict = saved

    dynamic.serialize_provider = guarded
    try:
        yield
    finally:
        dynamic.serialize_provider = original


_ = ConfigError  # re-exported for callers that catch it from here
