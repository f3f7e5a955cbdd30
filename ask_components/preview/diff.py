"""What a change does to each resource: create, update, replace, delete or nothing (same).

Two ways in, one result (:class:`PreviewDiff`):

- :func:`diff_graphs` compares two resource graphs (the offline preview of a baseline and of the
  change) the way the Pulumi engine would plan it: resources are matched by URN or by an alias
  (a rename with an alias is the same resource), inputs are compared property by property, and a
  changed property that the provider marks ForceNew (:mod:`ask_components.preview.forcenew`) or
  that the resource lists in ``replaceOnChanges`` replaces the resource. Replacements carry on:
  an input that takes the id of a replaced (or newly created) resource changes too, and so may
  replace its user; a replaced provider replaces every resource it manages.
- :func:`diff_preview_steps` reads the plan of a real ``pulumi preview --json``: the engine's own
  ops, ``replaceReasons`` and ``detailedDiff``.

Secrets stay masked: a changed secret shows as ``[secret]`` on both sides.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from ask_components.preview.forcenew import TypeRules, is_known, rules_for
from ask_components.preview.graph import (
    SECRET_MASK,
    STACK_TYPE,
    UNKNOWN_MARK,
    ResourceGraph,
    ResourceNode,
)
from ask_components.preview.paths import PathError, Segment, covers, format_path, parse_path

STATEFUL_TYPES: Final = frozenset(
    {
        "alicloud:cs/managedKubernetes:ManagedKubernetes",
        "alicloud:alb/loadBalancer:LoadBalancer",
        "alicloud:vpc/natGateway:NatGateway",
        "alicloud:ecs/eipAddress:EipAddress",
        "alicloud:vpc/switch:Switch",
        "alicloud:vpc/network:Network",
        "alicloud:pvtz/zone:Zone",
    }
)
"""Resources whose replacement loses something a platform team must never lose by accident
(the cluster and everything in it, the ALB's address, the egress IPs, the network, the private
zone): ``askc preview diff --fail-on-replace`` stops on their replacement."""

REPLACE_ON_CHANGES: Final = "replaceOnChanges (resource option)"
"""The source named for a replacement the resource's own ``replaceOnChanges`` asks for."""


