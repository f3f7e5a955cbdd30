"""``CorednsZones``: private zones answered by the local cluster's CoreDNS (a dynamic resource).

The resource adds one marked section of server blocks (``coredns.server_blocks``) to the
Corefile in CoreDNS's ConfigMap (``kube-system/coredns``), replaces it when the zones change and
removes exactly it on delete, leaving every other byte of the Corefile as it was. CoreDNS's
``reload`` plugin picks the new Corefile up once the kubelet has refreshed the mounted ConfigMap.

Why not ``pulumi_kubernetes`` ``ConfigMapPatch``: it writes with server-side apply, and a forced
``data.Corefile`` makes the patch the field's manager; deleting the patch then gives the field
up and the API server removes the key, so destroying the stack would leave the cluster without a
Corefile (and without DNS on CoreDNS's next restart). This provider edits the live text instead,
through ``kubectl``, with the ConfigMap's ``resourceVersion`` as a guard: a change made between
the read and the write makes ``kubectl replace`` fail with a Conflict, and the edit starts over
from a fresh read (up to ``MAX_ATTEMPTS`` times).

The provider reads nothing but its inputs and the ``kubectl`` of the ``PATH``; the program name
is a constructor argument so tests can point it elsewhere.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from ask_components.dns.config import DEFAULT_TTL
from ask_components.dns.coredns import (
    LocalZone,
    coredns_configmap,
    find_block,
    owner_problem,
    patch_corefile,
    server_blocks,
    unpatch_corefile,
)
from ask_components.dns.records import DnsRecord
from ask_components.errors import LocalClusterError
from ask_components.sandbox._base import (
    MODULE,
    input_changed,
    is_unknown,
    plain,
    restored_pickler,
)

TYPE_NAME = "CorednsZones"
"""The resource type: ``pulumi-python:dynamic/sandbox:CorednsZones``."""

DEFAULT_NAMESPACE = "kube-system"
"""Where kubeadm (and so kind) puts CoreDNS."""

DEFAULT_CONFIGMAP = "coredns"
"""The ConfigMap holding CoreDNS's ``Corefile`` in kubeadm clusters."""

DEFAULT_KUBECTL = "kubectl"
"""The program run, looked up on the ``PATH``."""

MAX_ATTEMPTS = 5
"""Read-patch-write rounds tried before giving up when other clients keep changing the
ConfigMap."""

KUBECTL_TIMEOUT_SECONDS = 60
"""How long one kubectl call may take (kind answers in well under a second)."""

INPUTS = ("kube_context", "owner", "zones", "addresses", "namespace", "configmap")
"""The resource's inputs."""

REPLACE_ON = frozenset({"kube_context", "owner", "namespace", "configmap"})
"""Inputs naming where the section lives: a change removes it there and adds it anew."""

Props = dict[str, Any]

# kubectl's words for an unknown --context (client-go clientcmd's errContextNotFound; older
# releases said 'context "x" does not exist').
_CONTEXT_MISSING = re.compile(
    r'context was not found for specified context|context ".*" does not exist'
)


