"""ask:platform.ingress and ask:platform.dns: defaults, derived settings, and every rule with its
exact message and config path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.config import load_platform_config
from ask_components.errors import ConfigError
from ask_components.ingress.config import (
    AppExposure,
    ExposeConfig,
    IngressConfig,
    alb_addon_config,
    app_hosts,
    exposure_problems,
    route_conflicts,
)
from tests.conftest import platform_values

ALB_CONTROLLER_CONFIG = {"albIngress": {"CreateDefaultALBConfig": False}}


def load(stack: str = "dev", region: str | None = None, **platform: Any) -> Any:
    values = platform_values(**platform)
    if region is not None:
        values["alicloud:region"] = region
    return load_platform_config(values, stack=stack)


def problems_of(stack: str = "dev", region: str | None = None, **platform: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(stack, region, **platform)
    return [str(problem) for problem in caught.value.problems]


# --- defaults and derived settings -------------------------------------------------------------


def test_no_ingress_and_no_dns_by_default() -> None:
    config = load()
    assert config.ingress == IngressConfig()
    assert config.ingress.kind == "none"
    assert config.ingress.edition == "Standard"
    assert config.ingress.public is False
    assert config.ingress.certificate_ids == ()
    assert config.ingress.redirect_http is False
    assert config.dns is None
    assert config.addon_names == ("metrics-server", "managed-coredns")


def test_the_prod_example_loads() -> None:
    config = load(
        "prod",
        ingress={
            "kind": "alb",
            "edition": "Standard",
            "public": True,
            "https": {"certificateIds": ["1234567-cn-hangzhou"]},
            "accessLog": {"project": "shop-prod-logs", "store": "alb-access"},
        },
        dns={
            "zone": "shop.internal",
            "records": [{"rr": "db", "type": "CNAME", "value": "rm.x.com"}],
        },
    )
    ingress = config.ingress
    assert ingress.kind == "alb"
    assert ingress.public is True
    assert ingress.certificate_ids == ("1234567-cn-hangzhou",)
    assert ingress.redirect_http is True  # on by default with a certificate
    assert ingress.access_log is not None
    assert (ingress.access_log.project, ingress.access_log.store) == (
        "shop-prod-logs",
        "alb-access",
    )
    assert config.ingress_deletion_protection is True  # prod*
    assert config.dns is not None
    assert config.dns.zone == "shop.internal"
    assert config.dns.fqdn("db") == "db.shop.internal"
    assert config.dns.records[0].ttl == 60


@pytest.mark.parametrize(
    ("stack", "explicit", "expected"),
    [
        ("prod", None, True),
        ("prod-eu", None, True),
        ("dev", None, False),
        ("prod", False, False),
        ("dev", True, True),
    ],
)
def test_ingress_deletion_protection(stack: str, explicit: bool | None, expected: bool) -> None:
    ingress: dict[str, Any] = {"kind": "alb"}
    if explicit is not None:
        ingress["deletionProtection"] = explicit
    assert load(stack, ingress=ingress).ingress_deletion_protection is expected


def test_redirect_can_be_turned_off() -> None:
    config = load(
        ingress={
            "kind": "alb",
            "https": {"certificateIds": ["1-cn-hangzhou"], "redirectHttp": False},
        }
    )
    assert config.ingress.redirect_http is False


def test_alb_adds_the_controller_addon_to_the_defaults_with_no_default_albconfig() -> None:
    config = load(ingress={"kind": "alb"})
    assert config.addon_names == ("metrics-server", "managed-coredns", "alb-ingress-controller")
    assert config.addons[2].config == ALB_CONTROLLER_CONFIG
    assert [addon.config for addon in config.addons[:2]] == [None, None]


def test_clb_adds_no_addon() -> None:
    assert load(ingress={"kind": "clb"}).addon_names == ("metrics-server", "managed-coredns")


def test_a_listed_alb_controller_gets_the_no_default_albconfig_setting() -> None:
    config = load(
        ingress={"kind": "alb"},
        cluster={
            "addons": [
                {"name": "alb-ingress-controller", "config": {"albIngress": {"Other": 1}}},
                {"name": "metrics-server"},
            ]
        },
    )
    assert config.addon_names == ("alb-ingress-controller", "metrics-server")
    assert config.addons[0].config == {"albIngress": {"Other": 1, "CreateDefaultALBConfig": False}}
    assert config.addons[1].config is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, ALB_CONTROLLER_CONFIG),
        ({}, ALB_CONTROLLER_CONFIG),
        ({"x": 1}, {"x": 1, "albIngress": {"CreateDefaultALBConfig": False}}),
        (
            {"albIngress": {"CreateDefaultALBConfig": False, "A": "b"}},
            {"albIngress": {"CreateDefaultALBConfig": False, "A": "b"}},
        ),
    ],
)
def test_alb_addon_config(given: dict[str, Any] | None, expected: dict[str, Any]) -> None:
    assert alb_addon_config(given) == expected


# --- rules: exact messages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "region", "expected"),
    [
        (
            {"ingress": {"kind": "alb"}, "network": {"zones": ["cn-hangzhou-i"]}},
            None,
            [
                "ask:platform.network.zones: ALB needs at least 2 zones, got 1 (cn-hangzhou-i); add a zone or set ask:platform.ingress.kind to clb"
            ],
        ),
        (
            {
                "ingress": {"kind": "alb"},
                "network": {"zones": ["cn-huhehaote-a", "cn-huhehaote-b"]},
            },
            "cn-huhehaote",
            [
                "ask:platform.ingress.kind: ALB Ingress is not offered in cn-huhehaote (China (Hohhot), configured as alicloud:region); use kind clb"
            ],
        ),
        (
            {"ingress": {"kind": "alb"}, "network": {"zones": ["cn-heyuan-a"]}},
            "cn-heyuan",
            [
                "ask:platform.network.zones: ALB needs at least 2 zones, got 1 (cn-heyuan-a); add a zone or set ask:platform.ingress.kind to clb",
                "ask:platform.ingress.kind: ALB Ingress is not offered in cn-heyuan (China (Heyuan), configured as alicloud:region); use kind clb",
            ],
        ),
        (
            {"ingress": {"kind": "alb", "https": {}}},
            None,
            [
                "ask:platform.ingress.https.certificateIds: HTTPS needs at least one certificate id from Certificate Management Service (like 1234567-cn-hangzhou)"
            ],
        ),
        (
            {"ingress": {"kind": "clb", "https": {"certificateIds": [], "redirectHttp": True}}},
            None,
            [
                "ask:platform.ingress.https.certificateIds: HTTPS needs at least one certificate id from Certificate Management Service (like 1234567-cn-hangzhou)"
            ],
        ),
        (
            {
                "ingress": {
                    "kind": "alb",
                    "https": {"certificateIds": ["1-cn-hangzhou", "1-cn-hangzhou", "a b"]},
                }
            },
            None,
            [
                "ask:platform.ingress.https.certificateIds[1]: certificate 1-cn-hangzhou is listed twice",
                "ask:platform.ingress.https.certificateIds[2]: 'a b' is not a certificate id",
            ],
        ),
        (
            {"ingress": {"public": True, "https": {"certificateIds": ["1-cn-hangzhou"]}}},
            None,
            [
                "ask:platform.ingress.public: has no effect while kind is none; set kind to alb or clb",
                "ask:platform.ingress.https: has no effect while kind is none; set kind to alb or clb",
            ],
        ),
        (
            {
                "ingress": {
                    "kind": "clb",
                    "edition": "Basic",
                    "https": {"certificateIds": ["1-cn-hangzhou", "2-cn-hangzhou"]},
                }
            },
            None,
            [
                "ask:platform.ingress.edition: applies to ALB only (kind is clb)",
                "ask:platform.ingress.https.certificateIds: a CLB listener takes one certificate, got 2",
            ],
        ),
        (
            {"ingress": {"kind": "clb", "accessLog": {"project": "shop-logs", "store": "alb"}}},
            None,
            ["ask:platform.ingress.accessLog: applies to ALB only (kind is clb)"],
        ),
        (
            {"ingress": {"kind": "alb", "accessLog": {"project": "Shop", "store": "-x-"}}},
            None,
            [
                "ask:platform.ingress.accessLog.project: 'Shop' is not an SLS project name: 3-63 lowercase letters, digits and '-', starting and ending with a letter or digit",
                "ask:platform.ingress.accessLog.store: '-x-' is not a Logstore name: 3-63 lowercase letters, digits, '-' and '_', starting and ending with a letter or digit",
            ],
        ),
        (
            {"ingress": {"kind": "alb", "edition": "Premium"}},
            None,
            [
                "ask:platform.ingress.edition: 'Premium' is not allowed: 'Basic', 'Standard' or 'StandardWithWaf'"
            ],
        ),
        (
            {"ingress": {"kind": "nginx"}},
            None,
            ["ask:platform.ingress.kind: 'nginx' is not allowed: 'alb', 'clb' or 'none'"],
        ),
        (
            {"ingress": {"kind": "alb"}, "cluster": {"addons": [{"name": "metrics-server"}]}},
            None,
            [
                "ask:platform.cluster.addons: ask:platform.ingress.kind is alb, which needs the alb-ingress-controller addon; add it to the list (or remove the list to get the defaults)"
            ],
        ),
        (
            {
                "ingress": {"kind": "alb"},
                "cluster": {
                    "addons": [
                        {
                            "name": "alb-ingress-controller",
                            "config": {"albIngress": {"CreateDefaultALBConfig": True}},
                        }
                    ]
                },
            },
            None,
            [
                "ask:platform.cluster.addons[0].config: CreateDefaultALBConfig must be false: AlbIngress makes the ALB, the AlbConfig and the IngressClass alb itself (a default one would add a second ALB and clash on the name alb)"
            ],
        ),
        (
            {"ingress": {"kind": "alb", "tls": True}},
            None,
            ["ask:platform.ingress.tls: unknown key (check the spelling; keys are camelCase)"],
        ),
    ],
)
def test_ingress_rules(platform: dict[str, Any], region: str | None, expected: list[str]) -> None:
    assert problems_of(region=region, **platform) == expected


@pytest.mark.parametrize(
    ("dns", "expected"),
    [
        (
            {"zone": "Shop.internal"},
            ["ask:platform.dns.zone: 'Shop.internal' is not a zone name: use lowercase letters"],
        ),
        (
            {"zone": "shop.internal."},
            ["ask:platform.dns.zone: 'shop.internal.' is not a zone name: drop the trailing dot"],
        ),
        (
            {"zone": "shop_internal"},
            [
                "ask:platform.dns.zone: 'shop_internal' is not a zone name: each label takes lowercase letters, digits and '-', and starts and ends with a letter or digit"
            ],
        ),
        (
            {"zone": "svc.cluster.local"},
            [
                "ask:platform.dns.zone: svc.cluster.local would shadow the cluster's own DNS (cluster.local); pick another zone"
            ],
        ),
        (
            {"zone": "a" * 64 + ".internal"},
            [
                f"ask:platform.dns.zone: '{'a' * 64}.internal' is not a zone name: label '{'a' * 64}' is longer than 63"
            ],
        ),
        ({}, ["ask:platform.dns.zone: is required"]),
        (
            {
                "zone": "shop.internal",
                "records": [
                    {"rr": "db", "type": "A", "value": "db.shop"},
                    {"rr": "db", "type": "A", "value": "10.0.0.1", "priority": 3},
                    {"rr": "_sip._tcp", "type": "SRV", "value": "1 2 x y"},
                    {"rr": "mail", "type": "MX", "value": "mx.shop.internal", "priority": 100},
                    {"rr": "bad rr", "type": "TXT", "value": "x"},
                    {"rr": "v6", "type": "AAAA", "value": "::1"},
                    {"rr": "t", "type": "TXT", "value": "v", "ttl": 0},
                    {"rr": "w", "type": "CNAME", "value": "Web.Example.com"},
                ],
            },
            [
                "ask:platform.dns.records[0].value: 'db.shop' is not an IPv4 address (an A record points at one)",
                "ask:platform.dns.records[1].priority: only MX records take a priority, this is A",
                "ask:platform.dns.records[2].value: '1 2 x y' is not SRV data: write 'priority weight port target', like '1 10 5060 sip.shop.internal'",
                "ask:platform.dns.records[3].priority: Input should be less than or equal to 99 (got 100)",
                "ask:platform.dns.records[4].rr: 'bad rr' is not a record name: use '@' for the zone itself, '*' for a wildcard, or lowercase labels of letters, digits, '-' and '_'",
                "ask:platform.dns.records[5].type: 'AAAA' is not allowed: 'A', 'CNAME', 'TXT', 'MX', 'SRV' or 'PTR'",
                "ask:platform.dns.records[6].ttl: Input should be greater than or equal to 1 (got 0)",
                "ask:platform.dns.records[7].value: 'Web.Example.com' is not a name (a CNAME record points at one): use lowercase letters",
            ],
        ),
        (
            {
                "zone": "shop.internal",
                "records": [
                    {"rr": "db", "type": "A", "value": "10.0.0.1"},
                    {"rr": "db", "type": "A", "value": "10.0.0.2"},
                    {"rr": "db", "type": "A", "value": "10.0.0.1"},
                    {"rr": "db", "type": "CNAME", "value": "db.example.com"},
                    {"rr": "api", "type": "CNAME", "value": "api.example.com"},
                    {"rr": "api", "type": "TXT", "value": "owner=me"},
                ],
            },
            [
                "ask:platform.dns.records[2]: repeats records[0] (A db -> 10.0.0.1)",
                "ask:platform.dns.records[3]: db already has a A record (records[0]); a CNAME cannot share its name with any other record",
                "ask:platform.dns.records[5]: api already has a CNAME record (records[4]); a CNAME cannot share its name with any other record",
            ],
        ),
    ],
)
def test_dns_rules(dns: dict[str, Any], expected: list[str]) -> None:
    assert problems_of(dns=dns) == expected


def test_every_record_type_with_a_good_value_loads() -> None:
    records = [
        {"rr": "@", "type": "TXT", "value": "v=spf1 -all"},
        {"rr": "db", "type": "A", "value": "10.0.0.5"},
        {"rr": "db", "type": "A", "value": "10.0.0.6"},
        {"rr": "www", "type": "CNAME", "value": "web.shop.internal"},
        {"rr": "@", "type": "MX", "value": "mx.shop.internal"},
        {"rr": "_sip._tcp", "type": "SRV", "value": "1 10 5060 sip.shop.internal"},
        {"rr": "*", "type": "A", "value": "10.0.0.7"},
        {"rr": "5", "type": "PTR", "value": "db.shop.internal"},
    ]
    config = load(dns={"zone": "shop.internal", "records": records})
    assert config.dns is not None
    assert [r.effective_priority for r in config.dns.records] == [
        None,
        None,
        None,
        None,
        1,
        None,
        None,
        None,
    ]
    assert config.dns.fqdn("@") == "shop.internal"


def test_problems_of_both_sections_are_reported_together() -> None:
    assert problems_of(
        ingress={"kind": "alb", "https": {}},
        dns={"zone": "Shop.internal"},
    ) == [
        "ask:platform.ingress.https.certificateIds: HTTPS needs at least one certificate id from Certificate Management Service (like 1234567-cn-hangzhou)",
        "ask:platform.dns.zone: 'Shop.internal' is not a zone name: use lowercase letters",
    ]


# --- exposure of apps (pure checks the apps config calls) ---------------------------------------


def alb(**fields: Any) -> IngressConfig:
    return IngressConfig.model_validate({"kind": "alb", **fields})


def app(index: int, name: str, namespace: str = "shop", **expose: Any) -> AppExposure:
    return AppExposure(f".apps[{index}]", name, namespace, ExposeConfig.model_validate(expose))


@pytest.mark.parametrize(
    ("expose", "message"),
    [
        (
            {"host": "Shop.example.com"},
            "'Shop.example.com' is not a host name: use lowercase letters",
        ),
        (
            {"host": "shop..example.com"},
            "'shop..example.com' is not a host name: each label takes lowercase letters, digits and '-', and starts and ends with a letter or digit",
        ),
        (
            {"host": "-shop.example.com"},
            "'-shop.example.com' is not a host name: each label takes lowercase letters, digits and '-', and starts and ends with a letter or digit",
        ),
        ({"path": "api"}, "'api' is not a path: start it with '/', no spaces"),
        ({"path": "/a b"}, "'/a b' is not a path: start it with '/', no spaces"),
    ],
)
def test_expose_config_rules(expose: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="1 validation error") as caught:
        ExposeConfig.model_validate(expose)
    assert message in str(caught.value)


def test_expose_defaults_and_wildcards() -> None:
    expose = ExposeConfig()
    assert (expose.host, expose.path, expose.public) == (None, "/", None)
    assert ExposeConfig.model_validate({"host": "*.shop.example.com"}).host == "*.shop.example.com"


def test_app_hosts() -> None:
    expose = ExposeConfig.model_validate({"host": "shop.example.com"})
    assert app_hosts("web", expose, "shop.internal") == ("shop.example.com", "web.shop.internal")
    assert app_hosts("web", expose, None) == ("shop.example.com",)
    assert app_hosts("web", ExposeConfig(), "shop.internal") == ("web.shop.internal",)
    assert app_hosts("web", ExposeConfig(), None) == (None,)


@pytest.mark.parametrize(
    ("ingress", "apps", "zone", "expected"),
    [
        (
            IngressConfig(),
            [app(0, "web")],
            None,
            [
                (
                    ".apps[0].expose",
                    "the app is exposed but ask:platform.ingress.kind is none; set it to alb or clb",
                )
            ],
        ),
        (
            alb(),
            [app(0, "web", public=True)],
            None,
            [
                (
                    ".apps[0].expose.public",
                    "true, but the ingress is intranet (ask:platform.ingress.public: false); make the ingress public or drop public from the app",
                )
            ],
        ),
        (
            alb(public=True),
            [app(0, "web", public=False)],
            None,
            [
                (
                    ".apps[0].expose.public",
                    "false, but the one ALB is Internet-facing (ask:platform.ingress.public: true), so the app would be public all the same",
                )
            ],
        ),
        (
            IngressConfig.model_validate({"kind": "clb", "public": True}),
            [app(0, "web", public=False)],
            None,
            [],
        ),
        (
            IngressConfig.model_validate({"kind": "clb"}),
            [app(0, "web", path="/api")],
            None,
            [
                (
                    ".apps[0].expose.path",
                    "/api: a CLB forwards every path (kind clb gives each app its own CLB); use kind alb to route by path",
                )
            ],
        ),
        (
            alb(),
            [
                app(0, "aliyun-web", host="a.example.com"),
                app(1, "web", namespace="aliyun-system", host="b.example.com"),
            ],
            None,
            [
                (
                    ".apps[0]",
                    "the name aliyun-web starts with 'aliyun', which ALB Ingress reserves; rename it",
                ),
                (
                    ".apps[1].namespace",
                    "the namespace aliyun-system starts with 'aliyun', which ALB Ingress reserves; rename it",
                ),
            ],
        ),
        (
            alb(),
            [
                app(0, "web", host="shop.example.com", path="/api"),
                app(1, "api", host="shop.example.com", path="/api/"),
            ],
            None,
            [
                (
                    ".apps[1].expose",
                    "host shop.example.com and path /api/ are already claimed by ask:platform.apps[0]",
                )
            ],
        ),
        (
            alb(),
            [
                app(0, "web", host="shop.example.com"),
                app(1, "api", host="shop.example.com", path="/api"),
            ],
            None,
            [],
        ),
        (
            alb(),
            [app(0, "web"), app(1, "api")],
            None,
            [
                (
                    ".apps[1].expose",
                    "any host and path / are already claimed by ask:platform.apps[0]",
                )
            ],
        ),
        (alb(), [app(0, "web"), app(1, "api")], "shop.internal", []),
        (
            alb(),
            [app(0, "web", namespace="a"), app(1, "web", namespace="b")],
            "shop.internal",
            [
                (
                    ".apps[1].expose",
                    "host web.shop.internal and path / are already claimed by ask:platform.apps[0]",
                )
            ],
        ),
        # CLB gives each app its own address: host and path are not shared ...
        (IngressConfig.model_validate({"kind": "clb"}), [app(0, "web"), app(1, "api")], None, []),
        # ... nor its private name (on ALB one name may serve apps on different paths).
        (
            IngressConfig.model_validate({"kind": "clb"}),
            [app(0, "web", namespace="a"), app(1, "web", namespace="b")],
            "shop.internal",
            [
                (
                    ".apps[1].name",
                    "web.shop.internal already names ask:platform.apps[0]; each CLB-exposed app needs a name of its own in the private zone",
                )
            ],
        ),
        (
            alb(),
            [app(0, "web", namespace="a", path="/a"), app(1, "web", namespace="b", path="/b")],
            "shop.internal",
            [],
        ),
    ],
)
def test_exposure_problems(
    ingress: IngressConfig,
    apps: list[AppExposure],
    zone: str | None,
    expected: list[tuple[str, str]],
) -> None:
    assert exposure_problems(ingress, apps, zone=zone) == expected


def test_route_conflicts_name_the_later_app_once_per_clash() -> None:
    routes = [
        (".apps[0]", "a.example.com", "/"),
        (".apps[0]", "a.shop.internal", "/"),
        (".apps[1]", "a.example.com", "/"),
        (".apps[2]", "a.example.com", "/"),
        (".apps[2]", None, "/"),
        (".apps[3]", None, "/"),
    ]
    assert route_conflicts(routes) == [
        (
            ".apps[1].expose",
            "host a.example.com and path / are already claimed by ask:platform.apps[0]",
        ),
        (
            ".apps[2].expose",
            "host a.example.com and path / are already claimed by ask:platform.apps[0]",
        ),
        (".apps[3].expose", "any host and path / are already claimed by ask:platform.apps[2]"),
    ]


_hosts = st.sampled_from([None, "a.example.com", "b.example.com", "a.shop.internal"])
_paths = st.sampled_from(["/", "/api", "/api/", "/web"])


@given(st.lists(st.tuples(_hosts, _paths), max_size=12))
def test_route_conflicts_one_per_route_beyond_the_first_claim(
    claims: list[tuple[str | None, str]],
) -> None:
    routes = [(f".apps[{i}]", host, path) for i, (host, path) in enumerate(claims)]
    distinct = {(host, path.rstrip("/") or "/") for host, path in claims}
    problems = route_conflicts(routes)
    assert len(problems) == len(claims) - len(distinct)
    assert len({path for path, _ in problems}) == len(problems)


def test_the_local_target_takes_an_alb_and_a_private_zone() -> None:
    values = platform_values(ingress={"kind": "alb"}, dns={"zone": "shop.internal"})
    values["ask:target"] = "local"
    # No addon list is needed on kind: the ALB is served by ingress-nginx.
    values["ask:platform"]["cluster"] = {"addons": [{"name": "metrics-server"}]}
    config = load_platform_config(values, stack="local")
    assert (config.ingress.kind, config.dns.zone if config.dns else None) == (
        "alb",
        "shop.internal",
    )


def test_the_local_target_refuses_clb_and_an_access_log_before_anything_is_built() -> None:
    values = platform_values(ingress={"kind": "clb"})
    values["ask:target"] = "local"
    with pytest.raises(ConfigError) as caught:
        load_platform_config(values, stack="local")
    assert [str(p) for p in caught.value.problems] == [
        "ask:platform.ingress.kind: clb ingress needs Alibaba's cloud controller, which a kind cluster does not run (ask:target is local); use kind alb (served by ingress-nginx) or none",
    ]
    values["ask:platform"]["ingress"] = {
        "kind": "alb",
        "accessLog": {"project": "shop-logs", "store": "alb-access"},
    }
    values["ask:platform"]["network"]["zones"] = ["cn-hangzhou-i"]
    with pytest.raises(ConfigError) as caught:
        load_platform_config(values, stack="local")
    assert [str(p) for p in caught.value.problems] == [
        "ask:platform.ingress.accessLog: SLS does not exist on the local target; remove accessLog from this stack (ingress-nginx logs every request: kubectl logs -n ingress-nginx)",
        "ask:platform.network.zones: ALB needs at least 2 zones, got 1 (cn-hangzhou-i); add a zone (the sandbox ALB refuses one zone, as Alibaba's does)",
    ]


# --- exposure through the apps config ---------------------------------------------------------


def web_app(name: str = "web", **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "image": "registry.cn-hangzhou.aliyuncs.com/shop/web:1.0",
        "cpu": "0.5",
        "memory": "1Gi",
        **fields,
    }


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        (
            {"workloads": {"apps": [web_app(expose={"host": "shop.example.com"})]}},
            [
                "ask:platform.workloads.apps[0].expose: the app is exposed but ask:platform.ingress.kind is none; set it to alb or clb"
            ],
        ),
        (
            {"ingress": {"kind": "alb"}, "workloads": {"apps": [web_app(expose={"public": True})]}},
            [
                "ask:platform.workloads.apps[0].expose.public: true, but the ingress is intranet (ask:platform.ingress.public: false); make the ingress public or drop public from the app"
            ],
        ),
        (
            {
                "ingress": {"kind": "alb"},
                "workloads": {"apps": [web_app(expose={}), web_app("api", expose={})]},
            },
            [
                "ask:platform.workloads.apps[1].expose: any host and path / are already claimed by ask:platform.workloads.apps[0]"
            ],
        ),
        (
            {
                "ingress": {"kind": "alb"},
                "dns": {
                    "zone": "shop.internal",
                    "records": [{"rr": "web", "type": "A", "value": "10.0.0.9"}],
                },
                "workloads": {"apps": [web_app(expose={})]},
            },
            [
                "ask:platform.workloads.apps[0].name: web already has a A record (records[0]); a CNAME cannot share its name with any other record"
            ],
        ),
        (
            {
                "ingress": {"kind": "clb"},
                "dns": {
                    "zone": "shop.internal",
                    "records": [{"rr": "web", "type": "CNAME", "value": "x.example.com"}],
                },
                "workloads": {"apps": [web_app(expose={})]},
            },
            [
                "ask:platform.workloads.apps[0].name: web already has a CNAME record (records[0]); a CNAME cannot share its name with any other record"
            ],
        ),
        (
            {
                "ingress": {"kind": "clb"},
                "workloads": {
                    "apps": [web_app(expose={"path": "/api", "host": "Api.example.com"})]
                },
            },
            [
                "ask:platform.workloads.apps[0].expose.host: 'Api.example.com' is not a host name: use lowercase letters"
            ],
        ),
    ],
)
def test_app_exposure_rules(platform: dict[str, Any], expected: list[str]) -> None:
    assert problems_of(**platform) == expected


def test_exposed_apps_use_the_shared_namespace_by_default() -> None:
    config = load(
        ingress={"kind": "clb"}, workloads={"apps": [web_app(expose={}), web_app("batchy")]}
    )
    assert [(a.name, a.namespace, a.expose) for a in config.exposed_apps()] == [
        ("web", "shop", ExposeConfig())
    ]


# --- an app's own ALB annotations (expose.annotations) -----------------------------------------

A = "alb.ingress.kubernetes.io/"
EXPOSE = "ask:platform.workloads.apps[0].expose"


def annotated(annotations: Any, kind: str = "alb") -> list[str]:
    return problems_of(
        ingress={"kind": kind},
        workloads={"apps": [web_app(expose={"annotations": annotations})]},
    )


def test_an_app_may_add_alb_annotations_as_strings() -> None:
    given = {
        A + "canary": "true",
        A + "canary-weight": " 20 ",
        A + "rewrite-target": "/v2/${1}",
        A + "actions.web": '[{"type": "FixedResponse"}]',
        A + "healthy-threshold-count": "2",
    }
    # A canary beside its main app on the same route (any host, /).
    config = load(
        ingress={"kind": "alb"},
        workloads={
            "apps": [web_app("web-next", expose={"annotations": given}), web_app(expose={})]
        },
    )
    expose = config.workloads.apps[0].expose
    assert expose is not None
    assert expose.annotations == {**given, A + "canary-weight": "20"}
    assert ExposeConfig().annotations == {}


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        (
            {A + "canary-weight": 50},
            f"{EXPOSE}.annotations.{A}canary-weight: annotation values are strings: quote it "
            "('50'), got 50",
        ),
        (
            {A + "canary": True},
            f"{EXPOSE}.annotations.{A}canary: annotation values are strings: quote it ('true'), "
            "got True",
        ),
        (
            {"nginx.ingress.kubernetes.io/canary": "true"},
            f"{EXPOSE}.annotations.nginx.ingress.kubernetes.io/canary: "
            "'nginx.ingress.kubernetes.io/canary' is not an ALB annotation: the key must start "
            f"with {A}",
        ),
        (
            {A + "bad name": "x"},
            f"{EXPOSE}.annotations.{A}bad name: '{A}bad name' is not an annotation name: after "
            f"{A} come 1-63 letters, digits, '-', '_' and '.', starting and ending with a letter "
            "or digit",
        ),
        (
            {A + "x" * 64: "x"},
            f"{EXPOSE}.annotations.{A}{'x' * 64}: '{A}{'x' * 64}' is not an annotation name: "
            f"after {A} come 1-63 letters, digits, '-', '_' and '.', starting and ending with a "
            "letter or digit",
        ),
        (
            {A + "listen-ports": '[{"HTTP": 8080}]'},
            f"{EXPOSE}.annotations.{A}listen-ports: cannot be set by an app: ask-components sets "
            "it from ask:platform.ingress.https (HTTP on 80, HTTPS on 443 with certificates), "
            "so that it always names the AlbConfig's listeners; remove it",
        ),
        (
            {A + "ssl-redirect": "false"},
            f"{EXPOSE}.annotations.{A}ssl-redirect: cannot be set by an app: ask-components sets "
            "it from ask:platform.ingress.https.redirectHttp; remove it",
        ),
        (
            {A + "healthcheck-path": "/ping"},
            f"{EXPOSE}.annotations.{A}healthcheck-path: cannot be set by an app: ask-components "
            "sets the health check from the app's readiness probe (its path and port); remove it",
        ),
        (
            {A + "canary-weight": "120"},
            f"{EXPOSE}.annotations.{A}canary-weight: 120 is out of range (0 to 100)",
        ),
        (
            {A + "enable-cors": "yes"},
            f"{EXPOSE}.annotations.{A}enable-cors: 'yes' is not a boolean: use 'true' or 'false'",
        ),
        (
            {A + "rewrite-target": "/${4}"},
            f"{EXPOSE}.annotations.{A}rewrite-target: '/${{4}}' uses ${{4}}: an ALB rewrite takes "
            "${1} to ${3} only",
        ),
        (
            ["canary"],
            f"{EXPOSE}.annotations: Input should be a valid dictionary (got ['canary'])",
        ),
    ],
)
def test_alb_annotation_rules(annotations: Any, expected: str) -> None:
    assert annotated(annotations) == [expected]


def test_every_bad_annotation_is_reported_at_once() -> None:
    assert annotated({A + "canary": "on", A + "listen-ports": "[]", A + "order": "2"}) == [
        f"{EXPOSE}.annotations.{A}canary: 'on' is not a boolean: use 'true' or 'false'",
        f"{EXPOSE}.annotations.{A}listen-ports: cannot be set by an app: ask-components sets it "
        "from ask:platform.ingress.https (HTTP on 80, HTTPS on 443 with certificates), so that "
        "it always names the AlbConfig's listeners; remove it",
    ]


def test_alb_annotations_are_refused_on_clb() -> None:
    assert annotated({A + "canary": "true"}, kind="clb") == [
        f"{EXPOSE}.annotations: ALB annotations apply to kind alb only (kind is clb, which gives "
        "each app its own CLB); remove them or use kind alb"
    ]
    clb = IngressConfig(kind="clb")
    assert exposure_problems(clb, [app(0, "web", annotations={A + "order": "2"})]) == [
        (
            ".apps[0].expose.annotations",
            "ALB annotations apply to kind alb only (kind is clb, which gives each app its own "
            "CLB); remove them or use kind alb",
        )
    ]
    assert exposure_problems(clb, [app(0, "web", annotations={})]) == []
    assert exposure_problems(alb(), [app(0, "web", annotations={A + "order": "2"})]) == []


def test_a_canary_app_shares_the_route_of_its_main_app() -> None:
    routes = [
        (".apps[0]", "a.example.com", "/"),
        (".apps[1]", "a.example.com", "/"),
        (".apps[2]", "a.example.com", "/"),
        (".apps[3]", "a.example.com", "/"),
    ]
    assert route_conflicts(routes, canaries=[".apps[1]", ".apps[3]"]) == [
        (
            ".apps[2].expose",
            "host a.example.com and path / are already claimed by ask:platform.apps[0]",
        ),
        (
            ".apps[3].expose",
            "host a.example.com and path / are already claimed by ask:platform.apps[1]",
        ),
    ]
    canary = {A + "canary": "true", A + "canary-weight": "20"}
    config = load(
        ingress={"kind": "alb"},
        workloads={
            "apps": [
                web_app(expose={"host": "shop.example.com"}),
                web_app("web-next", expose={"host": "shop.example.com", "annotations": canary}),
            ]
        },
    )
    assert [app.expose.canary for app in config.workloads.apps if app.expose] == [False, True]
    assert ExposeConfig.model_validate({"annotations": {A + "canary": "false"}}).canary is False


def test_a_canary_without_a_main_app_on_its_route_is_refused() -> None:
    canary = {A + "canary": "true", A + "canary-weight": "20"}
    assert problems_of(
        ingress={"kind": "alb"},
        dns={"zone": "shop.internal"},
        workloads={
            "apps": [
                web_app(expose={"host": "shop.example.com"}),
                web_app("web-next", expose={"host": "shop.example.com", "annotations": canary}),
                web_app("api-next", expose={"path": "/api", "annotations": canary}),
            ]
        },
    ) == [
        "ask:platform.workloads.apps[2].expose: a canary needs a main app on any host and path "
        "/api: ALB and ingress-nginx split traffic only between a canary Ingress and a main one "
        "for the same host and path; give it the main app's host and path"
    ]


def test_a_canary_answers_only_on_its_host_and_has_no_name_in_the_zone() -> None:
    canary = ExposeConfig.model_validate(
        {"host": "web.shop.internal", "annotations": {A + "canary": "true"}}
    )
    main = ExposeConfig.model_validate({"host": "shop.example.com"})
    assert app_hosts("web-next", canary, "shop.internal") == ("web.shop.internal",)
    assert app_hosts("web", main, "shop.internal") == ("shop.example.com", "web.shop.internal")
    # The canary may name its main app's private name as its host: the routes then match.
    config = load(
        ingress={"kind": "alb"},
        dns={"zone": "shop.internal"},
        workloads={
            "apps": [
                web_app("web-next", expose=canary.model_dump(by_alias=True, exclude_unset=True)),
                web_app(expose={"host": "shop.example.com"}),
            ]
        },
    )
    assert [app.expose.canary for app in config.workloads.apps if app.expose] == [True, False]
