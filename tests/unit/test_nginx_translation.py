"""translate_alb_annotations: every ALB -> ingress-nginx mapping with exact values, what is
dropped and what is reported; the IngressClass and Service builders; the warning text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.ingress.albconfig import AlbListeners
from ask_components.ingress.annotations import HealthCheck, alb_ingress_annotations
from ask_components.ingress.nginx import (
    NGINX_CONTROLLER,
    NginxTranslation,
    controller_service_spec,
    nginx_ingress_class_spec,
    nginx_rewrite_target,
    translate_alb_annotations,
    untranslated_warning,
)
from ask_components.manifests import validate_manifest

A = "alb.ingress.kubernetes.io/"
N = "nginx.ingress.kubernetes.io/"


def alb(**annotations: str) -> dict[str, str]:
    return {A + key.replace("_", "-"): value for key, value in annotations.items()}


def nginx(**annotations: str) -> dict[str, str]:
    return {N + key.replace("_", "-"): value for key, value in sorted(annotations.items())}


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        # ssl-redirect: nginx's own ssl-redirect needs a tls section, which local Ingresses lack.
        (alb(ssl_redirect="true"), nginx(force_ssl_redirect="true")),
        (alb(ssl_redirect="false"), nginx(force_ssl_redirect="false")),
        # rewrite: ${n} -> $n, and the path becomes a regex when a capture group is used.
        (alb(rewrite_target="/"), nginx(rewrite_target="/")),
        (
            alb(rewrite_target="/path/${2}"),
            nginx(rewrite_target="/path/$2", use_regex="true"),
        ),
        (
            alb(rewrite_target="/${1}/x/${2}${3}"),
            nginx(rewrite_target="/$1/x/$2$3", use_regex="true"),
        ),
        (
            alb(rewrite_target="/v2/${1}", use_regex="false"),
            nginx(rewrite_target="/v2/$1", use_regex="true"),
        ),
        (alb(use_regex="true"), nginx(use_regex="true")),
        (alb(use_regex="false"), nginx(use_regex="false")),
        # canary: same names, same values.
        (alb(canary="true"), nginx(canary="true")),
        (alb(canary="false"), nginx(canary="false")),
        (alb(canary="true", canary_weight="20"), nginx(canary="true", canary_weight="20")),
        (alb(canary_weight="0"), nginx(canary_weight="0")),
        (alb(canary_weight="100"), nginx(canary_weight="100")),
        (
            alb(canary="true", canary_by_header="location", canary_by_header_value="hz"),
            nginx(canary="true", canary_by_header="location", canary_by_header_value="hz"),
        ),
        (alb(canary_by_cookie="demo"), nginx(canary_by_cookie="demo")),
        # CORS: same names and values; ALB's max-age default written out when unset.
        (alb(enable_cors="true"), nginx(enable_cors="true", cors_max_age="172800")),
        (alb(enable_cors="false"), nginx(enable_cors="false")),
        (
            alb(
                enable_cors="true",
                cors_allow_origin="https://a.example.com,https://b.example.com",
                cors_allow_methods="GET, POST",
                cors_allow_headers="Content-Type,Authorization",
                cors_expose_headers="X-Request-Id",
                cors_allow_credentials="false",
                cors_max_age="600",
            ),
            nginx(
                enable_cors="true",
                cors_allow_origin="https://a.example.com,https://b.example.com",
                cors_allow_methods="GET, POST",
                cors_allow_headers="Content-Type,Authorization",
                cors_expose_headers="X-Request-Id",
                cors_allow_credentials="false",
                cors_max_age="600",
            ),
        ),
        (alb(enable_cors="true", cors_max_age="-1"), nginx(enable_cors="true", cors_max_age="-1")),
        (alb(cors_max_age="172800"), nginx(cors_max_age="172800")),
        # backend protocol: the values nginx spells in capitals.
        (alb(backend_protocol="http"), nginx(backend_protocol="HTTP")),
        (alb(backend_protocol="https"), nginx(backend_protocol="HTTPS")),
        ({}, {}),
    ],
)
def test_each_translation(given_: dict[str, str], expected: dict[str, str]) -> None:
    translation = translate_alb_annotations(given_)
    assert translation == NginxTranslation(annotations=expected)
    assert list(translation.annotations) == sorted(translation.annotations)


@pytest.mark.parametrize(
    ("given_", "path_type"),
    [
        (alb(use_regex="true"), "ImplementationSpecific"),
        (alb(rewrite_target="/${1}"), "ImplementationSpecific"),
        (alb(rewrite_target="/"), "Prefix"),
        (alb(use_regex="false"), "Prefix"),
        ({}, "Prefix"),
    ],
)
def test_regex_paths_are_implementation_specific(given_: dict[str, str], path_type: str) -> None:
    translation = translate_alb_annotations(given_)
    assert translation.path_type == path_type
    assert translation.regex_paths is (path_type == "ImplementationSpecific")


def test_the_managed_annotations_translate_or_need_nothing() -> None:
    listeners = AlbListeners.plan(["1234567-cn-hangzhou"])
    managed = alb_ingress_annotations(listeners, HealthCheck("/healthz", 8080), backend_port=8080)
    translation = translate_alb_annotations(managed)
    assert translation == NginxTranslation(
        annotations={N + "force-ssl-redirect": "true"},
        untranslated=(),
        dropped=(
            A + "healthcheck-connect-port",
            A + "healthcheck-enabled",
            A + "healthcheck-httpcode",
            A + "healthcheck-method",
            A + "healthcheck-path",
            A + "healthcheck-protocol",
            A + "listen-ports",
        ),
    )


def test_http_only_managed_annotations_leave_no_nginx_annotation() -> None:
    managed = alb_ingress_annotations(AlbListeners.plan(), HealthCheck(), backend_port=80)
    translation = translate_alb_annotations(managed)
    assert translation.annotations == {}
    assert translation.dropped == (
        A + "healthcheck-connect-port",
        A + "healthcheck-enabled",
        A + "healthcheck-protocol",
        A + "listen-ports",
    )


def test_health_check_tuning_is_dropped_and_the_rest_reported() -> None:
    translation = translate_alb_annotations(
        alb(
            healthy_threshold_count="2",
            unhealthy_threshold_count="5",
            healthcheck_timeout_seconds="3",
            order="2",
            sticky_session="true",
            sticky_session_type="Insert",
            cookie_timeout="1800",
            backend_scheduler="wlc",
            traffic_limit_qps="100",
            backend_keepalive="true",
            backend_protocol="grpc",
            canary="true",
        )
        | {A + "actions.web": "[]", A + "conditions.web": "[]"}
    )
    assert translation == NginxTranslation(
        annotations={N + "canary": "true"},
        untranslated=(
            A + "actions.web",
            A + "backend-keepalive",
            A + "backend-protocol",
            A + "backend-scheduler",
            A + "conditions.web",
            A + "cookie-timeout",
            A + "order",
            A + "sticky-session",
            A + "sticky-session-type",
            A + "traffic-limit-qps",
        ),
        dropped=(
            A + "healthcheck-timeout-seconds",
            A + "healthy-threshold-count",
            A + "unhealthy-threshold-count",
        ),
    )


@pytest.mark.parametrize(
    ("given_", "message"),
    [
        ({"nginx.ingress.kubernetes.io/canary": "true"}, "is not an ALB annotation"),
        (alb(canary="yes"), f"{A}canary: 'yes' is not a boolean: use 'true' or 'false'"),
        (alb(ssl_redirect="True"), f"{A}ssl-redirect: 'True' is not a boolean"),
        (alb(canary_weight="101"), f"{A}canary-weight: 101 is out of range (0 to 100)"),
        (alb(canary_weight="-1"), f"{A}canary-weight: -1 is out of range (0 to 100)"),
        (alb(canary_weight="5_0"), f"{A}canary-weight: '5_0' is not an integer (0 to 100)"),
        (alb(canary_weight="ten"), f"{A}canary-weight: 'ten' is not an integer (0 to 100)"),
        (alb(cors_max_age="172801"), f"{A}cors-max-age: 172801 is out of range (-1 to 172800)"),
        (alb(canary_by_header=""), f"{A}canary-by-header: is empty"),
        (
            alb(backend_protocol="HTTP"),
            f"{A}backend-protocol: 'HTTP' is not a backend protocol: use http, https, grpc",
        ),
        (
            alb(rewrite_target="/${4}"),
            f"{A}rewrite-target: '/${{4}}' uses ${{4}}: an ALB rewrite takes ${{1}} to ${{3}} only",
        ),
        (
            alb(rewrite_target="/${0}"),
            f"{A}rewrite-target: '/${{0}}' uses ${{0}}: an ALB rewrite takes ${{1}} to ${{3}} only",
        ),
        (
            alb(rewrite_target="/$1"),
            f"{A}rewrite-target: '/$1' has a '$' that is not one of ${{1}} to ${{3}}",
        ),
    ],
)
def test_values_alb_would_refuse_are_refused(given_: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        translate_alb_annotations(given_)


def test_nginx_rewrite_target() -> None:
    assert nginx_rewrite_target("/path/${2}") == "/path/$2"
    assert nginx_rewrite_target("/${1}${2}/${3}") == "/$1$2/$3"
    assert nginx_rewrite_target("/static") == "/static"


_TRANSLATED = {
    "ssl-redirect": st.sampled_from(["true", "false"]),
    "use-regex": st.sampled_from(["true", "false"]),
    "canary": st.sampled_from(["true", "false"]),
    "canary-weight": st.integers(0, 100).map(str),
    "canary-by-header": st.sampled_from(["location", "x-canary"]),
    "canary-by-header-value": st.sampled_from(["hz", "always"]),
    "canary-by-cookie": st.sampled_from(["demo", "beta"]),
    "enable-cors": st.sampled_from(["true", "false"]),
    "cors-allow-origin": st.sampled_from(["*", "https://a.example.com"]),
    "cors-allow-credentials": st.sampled_from(["true", "false"]),
    "cors-max-age": st.integers(-1, 172_800).map(str),
    "rewrite-target": st.sampled_from(["/", "/${1}", "/a/${2}/${3}"]),
    "backend-protocol": st.sampled_from(["http", "https", "grpc"]),
    "listen-ports": st.just('[{"HTTP": 80}]'),
    "healthcheck-path": st.just("/healthz"),
    "healthy-threshold-count": st.just("3"),
    "order": st.integers(1, 1000).map(str),
    "sticky-session": st.sampled_from(["true", "false"]),
}


@given(
    st.sets(st.sampled_from(sorted(_TRANSLATED))).flatmap(
        lambda keys: st.fixed_dictionaries({A + key: _TRANSLATED[key] for key in keys})
    )
)
def test_every_alb_annotation_lands_in_exactly_one_place(given_: dict[str, str]) -> None:
    translation = translate_alb_annotations(given_)
    reported = set(translation.untranslated) | set(translation.dropped)
    assert not set(translation.untranslated) & set(translation.dropped)
    assert all(key.startswith(N) for key in translation.annotations)
    for key in given_:
        name = key.removeprefix(A)
        if key in reported:
            continue
        target = "force-ssl-redirect" if name == "ssl-redirect" else name
        assert N + target in translation.annotations, key
    # Nothing appears that was not asked for, except the two derived values.
    derived = {N + "use-regex", N + "cors-max-age", N + "force-ssl-redirect"}
    asked = {N + key.removeprefix(A) for key in given_}
    assert set(translation.annotations) <= asked | derived
    assert translation.untranslated == tuple(sorted(translation.untranslated))
    assert translation.dropped == tuple(sorted(translation.dropped))


def test_the_ingress_class_is_served_by_ingress_nginx() -> None:
    assert nginx_ingress_class_spec() == {"controller": "k8s.io/ingress-nginx"}
    assert NGINX_CONTROLLER == "k8s.io/ingress-nginx"
    manifest: dict[str, Any] = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "alb"},
        "spec": nginx_ingress_class_spec(),
    }
    assert validate_manifest(manifest, "1.33") == []


@pytest.mark.parametrize(
    ("listeners", "ports"),
    [
        (
            AlbListeners.plan(),
            [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
        ),
        (
            AlbListeners.plan(["1234567-cn-hangzhou"]),
            [
                {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
                {"name": "https", "port": 443, "targetPort": "https", "protocol": "TCP"},
            ],
        ),
    ],
)
def test_the_service_selects_the_controller_on_the_alb_listeners(
    listeners: AlbListeners, ports: list[dict[str, Any]]
) -> None:
    spec = controller_service_spec(listeners)
    assert spec == {
        "type": "ClusterIP",
        "selector": {
            "app.kubernetes.io/name": "ingress-nginx",
            "app.kubernetes.io/instance": "ingress-nginx",
            "app.kubernetes.io/component": "controller",
        },
        "ports": ports,
    }
    manifest = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "shop-alb", "namespace": "ingress-nginx"},
        "spec": spec,
    }
    assert validate_manifest(manifest, "1.33") == []


def test_the_warning_names_each_annotation_and_its_apps() -> None:
    assert untranslated_warning({A + "order": ["shop/web"]}) == (
        "1 ALB annotation has no ingress-nginx equivalent, so the local target does not apply "
        "it: alb.ingress.kubernetes.io/order (used by shop/web)"
    )
    assert untranslated_warning(
        {A + "sticky-session": ["shop/web", "shop/api", "shop/web"], A + "order": ["shop/api"]}
    ) == (
        "2 ALB annotations have no ingress-nginx equivalent, so the local target does not apply "
        "them: alb.ingress.kubernetes.io/order (used by shop/api); "
        "alb.ingress.kubernetes.io/sticky-session (used by shop/api, shop/web)"
    )