class CorednsZonesProvider(pulumi.dynamic.ResourceProvider):
    """Adds, replaces and removes one owner's section of CoreDNS's Corefile with ``kubectl``."""

    def __init__(self, kubectl: str = DEFAULT_KUBECTL) -> None:
        """A provider running ``kubectl`` (a name on the ``PATH`` or a path; tests only)."""
        super().__init__()
        self.kubectl = kubectl

    # The Pulumi dynamic provider interface.

    def check(self, _olds: Props, news: Props) -> pulumi.dynamic.CheckResult:
        failures: list[pulumi.dynamic.CheckFailure] = []
        inputs = _inputs(news)
        problem = None if is_unknown(inputs["owner"]) else owner_problem(inputs["owner"])
        if problem:
            failures.append(pulumi.dynamic.CheckFailure("owner", problem))
        # During a preview the record values may be unknown: the blocks are checked at create.
        if not is_unknown(inputs["zones"]) and not is_unknown(inputs["addresses"]):
            try:
                _render(inputs)
            except ValueError as error:
                failures.append(pulumi.dynamic.CheckFailure("zones", str(error)))
        return pulumi.dynamic.CheckResult(news, failures)

    def create(self, props: Props) -> pulumi.dynamic.CreateResult:
        inputs = _inputs(props)
        blocks = _render(inputs)
        owner = str(inputs["owner"])
        self._edit(inputs, lambda corefile: patch_corefile(corefile, owner, blocks))
        return pulumi.dynamic.CreateResult(_id(inputs), {**inputs, "blocks": blocks})

    def read(self, id_: str, props: Props) -> pulumi.dynamic.ReadResult:
        inputs = _inputs(props)
        live = self._get(inputs, gone_ok=True)
        corefile = None if live is None else _corefile(live, inputs, missing_ok=True)
        block = None if corefile is None else _find(corefile, inputs)
        if block is None:
            # Gone (cluster, ConfigMap or section): an empty id drops it from the stack.
            return pulumi.dynamic.ReadResult("", {})
        return pulumi.dynamic.ReadResult(id_, {**inputs, "blocks": block})

    def diff(self, _id: str, olds: Props, news: Props) -> pulumi.dynamic.DiffResult:
        old, new = _inputs(olds), _inputs(news)
        changed = [key for key in INPUTS if input_changed(old[key], new[key])]
        return pulumi.dynamic.DiffResult(
            changes=bool(changed),
            replaces=[key for key in changed if key in REPLACE_ON],
            # Delete first: two sections of one owner (or two blocks of one zone) never coexist.
            delete_before_replace=True,
        )

    def update(self, _id: str, _olds: Props, news: Props) -> pulumi.dynamic.UpdateResult:
        inputs = _inputs(news)
        blocks = _render(inputs)
        owner = str(inputs["owner"])
        self._edit(inputs, lambda corefile: patch_corefile(corefile, owner, blocks))
        return pulumi.dynamic.UpdateResult({**inputs, "blocks": blocks})

    def delete(self, _id: str, props: Props) -> None:
        inputs = _inputs(props)
        owner = str(inputs["owner"])
        # A cluster deleted (kind delete cluster drops its context) or a ConfigMap gone holds no
        # section: nothing to remove, as pulumi-kubernetes' delete_unreachable would have it.
        self._edit(inputs, lambda corefile: unpatch_corefile(corefile, owner), gone_ok=True)

    # kubectl.

    def _edit(self, inputs: Props, change: Callable[[str], str], *, gone_ok: bool = False) -> None:
        """Read the ConfigMap, change its Corefile and write it back, again from a fresh read
        when another client wrote in between."""
        where = _where(inputs)
        for _ in range(MAX_ATTEMPTS):
            live = self._get(inputs, gone_ok=gone_ok)
            if live is None:
                return
            corefile = _corefile(live, inputs, missing_ok=gone_ok)
            if corefile is None:
                return
            try:
                changed = change(corefile)
            except ValueError as error:
                raise LocalClusterError(f"CoreDNS's ConfigMap {where}: {error}") from None
            if changed == corefile:
                return
            manifest = coredns_configmap(live, changed)
            result = self._run(
                ["--context", str(inputs["kube_context"]), "replace", "-f", "-"],
                stdin=json.dumps(manifest),
            )
            if result.returncode == 0:
                return
            if "(Conflict)" not in result.stderr:
                raise LocalClusterError(
                    f"kubectl replace of CoreDNS's ConfigMap {where} failed: "
                    f"{result.stderr.strip()}"
                )
        raise LocalClusterError(
            f"CoreDNS's ConfigMap {where} changed under every one of {MAX_ATTEMPTS} attempts to "
            "edit it (Conflict): another client keeps writing it; try again"
        )

    def _get(self, inputs: Props, *, gone_ok: bool) -> dict[str, Any] | None:
        """The live ConfigMap; None when it (or the context) is gone and ``gone_ok``."""
        context = str(inputs["kube_context"])
        result = self._run(
            [
                "--context",
                context,
                "-n",
                str(inputs["namespace"]),
                "get",
                "configmap",
                str(inputs["configmap"]),
                "-o",
                "json",
            ]
        )
        if result.returncode != 0:
            stderr = result.stderr.strip()
            if _CONTEXT_MISSING.search(stderr):
                if gone_ok:
                    return None
                raise LocalClusterError(
                    f"kube context {context!r} is not in your kubeconfig: `kubectl config "
                    "get-contexts` lists them; kind names its contexts kind-<cluster> "
                    f"(kubectl said: {stderr})"
                )
            if "(NotFound)" in stderr:
                if gone_ok:
                    return None
                raise LocalClusterError(
                    f"is this a kind cluster? CoreDNS's ConfigMap {_where(inputs)} was not found "
                    f"in context {context!r}"
                )
            raise LocalClusterError(
                f"kubectl could not read CoreDNS's ConfigMap {_where(inputs)} in context "
                f"{context!r}: {stderr}"
            )
        try:
            live = json.loads(result.stdout)
        except json.JSONDecodeError:
            raise LocalClusterError(
                f"kubectl get configmap {_where(inputs)} -o json did not print JSON"
            ) from None
        if not isinstance(live, dict):
            raise LocalClusterError(f"kubectl get configmap {_where(inputs)} printed no object")
        return live

    def _run(
        self, args: Sequence[str], stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [self.kubectl, *args],
                input=stdin,
                capture_output=True,
                text=True,
                timeout=KUBECTL_TIMEOUT_SECONDS,
                check=False,
            )
        except FileNotFoundError:
            raise LocalClusterError(
                f"{self.kubectl} was not found on the PATH: install kubectl; the local target "
                "edits CoreDNS with it"
            ) from None
        except subprocess.TimeoutExpired:
            raise LocalClusterError(
                f"{self.kubectl} {' '.join(args)} did not finish within "
                f"{KUBECTL_TIMEOUT_SECONDS} s: is the cluster running?"
            ) from None
        except OSError as error:
            raise LocalClusterError(f"{self.kubectl} could not be run: {error}") from None


