"""What every sandbox provider and resource shares.

A provider (``pulumi.dynamic.ResourceProvider``) runs wherever Pulumi runs it: in the dynamic
provider host of ``pulumi up``, or in-process under the offline engine. It reads nothing but its
inputs; ``sandbox_state`` names the store. Each operation opens the store, does its work in one
transaction and closes it, so any number of processes may work on one store.

The subclass says which inputs it takes, which of them force a replacement (as the real
resource's ForceNew arguments do), the rules Alibaba enforces on them without looking at other
resources (``violations``, also run by ``check``), and what create/update/delete do in the store.
"""

from __future__ import annotations

import contextlib
import ipaddress
import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import pulumi
import pulumi.dynamic

from ask_components.errors import SandboxError
from ask_components.preview.render import register_describer
from ask_components.preview.wire import UNKNOWN_VALUE as UNKNOWN
from ask_components.sandbox.store import SandboxRecord, SandboxStore, Transaction, now
from ask_components.sandbox.summary import SUMMARIES

MODULE = "sandbox"
"""The module of every sandbox type token: ``pulumi-python:dynamic/sandbox:<Type>``."""

STATE_KEY = "sandbox_state"
"""The input naming the store (a path, relative to where the provider runs: the project folder)."""

Props = dict[str, Any]


def type_token(type_name: str) -> str:
    """The Pulumi type token of a sandbox resource type."""
    return f"pulumi-python:dynamic/{MODULE}:{type_name}"


# `askc preview` shows the same one-line summary of a sandbox resource as `askc sandbox ls`.
for _type_name, _summary in SUMMARIES.items():
    register_describer(type_token(_type_name), _summary)


@dataclass(frozen=True)
class Violation:
    """An input Alibaba would refuse.

    Attributes:
        property: the input (``cidr_block``).
        code: Alibaba's error code.
        message: Alibaba's message, then the value at fault.
    """

    property: str
    code: str
    message: str

    def error(self) -> SandboxError:
        """The error ``create``/``update`` raise for it."""
        return SandboxError(self.code, self.message)


