"""Resource rules: each looks at one resource (a ``Subject``) and yields ``Finding``s.

Values that are only known after deployment (``[unknown]``) are never guessed at: a rule that
needs one says nothing, as ``pulumi preview`` does with policies on unknown values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ask_components.policy.model import (
    Finding,
    Level,
    Rule,
    Subject,
    as_list,
    as_map,
    dig,
    is_true,
    is_unknown,
)
from ask_components.policy.pods import (
    ACS_SYSTEM_LABELS,
    ALLOW_SPOT_ANNOTATION,
    CONFIGMAP_TYPE,
    SPOT_ANNOTATION,
    container_label,
    images,
    parse_image,
    pod_templates,
)
from ask_components.workloads.runtime import LABEL_COMPUTE_QOS

CLUSTER_TYPES = (
    "alicloud:cs/managedKubernetes:ManagedKubernetes",
    "alicloud:cs/serverlessKubernetes:ServerlessKubernetes",
)
ALB_TYPE = "alicloud:alb/loadBalancer:LoadBalancer"
INGRESS_TYPES = ("kubernetes:networking.k8s.io/v1:Ingress",)
ALBCONFIG_TYPE = "kubernetes:alibabacloud.com/v1:AlbConfig"
SERVICE_TYPE = "kubernetes:core/v1:Service"

PROD_STACK_PREFIX = "prod"
"""Stacks whose name starts with this are production (same rule as the platform's config)."""

PUBLIC_ANNOTATION = "ask-components.io/public"
"""On a Service: the app is meant to be reachable from the Internet."""

_CLB_ADDRESS_TYPE = "alibaba-cloud-loadbalancer-address-type"
_CLB_ADDRESS_TYPE_KEYS = (
    f"service.beta.kubernetes.io/{_CLB_ADDRESS_TYPE}",
    # The old prefix is still accepted by the cloud controller manager.
    "service.beta.kubernetes.io/alicloud-loadbalancer-address-type",
)
_LISTEN_PORTS = "alb.ingress.kubernetes.io/listen-ports"
_SSL_REDIRECT = "alb.ingress.kubernetes.io/ssl-redirect"

SECRET_NAME_RE = re.compile(
    r"TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL", re.IGNORECASE
)
"""Names that look like they hold a secret."""

_REFERENCE_SUFFIXES = ("_FILE", "_PATH", "_DIR")
"""Names that point at a secret (``POSTGRES_PASSWORD_FILE``) rather than hold one."""


def looks_secret(name: str) -> bool:
    """True when a variable or key name looks like it holds a secret value."""
    normalised = re.sub(r"[^A-Za-z0-9]", "_", name).upper()
    if normalised.endswith(_REFERENCE_SUFFIXES):
        return False
    return SECRET_NAME_RE.search(normalised) is not None


# --- api-server-private ---------------------------------------------------------------------


def _api_server_public(subject: Subject) -> Iterator[Finding]:
    if subject.type == CLUSTER_TYPES[0]:
        key, value = "slbInternetEnabled", subject.props.get("slbInternetEnabled")
        if value is None:
            yield Finding(
                "slbInternetEnabled is unset, and the provider's default is true: the API server "
                "gets an Internet-facing endpoint"
            )
            return
    elif subject.type == CLUSTER_TYPES[1]:
        key, value = "endpointPublicAccessEnabled", subject.props.get("endpointPublicAccessEnabled")
    else:
        return
    if value is True:
        yield Finding(f"{key} is true: the API server has an Internet-facing endpoint")


API_SERVER_PRIVATE = Rule(
    id="api-server-private",
    description="The ASK API server has no Internet endpoint unless the stack waives this rule.",
    rationale=(
        "A public API server is exposed to credential stuffing and to every Kubernetes CVE; CI "
        "and people reach a private one through the VPC, a bastion or a VPN."
    ),
    url="https://help.aliyun.com/en/ack/serverless-kubernetes/user-guide/create-an-ask-cluster-1",
    fix=(
        "set ask:platform.cluster.publicApi: false, or waive the rule for this stack with "
        "ask:policy: {waive: [api-server-private]}"
    ),
    level=Level.MANDATORY,
    check_resource=_api_server_public,
)


# --- prod-deletion-protection ---------------------------------------------------------------


def _deletion_protection(subject: Subject) -> Iterator[Finding]:
    if not subject.stack.startswith(PROD_STACK_PREFIX):
        return
    if subject.type in CLUSTER_TYPES:
        key, what = "deletionProtection", "a cluster"
    elif subject.type == ALB_TYPE:
        key, what = "deletionProtectionEnabled", "an ALB"
    else:
        return
    value = subject.props.get(key)
    if value is True or is_unknown(value):
        return
    state = "unset" if value is None else json.dumps(value)
    yield Finding(
        f"{key} is {state} on {what} of the production stack {subject.stack!r}",
        fix=f"set {key}: true (ask:platform.cluster.deletionProtection for the cluster)"
        if what == "a cluster"
        else f"set {key}: true on the ALB",
    )


PROD_DELETION_PROTECTION = Rule(
    id="prod-deletion-protection",
    description="Clusters and ALBs of prod* stacks have deletion protection on.",
    rationale=(
        "A stray `pulumi destroy` or a replacement must not delete the production cluster or "
        "its load balancer (and with it the public address clients resolve)."
    ),
    url="https://help.aliyun.com/en/ack/serverless-kubernetes/user-guide/create-an-ask-cluster-1",
    fix="set deletionProtection (cluster) / deletionProtectionEnabled (ALB) to true",
    level=Level.MANDATORY,
    check_resource=_deletion_protection,
)


# --- container-limits -----------------------------------------------------------------------


def _limits(subject: Subject) -> Iterator[Finding]:
    for template in pod_templates(subject):
        if template.kind == "CIJob":
            continue
        for path, container in template.containers:
            limits = dig(container, "resources", "limits", base=path)
            if is_unknown(limits):
                continue
            limits = as_map(limits, f"{path}.resources.limits")
            missing = [key for key in ("cpu", "memory") if limits.get(key) in (None, "")]
            if not missing:
                continue
            if template.spark:
                fields = " and ".join("cores" if key == "cpu" else "memory" for key in missing)
                yield Finding(
                    f"{path} sets no {fields} ({template.kind})",
                    fix=f"set {path}.cores and {path}.memory",
                )
            else:
                yield Finding(
                    f"container {container_label(path, container)} has no "
                    f"{' and no '.join(key + ' limit' for key in missing)}",
                    fix=f"set resources.limits.cpu and resources.limits.memory on {path}",
                )


CONTAINER_LIMITS = Rule(
    id="container-limits",
    description="Every container has CPU and memory limits (Spark roles: cores and memory).",
    rationale=(
        "ECI sizes and bills a pod from the sum of its containers' limits; a container without "
        "them makes the size depend on requests or on the 2 vCPU / 4 GiB default."
    ),
    url="https://help.aliyun.com/document_detail/451261.htm",
    fix="set resources.limits.cpu and resources.limits.memory on every container",
    level=Level.MANDATORY,
    check_resource=_limits,
)


# --- image-tag-pinned -----------------------------------------------------------------------


def _image_pinned(subject: Subject) -> Iterator[Finding]:
    for template in pod_templates(subject):
        for label, image in images(template):
            ref = parse_image(image)
            if ref.digest:
                continue
            if ref.tag is None:
                yield Finding(f"{label} uses image {image!r} without a tag (means :latest)")
            elif ref.tag == "latest":
                yield Finding(f"{label} uses image {image!r}")


IMAGE_TAG_PINNED = Rule(
    id="image-tag-pinned",
    description="No :latest or untagged images (a @sha256: digest is fine).",
    rationale=(
        "A moving tag makes two pods of one Deployment run different code, defeats ECI image "
        "caches (matched by tag) and makes a rollback impossible."
    ),
    url="https://help.aliyun.com/document_detail/141241.html",
    fix="pin the image to a version tag or a digest (image:1.2.3 or image@sha256:…)",
    level=Level.MANDATORY,
    check_resource=_image_pinned,
)


# --- run-as-non-root, no-privileged-containers, no-host-namespaces --------------------------


def _security_context(owner: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    """The ``securityContext`` of a container or pod spec at ``path``."""
    return as_map(owner.get("securityContext"), f"{path}.securityContext")


def _non_root(subject: Subject) -> Iterator[Finding]:
    for template in pod_templates(subject):
        if template.kind == "CIJob":
            continue
        pod_context = _security_context(template.pod_spec, template.spec_path)
        for path, container in template.containers:
            context = _security_context(container, path)
            non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
            user = context.get("runAsUser", pod_context.get("runAsUser"))
            if is_unknown(non_root) or is_unknown(user):
                continue
            label = container_label(path, container)
            if user == 0:
                yield Finding(f"container {label} runs as user 0 (root)")
            elif non_root is not True:
                state = "unset" if non_root is None else json.dumps(non_root)
                yield Finding(
                    f"container {label} may run as root: runAsNonRoot is {state} on the pod and "
                    "container"
                )


RUN_AS_NON_ROOT = Rule(
    id="run-as-non-root",
    description="Containers run as non-root (runAsNonRoot: true on the pod or the container).",
    rationale=(
        "A process that escapes a root container owns the sandbox; with runAsNonRoot the "
        "kubelet refuses to start an image whose user is root."
    ),
    url="https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    fix="set securityContext.runAsNonRoot: true (and a non-zero runAsUser) on the pod template",
    level=Level.MANDATORY,
    check_resource=_non_root,
)


def _privileged(subject: Subject) -> Iterator[Finding]:
    for template in pod_templates(subject):
        for path, container in template.containers:
            context = _security_context(container, path)
            label = container_label(path, container)
            if context.get("privileged") is True:
                yield Finding(f"container {label} is privileged")
            if context.get("allowPrivilegeEscalation") is True:
                yield Finding(f"container {label} sets allowPrivilegeEscalation: true")


NO_PRIVILEGED_CONTAINERS = Rule(
    id="no-privileged-containers",
    description="No privileged containers and no allowPrivilegeEscalation: true.",
    rationale=(
        "A privileged container, or one that can gain privileges through setuid binaries, "
        "has the rights of the sandbox's kernel."
    ),
    url="https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    fix="remove securityContext.privileged and set allowPrivilegeEscalation: false",
    level=Level.MANDATORY,
    check_resource=_privileged,
)


def _host_namespaces(subject: Subject) -> Iterator[Finding]:
    for template in pod_templates(subject):
        for key in ("hostNetwork", "hostPID", "hostIPC"):
            if template.pod_spec.get(key) is True:
                yield Finding(f"{template.spec_path}.{key} is true ({template.kind})")


NO_HOST_NAMESPACES = Rule(
    id="no-host-namespaces",
    description="Pods do not share the host's network, PID or IPC namespace.",
    rationale=(
        "Host namespaces let a pod see and talk to everything on its host; on ECI they are "
        "not supported anyway, so a template asking for them is a mistake."
    ),
    url="https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    fix="remove hostNetwork, hostPID and hostIPC from the pod spec",
    level=Level.MANDATORY,
    check_resource=_host_namespaces,
)


# --- spot-batch-only ------------------------------------------------------------------------


def _spot(subject: Subject) -> Iterator[Finding]:
    for template in pod_templates(subject):
        if template.batch or is_true(template.annotation(ALLOW_SPOT_ANNOTATION)):
            continue
        strategy = template.annotation(SPOT_ANNOTATION)
        if isinstance(strategy, str) and strategy.strip() and not is_unknown(strategy):
            yield Finding(
                f"{template.annotations_path} asks for spot ({SPOT_ANNOTATION}: {strategy}) on "
                f"a {template.kind}, whose pods are not retried work"
            )
        # ACS has no spot: its best-effort QoS is the preemptible tier (evicted with 5 minutes'
        # notice, reference/acs-and-ack-pro.md §2.2), so it is held to the same rule.
        if template.labels.get(LABEL_COMPUTE_QOS) == "best-effort":
            yield Finding(
                f"{template.labels_path} asks for ACS best-effort pods ({LABEL_COMPUTE_QOS}: "
                f"best-effort, preemptible) on a {template.kind}, whose pods are not retried work"
            )


SPOT_BATCH_ONLY = Rule(
    id="spot-batch-only",
    description=(
        "Spot (ECI) or best-effort QoS (ACS) only on Jobs, CronJobs, Spark executors and CI job "
        'pods, unless the pod template opts in with ask-components.io/allow-spot: "true".'
    ),
    rationale=(
        "ECI reclaims a spot pod after its protection period, and ACS evicts a best-effort pod, "
        "with a few minutes' notice; a Job controller reruns the pod, a serving Deployment "
        "loses capacity at random."
    ),
    url="https://www.alibabacloud.com/help/en/ack/serverless-kubernetes/use-cases/run-jobs-on-a-preemptible-instance-1",
    fix=(
        f"remove {SPOT_ANNOTATION} (on ACS: set {LABEL_COMPUTE_QOS}: default), or annotate the "
        f'pod template with {ALLOW_SPOT_ANNOTATION}: "true" if the app tolerates losing pods'
    ),
    level=Level.MANDATORY,
    check_resource=_spot,
)


# --- acs-labels-not-in-selectors ------------------------------------------------------------

_SELECTOR_TYPES = frozenset(
    {
        "kubernetes:apps/v1:Deployment",
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:apps/v1:ReplicaSet",
        "kubernetes:batch/v1:Job",
    }
)


def _selector_keys(subject: Subject) -> Iterator[tuple[str, str]]:
    """(path, label key) of every label a workload's or Service's selector matches on."""
    if subject.type == SERVICE_TYPE:
        selector = dig(subject.props, "spec", "selector")
        if not is_unknown(selector):
            for key in as_map(selector, "spec.selector"):
                yield "spec.selector", str(key)
        return
    if subject.type not in _SELECTOR_TYPES:
        return
    selector = dig(subject.props, "spec", "selector")
    if is_unknown(selector):
        return
    selector = as_map(selector, "spec.selector")
    for key in as_map(selector.get("matchLabels"), "spec.selector.matchLabels"):
        yield "spec.selector.matchLabels", str(key)
    expressions = as_list(selector.get("matchExpressions"), "spec.selector.matchExpressions")
    for index, expression in enumerate(expressions):
        path = f"spec.selector.matchExpressions[{index}]"
        label = as_map(expression, path).get("key")
        if isinstance(label, str):
            yield path, label


def _acs_selectors(subject: Subject) -> Iterator[Finding]:
    for path, key in _selector_keys(subject):
        if key in ACS_SYSTEM_LABELS:
            yield Finding(f"{path} selects on {key}, a label ACS sets and may rewrite")


ACS_LABELS_NOT_IN_SELECTORS = Rule(
    id="acs-labels-not-in-selectors",
    description=(
        "No selector matches on ACS's labels (alibabacloud.com/compute-class, compute-qos, "
        "cpu-vendor): they belong on the pod template only."
    ),
    rationale=(
        "ACS may rewrite these labels on its pods; a workload selecting on them loses its pods "
        "and recreates them over and over, and a Deployment's selector cannot be changed "
        "afterwards without replacing it."
    ),
    url="https://www.alibabacloud.com/help/en/cs/user-guide/acs-pod-instance-overview",
    fix=(
        "select on the app's own labels (app.kubernetes.io/name) and keep the ACS labels in "
        "spec.template.metadata.labels (the workload components do this)"
    ),
    level=Level.MANDATORY,
    check_resource=_acs_selectors,
)


# --- alb-https-redirect ---------------------------------------------------------------------


def _listen_protocols(value: str) -> set[str] | None:
    try:
        ports = json.loads(value)
    except ValueError:
        return None
    if not isinstance(ports, list):
        return None
    protocols: set[str] = set()
    for entry in ports:
        if not isinstance(entry, dict):
            return None
        protocols.update(str(key).upper() for key in entry)
    return protocols


def _is_alb_ingress(props: Mapping[str, Any]) -> bool:
    annotations = as_map(dig(props, "metadata", "annotations"), "metadata.annotations")
    return (
        dig(props, "spec", "ingressClassName") == "alb"
        or annotations.get("kubernetes.io/ingress.class") == "alb"
    )


def _https_redirect(subject: Subject) -> Iterator[Finding]:
    props = subject.props
    if subject.type in INGRESS_TYPES and _is_alb_ingress(props):
        annotations = as_map(dig(props, "metadata", "annotations"), "metadata.annotations")
        listen = annotations.get(_LISTEN_PORTS)
        if not isinstance(listen, str) or is_unknown(listen):
            return
        protocols = _listen_protocols(listen)
        if protocols is None:
            yield Finding(
                f"{_LISTEN_PORTS} is not a JSON list like "
                f'[{{"HTTP": 80}}, {{"HTTPS": 443}}]: {listen!r}',
                fix=f'write {_LISTEN_PORTS} as \'[{{"HTTP": 80}}, {{"HTTPS": 443}}]\'',
            )
            return
        if {"HTTP", "HTTPS"} <= protocols and not is_true(annotations.get(_SSL_REDIRECT)):
            yield Finding(
                f'the Ingress listens on HTTP and HTTPS but {_SSL_REDIRECT} is not "true": '
                "plain-HTTP requests are served instead of redirected",
                fix=f'annotate the Ingress with {_SSL_REDIRECT}: "true"',
            )
    elif subject.type == ALBCONFIG_TYPE:
        address_type = dig(props, "spec", "config", "addressType")
        if is_unknown(address_type) or (address_type or "Internet") != "Internet":
            return
        listeners = dig(props, "spec", "listeners")
        if is_unknown(listeners):
            return
        protocols = {
            str(as_map(listener, f"spec.listeners[{index}]").get("protocol", "")).upper()
            for index, listener in enumerate(as_list(listeners, "spec.listeners"))
        }
        if "HTTPS" not in protocols:
            yield Finding(
                "the AlbConfig makes an Internet-facing ALB (spec.config.addressType "
                f"{address_type or 'unset, default Internet'}) without an HTTPS listener",
                fix="add a listener {port: 443, protocol: HTTPS} with a certificate to "
                "spec.listeners",
            )


ALB_HTTPS_REDIRECT = Rule(
    id="alb-https-redirect",
    description=(
        "Public ALBs serve HTTPS: an Internet AlbConfig has an HTTPS listener, and an alb "
        'Ingress on HTTP and HTTPS sets ssl-redirect: "true".'
    ),
    rationale=(
        "Plain HTTP on the Internet leaks cookies and tokens to anyone on the path; the ALB "
        "redirects HTTP to HTTPS when asked."
    ),
    url="https://help.aliyun.com/en/cs/user-guide/alb-ingress-configuration-dictionary",
    fix=f'annotate the Ingress with {_SSL_REDIRECT}: "true"; give the AlbConfig an HTTPS listener',
    level=Level.MANDATORY,
    check_resource=_https_redirect,
)


# --- clb-internet-public-only ---------------------------------------------------------------


def _clb_internet(subject: Subject) -> Iterator[Finding]:
    if subject.type != SERVICE_TYPE or dig(subject.props, "spec", "type") != "LoadBalancer":
        return
    annotations = as_map(dig(subject.props, "metadata", "annotations"), "metadata.annotations")
    address_type = next(
        (annotations[key] for key in _CLB_ADDRESS_TYPE_KEYS if key in annotations), None
    )
    if is_unknown(address_type) or address_type == "intranet":
        return
    if is_true(annotations.get(PUBLIC_ANNOTATION)):
        return
    how = "is internet" if address_type == "internet" else "is unset (the default is internet)"
    yield Finding(
        f"the LoadBalancer Service gets an Internet CLB (address-type {how}) but is not "
        f'marked public ({PUBLIC_ANNOTATION}: "true")'
    )


CLB_INTERNET_PUBLIC_ONLY = Rule(
    id="clb-internet-public-only",
    description=(
        "A LoadBalancer Service gets an Internet CLB only when the app is public "
        f'({PUBLIC_ANNOTATION}: "true").'
    ),
    rationale=(
        "The cloud controller makes an Internet CLB by default, so an internal service becomes "
        "reachable from anywhere by leaving out one annotation."
    ),
    url="https://www.alibabacloud.com/help/en/document_detail/86531.html",
    fix=(
        f"annotate the Service with service.beta.kubernetes.io/{_CLB_ADDRESS_TYPE}: intranet, "
        f'or with {PUBLIC_ANNOTATION}: "true" if it is meant to be public'
    ),
    level=Level.MANDATORY,
    check_resource=_clb_internet,
)


# --- no-plaintext-secrets -------------------------------------------------------------------


def _env_findings(path: str, container: Mapping[str, Any]) -> Iterator[Finding]:
    label = container_label(path, container)
    for index, entry in enumerate(as_list(container.get("env"), f"{path}.env")):
        entry = as_map(entry, f"{path}.env[{index}]")
        name = entry.get("name")
        if not isinstance(name, str) or not looks_secret(name):
            continue
        if entry.get("value") not in (None, "") and "valueFrom" not in entry:
            # Never echo the value: it is the secret.
            yield Finding(
                f"container {label} sets env {name} to a literal value",
                fix=f"take {name} from a Secret: env[].valueFrom.secretKeyRef",
            )
    envvars = as_map(container.get("envVars"), f"{path}.envVars")
    for name, value in envvars.items():  # spark-operator's map form
        if looks_secret(str(name)) and value not in (None, ""):
            yield Finding(
                f"{label} sets envVars.{name} to a literal value",
                fix=f"take {name} from a Secret (env[].valueFrom.secretKeyRef)",
            )


def _plaintext_secrets(subject: Subject) -> Iterator[Finding]:
    for template in pod_templates(subject):
        for path, container in template.containers:
            yield from _env_findings(path, container)
    if subject.type == CONFIGMAP_TYPE:
        for field_name in ("data", "binaryData"):
            for key in as_map(subject.props.get(field_name), field_name):
                if looks_secret(str(key)):
                    yield Finding(
                        f"ConfigMap {field_name} has the secret-looking key {key!r}",
                        fix=f"move {key!r} to a Secret and mount or reference it from there",
                    )


NO_PLAINTEXT_SECRETS = Rule(
    id="no-plaintext-secrets",
    description=(
        "No secret-looking env values written literally (TOKEN, PASSWORD, SECRET, API_KEY, "
        "ACCESS_KEY, PRIVATE_KEY, CREDENTIAL…), no secret-looking ConfigMap keys."
    ),
    rationale=(
        "Literal env values and ConfigMaps are readable by anyone who can read the workload "
        "and are kept in the Pulumi state; Secrets can be access-controlled and encrypted."
    ),
    url="https://kubernetes.io/docs/concepts/configuration/secret/",
    fix="put the value in a Secret and use env[].valueFrom.secretKeyRef",
    level=Level.MANDATORY,
    check_resource=_plaintext_secrets,
)
