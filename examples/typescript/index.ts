// A TypeScript program using ask-components through its Pulumi package (docs/library.md):
//   pulumi package add github.com/OWNER/ask-components.git@v0.2.0
// generates the @pulumi/ask SDK below from the package schema.
import * as pulumi from "@pulumi/pulumi";
import * as kubernetes from "@pulumi/kubernetes";
import * as ask from "@pulumi/ask";

const region = "cn-hangzhou";
const config = new pulumi.Config();

const network = new ask.Network("shop", {
    cidr: "10.20.0.0/16",
    zones: ["cn-hangzhou-i", "cn-hangzhou-j"],
    egress: "single",
    region,
});

const cluster = new ask.AskCluster("shop", {
    vpcId: network.vpcId,
    vswitchIds: network.vswitchIds,
    kind: "acs",
    version: "1.33",
}, { dependsOn: [network] });

// The workloads run on the cluster: a Kubernetes provider from its kubeconfig (a secret).
const k8s = new kubernetes.Provider("shop", { kubeconfig: cluster.kubeconfig });

const web = new ask.ServerlessApp("web", {
    image: "registry.cn-hangzhou.aliyuncs.com/shop/web:1.4.2",
    region,
    clusterKind: "acs",
    namespace: "shop",
    cpu: "1",
    memory: "2Gi",
    autoscale: { min: 2, max: 10 },
    readiness: { path: "/healthz" },
    secrets: { API_TOKEN: config.requireSecret("apiToken") },
}, { providers: [k8s] });

export const vpcId = network.vpcId;
export const kubeconfig = cluster.kubeconfig;
export const webBilledSpec = web.billedSpec;