class Op(enum.StrEnum):
    """What happens to a resource, named as ``pulumi preview`` names it."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    SAME = "same"


OP_ORDER: Final = (Op.CREATE, Op.UPDATE, Op.REPLACE, Op.DELETE, Op.SAME)
"""The order ops are counted and listed in."""


@dataclass(frozen=True)
class PropertyChange:
    """One changed property of a resource.

    Attributes:
        path: the Pulumi property path (``spec.replicas``, ``zoneMappings[0].vswitchId``).
        kind: ``add``, ``delete`` or ``update``.
        old: the value before (None when added); secrets masked.
        new: the value after (None when deleted); ``[unknown]`` when only known after deploy.
        replaces: True when this change replaces the resource.
        source: why it replaces: the provider rule (file and line), ``replaceOnChanges``, or the
            replaced resource the value comes from.
        cause: when the value changes because another resource is replaced or created, that
            resource's URN.
    """

    path: str
    kind: str
    old: Any = None
    new: Any = None
    replaces: bool = False
    source: str | None = None
    cause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return {
            "path": self.path,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "replaces": self.replaces,
            "source": self.source,
            "cause": self.cause,
        }


@dataclass(frozen=True)
class ResourceChange:
    """What happens to one resource.

    Attributes:
        urn: the resource's URN after the change (before it, for a delete).
        type: the type token.
        name: the logical name.
        op: create, update, replace, delete or same.
        custom: False for components and the stack.
        parent: the parent's URN (None for the stack).
        changes: the changed properties (update and replace).
        option_changes: changed resource options that are an update by themselves
            (``protect``), as ``name: old -> new``.
        old_urn: the URN before, when the resource was renamed through an alias.
        delete_before_replace: the old resource is deleted before the new one is created (a
            gap in service), for a replace.
        delete_before_replace_reason: why: the ``deleteBeforeReplace`` option or the provider.
        stateful: the type is one of :data:`STATEFUL_TYPES`.
        protect: the resource is protected (``pulumi up`` stops on its replace or delete).
        notes: what else a reviewer should know.
    """

    urn: str
    type: str
    name: str
    op: Op
    custom: bool = True
    parent: str | None = None
    changes: tuple[PropertyChange, ...] = ()
    option_changes: tuple[str, ...] = ()
    old_urn: str | None = None
    delete_before_replace: bool = False
    delete_before_replace_reason: str = ""
    stateful: bool = False
    protect: bool = False
    notes: tuple[str, ...] = ()

    @property
    def replace_reasons(self) -> tuple[PropertyChange, ...]:
        """The changes that replace the resource."""
        return tuple(change for change in self.changes if change.replaces)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (the schema is documented in docs/preview-diff.md)."""
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "op": self.op.value,
            "parent": self.parent,
            "oldUrn": self.old_urn,
            "stateful": self.stateful,
            "protect": self.protect,
            "deleteBeforeReplace": self.delete_before_replace,
            "deleteBeforeReplaceReason": self.delete_before_replace_reason or None,
            "replaceReasons": [change.path for change in self.replace_reasons],
            "changes": [change.to_dict() for change in self.changes],
            "optionChanges": list(self.option_changes),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class PreviewDiff:
    """The plan of a change.

    Attributes:
        project: the Pulumi project.
        stack: the stack.
        baseline: what the change is compared with (``git HEAD``, ``stack dev``, a file).
        resources: every resource, in the order of the new graph, then the deleted ones.
    """

    project: str
    stack: str
    baseline: str
    resources: tuple[ResourceChange, ...] = field(default_factory=tuple)

    def counts(self) -> dict[Op, int]:
        """How many resources each op touches (every op present, zeros too)."""
        found = dict.fromkeys(OP_ORDER, 0)
        for change in self.resources:
            found[change.op] += 1
        return found

    @property
    def changed(self) -> tuple[ResourceChange, ...]:
        """The resources that do not stay the same."""
        return tuple(change for change in self.resources if change.op is not Op.SAME)

    @property
    def stateful_replacements(self) -> tuple[ResourceChange, ...]:
        """Stateful resources (:data:`STATEFUL_TYPES`) that would be replaced."""
        return tuple(c for c in self.resources if c.op is Op.REPLACE and c.stateful)

    def changed_urns(self) -> frozenset[str]:
        """URNs of every resource that does not stay the same (old and new URNs)."""
        urns = {change.urn for change in self.changed}
        urns.update(change.old_urn for change in self.changed if change.old_urn)
        return frozenset(urns)


# ---------------------------------------------------------------------------------------------
# Comparing values


def _walk(old: Any, new: Any, path: tuple[Segment, ...], out: list[tuple[Any, ...]]) -> None:
    """Append (path, kind, old, new) for every leaf that differs."""
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in [*old, *(key for key in new if key not in old)]:
            if key not in new:
                out.append(((*path, key), "delete", old[key], None))
            elif key not in old:
                out.append(((*path, key), "add", None, new[key]))
            else:
                _walk(old[key], new[key], (*path, key), out)
        return
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            if index >= len(new):
                out.append(((*path, index), "delete", old[index], None))
            elif index >= len(old):
                out.append(((*path, index), "add", None, new[index]))
            else:
                _walk(old[index], new[index], (*path, index), out)
        return
    out.append((path, "update", old, new))


def _not_known(value: Any) -> bool:
    """Whether a value holds a part not known before deploy: ``[unknown]``, or a secret (a
    secret that comes from another resource is one of its outputs, not known either)."""
    if value in (UNKNOWN_MARK, SECRET_MASK):
        return True
    if isinstance(value, Mapping):
        return any(_not_known(item) for item in value.values())
    if isinstance(value, list):
        return any(_not_known(item) for item in value)
    return False


