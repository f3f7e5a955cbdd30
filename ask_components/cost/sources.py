"""Resource sets to price and compare, read into :class:`ResourceGraph`.

- ``pulumi preview --json`` output (a file or ``-`` for stdin): before = the steps' ``oldState``,
  after = their ``newState`` (a side without a state does not have the resource).
- A deployed state: ``pulumi stack export`` (``{"version": 3|4, "deployment": {...}}``) or a
  DIY-backend checkpoint (``{"version": 3, "checkpoint": {"stack": ..., "latest": {...}}}``), from a
  file or, through an injectable fetch function, from ``s3://`` (OSS) URLs.

Values are normalised the way the offline preview writes them: ``__defaults`` dropped, secrets
replaced by :data:`SECRET_MASK` (their paths kept), unknowns as ``[unknown]``, resource
references as their URN, integral floats as ints. Anything unreadable raises :class:`InputError`
naming the file.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from ask_components.errors import InputError
from ask_components.files import parse_failure
from ask_components.preview.graph import STACK_TYPE, UNKNOWN_MARK, ResourceGraph, ResourceNode
from ask_components.preview.wire import plain_value
from ask_components.redaction import redact

MAX_INPUT_BYTES: Final = 200 * 1024 * 1024
"""Preview and state files larger than this (200 MiB) are refused."""


MAX_INPUT_DEPTH: Final = 100
"""Preview and state documents nested deeper than this are refused: the engine's own wrapping is
five levels and a Kubernetes manifest some twenty; walking deeper inputs would exhaust Python's
recursion (an input nested 900 deep was a RecursionError)."""

STATE_VERSIONS: Final = frozenset({1, 2, 3, 4})
"""Deployment versions we read (3 is usual; 4 when a newer feature is used; same shape)."""

URL_SCHEMES: Final = ("s3://", "oss://", "gs://", "azblob://", "http://", "https://")
"""State locations read through the fetch function rather than as local files."""

Fetch = Callable[[str], Mapping[str, Any]]
"""Reads a checkpoint from a URL (``ask_components.backend.checkpoint.read_checkpoint``)."""


@dataclass(frozen=True)
class StepChange:
    """One step of a ``pulumi preview --json``.

    Attributes:
        op: the step's operation (``create``, ``update``, ``same``...).
        urn: the resource's URN.
        type: the resource's type token.
        diff_reasons: the input keys that changed (``diffReasons``).
    """

    op: str
    urn: str
    type: str
    diff_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreviewSides:
    """The two resource sets of a ``pulumi preview --json``.

    Attributes:
        before: the resources as they are (the steps' ``oldState``).
        after: the resources as they will be (the steps' ``newState``).
        config: the stack config the preview ran with (secrets blinded).
        steps: every step, in order.
        source: where it was read from.
    """

    before: ResourceGraph
    after: ResourceGraph
    config: Mapping[str, str]
    steps: tuple[StepChange, ...] = ()
    source: str = ""
    change_summary: Mapping[str, int] = field(default_factory=dict)


def _read_bytes(source: str | Path, what: str, stdin: IO[bytes] | None = None) -> tuple[bytes, str]:
    if str(source) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(f"{what} from stdin is larger than {MAX_INPUT_BYTES} bytes")
        return data, "stdin"
    path = Path(source)
    label = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{what} {label} does not exist") from None
    except OSError as exc:
        raise InputError(f"{what} {label} cannot be read: {exc.strerror or exc}") from None
    if path.is_dir():
        raise InputError(f"{what} {label} is a folder, not a file")
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"{what} {label} is {size} bytes, larger than the limit of "
            f"{MAX_INPUT_BYTES} bytes (200 MiB)"
        )
    try:
        return path.read_bytes(), label
    except OSError as exc:
        raise InputError(f"{what} {label} cannot be read: {exc.strerror or exc}") from None


def _parse_json(data: bytes, what: str, label: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {label} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise InputError(f"{what} {label} is empty")
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # json recurses per nesting level
        raise InputError(f"{what} {label} is nested too deeply to be {what}") from None
    except _NotJson as exc:
        raise InputError(f"{what} {label} is not valid JSON: {exc}") from None
    except json.JSONDecodeError as exc:
        hint = ""
        if exc.msg == "Extra data" and '"sequence"' in text[:2000]:
            hint = (
                " (it looks like streamed engine events: unset "
                "PULUMI_ENABLE_STREAMING_JSON_PREVIEW and run `pulumi preview --json` again)"
            )
        elif exc.pos >= len(text.rstrip()):
            hint = " (the file ends early: is it truncated?)"
        raise InputError(
            f"{what} {label} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}{hint}"
        ) from None
    except ValueError as exc:  # an integer of 5,000 digits
        raise InputError(f"{what} {label} {parse_failure(exc)}") from None
    return document


class _NotJson(ValueError):
    """A token Python's json accepts but JSON does not."""


def _no_constant(name: str) -> Any:
    # Python's json reads NaN, Infinity and -Infinity; JSON has no such numbers (and Pulumi never
    # writes them), so a replica count of NaN must not be read as a number.
    raise _NotJson(f"{name} is not a JSON number")


def check_depth(document: Any, what: str) -> None:
    """Refuse a document nested deeper than :data:`MAX_INPUT_DEPTH` (walked without recursion).

    Raises:
        InputError: it is; ``what`` names the document.
    """
    todo: list[tuple[Any, int]] = [(document, 1)] if isinstance(document, dict | list) else []
    while todo:
        value, depth = todo.pop()
        if depth > MAX_INPUT_DEPTH:
            raise InputError(f"{what}: nested more than {MAX_INPUT_DEPTH} levels deep")
        deeper = depth + 1
        for item in value.values() if type(value) is dict else value:
            if type(item) is dict or type(item) is list:  # scalars cannot nest: skip them
                todo.append((item, deeper))


def _list_of(value: Any, where: str, what: str) -> list[Any]:
    """``value`` if it is a list (``None``: empty), else an ``InputError`` naming ``where``."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: {what} must be a list, got {type(value).__name__}")
    return value


def normalise(value: Any, path: str, secrets: list[str]) -> Any:
    """A state value as plain graph data (see the module docs); secret paths go to ``secrets``."""
    return plain_value(value, path, secrets, from_state=True)


def parse_urn(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, qualified type, name) of a URN ``urn:pulumi:<stack>::<project>::...``."""
    parts = urn.split("::", 3)
    if len(parts) != 4 or not parts[0].startswith("urn:pulumi:"):
        raise ValueError(f"not a Pulumi URN: {urn!r}")
    return parts[0][len("urn:pulumi:") :], parts[1], parts[2], parts[3]


def node_from_state(state: Mapping[str, Any], where: str) -> ResourceNode:
    """A graph node from a ResourceV3 state (``oldState``/``newState`` or a state resource).

    Raises:
        InputError: the state has no URN or type.
    """
    urn = state.get("urn")
    type_token = state.get("type")
    if not isinstance(urn, str) or not isinstance(type_token, str):
        raise InputError(f"{where}: a resource without a string `urn` and `type`")
    try:
        name = parse_urn(urn)[3]
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None
    secrets: list[str] = []
    raw_inputs = state.get("inputs")
    inputs = normalise(raw_inputs, "", secrets) if isinstance(raw_inputs, dict) else {}
    if not isinstance(inputs, dict):  # the whole of `inputs` was a secret or an output
        raise InputError(f"{where}: `inputs` must be an object of inputs, got one wire value")
    dependencies = _list_of(state.get("dependencies"), where, "`dependencies`")
    provider = state.get("provider")
    parent = state.get("parent")
    return ResourceNode(
        urn=urn,
        type=type_token,
        name=name,
        custom=bool(state.get("custom", False)),
        parent=parent if isinstance(parent, str) and parent else None,
        provider=provider if isinstance(provider, str) and provider else None,
        dependencies=tuple(d for d in dependencies if isinstance(d, str)),
        inputs=inputs,
        secret_paths=tuple(secrets),
    )


def _graph(
    nodes: list[ResourceNode], outputs: Mapping[str, Any], *, project: str = "", stack: str = ""
) -> ResourceGraph:
    if nodes and (not project or not stack):
        found_stack, found_project, _, _ = parse_urn(nodes[0].urn)
        project = project or found_project
        stack = stack or found_stack
    return ResourceGraph(project=project, stack=stack, resources=tuple(nodes), outputs=outputs)


def preview_from_document(document: Any, label: str) -> PreviewSides:
    """Both sides of a parsed ``pulumi preview --json`` document."""
    what = f"preview JSON {label}"
    if not isinstance(document, dict):
        raise InputError(
            f"{what}: expected a JSON object at the top level, got {type(document).__name__}"
        )
    if "deployment" in document or "checkpoint" in document:
        raise InputError(
            f"{what}: this is a state file (stack export or checkpoint), not "
            "`pulumi preview --json` output; give it as --baseline"
        )
    if not ({"steps", "changeSummary", "config", "diagnostics"} & set(document)):
        raise InputError(
            f"{what}: not `pulumi preview --json` output (no `steps`, `changeSummary` or `config`)"
        )
    check_depth(document, what)
    # `steps: {}` is not an empty preview: only a list (or no steps at all) is.
    steps = _list_of(document.get("steps"), what, "`steps`")
    before: dict[str, ResourceNode] = {}
    after: dict[str, ResourceNode] = {}
    changes: list[StepChange] = []
    for position, step in enumerate(steps):
        where = f"{what}: steps[{position}]"
        if not isinstance(step, dict):
            raise InputError(f"{where}: expected an object, got {type(step).__name__}")
        op = step.get("op")
        urn = step.get("urn")
        if not isinstance(op, str) or not isinstance(urn, str):
            raise InputError(f"{where}: a step needs a string `op` and `urn`")
        type_token = ""
        for side, key in ((before, "oldState"), (after, "newState")):
            state = step.get(key)
            if state is None:
                continue
            if not isinstance(state, dict):
                raise InputError(f"{where}.{key}: expected an object, got {type(state).__name__}")
            node = node_from_state(state, f"{where}.{key}")
            type_token = node.type
            side.setdefault(node.urn, node)  # replacement steps may repeat a URN
        reasons = _list_of(step.get("diffReasons"), where, "`diffReasons`")
        changes.append(
            StepChange(op, urn, type_token, tuple(r for r in reasons if isinstance(r, str)))
        )
    raw_config = document.get("config") or {}
    config = (
        {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in raw_config.items()}
        if isinstance(raw_config, dict)
        else {}
    )
    summary = document.get("changeSummary") or {}
    nodes_all = list(after.values()) or list(before.values())
    project = stack = ""
    if nodes_all:
        stack, project, _, _ = parse_urn(nodes_all[0].urn)
    return PreviewSides(
        before=_graph(list(before.values()), {}, project=project, stack=stack),
        after=_graph(list(after.values()), {}, project=project, stack=stack),
        config=config,
        steps=tuple(changes),
        source=label,
        change_summary={str(k): int(v) for k, v in summary.items() if isinstance(v, int)}
        if isinstance(summary, dict)
        else {},
    )


def read_preview_json(source: str | Path, *, stdin: IO[bytes] | None = None) -> PreviewSides:
    """Read ``pulumi preview --json`` output from a file, or from stdin when ``source`` is ``-``.

    Raises:
        InputError: missing, larger than 200 MiB, not UTF-8, not JSON, or not of that shape.
    """
    data, label = _read_bytes(source, "preview JSON", stdin)
    return preview_from_document(_parse_json(data, "preview JSON", label), label)


def state_from_document(document: Any, label: str) -> ResourceGraph:
    """The resources of a parsed stack export or DIY-backend checkpoint."""
    what = f"state {label}"
    if not isinstance(document, dict):
        raise InputError(
            f"{what}: expected a JSON object at the top level, got {type(document).__name__}"
        )
    check_depth(document, what)
    stack_hint = ""
    if "checkpoint" in document:
        checkpoint = document["checkpoint"]
        if not isinstance(checkpoint, dict):
            raise InputError(f"{what}: `checkpoint` must be an object")
        stack_hint = str(checkpoint.get("stack") or "").rsplit("/", 1)[-1]
        # A checkpoint of a stack never deployed has no `latest`; `latest: []` is not that.
        deployment = checkpoint.get("latest")
        if deployment is None:
            deployment = {}
    elif "deployment" in document:
        deployment = document["deployment"]
    elif "resources" in document and "manifest" in document:
        deployment = document  # a bare deployment
    elif "steps" in document:
        raise InputError(
            f"{what}: this is `pulumi preview --json` output, not a state; give it "
            "as --preview-json"
        )
    else:
        raise InputError(
            f"{what}: not a `pulumi stack export` file or a DIY-backend checkpoint "
            "(no `deployment` or `checkpoint` key)"
        )
    version = document.get("version")
    if "version" in document and not (
        isinstance(version, int) and not isinstance(version, bool) and version in STATE_VERSIONS
    ):
        raise InputError(
            f"{what}: deployment version {version!r} is not supported (expected 3 or 4)"
        )
    if not isinstance(deployment, dict):
        raise InputError(
            f"{what}: the deployment must be an object, got {type(deployment).__name__}"
        )
    resources = _list_of(deployment.get("resources"), what, "`resources`")
    nodes: list[ResourceNode] = []
    outputs: Mapping[str, Any] = {}
    for position, resource in enumerate(resources):
        where = f"{what}: resources[{position}]"
        if not isinstance(resource, dict):
            raise InputError(f"{where}: expected an object, got {type(resource).__name__}")
        if resource.get("delete"):
            continue  # an old copy waiting to be deleted after a replacement
        node = node_from_state(resource, where)
        nodes.append(node)
        if node.type == STACK_TYPE and isinstance(resource.get("outputs"), dict):
            outputs = normalise(resource["outputs"], "", [])
    return _graph(nodes, outputs, stack=stack_hint if not nodes else "")


def _default_fetch(url: str) -> Mapping[str, Any]:
    # Imported by name: the backend package is optional for the cost engine (and its absence
    # must not break type checking of a build without it).
    try:
        module = importlib.import_module("ask_components.backend.checkpoint")
    except ImportError:
        raise InputError(
            f"state {url}: reading state from a URL needs ask_components.backend.checkpoint, "
            "which this build does not have; download the file and give its path"
        ) from None
    read: Fetch = module.read_checkpoint
    return read(url)


def read_state(source: str | Path, *, fetch: Fetch | None = None) -> ResourceGraph:
    """Read a deployed state: a stack export or checkpoint file, or an ``s3://`` URL.

    Args:
        source: a file path (``file://`` URLs too) or an ``s3://…`` URL of a checkpoint.
        fetch: reads a URL into the checkpoint document; by default
            ``ask_components.backend.checkpoint.read_checkpoint``.

    Raises:
        InputError: unreadable or of the wrong shape (the message names the file or URL).
    """
    text = str(source)
    if text.startswith("file://"):
        source = text[len("file://") :]
    elif text.startswith(URL_SCHEMES):
        document = (fetch or _default_fetch)(text)
        # No query in messages, and no user info: the label reaches exceptions, not only output.
        return state_from_document(document, redact(text.split("?", 1)[0]))
    data, label = _read_bytes(source, "state")
    return state_from_document(_parse_json(data, "state", label), label)


def region_of(graph: ResourceGraph, config: Mapping[str, Any] | None = None) -> str | None:
    """The stack's region: config ``alicloud:region``, else the first alicloud provider's."""
    if config:
        region = config.get("alicloud:region")
        if isinstance(region, str) and region:
            return region
    for node in graph.resources:
        if node.type == "pulumi:providers:alicloud":
            region = node.inputs.get("region")
            if isinstance(region, str) and region and region != UNKNOWN_MARK:
                return region
    return None


__all__ = [
    "MAX_INPUT_BYTES",
    "Fetch",
    "PreviewSides",
    "StepChange",
    "node_from_state",
    "normalise",
    "parse_urn",
    "preview_from_document",
    "read_preview_json",
    "read_state",
    "region_of",
    "state_from_document",
]
