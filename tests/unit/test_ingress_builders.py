"""Pure builders: AlbConfig, IngressClass, Ingress annotations and rules, CLB annotations; and
that everything rendered validates (kubernetes-validate strict; the shipped AlbConfig schema)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ask_components.ingress.albconfig import (
    AlbListeners,
    albconfig_manifest,
    ingress_class_manifest,
)
from ask_components.ingress.annotations import (
    HealthCheck,
    alb_ingress_annotations,
    alb_ingress_manifest,
)
from ask_components.ingress.slb import (
    ClbSettings,
    clb_annotations,
    clb_service_ports,
    clb_service_spec,
)
from ask_components.manifests import validate_manifest
from ask_components.manifests.validate import SCHEMA_DIR

K8S = "1.33"
CERT = "1234567-cn-hangzhou"
HTTPS = AlbListeners.plan([CERT])
HTTP = AlbListeners.plan()
A = "alb.ingress.kubernetes.io/"
C = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-"


# --- listeners ---------------------------------------------------------------------------------


def test_listener_plans() -> None:
    assert AlbListeners((CERT,), redirect_http=True) == HTTPS
    assert AlbListeners((), redirect_http=False) == HTTP
    assert AlbListeners.plan([CERT], redirect_http=False).redirect_http is False
    assert HTTPS.https
    assert not HTTP.https


def test_albconfig_listeners_and_listen_ports_agree() -> None:
    listeners = AlbListeners.plan([CERT, "7654321-cn-hangzhou"])
    assert listeners.albconfig_listeners() == [
        {"port": 80, "protocol": "HTTP"},
        {
            "port": 443,
            "protocol": "HTTPS",
            "certificates": [
                {"CertificateId": CERT, "IsDefault": True},
                {"CertificateId": "7654321-cn-hangzhou", "IsDefault": False},
            ],
        },
    ]
    assert listeners.listen_ports() == '[{"HTTP": 80}, {"HTTPS": 443}]'
    assert HTTP.listen_ports() == '[{"HTTP": 80}]'
    assert listeners.describe() == "HTTP:80, HTTPS:443 (2 certificates), HTTP redirects to HTTPS"


@given(
    st.lists(st.from_regex(r"[0-9]{3,8}-cn-[a-z]{4,9}", fullmatch=True), unique=True, max_size=4)
)
def test_listen_ports_name_exactly_the_albconfig_listeners(certs: list[str]) -> None:
    listeners = AlbListeners.plan(certs)
    declared = {(item["protocol"], item["port"]) for item in listeners.albconfig_listeners()}
    named = {
        (protocol, port)
        for entry in json.loads(listeners.listen_ports())
        for protocol, port in entry.items()
    }
    assert named == declared


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"redirect_http": True}, "redirect_http needs HTTPS: give at least one certificate id"),
        ({"certificate_ids": ("a", "a")}, "certificate ids repeat: a, a"),
        ({"certificate_ids": ("a",), "https_port": 80}, "HTTP and HTTPS cannot share port 80"),
    ],
)
def test_impossible_listeners(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(
        ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"
    ):
        AlbListeners(**kwargs)


# --- AlbConfig and IngressClass ----------------------------------------------------------------


def test_albconfig_reuses_the_alb_by_id() -> None:
    assert albconfig_manifest("shop-alb", "alb-abc123", HTTPS) == {
        "apiVersion": "alibabacloud.com/v1",
        "kind": "AlbConfig",
        "metadata": {"name": "shop-alb"},
        "spec": {
            "config": {"id": "alb-abc123", "forceOverride": False, "listenerForceOverride": True},
            "listeners": [
                {"port": 80, "protocol": "HTTP"},
                {
                    "port": 443,
                    "protocol": "HTTPS",
                    "certificates": [{"CertificateId": CERT, "IsDefault": True}],
                },
            ],
        },
    }


def test_ingress_class_points_at_the_albconfig() -> None:
    assert ingress_class_manifest("alb", "shop-alb") == {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "alb"},
        "spec": {
            "controller": "ingress.k8s.alibabacloud/alb",
            "parameters": {"apiGroup": "alibabacloud.com", "kind": "AlbConfig", "name": "shop-alb"},
        },
    }


def test_an_albconfig_name_must_not_start_with_aliyun() -> None:
    with pytest.raises(
        ValueError,
        match=r"^AlbConfig name 'aliyun-alb' must not start with 'aliyun' \(reserved by ACK\)$",
    ):
        albconfig_manifest("aliyun-alb", "alb-1", HTTP)


# --- Ingress -----------------------------------------------------------------------------------


def test_https_ingress_annotations_from_an_http_readiness_probe() -> None:
    assert alb_ingress_annotations(HTTPS, HealthCheck("/healthz", 8081), backend_port=8080) == {
        A + "healthcheck-connect-port": "8081",
        A + "healthcheck-enabled": "true",
        A + "healthcheck-httpcode": "http_2xx,http_3xx",
        A + "healthcheck-method": "GET",
        A + "healthcheck-path": "/healthz",
        A + "healthcheck-protocol": "HTTP",
        A + "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
        A + "ssl-redirect": "true",
    }


def test_http_only_ingress_without_readiness_path_checks_tcp() -> None:
    assert alb_ingress_annotations(HTTP, HealthCheck(port=8080), backend_port=8080) == {
        A + "healthcheck-connect-port": "0",
        A + "healthcheck-enabled": "true",
        A + "healthcheck-protocol": "TCP",
        A + "listen-ports": '[{"HTTP": 80}]',
    }


def test_https_without_redirect_says_so() -> None:
    listeners = AlbListeners.plan([CERT], redirect_http=False)
    annotations = alb_ingress_annotations(listeners, HealthCheck(), backend_port=80)
    assert annotations[A + "ssl-redirect"] == "false"


def ingress(hosts: list[str | None] | None = None, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "name": "web",
        "namespace": "shop",
        "hosts": hosts if hosts is not None else ["a.example.com"],
        "path": "/",
        "service_name": "web",
        "service_port": 80,
        "annotations": alb_ingress_annotations(HTTPS, HealthCheck("/healthz"), backend_port=8080),
    }
    kwargs.update(overrides)
    return alb_ingress_manifest(**kwargs)


def test_ingress_manifest_has_one_rule_per_host() -> None:
    manifest = ingress(["shop.example.com", "web.shop.internal"], path="/api")
    backend = {"service": {"name": "web", "port": {"number": 80}}}
    paths = [{"path": "/api", "pathType": "Prefix", "backend": backend}]
    assert manifest["spec"] == {
        "ingressClassName": "alb",
        "rules": [
            {"host": "shop.example.com", "http": {"paths": paths}},
            {"host": "web.shop.internal", "http": {"paths": paths}},
        ],
    }
    assert manifest["metadata"]["name"] == "web"
    assert manifest["metadata"]["namespace"] == "shop"
    assert manifest["metadata"]["labels"] == {
        "app.kubernetes.io/name": "web",
        "app.kubernetes.io/managed-by": "ask-components",
    }
    assert ingress([None])["spec"]["rules"] == [
        {"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}}
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"name": "aliyun-web"},
            "Ingress name 'aliyun-web' must not start with 'aliyun' (reserved by ALB Ingress)",
        ),
        (
            {"namespace": "aliyun"},
            "Ingress namespace 'aliyun' must not start with 'aliyun' (reserved by ALB Ingress)",
        ),
        (
            {"service_name": "aliyun-svc"},
            "Ingress Service 'aliyun-svc' must not start with 'aliyun' (reserved by ALB Ingress)",
        ),
        ({"hosts": []}, "an Ingress needs at least one host (None for any host)"),
    ],
)
def test_ingress_names_alb_reserves(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        ingress(**overrides)


def test_an_apps_own_annotations_come_after_the_managed_ones_sorted() -> None:
    annotations = alb_ingress_annotations(
        HTTPS,
        HealthCheck("/healthz"),
        backend_port=8080,
        extra={A + "order": "2", A + "canary-weight": "20", A + "canary": "true"},
    )
    assert list(annotations) == [
        A + "healthcheck-connect-port",
        A + "healthcheck-enabled",
        A + "healthcheck-httpcode",
        A + "healthcheck-method",
        A + "healthcheck-path",
        A + "healthcheck-protocol",
        A + "listen-ports",
        A + "ssl-redirect",
        A + "canary",
        A + "canary-weight",
        A + "order",
    ]
    assert annotations[A + "canary-weight"] == "20"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {A + "ssl-redirect": "false"},
            f"{A}ssl-redirect cannot be set by an app: ask-components sets it from "
            "ask:platform.ingress.https.redirectHttp",
        ),
        (
            {A + "healthcheck-enabled": "false"},
            f"{A}healthcheck-enabled cannot be set by an app: ask-components sets the health "
            "check from the app's readiness probe (its path and port)",
        ),
        (
            {"nginx.ingress.kubernetes.io/canary": "true"},
            "'nginx.ingress.kubernetes.io/canary' is not an ALB annotation: the key must start "
            f"with {A}",
        ),
        ({A + "canary": "yes"}, f"{A}canary: 'yes' is not a boolean: use 'true' or 'false'"),
    ],
)
def test_an_app_cannot_set_what_is_managed(extra: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        alb_ingress_annotations(HTTPS, HealthCheck(), backend_port=80, extra=extra)


def test_a_regex_path_is_implementation_specific() -> None:
    manifest = ingress(
        ["shop.example.com"], path="/api(/|$)(.*)", path_type="ImplementationSpecific"
    )
    assert manifest["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "ImplementationSpecific"
    assert validate_manifest(manifest, K8S) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": "healthz"}, "health check path 'healthz' must start with '/'"),
        ({"port": 0}, "health check port 0 is not a port (1-65535)"),
    ],
)
def test_impossible_health_checks(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        HealthCheck(**kwargs)


# --- CLB ---------------------------------------------------------------------------------------


def test_internet_clb_for_plain_http_is_one_tcp_listener_with_an_http_health_check() -> None:
    settings_ = ClbSettings[str](
        public=True, name="shop-web", tags={"stack": "dev", "platform": "shop"}
    )
    assert clb_annotations(settings_, HealthCheck("/healthz"), backend_port=8080) == {
        C + "additional-resource-tags": "platform=shop,stack=dev",
        C + "address-type": "internet",
        C + "delete-protection": "off",
        C + "health-check-type": "http",
        C + "health-check-uri": "/healthz",
        C + "instance-charge-type": "PayByCLCU",
        C + "name": "shop-web",
        "ask-components.io/public": "true",
    }
    assert clb_service_ports(settings_, container_port=8080) == [
        {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}
    ]


def test_intranet_clb_takes_the_vswitch_and_checks_tcp_without_a_readiness_path() -> None:
    settings_ = ClbSettings(public=False, vswitch_id="vsw-1", deletion_protection=True)
    assert clb_annotations(settings_, HealthCheck(port=9090), backend_port=8080) == {
        C + "address-type": "intranet",
        C + "delete-protection": "on",
        C + "health-check-connect-port": "9090",
        C + "health-check-type": "tcp",
        C + "instance-charge-type": "PayByCLCU",
        C + "vswitch-id": "vsw-1",
    }


def test_https_clb_terminates_tls_and_forwards_http() -> None:
    settings_ = ClbSettings(public=True, certificate_id=CERT)
    assert clb_annotations(settings_, HealthCheck("/ready", 8080), backend_port=8080) == {
        C + "address-type": "internet",
        C + "cert-id": CERT,
        C + "delete-protection": "off",
        C + "forward-port": "80:443",
        C + "health-check-flag": "on",
        C + "health-check-type": "http",
        C + "health-check-uri": "/ready",
        C + "instance-charge-type": "PayByCLCU",
        C + "protocol-port": "https:443,http:80",
        "ask-components.io/public": "true",
    }
    assert clb_service_spec(settings_, container_port=8080, selector={"app": "web"}) == {
        "type": "LoadBalancer",
        "selector": {"app": "web"},
        "ports": [
            {"name": "https", "port": 443, "targetPort": 8080, "protocol": "TCP"},
            {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
        ],
    }
    no_redirect = ClbSettings[str](public=True, certificate_id=CERT, redirect_http=False)
    assert C + "forward-port" not in clb_annotations(no_redirect, HealthCheck(), backend_port=80)


def test_an_intranet_clb_needs_a_vswitch() -> None:
    with pytest.raises(
        ValueError, match=r"^an intranet CLB needs the vSwitch to take its address from$"
    ):
        ClbSettings[str](public=False)


# --- validation --------------------------------------------------------------------------------


def service(annotations: dict[str, str], spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "annotations": annotations},
        "spec": spec,
    }


def test_everything_rendered_validates_strictly() -> None:
    settings_ = ClbSettings(public=False, vswitch_id="vsw-1", certificate_id=CERT)
    manifests = [
        albconfig_manifest("shop-alb", "alb-abc123", HTTPS),
        albconfig_manifest("shop-alb", "alb-abc123", HTTP),
        ingress_class_manifest("alb", "shop-alb"),
        ingress(["shop.example.com", "*.shop.example.com"]),
        ingress([None]),
        service(
            clb_annotations(settings_, HealthCheck("/h"), backend_port=8080),
            clb_service_spec(settings_, container_port=8080, selector={"app": "web"}),
        ),
    ]
    for manifest in manifests:
        assert validate_manifest(manifest, K8S) == [], manifest
        assert validate_manifest(manifest, "1.25") == [], manifest


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda m: m["spec"].update(extra=1),
            [("spec", "Additional properties are not allowed ('extra' was unexpected)")],
        ),
        (
            lambda m: m["spec"]["listeners"][1].pop("certificates"),
            [("spec.listeners[1]", "'certificates' is a required property")],
        ),
        (
            lambda m: m["spec"]["listeners"][1].update(certificates=[]),
            [("spec.listeners[1].certificates", "[] should be non-empty")],
        ),
        (
            lambda m: m["spec"]["listeners"][0].update(protocol="TCP"),
            [("spec.listeners[0].protocol", "'TCP' is not one of ['HTTP', 'HTTPS', 'QUIC']")],
        ),
        (
            lambda m: m["spec"]["listeners"][0].update(port=70000),
            [("spec.listeners[0].port", "70000 is greater than the maximum of 65535")],
        ),
        (
            lambda m: m["spec"]["config"].update(id="lb-1"),
            [("spec.config.id", "'lb-1' does not match '^alb-[a-z0-9]+$'")],
        ),
        (
            lambda m: m["metadata"].update(namespace="default"),
            [("metadata.namespace", "'default' should not be valid under {}")],
        ),
        (
            lambda m: m["metadata"].update(name="aliyun-alb"),
            [
                (
                    "metadata.name",
                    "'aliyun-alb' does not match '^(?!aliyun)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
                )
            ],
        ),
        (
            lambda m: m["spec"]["listeners"][1]["certificates"][0].update(isDefault=True),
            [
                (
                    "spec.listeners[1].certificates[0]",
                    "Additional properties are not allowed ('isDefault' was unexpected)",
                )
            ],
        ),
    ],
)
def test_the_albconfig_schema_catches(change: Any, expected: list[tuple[str, str]]) -> None:
    manifest = albconfig_manifest("shop-alb", "alb-abc123", HTTPS)
    change(manifest)
    assert validate_manifest(manifest, K8S) == expected


def test_kubernetes_schemas_are_strict() -> None:
    manifest = ingress(["shop.example.com"])
    manifest["spec"]["rules"][0]["http"]["paths"][0]["pathtype"] = "Prefix"
    assert validate_manifest(manifest, K8S) == [
        (
            "spec.rules[0].http.paths[0]",
            "Additional properties are not allowed ('pathtype' was unexpected)",
        )
    ]


def test_the_shipped_schema_covers_every_field_the_builder_renders() -> None:
    schema = json.loads((SCHEMA_DIR / "albconfig_alibabacloud.com_v1.json").read_text())
    config = schema["properties"]["spec"]["properties"]["config"]["properties"]
    listener = schema["properties"]["spec"]["properties"]["listeners"]["items"]["properties"]
    rendered = albconfig_manifest("a", "alb-1", HTTPS)["spec"]
    assert set(rendered["config"]) <= set(config)
    assert {key for item in rendered["listeners"] for key in item} <= set(listener)


@settings(max_examples=40, deadline=None)
@given(
    certs=st.lists(
        st.from_regex(r"[0-9]{3,8}-cn-hangzhou", fullmatch=True), unique=True, max_size=3
    ),
    hosts=st.lists(
        st.from_regex(r"[a-z][a-z0-9]{0,10}\.example\.com", fullmatch=True),
        unique=True,
        min_size=1,
        max_size=3,
    ),
    path=st.from_regex(r"/[a-z0-9/_-]{0,20}", fullmatch=True),
    probe=st.one_of(st.none(), st.from_regex(r"/[a-z]{1,10}", fullmatch=True)),
)
def test_rendered_manifests_validate_for_any_sane_input(
    certs: list[str], hosts: list[str], path: str, probe: str | None
) -> None:
    listeners = AlbListeners.plan(certs)
    assert validate_manifest(albconfig_manifest("shop-alb", "alb-abc", listeners), K8S) == []
    annotations = alb_ingress_annotations(listeners, HealthCheck(probe), backend_port=8080)
    assert validate_manifest(ingress(list(hosts), path=path, annotations=annotations), K8S) == []