def _parsed(paths: Iterable[Any], where: str) -> list[tuple[Segment, ...]]:
    parsed: list[tuple[Segment, ...]] = []
    for text in paths:
        try:
            parsed.append(parse_path(str(text)))
        except PathError as err:
            raise ValueError(f"{where}: {err}") from None
    return parsed


# ---------------------------------------------------------------------------------------------
# Comparing graphs


@dataclass
class _Pair:
    old: ResourceNode | None
    new: ResourceNode | None
    op: Op = Op.SAME
    changes: list[PropertyChange] = field(default_factory=list)
    option_changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: TypeRules | None = None

    @property
    def node(self) -> ResourceNode:
        found = self.new or self.old
        assert found is not None
        return found


def _match(before: ResourceGraph, after: ResourceGraph) -> list[_Pair]:
    """Old and new resources paired by URN, then by alias (Pulumi's alias semantics: a new
    resource whose alias is an old URN that no new resource has is that old resource)."""
    old_by_urn = before.by_urn()
    new_urns = {node.urn for node in after}
    claimed: set[str] = set()
    pairs: list[_Pair] = []
    for node in after:
        old = old_by_urn.get(node.urn)
        if old is None:
            for alias in node.options.get("aliases") or ():
                if alias in old_by_urn and alias not in new_urns and alias not in claimed:
                    old = old_by_urn[alias]
                    break
        if old is not None:
            claimed.add(old.urn)
        pairs.append(_Pair(old, node))
    pairs.extend(_Pair(node, None) for node in before if node.urn not in claimed)
    return pairs


def _rules(node: ResourceNode) -> TypeRules | None:
    if not node.custom or node.type == STACK_TYPE or not is_known(node.type):
        return None
    return rules_for(node.type)


def _direct(pair: _Pair) -> None:
    """The op of a pair from its own inputs and options (before any cascade)."""
    old, new = pair.old, pair.new
    if new is None:
        pair.op = Op.DELETE
        return
    if old is None:
        pair.op = Op.CREATE
        return
    pair.rules = _rules(new)
    if new.custom and new.type != STACK_TYPE and pair.rules is None:
        pair.notes.append(
            f"replacement rules for {new.type} are not known offline: changes are shown as "
            "updates; `pulumi preview` decides"
        )
    where = f"{new.name}: resource option"
    ignored = _parsed(new.options.get("ignoreChanges") or (), f"{where} ignoreChanges")
    replace_on = _parsed(new.options.get("replaceOnChanges") or (), f"{where} replaceOnChanges")
    found: list[tuple[Any, ...]] = []
    _walk(dict(old.inputs), dict(new.inputs), (), found)
    for path, kind, before_value, after_value in found:
        if any(covers(prefix, path) for prefix in ignored):
            continue
        pair.changes.append(_change(pair, path, kind, before_value, after_value, replace_on))
    if bool(old.options.get("protect")) != bool(new.options.get("protect")):
        pair.option_changes.append(
            f"protect: {bool(old.options.get('protect'))} -> {bool(new.options.get('protect'))}"
        )
    old_provider = _provider_urn(old.provider)
    new_provider = _provider_urn(new.provider)
    if old_provider != new_provider and old_provider is not None and new_provider is not None:
        pair.changes.append(
            PropertyChange(
                "provider",
                "update",
                old_provider,
                new_provider,
                replaces=True,
                source="another provider (the engine replaces a resource that moves to another "
                "provider)",
            )
        )
    pair.op = _op_of(pair)


def _change(
    pair: _Pair,
    path: tuple[Segment, ...],
    kind: str,
    old: Any,
    new: Any,
    replace_on: Sequence[tuple[Segment, ...]],
    cause: str | None = None,
) -> PropertyChange:
    source: str | None = None
    if any(prefix == ("*",) or covers(prefix, path) for prefix in replace_on):
        source = REPLACE_ON_CHANGES
    elif pair.rules is not None:
        rule = pair.rules.rule_for(path)
        if rule is not None:
            source = rule.source
    return PropertyChange(
        format_path(path), kind, old, new, replaces=source is not None, source=source, cause=cause
    )


