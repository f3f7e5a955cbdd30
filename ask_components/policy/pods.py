"""Pod templates inside workload inputs, and container image references.

Every workload kind keeps its pod template somewhere else; this module finds them all, so each
pod rule is written once:

| kind | pod template |
| --- | --- |
| Deployment, StatefulSet, DaemonSet, ReplicaSet, Job | ``spec.template`` |
| CronJob | ``spec.jobTemplate.spec.template`` |
| Pod | the resource itself |
| SparkApplication | ``spec.driver``, ``spec.executor`` |
| ScheduledSparkApplication | ``spec.template.driver``, ``spec.template.executor`` |
| GitLab Runner ``config.toml`` in a ConfigMap | ``[runners.kubernetes]`` (CI job pods) |
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ask_components.policy.model import Subject, Unreadable, as_list, as_map, dig, is_unknown
from ask_components.workloads.runtime import LABEL_COMPUTE_CLASS, LABEL_COMPUTE_QOS

SPOT_ANNOTATION = "k8s.aliyun.com/eci-spot-strategy"
USE_SPECS_ANNOTATION = "k8s.aliyun.com/eci-use-specs"
ALLOW_SPOT_ANNOTATION = "ask-components.io/allow-spot"
AUTO_IMAGE_CACHE_ANNOTATION = "k8s.aliyun.com/eci-auto-imc"
IMAGE_CACHE_ID_ANNOTATION = "k8s.aliyun.com/eci-imc-id"
WITH_EIP_ANNOTATION = "k8s.aliyun.com/eci-with-eip"
EIP_ID_ANNOTATION = "k8s.aliyun.com/eci-eip-instanceid"
LABEL_CPU_VENDOR = "alibabacloud.com/cpu-vendor"
ACS_SYSTEM_LABELS = (LABEL_COMPUTE_CLASS, LABEL_COMPUTE_QOS, LABEL_CPU_VENDOR)
"""Labels ACS reads and may rewrite on its pods ("Do not use ACS system tags ... as filter labels
in workload matchLabels", reference/acs-and-ack-pro.md §2.2)."""

_TEMPLATE_KINDS = {
    "kubernetes:apps/v1:Deployment": "Deployment",
    "kubernetes:apps/v1:StatefulSet": "StatefulSet",
    "kubernetes:apps/v1:DaemonSet": "DaemonSet",
    "kubernetes:apps/v1:ReplicaSet": "ReplicaSet",
    "kubernetes:batch/v1:Job": "Job",
}
_CRONJOB_TYPES = ("kubernetes:batch/v1:CronJob", "kubernetes:batch/v1beta1:CronJob")
_POD_TYPE = "kubernetes:core/v1:Pod"
CONFIGMAP_TYPE = "kubernetes:core/v1:ConfigMap"
_SPARK_GROUP = "kubernetes:sparkoperator.k8s.io/"

BATCH_KINDS = frozenset({"Job", "CronJob", "SparkExecutor", "CIJob"})
"""Pods that may run on spot: work that is retried when a spot instance is reclaimed."""


@dataclass(frozen=True)
class PodTemplate:
    """One pod template of a resource.

    Attributes:
        kind: ``Deployment``, ``CronJob``, ``SparkDriver``, ``SparkExecutor``, ``CIJob``…
        path: where it is in the resource's inputs (``spec.template``).
        annotations: the pod's annotations.
        containers: (path, container) of every container and init container.
        labels: the pod's labels (``pod_labels`` of a CI runner, ``labels`` of a Spark role).
        pod_spec: the pod spec (``hostNetwork``, ``securityContext``…).
        spark: True for a Spark role (sized by ``cores``/``memory``, not container limits).
    """

    kind: str
    path: str
    annotations: Mapping[str, Any]
    containers: tuple[tuple[str, Mapping[str, Any]], ...]
    pod_spec: Mapping[str, Any] = field(default_factory=dict)
    spark: bool = False
    labels: Mapping[str, Any] = field(default_factory=dict)

    @property
    def batch(self) -> bool:
        """True for pods that may run on spot (see ``BATCH_KINDS``)."""
        return self.kind in BATCH_KINDS

    def annotation(self, key: str) -> Any:
        """The value of one pod annotation, or None."""
        return self.annotations.get(key)

    @property
    def spec_path(self) -> str:
        """Where the pod spec is, for messages (a Spark role's fields are its own)."""
        if self.spark:
            return self.path
        return f"{self.path}.spec" if self.path else "spec"

    @property
    def labels_path(self) -> str:
        """Where the labels are, for messages."""
        if self.spark:
            return f"{self.path}.labels"
        if self.kind == "CIJob":
            return f"{self.path}.pod_labels"
        return f"{self.path}.metadata.labels" if self.path else "metadata.labels"

    @property
    def annotations_path(self) -> str:
        """Where the annotations are, for messages."""
        if self.spark:
            return f"{self.path}.annotations"
        if self.kind == "CIJob":
            return f"{self.path}.pod_annotations"
        return f"{self.path}.metadata.annotations" if self.path else "metadata.annotations"


def _from_template(kind: str, path: str, template: Any) -> PodTemplate:
    """The pod template at ``path`` (``""``: the resource is the pod).

    Raises:
        Unreadable: the template, its spec, its containers or annotations are not in the shape
            Kubernetes defines (a pod has a spec with at least one container).
    """
    where = path or "the resource"
    if template is None:
        raise Unreadable(where, f"is missing: a {kind} needs a pod template")
    template = as_map(template, where)
    prefix = f"{path}.spec" if path else "spec"
    raw_spec = template.get("spec")
    if raw_spec is None:
        raise Unreadable(prefix, "is missing: a pod template needs a spec with its containers")
    spec = as_map(raw_spec, prefix)
    if not is_unknown(raw_spec) and spec.get("containers") is None:
        raise Unreadable(f"{prefix}.containers", "is missing: a pod has at least one container")
    containers: list[tuple[str, Mapping[str, Any]]] = []
    for group in ("initContainers", "containers"):
        for index, container in enumerate(as_list(spec.get(group), f"{prefix}.{group}")):
            container_path = f"{prefix}.{group}[{index}]"
            if not is_unknown(container):
                containers.append((container_path, as_map(container, container_path)))
    metadata = f"{path}.metadata" if path else "metadata"
    annotations = dig(template, "metadata", "annotations", base=path)
    labels = dig(template, "metadata", "labels", base=path)
    return PodTemplate(
        kind=kind,
        path=path,
        annotations=as_map(annotations, f"{metadata}.annotations"),
        containers=tuple(containers),
        pod_spec=spec,
        labels=as_map(labels, f"{metadata}.labels"),
    )


def _spark_roles(kind_prefix: str, path: str, spec: Mapping[str, Any]) -> list[PodTemplate]:
    templates = []
    for role, kind in (("driver", "SparkDriver"), ("executor", "SparkExecutor")):
        role_path = f"{path}.{role}"
        pod = as_map(spec.get(role), role_path)
        # The spark-operator sizes the pod from cores/coreLimit and memory; they play the part
        # of container limits.
        cpu = pod.get("coreLimit", pod.get("cores"))
        container: dict[str, Any] = {
            "name": f"spark-{role}",
            "image": pod.get("image", spec.get("image")),
            "resources": {"limits": {"cpu": cpu, "memory": pod.get("memory")}},
            "env": pod.get("env"),
            "envVars": pod.get("envVars"),
        }
        if "securityContext" in pod:
            container["securityContext"] = pod["securityContext"]
        pod_spec = {
            "hostNetwork": pod.get("hostNetwork"),
            "securityContext": pod.get("podSecurityContext"),
        }
        templates.append(
            PodTemplate(
                kind=f"{kind_prefix}{kind}",
                path=role_path,
                annotations=as_map(pod.get("annotations"), f"{role_path}.annotations"),
                containers=((role_path, container),),
                pod_spec=pod_spec,
                spark=True,
                labels=as_map(pod.get("labels"), f"{role_path}.labels"),
            )
        )
    return templates


def runner_configs(subject: Subject) -> list[tuple[str, Mapping[str, Any]]]:
    """(data key, ``[[runners]]`` entry) of each Kubernetes-executor runner in a ConfigMap."""
    if subject.type != CONFIGMAP_TYPE:
        return []
    found: list[tuple[str, Mapping[str, Any]]] = []
    for key, text in as_map(subject.props.get("data"), "data").items():
        if not (isinstance(text, str) and "[[runners]]" in text):
            continue
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            # A runner config the rules cannot read must not pass them.
            raise Unreadable(f"data.{key}", f"is not valid TOML ({err})") from None
        for runner in as_list(document.get("runners"), f"data.{key}[runners]"):
            if isinstance(runner, Mapping) and runner.get("executor") == "kubernetes":
                found.append((str(key), runner))
    return found


def _ci_job_templates(subject: Subject) -> list[PodTemplate]:
    templates = []
    for key, runner in runner_configs(subject):
        path = f"data.{key}[runners.kubernetes]"
        settings = as_map(runner.get("kubernetes"), path)
        containers: list[tuple[str, Mapping[str, Any]]] = []
        for image_key in ("image", "helper_image"):
            if isinstance(settings.get(image_key), str):
                containers.append((f"{path}.{image_key}", {"image": settings[image_key]}))
        templates.append(
            PodTemplate(
                kind="CIJob",
                path=path,
                annotations=as_map(settings.get("pod_annotations"), f"{path}.pod_annotations"),
                containers=tuple(containers),
                labels=as_map(settings.get("pod_labels"), f"{path}.pod_labels"),
            )
        )
    return templates


def pod_templates(subject: Subject) -> list[PodTemplate]:
    """Every pod template a resource declares (none for other resources).

    Raises:
        Unreadable: a template is not in the shape its kind defines (attributed to the
            resource, so stack rules name it too).
    """
    try:
        return _pod_templates(subject)
    except Unreadable as err:
        raise err.about(subject.urn) from None


def _pod_templates(subject: Subject) -> list[PodTemplate]:
    props = subject.props
    kind = _TEMPLATE_KINDS.get(subject.type)
    if kind is not None:
        template = dig(props, "spec", "template")
        return [] if is_unknown(template) else [_from_template(kind, "spec.template", template)]
    if subject.type in _CRONJOB_TYPES:
        template = dig(props, "spec", "jobTemplate", "spec", "template")
        path = "spec.jobTemplate.spec.template"
        return [] if is_unknown(template) else [_from_template("CronJob", path, template)]
    if subject.type == _POD_TYPE:
        return [_from_template("Pod", "", props)]
    if subject.type.startswith(_SPARK_GROUP):
        if subject.type.endswith(":ScheduledSparkApplication"):
            template = dig(props, "spec", "template")
            return _spark_roles("", "spec.template", as_map(template, "spec.template"))
        if subject.type.endswith(":SparkApplication"):
            return _spark_roles("", "spec", as_map(props.get("spec"), "spec"))
        return []
    if subject.type == CONFIGMAP_TYPE:
        return _ci_job_templates(subject)
    return []


def container_label(path: str, container: Mapping[str, Any]) -> str:
    """``path (name)`` for messages."""
    name = container.get("name")
    return f"{path} ({name})" if isinstance(name, str) and name else path


# Image references: [registry[:port]/]repository[:tag][@digest]


@dataclass(frozen=True)
class ImageRef:
    """A parsed container image reference.

    Attributes:
        registry: the registry host (``docker.io`` when none is written).
        repository: the repository path.
        tag: the tag, or None.
        digest: the digest (``sha256:…``), or None.
    """

    registry: str
    repository: str
    tag: str | None
    digest: str | None


def parse_image(image: str) -> ImageRef:
    """Split an image reference the way container runtimes do (Docker Hub when no registry)."""
    rest, _, digest = image.partition("@")
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, remainder
    else:
        registry, path = "docker.io", rest
    last = path.rsplit("/", 1)[-1]
    tag: str | None = None
    if ":" in last:
        path, _, tag = path.rpartition(":")
    return ImageRef(registry.lower(), path, tag or None, digest or None)


ALIBABA_REGISTRY_SUFFIX = ".aliyuncs.com"
"""ACR hosts (``registry.cn-hangzhou.aliyuncs.com``, ``*.cr.aliyuncs.com``): reachable from a VPC
without Internet egress through their ``-vpc`` endpoints."""


def is_alibaba_registry(image: str) -> bool:
    """True when the image comes from an Alibaba Cloud registry (ACR)."""
    host = parse_image(image).registry.split(":", 1)[0]
    return host.endswith(ALIBABA_REGISTRY_SUFFIX)


def images(template: PodTemplate) -> list[tuple[str, str]]:
    """(container label, image) of every container whose image is known."""
    found = []
    for path, container in template.containers:
        image = container.get("image")
        if isinstance(image, str) and image and not is_unknown(image):
            found.append((container_label(path, container), image))
    return found


def all_templates(subjects: Sequence[Subject]) -> list[tuple[Subject, PodTemplate]]:
    """(subject, pod template) over every subject."""
    return [(subject, template) for subject in subjects for template in pod_templates(subject)]
