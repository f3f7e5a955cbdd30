"""A fake ``kubectl`` holding one cluster's CoreDNS ConfigMap, and kind's default Corefile.

The fake is a Python script written into a folder that a test puts first on ``PATH``. It
understands what ``CorednsZonesProvider`` runs:

- ``kubectl --context C -n NS get configmap NAME -o json``
- ``kubectl --context C replace -f -`` (the object on stdin)

and answers as kubectl does: ``Error from server (NotFound)`` for a missing ConfigMap,
``Error in configuration: context was not found …`` for an unknown context, and
``Error from server (Conflict)`` when the ``resourceVersion`` written is not the stored one
(the stored one goes up by one on every write). ``inject_conflicts(n, append)`` makes the next n
writes meet a concurrent change: another client appends to the Corefile first and the stored
version moves on.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

KIND_COREFILE = """\
.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
"""
"""kubeadm's Corefile, which kind clusters start with (``kubectl -n kube-system get cm coredns``)."""

CONTEXT = "kind-ask"

_SCRIPT = """\
import json, sys
from pathlib import Path

HOME = Path(__file__).resolve().parent
STATE = HOME / "state.json"


def fail(message):
    sys.stderr.write(message + "\\n")
    sys.exit(1)


def main(args):
    state = json.loads(STATE.read_text())
    with (HOME / "calls.log").open("a") as log:
        log.write(" ".join(args) + "\\n")
    context = namespace = None
    rest = []
    i = 0
    while i < len(args):
        if args[i] == "--context":
            context, i = args[i + 1], i + 2
        elif args[i] == "-n":
            namespace, i = args[i + 1], i + 2
        else:
            rest.append(args[i])
            i += 1
    if context not in state["contexts"]:
        fail(f"Error in configuration: context was not found for specified context: {context}")
    objects = state["objects"]
    if rest[:2] == ["get", "configmap"] and rest[3:] == ["-o", "json"]:
        key = f"{namespace}/{rest[2]}"
        if key not in objects:
            fail(f'Error from server (NotFound): configmaps "{rest[2]}" not found')
        sys.stdout.write(json.dumps(objects[key], indent=4) + "\\n")
        return
    if rest == ["replace", "-f", "-"]:
        new = json.loads(sys.stdin.read())
        meta = new["metadata"]
        key = f"{meta['namespace']}/{meta['name']}"
        if key not in objects:
            fail(f'Error from server (NotFound): error when replacing "STDIN": configmaps "{meta["name"]}" not found')
        old = objects[key]
        if state["conflicts"]:
            # Another client writes first: the stored version moves on.
            edit = state["conflicts"].pop(0)
            old["data"]["Corefile"] += edit
            old["metadata"]["resourceVersion"] = str(int(old["metadata"]["resourceVersion"]) + 1)
            STATE.write_text(json.dumps(state))
        if meta.get("resourceVersion") != old["metadata"]["resourceVersion"]:
            fail(
                'Error from server (Conflict): error when replacing "STDIN": Operation cannot '
                f'be fulfilled on configmaps "{meta["name"]}": the object has been modified; '
                "please apply your changes to the latest version and try again"
            )
        server = {k: v for k, v in old["metadata"].items() if k in ("creationTimestamp", "managedFields")}
        new["metadata"] = {**meta, **server, "resourceVersion": str(int(meta["resourceVersion"]) + 1)}
        objects[key] = new
        STATE.write_text(json.dumps(state))
        sys.stdout.write(f"configmap/{meta['name']} replaced\\n")
        return
    fail(f"fake kubectl: unexpected arguments {args}")


main(sys.argv[1:])
"""


def live_configmap(corefile: str = KIND_COREFILE, resource_version: str = "231") -> dict[str, Any]:
    """kind's CoreDNS ConfigMap as ``kubectl get -o json`` shows it."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "creationTimestamp": "2025-06-01T09:00:00Z",
            "managedFields": [
                {
                    "apiVersion": "v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:data": {".": {}, "f:Corefile": {}}},
                    "manager": "kubeadm",
                    "operation": "Update",
                    "time": "2025-06-01T09:00:00Z",
                }
            ],
            "name": "coredns",
            "namespace": "kube-system",
            "resourceVersion": resource_version,
            "uid": "0b8f7d0e-3c52-4c0e-9d43-6a1f0e2b7c11",
        },
        "data": {"Corefile": corefile},
    }


class FakeKubectl:
    """The fake's folder: its state (contexts, objects, conflicts to inject) and its call log."""

    def __init__(self, home: Path) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        script = home / "kubectl"
        script.write_text(f"#!{sys.executable}\n{_SCRIPT}")
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        self.save(
            {
                "contexts": [CONTEXT],
                "objects": {"kube-system/coredns": live_configmap()},
                "conflicts": [],
            }
        )

    @property
    def state(self) -> dict[str, Any]:
        return json.loads((self.home / "state.json").read_text())  # type: ignore[no-any-return]

    def save(self, state: dict[str, Any]) -> None:
        (self.home / "state.json").write_text(json.dumps(state))

    def corefile(self, key: str = "kube-system/coredns") -> str:
        return str(self.state["objects"][key]["data"]["Corefile"])

    def configmap(self, key: str = "kube-system/coredns") -> dict[str, Any]:
        return dict(self.state["objects"][key])

    def set_configmap(
        self, configmap: dict[str, Any] | None, key: str = "kube-system/coredns"
    ) -> None:
        state = self.state
        if configmap is None:
            state["objects"].pop(key, None)
        else:
            state["objects"][key] = configmap
        self.save(state)

    def inject_conflicts(self, count: int, append: str = "") -> None:
        """Make the next ``count`` writes lose to another client, which appends ``append`` to
        the Corefile each time."""
        state = self.state
        state["conflicts"] = [append] * count
        self.save(state)

    def calls(self) -> list[str]:
        log = self.home / "calls.log"
        return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def kubectl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeKubectl:
    """A fake kubectl first on PATH, holding kind's CoreDNS ConfigMap for context kind-ask."""
    fake = FakeKubectl(tmp_path / "kubectl-bin")
    monkeypatch.setenv("PATH", f"{fake.home}{os.pathsep}{os.environ.get('PATH', '')}")
    return fake