def _op_of(pair: _Pair) -> Op:
    if any(change.replaces for change in pair.changes):
        return Op.REPLACE
    if pair.changes or pair.option_changes:
        return Op.UPDATE
    return Op.SAME


def _provider_urn(reference: str | None) -> str | None:
    """The URN of a provider reference (``<provider URN>::<id>``)."""
    if not reference:
        return None
    urn, sep, _ = reference.rpartition("::")
    return urn if sep else reference


def _cascade(pairs: list[_Pair]) -> None:
    """Carry replacements to the resources that use them, until nothing more changes.

    An input whose value comes from a resource that is replaced or newly created (its
    ``propertyDependencies``; all dependencies when the graph does not record them) and is not
    known yet changes too; a resource whose provider is replaced is replaced.
    """
    by_new_urn = {pair.new.urn: pair for pair in pairs if pair.new is not None}
    moving = {
        urn for urn, pair in by_new_urn.items() if pair.op in (Op.REPLACE, Op.CREATE)
    }  # resources whose id will change
    renamed = {
        pair.old.urn: pair.new.urn
        for pair in pairs
        if pair.old is not None and pair.new is not None and pair.old.urn != pair.new.urn
    }
    changed = True
    while changed:
        changed = False
        for pair in pairs:
            if pair.old is None or pair.new is None or pair.op is Op.REPLACE:
                continue
            if _carry(pair, moving, by_new_urn, renamed):
                changed = True
                if _replaced(pair):
                    moving.add(pair.new.urn)


def _replaced(pair: _Pair) -> bool:
    return pair.op is Op.REPLACE


def _carry(
    pair: _Pair, moving: set[str], by_urn: Mapping[str, _Pair], renamed: Mapping[str, str]
) -> bool:
    new = pair.new
    assert new is not None
    provider = _provider_urn(new.provider)
    if provider in moving and provider in by_urn and by_urn[provider].op is Op.REPLACE:
        pair.changes.append(
            PropertyChange(
                "provider",
                "update",
                UNKNOWN_MARK,
                UNKNOWN_MARK,
                replaces=True,
                source=f"its provider {by_urn[provider].node.name} is replaced",
                cause=provider,
            )
        )
        pair.op = Op.REPLACE
        return True
    deps = new.property_dependencies or dict.fromkeys(new.inputs, tuple(new.dependencies))
    old_deps = pair.old.property_dependencies if pair.old is not None else {}
    already = {_top_key(change.path) for change in pair.changes}
    added = False
    for key, urns in deps.items():
        value = new.inputs.get(key)
        if key in already or not _not_known(value):
            continue
        cause = next((urn for urn in urns if urn in moving), None)
        if cause is None and old_deps:
            # Another set of resources feeds the input (one was removed or added): its value
            # changes although both previews show it as not known yet.
            before = {renamed.get(urn, urn) for urn in old_deps.get(key, ())}
            cause = next(iter(sorted(before.symmetric_difference(urns))), None)
        if cause is None or any(covers(prefix, (key,)) for prefix in _ignored(new)):
            continue
        replace_on = _parsed(new.options.get("replaceOnChanges") or (), new.name)
        old_value = pair.old.inputs.get(key) if pair.old is not None else None
        change = _change(pair, (key,), "update", old_value, value, replace_on, cause=cause)
        if change.replaces and cause in by_urn:
            change = replace(change, source=f"{change.source}; {by_urn[cause].node.name} changes")
        pair.changes.append(change)
        added = True
    if added:
        pair.op = _op_of(pair)
    return added


def _top_key(path: str) -> Segment:
    try:
        return parse_path(path)[0]
    except PathError:
        return path


def _ignored(node: ResourceNode) -> list[tuple[Segment, ...]]:
    return _parsed(node.options.get("ignoreChanges") or (), node.name)


