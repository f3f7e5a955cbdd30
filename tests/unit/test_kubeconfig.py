"""with_server: a private cluster's kubeconfig pointed at its intranet endpoint."""

from __future__ import annotations

import pytest
import yaml

from ask_components.cluster.cluster import intranet_kubeconfig
from ask_components.cluster.kubeconfig import KubeconfigError, with_server

KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster:
    server: https://47.96.1.2:6443
    certificate-authority-data: Q0E=
contexts:
- name: ctx
  context: {cluster: kubernetes, user: admin}
current-context: ctx
users:
- name: admin
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}
"""


def test_every_cluster_gets_the_server_and_nothing_else_changes() -> None:
    out = yaml.safe_load(with_server(KUBECONFIG, "https://192.168.0.10:6443"))
    original = yaml.safe_load(KUBECONFIG)
    assert out["clusters"] == [
        {
            "name": "kubernetes",
            "cluster": {
                "server": "https://192.168.0.10:6443",
                "certificate-authority-data": "Q0E=",
            },
        }
    ]
    assert {key: value for key, value in out.items() if key != "clusters"} == {
        key: value for key, value in original.items() if key != "clusters"
    }


@pytest.mark.parametrize(
    ("kubeconfig", "server", "message"),
    [
        (
            KUBECONFIG,
            "http://192.168.0.10:6443",
            "the API server endpoint 'http://192.168.0.10:6443' is not an https URL",
        ),
        (
            KUBECONFIG,
            "192.168.0.10:6443",
            "the API server endpoint '192.168.0.10:6443' is not an https URL",
        ),
        (
            "apiVersion: v1\nclusters: []\n",
            "https://10.0.0.1:6443",
            "the kubeconfig names no cluster",
        ),
        (
            "clusters: [oops]\n",
            "https://10.0.0.1:6443",
            "a cluster entry of the kubeconfig has no `cluster`",
        ),
        ("{[", "https://10.0.0.1:6443", None),
    ],
)
def test_refusals(kubeconfig: str, server: str, message: str | None) -> None:
    with pytest.raises(KubeconfigError) as err:
        with_server(kubeconfig, server)
    if message is not None:
        assert str(err.value) == message
    else:
        assert str(err.value).startswith("the kubeconfig is not YAML: ")


def test_the_intranet_endpoint_comes_from_the_cluster_connections() -> None:
    connections = [{"api_server_internet": "", "api_server_intranet": "https://10.0.3.4:6443"}]
    out = yaml.safe_load(intranet_kubeconfig(KUBECONFIG, connections))
    assert out["clusters"][0]["cluster"]["server"] == "https://10.0.3.4:6443"
    with pytest.raises(KubeconfigError) as err:
        intranet_kubeconfig(KUBECONFIG, [{"api_server_internet": "https://47.96.1.2:6443"}])
    assert str(err.value) == (
        "the cluster reports no intranet API server endpoint (connections.api_server_intranet)"
    )
