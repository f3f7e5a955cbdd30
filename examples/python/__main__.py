"""Your own Pulumi program with ask-components: a network, an ACS cluster and two workloads.

Run it with the Pulumi CLI (``pulumi up`` here, see README.md), or offline under mocks, as
``tests/library/test_examples.py`` does through ``ask_components.run_program``.
"""

import pulumi
import pulumi_alicloud as alicloud

from ask_components import (
    AskCluster,
    AskClusterArgs,
    Autoscale,
    HttpProbe,
    Network,
    NetworkArgs,
    ServerlessApp,
    ServerlessAppArgs,
    ServerlessCronJob,
    ServerlessCronJobArgs,
    runtime_for,
)

REGION = "cn-hangzhou"
ZONES = ["cn-hangzhou-i", "cn-hangzhou-j"]

config = pulumi.Config()

# One explicit provider pins the region; the components' children inherit it through `parent`.
alicloud_provider = alicloud.Provider("hangzhou", region=REGION)
cloud = pulumi.ResourceOptions(providers=[alicloud_provider])

network = Network("shop", NetworkArgs(cidr="10.20.0.0/16", zones=ZONES, region=REGION), cloud)
cluster = AskCluster(
    "shop",
    AskClusterArgs(vpc_id=network.vpc_id, vswitch_ids=network.vswitch_ids, kind="acs"),
    pulumi.ResourceOptions(providers=[alicloud_provider], depends_on=[network]),
)

# The workloads run on the cluster through its Kubernetes provider, as ACS pods (the runtime a
# cluster kind gives; the Platform passes it to its workloads the same way).
pods = runtime_for("acs")
on_cluster = pulumi.ResourceOptions(provider=cluster.provider)
web = ServerlessApp(
    "web",
    ServerlessAppArgs(
        image="registry.cn-hangzhou.aliyuncs.com/shop/web:1.4.2",
        region=REGION,
        runtime=pods,
        namespace="shop",
        create_namespace=True,
        cpu="1",
        memory="2Gi",
        autoscale=Autoscale(min=2, max=10),
        readiness=HttpProbe("/healthz"),
        secret_env={"API_TOKEN": config.require_secret("apiToken")},
    ),
    on_cluster,
)
ServerlessCronJob(
    "nightly-report",
    ServerlessCronJobArgs(
        image="registry.cn-hangzhou.aliyuncs.com/shop/report:2.0.1",
        region=REGION,
        runtime=pods,
        namespace="shop",
        schedule="30 2 * * *",
        time_zone="Asia/Shanghai",
    ),
    pulumi.ResourceOptions(provider=cluster.provider, depends_on=[web]),
)

pulumi.export("vpc_id", network.vpc_id)
pulumi.export("kubeconfig", cluster.kubeconfig)  # a secret
pulumi.export("web_billed_spec", web.billed_spec)