def _finish(pair: _Pair) -> ResourceChange:
    node = pair.node
    options = node.options
    protect = bool(options.get("protect"))
    notes = list(pair.notes)
    dbr = False
    dbr_reason = ""
    if pair.op is Op.REPLACE:
        if options.get("deleteBeforeReplace"):
            dbr, dbr_reason = True, "deleteBeforeReplace option"
        elif pair.rules is not None and pair.rules.delete_before_replace and _same_name(pair):
            dbr, dbr_reason = True, "the provider (an object's fixed name must be free first)"
    old_protect = bool(pair.old.options.get("protect")) if pair.old is not None else False
    if pair.op in (Op.REPLACE, Op.DELETE) and old_protect:
        notes.append(
            "protected: `pulumi up` refuses to "
            f"{'replace' if pair.op is Op.REPLACE else 'delete'} it until protect is turned off"
        )
    if pair.op is Op.DELETE and options.get("retainOnDelete"):
        notes.append("retainOnDelete: Pulumi forgets it, the cloud resource is kept")
    secret_paths = set(node.secret_paths)
    changes = tuple(
        replace(change, old=SECRET_MASK, new=SECRET_MASK) if change.path in secret_paths else change
        for change in pair.changes
    )
    old_urn = (
        pair.old.urn
        if pair.old is not None and pair.new is not None and pair.old.urn != pair.new.urn
        else None
    )
    return ResourceChange(
        urn=node.urn,
        type=node.type,
        name=node.name,
        op=pair.op,
        custom=node.custom,
        parent=node.parent,
        changes=changes,
        option_changes=tuple(pair.option_changes),
        old_urn=old_urn,
        delete_before_replace=dbr,
        delete_before_replace_reason=dbr_reason,
        stateful=node.type in STATEFUL_TYPES,
        protect=protect,
        notes=tuple(notes),
    )


def _same_name(pair: _Pair) -> bool:
    """A Kubernetes object keeps its ``metadata.name`` (set, and the same before and after)."""
    old = pair.old.inputs.get("metadata") if pair.old is not None else None
    new = pair.new.inputs.get("metadata") if pair.new is not None else None
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return False
    return new.get("name") is not None and old.get("name") == new.get("name")


def diff_graphs(before: ResourceGraph, after: ResourceGraph, *, baseline: str) -> PreviewDiff:
    """The plan that takes ``before`` to ``after``.

    Args:
        before: the resources as they are (the baseline's offline preview).
        after: the resources as the change makes them.
        baseline: what ``before`` is, for the reader (``git origin/main``).

    Raises:
        ValueError: a resource option holds a property path that cannot be parsed.
    """
    pairs = _match(before, after)
    for pair in pairs:
        _direct(pair)
    _cascade(pairs)
    return PreviewDiff(
        after.project or before.project,
        after.stack or before.stack,
        baseline,
        tuple(_finish(pair) for pair in pairs),
    )


# ---------------------------------------------------------------------------------------------
# A real `pulumi preview --json`


_STEP_OPS: Final = {
    "same": Op.SAME,
    "create": Op.CREATE,
    "update": Op.UPDATE,
    "replace": Op.REPLACE,
    "delete": Op.DELETE,
    "create-replacement": Op.REPLACE,
    "delete-replaced": Op.REPLACE,
    "import": Op.CREATE,
    "import-replacement": Op.REPLACE,
    "read": Op.SAME,
    "read-replacement": Op.REPLACE,
    "refresh": Op.SAME,
    "discard": Op.DELETE,
    "discard-replaced": Op.REPLACE,
    "remove-pending-replace": Op.DELETE,
}
"""The engine's step ops (pulumi ``pkg/resource/deploy/step.go``) as the five ops shown."""

_DIFF_KINDS: Final = {
    "add": ("add", False),
    "add-replace": ("add", True),
    "delete": ("delete", False),
    "delete-replace": ("delete", True),
    "update": ("update", False),
    "update-replace": ("update", True),
}
"""``detailedDiff`` kinds (pulumi ``PropertyDiff``) as (kind, replaces)."""


def _lookup(inputs: Any, path: Sequence[Segment]) -> Any:
    value = inputs
    for segment in path:
        if isinstance(segment, int) and isinstance(value, list) and segment < len(value):
            value = value[segment]
        elif isinstance(segment, str) and isinstance(value, Mapping):
            value = value.get(segment)
        else:
            return None
    return value