def is_unknown(value: Any) -> bool:
    """Whether a value is, or contains, an input not known yet (during a preview)."""
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(is_unknown(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(is_unknown(item) for item in value)
    return False


def known(value: Any) -> bool:
    """Set and known: a rule on it can be checked now."""
    return value is not None and not is_unknown(value)


def plain(value: Any) -> Any:
    """A wire value made plain: integral floats back to ints (the wire has only doubles)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def parse_cidr(value: Any, prop: str) -> tuple[ipaddress.IPv4Network | None, Violation | None]:
    """A CIDR input parsed strictly, or the violation Alibaba reports for it."""
    try:
        return ipaddress.IPv4Network(str(value), strict=True), None
    except ValueError:
        return None, Violation(
            prop, "InvalidCidrBlock.Malformed", f"Specified CIDR block is not valid. ({value})"
        )


def missing(inputs: Props, required: Sequence[tuple[str, str]]) -> list[Violation]:
    """Alibaba's ``MissingParameter`` for each (input, API name) pair whose input is not set."""
    return [
        Violation(prop, "MissingParameter", f"{api_name} is mandatory.")
        for prop, api_name in required
        if inputs[prop] is None
    ]


def not_found(code: str, what: str, resource_id: Any) -> SandboxError:
    """Alibaba's ``*.NotFound`` error for a missing resource."""
    return SandboxError(code, f"Specified {what} does not exist. ({resource_id})")


def require(
    tx: Transaction, resource_id: Any, type_name: str, code: str, what: str
) -> SandboxRecord:
    """The resource ``resource_id`` of ``type_name``, or Alibaba's NotFound error."""
    record = tx.get(str(resource_id)) if isinstance(resource_id, str) else None
    if record is None or record.type != type_name:
        raise not_found(code, what, resource_id)
    return record


class SandboxProvider(pulumi.dynamic.ResourceProvider):
    """A dynamic provider that keeps one type of stand-in in the sandbox store.

    Class attributes:
        type_name: the resource type (``SandboxVpc``), also stored with each row.
        input_names: the inputs it takes (besides ``sandbox_state``).
        replace_on: the inputs whose change replaces the resource.
        name_input: the input holding the cloud name (listed by ``askc sandbox ls``).
    """

    type_name: ClassVar[str]
    input_names: ClassVar[tuple[str, ...]]
    replace_on: ClassVar[frozenset[str]] = frozenset()
    name_input: ClassVar[str | None] = None

    # What subclasses implement.

    def violations(self, inputs: Props) -> list[Violation]:
        """The rules on the inputs alone (unknown values skipped). Default: none."""
        return []

    def on_create(self, tx: Transaction, inputs: Props) -> tuple[str, Props, Sequence[str]]:
        """Check the rules against the store; return the new id, computed outputs and refs."""
        raise NotImplementedError

    def on_update(
        self, tx: Transaction, record: SandboxRecord, inputs: Props
    ) -> tuple[Props, Sequence[str]]:
        """Check an in-place change; return the changed computed outputs and the refs."""
        return {}, record.refs

    def on_delete(self, tx: Transaction, record: SandboxRecord) -> None:
        """Refuse a delete while other resources refer to this one (Alibaba's rule)."""
        users = tx.referrers(record.id)
        if users:
            listed = ", ".join(f"{user.type} {user.id}" for user in users)
            raise SandboxError(
                "DependencyViolation",
                f"Specified object has dependent resources. ({record.id} is used by {listed})",
            )

    def settle(self, tx: Transaction, state: Mapping[str, Any]) -> None:
        """Adjust other resources after a create, update or delete (same transaction)."""

    # The Pulumi dynamic provider interface.

    def check(self, _olds: Props, news: Props) -> pulumi.dynamic.CheckResult:
        inputs = self.inputs_of(news)
        failures = [
            pulumi.dynamic.CheckFailure(item.property, f"{item.code}: {item.message}")
            for item in self.violations(inputs)
        ]
        return pulumi.dynamic.CheckResult(news, failures)

    def create(self, props: Props) -> pulumi.dynamic.CreateResult:
        inputs = self._valid(props)
        with self._store(inputs) as store, store.transaction() as tx:
            resource_id, computed, refs = self.on_create(tx, inputs)
            state = {**self._stored(inputs), **computed}
            tx.insert(resource_id, self.type_name, self._name(inputs), state, refs)
            self.settle(tx, state)
        return pulumi.dynamic.CreateResult(resource_id, {**state, STATE_KEY: inputs[STATE_KEY]})

    def read(self, id_: str, props: Props) -> pulumi.dynamic.ReadResult:
        inputs = self.inputs_of(props)
        with self._store(inputs) as store:
            record = store.get(id_)
        if record is None or record.type != self.type_name:
            # Gone: an empty id tells Pulumi to drop it from the stack on refresh.
            return pulumi.dynamic.ReadResult("", {})
        return pulumi.dynamic.ReadResult(id_, {**record.state, STATE_KEY: inputs[STATE_KEY]})

    def diff(self, _id: str, olds: Props, news: Props) -> pulumi.dynamic.DiffResult:
        keys = (*self.input_names, STATE_KEY)
        changed = [key for key in keys if input_changed(olds.get(key), news.get(key))]
        # Moving to another store is a new stand-in there (created first, then the old deleted).
        replaces = [key for key in changed if key in self.replace_on or key == STATE_KEY]
        return pulumi.dynamic.DiffResult(
            changes=bool(changed), replaces=replaces, delete_before_replace=False
        )

    def update(self, id_: str, _olds: Props, news: Props) -> pulumi.dynamic.UpdateResult:
        inputs = self._valid(news)
        with self._store(inputs) as store, store.transaction() as tx:
            record = tx.get(id_)
            if record is None or record.type != self.type_name:
                raise not_found("InvalidInstanceId.NotFound", self.type_name, id_)
            computed, refs = self.on_update(tx, record, inputs)
            state = {**record.state, **self._stored(inputs), **computed}
            tx.update(id_, self._name(inputs), state, refs)
            self.settle(tx, state)
        return pulumi.dynamic.UpdateResult({**state, STATE_KEY: inputs[STATE_KEY]})

    def delete(self, id_: str, props: Props) -> None:
        inputs = self.inputs_of(props)
        with self._store(inputs) as store, store.transaction() as tx:
            record = tx.get(id_)
            if record is None:
                return  # already gone: deleting is idempotent, as the alicloud provider's is
            self.on_delete(tx, record)
            tx.delete(id_)
            self.settle(tx, record.state)

    # Helpers.

    def inputs_of(self, props: Mapping[str, Any]) -> Props:
        """This type's inputs out of a property bag (outputs, ``__provider`` left out)."""
        inputs = {name: plain(props.get(name)) for name in self.input_names}
        inputs[STATE_KEY] = props.get(STATE_KEY)
        return inputs

    def _valid(self, props: Props) -> Props:
        inputs = self.inputs_of(props)
        for item in self.violations(inputs):
            raise item.error()
        return inputs

    def _store(self, inputs: Props) -> SandboxStore:
        path = inputs.get(STATE_KEY)
        if not isinstance(path, str) or not path or is_unknown(path):
            raise SandboxError(
                "MissingParameter", f"{STATE_KEY} must name the sandbox store (got {path!r})"
            )
        return SandboxStore(path)

    def _stored(self, inputs: Props) -> Props:
        return {key: value for key, value in inputs.items() if key != STATE_KEY}

    def _name(self, inputs: Props) -> str:
        value = inputs.get(self.name_input) if self.name_input else None
        return value if isinstance(value, str) else ""


def input_changed(old: Any, new: Any) -> bool:
    """Whether an input differs from its stored value, as a provider's ``diff`` decides it: a
    value not known yet may change, and an unset optional input equals an empty one."""
    if is_unknown(new):
        return True  # not known yet: it may change
    return bool(_normal(old) != _normal(new))


def _normal(value: Any) -> Any:
    # An unset optional input and an empty one are the same to the cloud.
    value = plain(value)
    return None if value in ({}, [], "") else value


def created_now() -> str:
    """``create_time`` of a new resource."""
    return now()


@contextlib.contextmanager
def restored_pickler() -> Iterator[None]:
    """Restore the pickler that ``pulumi.dynamic.serialize_provider`` patches and never restores.

    pulumi 3.272 wraps ``pickle._Pickler._batch_setitems`` once more on every dynamic resource;
    after ~320 of them in one process the wrappers overflow the stack (RecursionError). Restoring
    the two methods after each registration keeps any number of sandbox resources working, under
    ``pulumi up`` as well as under the offline engine (which has its own guard).
    """
    pickler: Any = pickle._Pickler
    saved = (pickler._batch_setitems, pickler.save_dict)
    try:
        yield
    finally:
        pickler._batch_setitems, pickler.save_dict = saved


class SandboxResource(pulumi.dynamic.Resource):
    """Base of the sandbox's Pulumi resources (a subclass, as pulumi 3.272 requires)."""

    def __init__(
        self,
        provider: SandboxProvider,
        name: str,
        inputs: Mapping[str, Any],
        outputs: Sequence[str],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        props: dict[str, Any] = {**inputs, **dict.fromkeys(outputs)}
        with restored_pickler():
            super().__init__(provider, name, props, opts)
