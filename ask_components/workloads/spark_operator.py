"""``SparkOperator``: what serves SparkApplication and ScheduledSparkApplication
(``ask:workloads:SparkOperator``).

ACK has no ``cs`` add-on for it: its ``ack-spark-operator`` is an App Marketplace Helm chart
(https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/use-cases/use-spark-operator-to-run-spark-jobs-on-ack,
Mar 24, 2026; the ASK guide installs it from ``aliacs-app-catalog``), with no version mapping
published. So the platform installs the upstream chart, kubeflow/spark-operator, pinned
(``DEFAULT_VERSION``) through a ``helm.v3.Release``: ``ScheduledSparkApplication.spec.timeZone``
exists from v2.2.0 on (kubeflow/spark-operator ``api/v1beta2/scheduledsparkapplication_types.go``,
absent at v2.1.1), so older versions are refused.

The operator serves the namespaces labelled as the platform's (``jobNamespaceSelector``, the
chart's dynamic discovery with cluster-wide rights, kubeflow/spark-operator
``pkg/util/namespace.go``), so it needs no namespace to exist first and serves a job's own
namespace as soon as it is made. The chart's own Spark service account and RBAC stay off: every
``SparkJob`` brings its own (``<name>-spark``). Its pods get resources, because a pod without
them is a 2 vCPU / 4 GiB ECI instance: the controller runs a spark-submit JVM per job (the
chart notes ``-Xmx128m``), so 0.5 vCPU / 1 GiB; the webhook 0.25 vCPU / 0.5 GiB.
"""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from ask_components.workloads.defaults import POD_SECURITY_LABELS
from ask_components.workloads.pod import labels
from ask_components.workloads.spark_operator_chart import (
    CHART,
    SparkOperatorArgs,
    check_operator_version,
    operator_values,
)

__all__ = ["SparkOperator", "SparkOperatorArgs"]


class SparkOperator(pulumi.ComponentResource):
    """The Spark operator: a namespace and the upstream chart as a Helm release.

    Pass the cluster's Kubernetes provider in ``opts``.

    Outputs:
        namespace: the operator's namespace.
        release: the Helm release (custom resources depend on it).
    """

    def __init__(
        self, name: str, args: SparkOperatorArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        problem = check_operator_version(args.version)
        if problem is not None:
            raise ValueError(f"{name}: spark-operator version {problem}")
        if not args.job_namespace_labels:
            raise ValueError(f"{name}: the operator needs the labels of the namespaces it serves")
        super().__init__("ask:workloads:SparkOperator", name, None, opts)
        self.namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata={
                "name": args.namespace,
                "labels": {**labels(name, "spark-operator"), **POD_SECURITY_LABELS},
            },
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.release = k8s.helm.v3.Release(
            f"{name}-release",
            name=name,
            chart=CHART,
            version=args.version,
            repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=args.repository),
            namespace=args.namespace,
            values=operator_values(args),
            # Wait for the controller and webhook to be ready before anything submits jobs.
            atomic=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.namespace]),
        )
        self.register_outputs({"namespace": args.namespace})
