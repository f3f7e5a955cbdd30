"""AskCluster under recording mocks: the ManagedKubernetes inputs, the resolved version, the secret
kubeconfig (intranet for a private cluster), the provider, add-ons and replacement options."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
import yaml

from ask_components.cluster.cluster import AskCluster, AskClusterArgs, ClusterAddon
from ask_components.cluster.versions import ResolvedVersion, VersionError
from ask_components.preview.engine import ProgramError, run_program
from ask_components.preview.graph import SECRET_MASK
from tests.conftest import RunProgram

CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes"
GET_CLUSTERS = "alicloud:cs/getClusters:getClusters"


def deployed(
    version: str,
    *,
    name: str = "ask",
    tags: dict[str, str] | None = None,
    profile: str = "Serverless",
) -> Any:
    """A cs.get_clusters answer: one deployed cluster of ``profile`` running ``version``."""

    def answer(args: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": "answer",
            "ids": ["c-1"],
            "names": [name],
            "clusters": [
                {
                    "clusterId": "c-1",
                    "id": "c-1",
                    "clusterName": name,
                    "currentVersion": version,
                    "profile": profile,
                    "tags": tags if tags is not None else {"platform": "shop"},
                }
            ],
        }

    return answer


def test_serverless_cluster_inputs(pulumi_run: RunProgram) -> None:
    def program() -> None:
        cluster = AskCluster(
            "ask",
            AskClusterArgs(
                vpc_id="vpc-1",
                vswitch_ids=["vsw-1", "vsw-2"],
                cluster_name="shop",
                edition="pro",
                version="1.33",
                service_cidr="172.21.0.0/20",
                addons=(
                    ClusterAddon("metrics-server"),
                    ClusterAddon(
                        "alb-ingress-controller",
                        config={"albIngress": {"CreateDefaultALBConfig": False}},
                    ),
                ),
                tags={"platform": "shop"},
            ),
        )
        pulumi.export("kubeconfig", cluster.kubeconfig)
        pulumi.export("cluster_id", cluster.cluster_id)

    graph = pulumi_run(program)
    node = graph.of_type(CLUSTER)[0]
    assert node.name == "ask-cluster"
    assert node.parent == graph.of_type("ask:cluster:AskCluster")[0].urn
    assert node.inputs == {
        "name": "shop",
        "profile": "Serverless",
        "clusterSpec": "ack.pro.small",
        # The create request carries a full version: the newest 1.33 patch ACK offers.
        "version": "1.33.3-aliyun.1",
        "vswitchIds": ["vsw-1", "vsw-2"],
        "serviceCidr": "172.21.0.0/20",
        "newNatGateway": False,
        "slbInternetEnabled": False,
        "deletionProtection": False,
        "enableRrsa": True,
        "isEnterpriseSecurityGroup": True,
        "addons": [
            {"name": "metrics-server", "disabled": False},
            {
                "name": "alb-ingress-controller",
                "disabled": False,
                "config": '{"albIngress": {"CreateDefaultALBConfig": false}}',
            },
        ],
        "deleteOptions": [
            {"resourceType": "SLB", "deleteMode": "delete"},
            {"resourceType": "ALB", "deleteMode": "retain"},
            {"resourceType": "PrivateZone", "deleteMode": "delete"},
            {"resourceType": "SLS_Data", "deleteMode": "retain"},
            {"resourceType": "SLS_ControlPlane", "deleteMode": "retain"},
        ],
        "tags": {"platform": "shop"},
    }
    # Names are fixed, so a replacement deletes first; not protected unless asked.
    assert node.options == {"deleteBeforeReplace": True}
    assert graph.outputs["kubeconfig"] == SECRET_MASK
    assert graph.outputs["cluster_id"].startswith("c-")

    provider = graph.of_type("pulumi:providers:kubernetes")[0]
    assert provider.name == "ask-k8s"
    assert provider.inputs == {"kubeconfig": SECRET_MASK}
    assert provider.secret_paths == ("kubeconfig",)
    # Never deleteUnreachable: a refresh from outside the VPC must not drop the state.
    assert "deleteUnreachable" not in provider.inputs
    [message] = [d for d in graph.diagnostics if d.urn == node.urn]
    assert (message.severity, message.message) == (
        "info",
        "Kubernetes 1.33.3-aliyun.1: newest 1.33 patch offered by ACK (Serverless clusters)",
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"edition": "basic"}, {"clusterSpec": "ack.standard"}),
        ({"public_api": True}, {"slbInternetEnabled": True}),
        ({"deletion_protection": True}, {"deletionProtection": True}),
        ({"new_nat_gateway": True}, {"newNatGateway": True}),
    ],
)
def test_options_map_to_inputs(
    pulumi_run: RunProgram, args: dict[str, object], expected: dict[str, object]
) -> None:
    def program() -> None:
        AskCluster("ask", AskClusterArgs(vpc_id="vpc-1", vswitch_ids=["vsw-1"], **args))  # type: ignore[arg-type]

    inputs = pulumi_run(program).of_type(CLUSTER)[0].inputs
    assert {key: inputs[key] for key in expected} == expected
    assert inputs["name"] == "ask"
    assert inputs["version"] == "1.36.1-aliyun.1"  # unset: the newest ACK offers


def test_protect_marks_the_cluster(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(
        lambda: AskCluster("ask", AskClusterArgs(vpc_id="v", vswitch_ids=["s"], protect=True))
    )
    assert graph.of_type(CLUSTER)[0].options == {"protect": True, "deleteBeforeReplace": True}


def _version_sent(requested: str | ResolvedVersion | None, **invokes: Any) -> str:
    def program() -> None:
        AskCluster(
            "ask",
            AskClusterArgs(
                vpc_id="v", vswitch_ids=["s"], version=requested, tags={"platform": "shop"}
            ),
        )

    graph = run_program(program, resolve_outputs=True, invokes=invokes or None)
    return str(graph.of_type(CLUSTER)[0].inputs["version"])


def test_a_cluster_ack_patched_shows_no_version_change() -> None:
    # Created as 1.33.1, patched by ACK to 1.33.4 (newer than anything in the table): the
    # program sends what runs, so the next preview has nothing to upgrade.
    assert _version_sent("1.33", **{GET_CLUSTERS: deployed("1.33.4-aliyun.1")}) == "1.33.4-aliyun.1"
    assert _version_sent("1.33", **{GET_CLUSTERS: deployed("1.33.1-aliyun.1")}) == "1.33.1-aliyun.1"


def test_changing_the_minor_is_an_in_place_upgrade_to_its_newest_patch() -> None:
    # 1.33 -> 1.35: the offline table has no 1.34, so 1.35 is the next minor ACK offers.
    assert _version_sent("1.35", **{GET_CLUSTERS: deployed("1.33.3-aliyun.1")}) == "1.35.2-aliyun.1"


def test_only_the_platforms_own_cluster_counts_as_deployed() -> None:
    # Same name, other tags (another platform's cluster, or one made by hand): not ours.
    other = deployed("1.33.1-aliyun.1", tags={"platform": "other"})
    assert _version_sent("1.33", **{GET_CLUSTERS: other}) == "1.33.3-aliyun.1"
    # A name that only contains ours (the API filter matches substrings): not ours either.
    longer = deployed("1.33.1-aliyun.1", name="ask-old")
    assert _version_sent("1.33", **{GET_CLUSTERS: longer}) == "1.33.3-aliyun.1"


def test_a_full_or_resolved_version_is_sent_as_is() -> None:
    assert _version_sent("1.30.1-aliyun.1") == "1.30.1-aliyun.1"
    resolved = ResolvedVersion("1.33.1-aliyun.1", "the version the deployed cluster runs")
    assert _version_sent(resolved) == "1.33.1-aliyun.1"


def test_a_version_ack_cannot_reach_fails_with_the_reason() -> None:
    with pytest.raises(ProgramError) as err:
        _version_sent("1.30", **{GET_CLUSTERS: deployed("1.33.3-aliyun.1")})
    cause: BaseException | None = err.value
    while cause is not None and not isinstance(cause, VersionError):
        cause = cause.__cause__ or cause.__context__
    assert str(cause) == (
        "the cluster runs 1.33.3-aliyun.1; ACK cannot downgrade it to 1.30 (keep 1.33 or newer)"
    )


def test_a_private_clusters_kubeconfig_points_at_the_intranet_endpoint(
    pulumi_run: RunProgram,
) -> None:
    seen: dict[str, str] = {}

    def program() -> None:
        private = AskCluster("private", AskClusterArgs(vpc_id="v", vswitch_ids=["s"]))
        public = AskCluster(
            "public", AskClusterArgs(vpc_id="v", vswitch_ids=["s"], public_api=True)
        )
        private.kubeconfig.apply(lambda text: seen.__setitem__("private", text))
        public.kubeconfig.apply(lambda text: seen.__setitem__("public", text))

    graph = pulumi_run(program)
    clusters = {node.name: node for node in graph.of_type(CLUSTER)}
    servers = {
        name: yaml.safe_load(text)["clusters"][0]["cluster"]["server"]
        for name, text in seen.items()
    }
    # The offline engine reports an intranet endpoint in TEST-NET-1 (192.0.2.0/24) for each
    # cluster; the public cluster keeps the credential's own (Internet) server.
    assert servers["public"] == "https://offline.invalid:6443"
    assert servers["private"].startswith("https://192.0.2.")
    assert servers["private"].endswith(":6443")
    assert set(clusters) == {"private-cluster", "public-cluster"}


def test_add_addon_installs_a_day_2_addon_on_the_cluster(pulumi_run: RunProgram) -> None:
    def program() -> None:
        cluster = AskCluster("ask", AskClusterArgs(vpc_id="v", vswitch_ids=["s"]))
        cluster.add_addon("ack-kubernetes-cronhpa-controller")
        cluster.add_addon("logtail-ds", config={"IngressDashboardEnabled": "true"})

    graph = pulumi_run(program)
    [component] = graph.of_type("ask:cluster:AskCluster")
    [cluster] = graph.of_type(CLUSTER)
    addons = {
        node.name: node for node in graph.of_type("alicloud:cs/kubernetesAddon:KubernetesAddon")
    }
    assert sorted(addons) == ["ask-addon-ack-kubernetes-cronhpa-controller", "ask-addon-logtail-ds"]
    cron = addons["ask-addon-ack-kubernetes-cronhpa-controller"]
    assert cron.parent == component.urn
    assert cron.inputs == {
        "clusterId": cron.inputs["clusterId"],
        "name": "ack-kubernetes-cronhpa-controller",
    }
    assert cron.inputs["clusterId"].startswith("c-")
    assert cluster.urn in cron.dependencies
    assert cron.options == {"deleteBeforeReplace": True}
    assert addons["ask-addon-logtail-ds"].inputs["config"] == '{"IngressDashboardEnabled": "true"}'


def test_the_kubeconfig_comes_from_the_cluster_credential_and_stays_secret(
    pulumi_run: RunProgram,
) -> None:
    seen: list[str] = []

    def program() -> None:
        cluster = AskCluster("ask", AskClusterArgs(vpc_id="vpc-1", vswitch_ids=["vsw-1"]))
        cluster.kubeconfig.apply(lambda text: seen.append(text))
        assert isinstance(cluster.provider, pulumi.ProviderResource)

    graph = pulumi_run(program)
    assert len(seen) == 1
    assert yaml.safe_load(seen[0])["kind"] == "Config"
    assert len(graph.of_type("pulumi:providers:kubernetes")) == 1