def diff_preview_steps(
    steps: Sequence[Mapping[str, Any]],
    before: ResourceGraph,
    after: ResourceGraph,
    *,
    baseline: str,
) -> PreviewDiff:
    """The plan a ``pulumi preview --json`` printed, in the same shape as :func:`diff_graphs`.

    Args:
        steps: the document's ``steps`` (each a mapping, as read from the file).
        before: the steps' ``oldState`` resources (values normalised, secrets masked).
        after: the steps' ``newState`` resources.
        baseline: what the preview compared with (the file name).

    Raises:
        ValueError: a step without a string ``op`` and ``urn``, or an op that is not Pulumi's
            (the message names the step).
    """
    old_by_urn = before.by_urn()
    new_by_urn = after.by_urn()
    changes: dict[str, ResourceChange] = {}
    for position, step in enumerate(steps):
        op_text, urn = step.get("op"), step.get("urn")
        if not isinstance(op_text, str) or not isinstance(urn, str):
            raise ValueError(f"steps[{position}]: a step needs a string `op` and `urn`")
        op = _STEP_OPS.get(op_text)
        if op is None:
            raise ValueError(f"steps[{position}]: unknown op {op_text!r}")
        old = old_by_urn.get(urn)
        new = new_by_urn.get(urn)
        node = new or old
        if node is None:
            parts = urn.split("::")
            type_token = parts[2].rsplit("$", 1)[-1] if len(parts) == 4 else ""
            node = ResourceNode(urn=urn, type=type_token, name=parts[-1], custom=True)
        replace_reasons = {str(key) for key in step.get("replaceReasons") or ()}
        found: list[PropertyChange] = []
        detailed = step.get("detailedDiff")
        if isinstance(detailed, Mapping) and detailed:
            for key, entry in detailed.items():
                kind, replaces = _DIFF_KINDS.get(
                    str(entry.get("kind")) if isinstance(entry, Mapping) else "", ("update", False)
                )
                try:
                    path = parse_path(str(key))
                except PathError:
                    path = (str(key),)
                found.append(
                    PropertyChange(
                        str(key),
                        kind,
                        _lookup(old.inputs, path) if old is not None else None,
                        _lookup(new.inputs, path) if new is not None else None,
                        replaces=replaces or str(key) in replace_reasons,
                        source="pulumi preview" if replaces or key in replace_reasons else None,
                    )
                )
        else:
            for key in step.get("diffReasons") or ():
                found.append(
                    PropertyChange(
                        str(key),
                        "update",
                        old.inputs.get(str(key)) if old is not None else None,
                        new.inputs.get(str(key)) if new is not None else None,
                        replaces=str(key) in replace_reasons,
                        source="pulumi preview" if str(key) in replace_reasons else None,
                    )
                )
        previous = changes.get(urn)
        if previous is not None and previous.op is Op.REPLACE:
            continue  # create-replacement and delete-replaced of one replacement
        state = step.get("newState") or step.get("oldState") or {}
        protect = bool(state.get("protect")) if isinstance(state, Mapping) else False
        dbr = op is Op.REPLACE and op_text == "delete-replaced" and not changes.get(urn)
        changes[urn] = ResourceChange(
            urn=urn,
            type=node.type,
            name=node.name,
            op=op,
            custom=node.custom,
            parent=node.parent,
            changes=tuple(found),
            delete_before_replace=dbr,
            delete_before_replace_reason="pulumi preview" if dbr else "",
            stateful=node.type in STATEFUL_TYPES,
            protect=protect,
        )
    project = after.project or before.project
    stack = after.stack or before.stack
    return PreviewDiff(project, stack, baseline, tuple(changes.values()))


__all__ = [
    "OP_ORDER",
    "STATEFUL_TYPES",
    "Op",
    "PreviewDiff",
    "PropertyChange",
    "ResourceChange",
    "diff_graphs",
    "diff_preview_steps",
]
