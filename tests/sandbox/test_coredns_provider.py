"""CorednsZonesProvider against a fake kubectl: the Corefile after create, update and delete,
conflicts retried, and the errors a user reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ask_components.dns.coredns import LocalZone, patch_corefile, server_blocks
from ask_components.dns.coredns_provider import (
    MAX_ATTEMPTS,
    CorednsZonesProvider,
    local_zones,
)
from ask_components.dns.records import DnsRecord
from ask_components.errors import LocalClusterError
from ask_components.sandbox._base import UNKNOWN
from tests.kubefake import CONTEXT, KIND_COREFILE, FakeKubectl, live_configmap

OWNER = "shop.internal/shop-local-dns"
ALB = "alb-0123456789abcdefghij.cn-hangzhou.alb.aliyuncsslb.com"
ID = f"{CONTEXT}:kube-system/coredns:{OWNER}"


def zones(*records: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": "shop.internal", "records": list(records)}]


WEB = {"rr": "web", "type": "CNAME", "value": ALB, "ttl": 60.0, "priority": None}
DB = {"rr": "db", "type": "A", "value": "10.20.0.8", "ttl": 60, "priority": None}


def props(**inputs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kube_context": CONTEXT,
        "owner": OWNER,
        "zones": zones(WEB),
        "addresses": {ALB: "10.96.100.7"},
        "namespace": "kube-system",
        "configmap": "coredns",
        "__provider": "<pickle>",
    }
    return {**base, **inputs}


def expected_blocks(*records: dict[str, Any], addresses: dict[str, str] | None = None) -> str:
    return server_blocks(
        local_zones(zones(*records)), {ALB: "10.96.100.7"} if addresses is None else addresses
    )


def test_create_adds_the_section_update_replaces_it_delete_restores_the_corefile(
    kubectl: FakeKubectl,
) -> None:
    provider = CorednsZonesProvider()
    created = provider.create(props())
    blocks = expected_blocks(WEB)
    assert created.id == ID
    assert created.outs == {
        "kube_context": CONTEXT,
        "owner": OWNER,
        "zones": zones({**WEB, "ttl": 60}),
        "addresses": {ALB: "10.96.100.7"},
        "namespace": "kube-system",
        "configmap": "coredns",
        "blocks": blocks,
    }
    assert "web.shop.internal. 60 IN A 10.96.100.7" in blocks
    assert kubectl.corefile() == (
        f"{KIND_COREFILE}\n# BEGIN ask-components {OWNER}\n{blocks}# END ask-components {OWNER}\n"
    )
    live = kubectl.configmap()
    assert live["metadata"]["resourceVersion"] == "232"
    assert live["metadata"]["uid"] == live_configmap()["metadata"]["uid"]
    assert kubectl.calls() == [
        f"--context {CONTEXT} -n kube-system get configmap coredns -o json",
        f"--context {CONTEXT} replace -f -",
    ]

    read = provider.read(ID, created.outs or {})
    assert (read.id, (read.outs or {})["blocks"]) == (ID, blocks)

    new = props(zones=zones(WEB, DB))
    diff = provider.diff(ID, created.outs or {}, new)
    assert (diff.changes, diff.replaces) == (True, [])
    updated = provider.update(ID, created.outs or {}, new)
    blocks2 = expected_blocks(WEB, DB)
    assert (updated.outs or {})["blocks"] == blocks2
    assert kubectl.corefile() == patch_corefile(KIND_COREFILE, OWNER, blocks2)

    provider.delete(ID, updated.outs or {})
    assert kubectl.corefile() == KIND_COREFILE
    assert kubectl.configmap()["metadata"]["resourceVersion"] == "234"
    # Gone: a refresh drops it; a second delete changes nothing.
    assert provider.read(ID, updated.outs or {}).id == ""
    provider.delete(ID, updated.outs or {})
    assert kubectl.configmap()["metadata"]["resourceVersion"] == "234"


def test_the_same_blocks_are_not_written_twice(kubectl: FakeKubectl) -> None:
    provider = CorednsZonesProvider()
    created = provider.create(props())
    provider.update(ID, created.outs or {}, props())
    assert [call.split()[2] for call in kubectl.calls()] == ["-n", "replace", "-n"]


def test_other_text_and_other_owners_survive_byte_for_byte(kubectl: FakeKubectl) -> None:
    corp = server_blocks([LocalZone("corp.internal", (DnsRecord("git", "A", "10.0.0.3"),))], {})
    before = patch_corefile(KIND_COREFILE + "# a hand-written note\n", "corp.internal/dns", corp)
    kubectl.set_configmap(live_configmap(before))
    provider = CorednsZonesProvider()
    created = provider.create(props())
    assert kubectl.corefile().startswith(before)
    provider.delete(ID, created.outs or {})
    assert kubectl.corefile() == before


def test_a_conflict_rereads_and_keeps_the_other_writers_change(kubectl: FakeKubectl) -> None:
    kubectl.inject_conflicts(2, append="# written by someone else\n")
    CorednsZonesProvider().create(props())
    edited = KIND_COREFILE + "# written by someone else\n" * 2
    assert kubectl.corefile() == patch_corefile(edited, OWNER, expected_blocks(WEB))
    assert [call.split()[2] for call in kubectl.calls()] == ["-n", "replace"] * 3


def test_endless_conflicts_give_up_with_a_clear_error(kubectl: FakeKubectl) -> None:
    kubectl.inject_conflicts(MAX_ATTEMPTS)
    with pytest.raises(LocalClusterError) as caught:
        CorednsZonesProvider().create(props())
    assert str(caught.value) == (
        "CoreDNS's ConfigMap kube-system/coredns changed under every one of 5 attempts to edit "
        "it (Conflict): another client keeps writing it; try again"
    )
    assert kubectl.corefile() == KIND_COREFILE
    assert len(kubectl.calls()) == 2 * MAX_ATTEMPTS


def test_without_kubectl_the_error_says_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LocalClusterError) as caught:
        CorednsZonesProvider().create(props())
    assert str(caught.value) == (
        "kubectl was not found on the PATH: install kubectl; the local target edits CoreDNS with it"
    )
    assert caught.value.exit_code == 1


def test_an_unknown_context_is_named(kubectl: FakeKubectl) -> None:
    with pytest.raises(LocalClusterError) as caught:
        CorednsZonesProvider().create(props(kube_context="kind-nope"))
    assert str(caught.value) == (
        "kube context 'kind-nope' is not in your kubeconfig: `kubectl config get-contexts` lists "
        "them; kind names its contexts kind-<cluster> (kubectl said: Error in configuration: "
        "context was not found for specified context: kind-nope)"
    )


def test_a_missing_configmap_asks_whether_this_is_kind(kubectl: FakeKubectl) -> None:
    kubectl.set_configmap(None)
    with pytest.raises(LocalClusterError) as caught:
        CorednsZonesProvider().create(props())
    assert str(caught.value) == (
        "is this a kind cluster? CoreDNS's ConfigMap kube-system/coredns was not found in "
        "context 'kind-ask'"
    )


def test_a_configmap_without_a_corefile_is_refused(kubectl: FakeKubectl) -> None:
    live = live_configmap()
    live["data"] = {"other": "x"}
    kubectl.set_configmap(live)
    with pytest.raises(LocalClusterError) as caught:
        CorednsZonesProvider().create(props())
    assert str(caught.value) == (
        "CoreDNS's ConfigMap kube-system/coredns has no Corefile key in its data: is CoreDNS "
        "configured some other way?"
    )


def test_a_half_section_in_the_live_corefile_is_refused(kubectl: FakeKubectl) -> None:
    kubectl.set_configmap(live_configmap(KIND_COREFILE + f"# BEGIN ask-components {OWNER}\n"))
    with pytest.raises(LocalClusterError) as caught:
        CorednsZonesProvider().create(props())
    assert str(caught.value) == (
        "CoreDNS's ConfigMap kube-system/coredns: the Corefile has "
        f"'# BEGIN ask-components {OWNER}' without '# END ask-components {OWNER}': fix the "
        "Corefile by hand (kubectl -n kube-system edit configmap coredns)"
    )


def test_delete_after_the_cluster_is_gone_is_a_no_op(kubectl: FakeKubectl) -> None:
    provider = CorednsZonesProvider()
    created = provider.create(props())
    state = kubectl.state
    state["contexts"] = []  # kind delete cluster drops its context
    kubectl.save(state)
    provider.delete(ID, created.outs or {})
    assert provider.read(ID, created.outs or {}).id == ""
    state["contexts"] = [CONTEXT]
    state["objects"] = {}
    kubectl.save(state)
    provider.delete(ID, created.outs or {})


def test_a_write_refused_for_another_reason_is_reported(kubectl: FakeKubectl) -> None:
    live = live_configmap()
    live["metadata"]["namespace"] = "elsewhere"  # the write names a ConfigMap that is not there
    kubectl.set_configmap(live)
    with pytest.raises(LocalClusterError) as caught:
        CorednsZonesProvider().create(props())
    assert str(caught.value) == (
        "kubectl replace of CoreDNS's ConfigMap kube-system/coredns failed: Error from server "
        '(NotFound): error when replacing "STDIN": configmaps "coredns" not found'
    )


def test_the_kubectl_program_can_be_named(
    kubectl: FakeKubectl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    CorednsZonesProvider(kubectl=str(kubectl.home / "kubectl")).create(props())
    assert "shop.internal:53 {" in kubectl.corefile()


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"zones": zones(WEB, DB)}, []),
        ({"addresses": {ALB: "10.96.100.8"}}, []),
        ({"kube_context": "kind-other"}, ["kube_context"]),
        ({"owner": "shop.internal/other"}, ["owner"]),
        ({"namespace": "dns"}, ["namespace"]),
        ({"configmap": "coredns-custom"}, ["configmap"]),
        ({"zones": UNKNOWN}, []),
    ],
)
def test_diff_updates_zones_in_place_and_replaces_what_names_the_section(
    change: dict[str, Any], replaces: list[str]
) -> None:
    olds = {**props(), "blocks": "…"}
    diff = CorednsZonesProvider().diff(ID, olds, props(**change))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, replaces, True)


def test_no_change_is_no_diff() -> None:
    olds = {**props(addresses={}), "blocks": "…"}
    diff = CorednsZonesProvider().diff(ID, olds, props(addresses=None))
    assert (diff.changes, diff.replaces) == (False, [])


def test_check_passes_unknown_values_and_names_bad_ones() -> None:
    provider = CorednsZonesProvider()
    preview = props(zones=[{"name": "shop.internal", "records": [{**WEB, "value": UNKNOWN}]}])
    result = provider.check({}, preview)
    assert (result.inputs, result.failures) == (preview, [])
    bad = provider.check({}, props(owner="no spaces", zones=zones({**DB, "value": "10.0.0.300"})))
    assert [(f.property, f.reason) for f in bad.failures] == [
        (
            "owner",
            "owner 'no spaces' is not a safe token: 1-200 letters, digits, '.', '_', '/' and '-', "
            "starting with a letter or digit",
        ),
        (
            "zones",
            "db.shop.internal (A '10.0.0.300'): '10.0.0.300' is not an IPv4 address (an A record "
            "points at one)",
        ),
    ]


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        ("x", "zones must be a list of {name, records}, got 'x'"),
        ([{"records": []}], "zones[0] must be {name, records}, got {'records': []}"),
        (
            [{"name": "a.internal", "records": ["x"]}],
            "zones[0].records[0] must be {rr, type, value, ttl, priority}",
        ),
        (
            [{"name": "a.internal", "records": [{"rr": "www"}]}],
            "zones[0].records[0] lacks type, value",
        ),
    ],
)
def test_malformed_zones_inputs_are_named(wire: Any, message: str) -> None:
    with pytest.raises(ValueError, match=r"^zones") as caught:
        local_zones(wire)
    assert str(caught.value) == message