def _inputs(props: Mapping[str, Any]) -> Props:
    """The inputs out of a property bag (outputs and ``__provider`` left out), with defaults."""
    inputs = {name: plain(props.get(name)) for name in INPUTS}
    inputs["zones"] = inputs["zones"] if inputs["zones"] is not None else []
    inputs["addresses"] = inputs["addresses"] if inputs["addresses"] is not None else {}
    inputs["namespace"] = inputs["namespace"] or DEFAULT_NAMESPACE
    inputs["configmap"] = inputs["configmap"] or DEFAULT_CONFIGMAP
    return inputs


def _render(inputs: Props) -> str:
    """The server blocks of the ``zones`` input.

    Raises:
        ValueError: the zones or addresses are malformed or cannot be served.
    """
    return server_blocks(local_zones(inputs["zones"]), dict(inputs["addresses"] or {}))


def local_zones(wire: Any) -> list[LocalZone]:
    """``LocalZone`` values from the ``zones`` input (``[{name, records: [{rr, type, value,
    ttl, priority}]}]``).

    Raises:
        ValueError: a zone or record lacks a field or has the wrong shape.
    """
    wire = plain(wire)  # the wire has only doubles: ttl 60.0 is 60
    if not isinstance(wire, list):
        raise ValueError(f"zones must be a list of {{name, records}}, got {wire!r}")
    zones: list[LocalZone] = []
    for index, zone in enumerate(wire):
        if not isinstance(zone, Mapping) or not isinstance(zone.get("name"), str):
            raise ValueError(f"zones[{index}] must be {{name, records}}, got {zone!r}")
        records: list[DnsRecord[str]] = []
        for number, record in enumerate(zone.get("records") or []):
            where = f"zones[{index}].records[{number}]"
            if not isinstance(record, Mapping):
                raise ValueError(f"{where} must be {{rr, type, value, ttl, priority}}")
            missing = [key for key in ("rr", "type", "value") if record.get(key) is None]
            if missing:
                raise ValueError(f"{where} lacks {', '.join(missing)}")
            ttl = record.get("ttl")
            records.append(
                DnsRecord(
                    str(record["rr"]),
                    record["type"],
                    record["value"],
                    ttl if ttl is not None else DEFAULT_TTL,
                    record.get("priority"),
                )
            )
        zones.append(LocalZone(zone["name"], tuple(records)))
    return zones


def _corefile(live: Mapping[str, Any], inputs: Props, *, missing_ok: bool) -> str | None:
    corefile = (live.get("data") or {}).get("Corefile")
    if isinstance(corefile, str):
        return corefile
    if missing_ok:
        return None
    raise LocalClusterError(
        f"CoreDNS's ConfigMap {_where(inputs)} has no Corefile key in its data: is CoreDNS "
        "configured some other way?"
    )


def _find(corefile: str, inputs: Props) -> str | None:
    try:
        return find_block(corefile, str(inputs["owner"]))
    except ValueError as error:
        raise LocalClusterError(f"CoreDNS's ConfigMap {_where(inputs)}: {error}") from None


def _where(inputs: Props) -> str:
    return f"{inputs['namespace']}/{inputs['configmap']}"


def _id(inputs: Props) -> str:
    return f"{inputs['kube_context']}:{_where(inputs)}:{inputs['owner']}"


class CorednsZones(pulumi.dynamic.Resource, module=MODULE, name=TYPE_NAME):
    """Private zones answered by the local cluster's CoreDNS (one marked Corefile section).

    Outputs: its inputs, and ``blocks``, the server blocks written between the markers.
    """

    kube_context: pulumi.Output[str]
    owner: pulumi.Output[str]
    zones: pulumi.Output[list[dict[str, Any]]]
    addresses: pulumi.Output[dict[str, str]]
    namespace: pulumi.Output[str]
    configmap: pulumi.Output[str]
    blocks: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        kube_context: pulumi.Input[str],
        owner: pulumi.Input[str],
        zones: pulumi.Input[Sequence[Any]],
        addresses: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        namespace: pulumi.Input[str] = DEFAULT_NAMESPACE,
        configmap: pulumi.Input[str] = DEFAULT_CONFIGMAP,
        opts: pulumi.ResourceOptions | None = None,
        provider: CorednsZonesProvider | None = None,
    ) -> None:
        """Zones served by CoreDNS.

        Args:
            resource_name: the Pulumi name.
            kube_context: the kubectl context of the cluster (``kind-ask``); a change replaces.
            owner: the section's owner (``coredns.owner_token``); a change replaces.
            zones: ``[{name, records: [{rr, type, value, ttl, priority}]}]``; changed in place.
            addresses: names outside the zones -> IPv4, for CNAMEs to flatten; changed in place.
            namespace: CoreDNS's namespace (``kube-system``); a change replaces.
            configmap: CoreDNS's ConfigMap (``coredns``); a change replaces.
            opts: resource options.
            provider: the provider (tests pass one running a fake kubectl).
        """
        props = {
            "kube_context": kube_context,
            "owner": owner,
            "zones": zones,
            "addresses": addresses or {},
            "namespace": namespace,
            "configmap": configmap,
            "blocks": None,
        }
        with restored_pickler():
            super().__init__(provider or CorednsZonesProvider(), resource_name, props, opts)
