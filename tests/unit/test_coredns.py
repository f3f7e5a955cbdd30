"""CoreDNS server blocks for private zones, and the marked Corefile edit: exact text, what a pod
would get (through a model of the Corefile lexer and the template plugin), and refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.dns.coredns import (
    LocalZone,
    coredns_configmap,
    find_block,
    owner_token,
    patch_corefile,
    server_blocks,
    unpatch_corefile,
)
from ask_components.dns.records import DnsRecord
from ask_components.manifests import validate_manifest
from tests.kubefake import KIND_COREFILE, live_configmap
from tests.unit.corefile_sim import FORWARDED, Answer, parse, query, txt_text

ALB = "alb-0123456789abcdefghij.cn-hangzhou.alb.aliyuncsslb.com"
INGRESS_IP = "10.96.100.7"
SOA = "shop.internal. 30 IN SOA ns.shop.internal. hostmaster.shop.internal. 1 3600 600 86400 30"

SHOP = LocalZone(
    "shop.internal",
    (
        DnsRecord("web", "CNAME", ALB, key="app-web"),
        DnsRecord("db", "CNAME", "rm-shop.mysql.rds.aliyuncs.com"),
        DnsRecord("@", "TXT", "owner=platform-team", 300),
        DnsRecord("@", "MX", "mx.shop.internal", 300, 10),
        DnsRecord("mx", "A", "10.20.0.9"),
        DnsRecord("*", "A", "10.20.0.10"),
        DnsRecord("_sip._tcp", "SRV", "1 10 5060 sip.shop.internal"),
        DnsRecord("api", "CNAME", "web.shop.internal"),
    ),
)

SHOP_BLOCK = r"""shop.internal:53 {
    errors
    loadbalance
    template IN SRV {
        match "^_sip\._tcp\.shop\.internal\.$"
        answer "_sip._tcp.shop.internal. 60 IN SRV 1 10 5060 sip.shop.internal."
        fallthrough
    }
    template IN A {
        match "^api\.shop\.internal\.$"
        answer "api.shop.internal. 60 IN A 10.96.100.7"
        fallthrough
    }
    template IN CNAME {
        match "^api\.shop\.internal\.$"
        answer "api.shop.internal. 60 IN CNAME web.shop.internal."
        fallthrough
    }
    template IN ANY {
        match "^db\.shop\.internal\.$"
        answer "db.shop.internal. 60 IN CNAME rm-shop.mysql.rds.aliyuncs.com."
        fallthrough
    }
    template IN A {
        match "^mx\.shop\.internal\.$"
        answer "mx.shop.internal. 60 IN A 10.20.0.9"
        fallthrough
    }
    template IN MX {
        match "^shop\.internal\.$"
        answer "shop.internal. 300 IN MX 10 mx.shop.internal."
        fallthrough
    }
    template IN TXT {
        match "^shop\.internal\.$"
        answer "shop.internal. 300 IN TXT \"owner=platform-team\""
        fallthrough
    }
    template IN A {
        match "^web\.shop\.internal\.$"
        answer "web.shop.internal. 60 IN A 10.96.100.7"
        fallthrough
    }
    template IN CNAME {
        match "^web\.shop\.internal\.$"
        answer "web.shop.internal. 60 IN CNAME alb-0123456789abcdefghij.cn-hangzhou.alb.aliyuncsslb.com."
        fallthrough
    }
    template IN SOA {
        match "^shop\.internal\.$"
        answer "shop.internal. 30 IN SOA ns.shop.internal. hostmaster.shop.internal. 1 3600 600 86400 30"
        fallthrough
    }
    template IN ANY {
        match "^_sip\._tcp\.shop\.internal\.$"
        match "^_tcp\.shop\.internal\.$"
        match "^api\.shop\.internal\.$"
        match "^db\.shop\.internal\.$"
        match "^mx\.shop\.internal\.$"
        match "^shop\.internal\.$"
        match "^web\.shop\.internal\.$"
        authority "shop.internal. 30 IN SOA ns.shop.internal. hostmaster.shop.internal. 1 3600 600 86400 30"
        rcode NOERROR
        fallthrough
    }
    template IN ANY {
        match "^(?:[^.]+\.)+(?:_tcp|api|db|mx|web)\.shop\.internal\.$"
        authority "shop.internal. 30 IN SOA ns.shop.internal. hostmaster.shop.internal. 1 3600 600 86400 30"
        rcode NXDOMAIN
        fallthrough
    }
    template IN A {
        match "^(?:[^.]+\.)+shop\.internal\.$"
        answer "{{ .Name }} 60 IN A 10.20.0.10"
        fallthrough
    }
    template IN ANY {
        match "^(?:[^.]+\.)+shop\.internal\.$"
        authority "shop.internal. 30 IN SOA ns.shop.internal. hostmaster.shop.internal. 1 3600 600 86400 30"
        rcode NOERROR
        fallthrough
    }
    template IN ANY {
        authority "shop.internal. 30 IN SOA ns.shop.internal. hostmaster.shop.internal. 1 3600 600 86400 30"
        rcode NXDOMAIN
    }
}
"""


def shop_blocks() -> str:
    return server_blocks([SHOP], {ALB: INGRESS_IP})


def test_the_server_block_of_a_zone_exactly() -> None:
    assert shop_blocks() == SHOP_BLOCK


def test_the_output_does_not_depend_on_the_order_of_records_or_zones() -> None:
    other = LocalZone("corp.internal", (DnsRecord("git", "A", "10.30.0.5"),))
    reordered = LocalZone(SHOP.name, tuple(reversed(SHOP.records)))
    assert server_blocks([reordered, other], {ALB: INGRESS_IP}) == server_blocks(
        [other, SHOP], {ALB: INGRESS_IP}
    )
    # One block per zone, sorted, an empty line apart.
    text = server_blocks([SHOP, other], {ALB: INGRESS_IP})
    assert text.startswith("corp.internal:53 {\n")
    assert "}\n\nshop.internal:53 {\n" in text
    assert text.endswith(SHOP_BLOCK)


def test_no_zones_render_nothing() -> None:
    assert server_blocks([], {}) == ""


def A(name: str, ip: str, ttl: int = 60) -> str:
    return f"{name}. {ttl} IN A {ip}"


NXDOMAIN = Answer("NXDOMAIN", (), (SOA,))
NODATA = Answer("NOERROR", (), (SOA,))


@pytest.mark.parametrize(
    ("name", "qtype", "expected"),
    [
        # A CNAME to the ALB is flattened: getaddrinfo gets the ingress address directly.
        ("web.shop.internal", "A", Answer("NOERROR", (A("web.shop.internal", INGRESS_IP),))),
        ("WEB.Shop.Internal", "A", Answer("NOERROR", (A("web.shop.internal", INGRESS_IP),))),
        # ... through a chain inside the zone too.
        ("api.shop.internal", "A", Answer("NOERROR", (A("api.shop.internal", INGRESS_IP),))),
        (
            "web.shop.internal",
            "CNAME",
            Answer("NOERROR", (f"web.shop.internal. 60 IN CNAME {ALB}.",)),
        ),
        ("web.shop.internal", "AAAA", NODATA),
        ("web.shop.internal", "TXT", NODATA),
        # A CNAME to a name nobody here knows is answered as written, for every type.
        (
            "db.shop.internal",
            "A",
            Answer("NOERROR", ("db.shop.internal. 60 IN CNAME rm-shop.mysql.rds.aliyuncs.com.",)),
        ),
        (
            "db.shop.internal",
            "TXT",
            Answer("NOERROR", ("db.shop.internal. 60 IN CNAME rm-shop.mysql.rds.aliyuncs.com.",)),
        ),
        ("mx.shop.internal", "A", Answer("NOERROR", (A("mx.shop.internal", "10.20.0.9"),))),
        ("mx.shop.internal", "AAAA", NODATA),
        (
            "shop.internal",
            "MX",
            Answer("NOERROR", ("shop.internal. 300 IN MX 10 mx.shop.internal.",)),
        ),
        (
            "shop.internal",
            "TXT",
            Answer("NOERROR", ('shop.internal. 300 IN TXT "owner=platform-team"',)),
        ),
        ("shop.internal", "SOA", Answer("NOERROR", (SOA,))),
        ("shop.internal", "A", NODATA),
        (
            "_sip._tcp.shop.internal",
            "SRV",
            Answer("NOERROR", ("_sip._tcp.shop.internal. 60 IN SRV 1 10 5060 sip.shop.internal.",)),
        ),
        # An empty non-terminal exists: NODATA, and the wildcard does not answer for it.
        ("_tcp.shop.internal", "A", NODATA),
        # The wildcard answers any other name of the zone, under the name asked ...
        (
            "anything.shop.internal",
            "A",
            Answer("NOERROR", (A("anything.shop.internal", "10.20.0.10"),)),
        ),
        ("a.b.shop.internal", "A", Answer("NOERROR", (A("a.b.shop.internal", "10.20.0.10"),))),
        ("anything.shop.internal", "TXT", NODATA),
        # ... but not below a name that exists (RFC 4592: the closest encloser is that name).
        ("x.mx.shop.internal", "A", NXDOMAIN),
        ("x._tcp.shop.internal", "A", NXDOMAIN),
        # Other names go to kind's own server block.
        ("example.com", "A", FORWARDED),
        ("kubernetes.default.svc.cluster.local", "A", FORWARDED),
    ],
)
def test_what_a_pod_gets(name: str, qtype: str, expected: Answer) -> None:
    corefile = patch_corefile(KIND_COREFILE, "shop.internal/dns", shop_blocks())
    assert query(corefile, name, qtype) == expected


def test_without_a_wildcard_unknown_names_do_not_exist() -> None:
    zone = LocalZone("corp.internal", (DnsRecord("git", "A", "10.30.0.5", 120),))
    blocks = server_blocks([zone], {})
    soa = "corp.internal. 30 IN SOA ns.corp.internal. hostmaster.corp.internal. 1 3600 600 86400 30"
    assert query(blocks, "git.corp.internal", "A") == Answer(
        "NOERROR", ("git.corp.internal. 120 IN A 10.30.0.5",)
    )
    assert query(blocks, "nope.corp.internal", "A") == Answer("NXDOMAIN", (), (soa,))
    assert query(blocks, "x.git.corp.internal", "A") == Answer("NXDOMAIN", (), (soa,))
    assert query(blocks, "corp.internal", "A") == Answer("NOERROR", (), (soa,))


def test_a_deeper_wildcard_wins_below_its_parent_and_wildcards_flatten() -> None:
    zone = LocalZone(
        "shop.internal",
        (
            DnsRecord("*", "CNAME", "web.shop.internal"),
            DnsRecord("*.dev", "A", "10.20.1.1"),
            DnsRecord("web", "A", "10.20.0.5"),
            DnsRecord("web", "A", "10.20.0.6", ttl=30),
        ),
    )
    blocks = server_blocks([zone], {})
    assert query(blocks, "web.shop.internal", "A") == Answer(
        "NOERROR", ("web.shop.internal. 60 IN A 10.20.0.5", "web.shop.internal. 30 IN A 10.20.0.6")
    )
    # A wildcard CNAME is flattened too, with the shortest TTL along the way.
    assert query(blocks, "shop-api.shop.internal", "A") == Answer(
        "NOERROR",
        ("shop-api.shop.internal. 30 IN A 10.20.0.5", "shop-api.shop.internal. 30 IN A 10.20.0.6"),
    )
    assert query(blocks, "x.dev.shop.internal", "A") == Answer(
        "NOERROR", ("x.dev.shop.internal. 60 IN A 10.20.1.1",)
    )
    # dev exists (the wildcard's parent): it is not a wildcard name itself.
    assert query(blocks, "dev.shop.internal", "A").rcode == "NOERROR"
    assert query(blocks, "dev.shop.internal", "A").answer == ()


def test_a_cname_across_zones_is_flattened_and_a_chain_to_the_outside_is_answered_whole() -> None:
    shop = LocalZone(
        "shop.internal",
        (
            DnsRecord("git", "CNAME", "git.corp.internal"),
            DnsRecord("docs", "CNAME", "wiki.corp.internal"),
        ),
    )
    corp = LocalZone(
        "corp.internal",
        (
            DnsRecord("git", "A", "10.30.0.5", 300),
            DnsRecord("wiki", "CNAME", "corp-wiki.example.com", 600),
        ),
    )
    blocks = server_blocks([shop, corp], {})
    assert query(blocks, "git.shop.internal", "A") == Answer(
        "NOERROR", ("git.shop.internal. 60 IN A 10.30.0.5",)
    )
    assert query(blocks, "docs.shop.internal", "A") == Answer(
        "NOERROR",
        (
            "docs.shop.internal. 60 IN CNAME wiki.corp.internal.",
            "wiki.corp.internal. 600 IN CNAME corp-wiki.example.com.",
        ),
    )
    assert query(blocks, "docs.shop.internal", "CNAME") == Answer(
        "NOERROR", ("docs.shop.internal. 60 IN CNAME wiki.corp.internal.",)
    )


def test_a_nested_zone_has_its_own_block() -> None:
    outer = LocalZone("internal", (DnsRecord("*", "A", "10.0.0.1"),))
    inner = LocalZone("shop.internal", (DnsRecord("www", "A", "10.0.0.2"),))
    blocks = server_blocks([outer, inner], {})
    assert query(blocks, "www.shop.internal", "A").answer == (
        "www.shop.internal. 60 IN A 10.0.0.2",
    )
    assert query(blocks, "nope.shop.internal", "A").rcode == "NXDOMAIN"
    assert query(blocks, "other.internal", "A").answer == ("other.internal. 60 IN A 10.0.0.1",)


@given(st.text(min_size=1, max_size=700))
def test_any_txt_text_survives_the_corefile_the_template_and_the_zone_file(text: str) -> None:
    zone = LocalZone("shop.internal", (DnsRecord("@", "TXT", text),))
    blocks = server_blocks([zone], {})
    parse(blocks)  # balanced braces, no environment reference in any token
    [record] = query(blocks, "shop.internal", "TXT").answer
    assert txt_text(record) == text


def test_txt_text_is_escaped_not_passed_through() -> None:
    text = 'a "quote" \\ {$HOME} {%PATH%} {{ .Name }} }\nnext line ü'
    blocks = server_blocks([LocalZone("shop.internal", (DnsRecord("@", "TXT", text),))], {})
    line = next(line for line in blocks.splitlines() if "answer" in line and "IN TXT" in line)
    assert line == (
        r'        answer "shop.internal. 60 IN TXT \"a \034quote\034 \092 \123$HOME\125 '
        r'\123%PATH%\125 \123\123 .Name \125\125 \125\010next line \195\188\""'
    )


def test_long_txt_text_is_split_into_255_byte_strings() -> None:
    blocks = server_blocks([LocalZone("shop.internal", (DnsRecord("@", "TXT", "x" * 300),))], {})
    [record] = query(blocks, "shop.internal", "TXT").answer
    assert record == f'shop.internal. 60 IN TXT "{"x" * 255}" "{"x" * 45}"'


@pytest.mark.parametrize(
    ("zones", "addresses", "message"),
    [
        (
            [
                LocalZone(
                    "shop.internal",
                    (
                        DnsRecord("a", "CNAME", "b.shop.internal"),
                        DnsRecord("b", "CNAME", "a.shop.internal"),
                    ),
                )
            ],
            {},
            "CNAME loop: a.shop.internal -> b.shop.internal -> a.shop.internal",
        ),
        (
            [LocalZone("shop.internal", (DnsRecord("a", "CNAME", "a.shop.internal"),))],
            {},
            "CNAME loop: a.shop.internal -> a.shop.internal",
        ),
        (
            # The wildcard answers for its own target: a loop through a synthesised name.
            [LocalZone("shop.internal", (DnsRecord("*", "CNAME", "x.shop.internal"),))],
            {},
            r"CNAME loop: \*.shop.internal -> x.shop.internal -> x.shop.internal",
        ),
        (
            [
                LocalZone(
                    "shop.internal",
                    (
                        DnsRecord("www", "CNAME", "web.example.com"),
                        DnsRecord("www", "A", "10.0.0.1"),
                    ),
                )
            ],
            {},
            r"www.shop.internal has a CNAME beside other records \(A 10.0.0.1, CNAME web.example.com\): "
            r"a name with a CNAME has no other data \(RFC 1034 section 3.6.2\)",
        ),
        (
            [
                LocalZone(
                    "shop.internal",
                    (
                        DnsRecord("www", "CNAME", "a.example.com"),
                        DnsRecord("www", "CNAME", "b.example.com"),
                    ),
                )
            ],
            {},
            "www.shop.internal has a CNAME beside other records",
        ),
        (
            [
                LocalZone(
                    "shop.internal",
                    (DnsRecord("www", "A", "10.0.0.1"), DnsRecord("www", "A", "10.0.0.1")),
                )
            ],
            {},
            "www.shop.internal: the record A 10.0.0.1 is given twice",
        ),
        (
            [LocalZone("shop.internal", (DnsRecord("www", "A", "10.0.0.300"),))],
            {},
            r"www.shop.internal \(A '10.0.0.300'\): '10.0.0.300' is not an IPv4 address",
        ),
        (
            [LocalZone("shop.internal", (DnsRecord("www", "CNAME", 'x" } {$HOME}'),))],
            {},
            r"www.shop.internal \(CNAME 'x\" } {\$HOME}'\): 'x\" } {\$HOME}' is not a name",
        ),
        (
            [LocalZone("shop.internal", (DnsRecord("www", "A", "10.0.0.1", priority=5),))],
            {},
            r"www.shop.internal \(A '10.0.0.1'\): only MX records take a priority",
        ),
        (
            [LocalZone("shop.internal", (DnsRecord("www", "A", "10.0.0.1", ttl=0),))],
            {},
            r"www.shop.internal \(A '10.0.0.1'\): ttl 0 is not 1 to 86400 seconds",
        ),
        (
            [LocalZone("Shop.internal")],
            {},
            r"'Shop.internal' is not a zone name: use lowercase letters",
        ),
        (
            [LocalZone("shop.internal"), LocalZone("shop.internal")],
            {},
            "zone shop.internal is given twice",
        ),
        (
            [
                LocalZone("internal", (DnsRecord("www.shop", "A", "10.0.0.1"),)),
                LocalZone("shop.internal"),
            ],
            {},
            r"www.shop.internal \(www.shop in zone internal\) lies in zone shop.internal",
        ),
        (
            [LocalZone("shop.internal")],
            {"alb.shop.internal": "10.0.0.1"},
            "addresses: alb.shop.internal lies in zone shop.internal: give it an A record there instead",
        ),
        ([], {ALB: "not-an-ip"}, f"addresses: {ALB} -> 'not-an-ip' is not an IPv4 address"),
        ([], {"Bad Name": "10.0.0.1"}, "'Bad Name' is not a name of addresses"),
    ],
)
def test_what_cannot_be_served_is_refused_with_the_names(
    zones: list[LocalZone], addresses: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{message}"):
        server_blocks(zones, addresses)


def test_a_value_not_known_yet_is_refused() -> None:
    zone = LocalZone("shop.internal", (DnsRecord("www", "A", object()),))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="the value must be known"):
        server_blocks([zone], {})


# The marked section.

OWNER = "shop.internal/shop-local-dns"
BEGIN = f"# BEGIN ask-components {OWNER}"
END = f"# END ask-components {OWNER}"


def test_patching_appends_the_section_and_unpatching_restores_the_corefile() -> None:
    blocks = server_blocks([LocalZone("shop.internal", (DnsRecord("www", "A", "10.0.0.1"),))], {})
    patched = patch_corefile(KIND_COREFILE, OWNER, blocks)
    assert patched == f"{KIND_COREFILE}\n{BEGIN}\n{blocks}{END}\n"
    assert find_block(patched, OWNER) == blocks
    assert patch_corefile(patched, OWNER, blocks) == patched
    assert unpatch_corefile(patched, OWNER) == KIND_COREFILE
    assert unpatch_corefile(KIND_COREFILE, OWNER) == KIND_COREFILE
    assert find_block(KIND_COREFILE, OWNER) is None
    # The whole file still parses: kind's block first, then the zone's.
    assert [block.keys for block in parse(patched)] == [[".:53"], ["shop.internal:53"]]


def test_patching_again_replaces_the_section_in_place_and_leaves_other_owners_alone() -> None:
    first = server_blocks([LocalZone("shop.internal", (DnsRecord("www", "A", "10.0.0.1"),))], {})
    second = server_blocks([LocalZone("shop.internal", (DnsRecord("www", "A", "10.0.0.2"),))], {})
    corp = server_blocks([LocalZone("corp.internal", (DnsRecord("git", "A", "10.0.0.3"),))], {})
    ours = patch_corefile(KIND_COREFILE, OWNER, first)
    both = patch_corefile(ours, "corp.internal/dns", corp)
    updated = patch_corefile(both, OWNER, second)
    assert updated == (
        f"{KIND_COREFILE}\n{BEGIN}\n{second}{END}\n"
        f"\n# BEGIN ask-components corp.internal/dns\n{corp}# END ask-components corp.internal/dns\n"
    )
    assert unpatch_corefile(updated, OWNER) == patch_corefile(
        KIND_COREFILE, "corp.internal/dns", corp
    )
    assert unpatch_corefile(unpatch_corefile(updated, OWNER), "corp.internal/dns") == KIND_COREFILE


def test_a_corefile_without_a_final_newline_comes_back_the_same() -> None:
    corefile = KIND_COREFILE.rstrip("\n")
    patched = patch_corefile(corefile, OWNER, "")
    assert patched == f"{corefile}\n{BEGIN}\n{END}\n"
    assert unpatch_corefile(patched, OWNER) == corefile
    assert patch_corefile("", OWNER, "x:53 {\n}") == f"\n{BEGIN}\nx:53 {{\n}}\n{END}\n"
    assert unpatch_corefile(patch_corefile("", OWNER, "x:53 {\n}"), OWNER) == ""


corefile_texts = st.text(
    alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=300
)
owners = st.from_regex(r"[a-z0-9][a-z0-9./_-]{0,30}", fullmatch=True)


@given(corefile_texts, owners, st.sampled_from(["", "a.internal:53 {\n    errors\n}\n"]))
def test_unpatch_undoes_patch_byte_for_byte(corefile: str, owner: str, blocks: str) -> None:
    patched = patch_corefile(corefile, owner, blocks)
    assert patch_corefile(patched, owner, blocks) == patched
    assert find_block(patched, owner) == blocks
    assert unpatch_corefile(patched, owner) == corefile


@pytest.mark.parametrize(
    ("corefile", "message"),
    [
        (f"{KIND_COREFILE}{BEGIN}\nx\n", f"the Corefile has '{BEGIN}' without '{END}'"),
        (f"{KIND_COREFILE}x\n{END}\n", f"the Corefile has '{END}' without '{BEGIN}'"),
        (f"{KIND_COREFILE}{END}\n{BEGIN}\n", f"the Corefile has '{END}' before '{BEGIN}'"),
        (
            f"{BEGIN}\n{END}\n{BEGIN}\n{END}\n",
            f"the Corefile has the markers of {OWNER} more than once",
        ),
    ],
)
def test_a_marker_without_its_pair_is_refused(corefile: str, message: str) -> None:
    full = f"{message}: fix the Corefile by hand (kubectl -n kube-system edit configmap coredns)"
    for edit in (
        lambda: patch_corefile(corefile, OWNER, ""),
        lambda: unpatch_corefile(corefile, OWNER),
        lambda: find_block(corefile, OWNER),
    ):
        with pytest.raises(ValueError, match=r"^the Corefile has") as caught:
            edit()
        assert str(caught.value) == full


def test_other_owners_broken_markers_are_not_ours_to_judge() -> None:
    corefile = f"{KIND_COREFILE}# BEGIN ask-components someone-else\n"
    assert unpatch_corefile(patch_corefile(corefile, OWNER, ""), OWNER) == corefile


@pytest.mark.parametrize("owner", ["", "-x", "has space", "a#b", "x" * 201, 'q"uote', "a{b}"])
def test_the_owner_must_be_a_safe_token(owner: str) -> None:
    with pytest.raises(ValueError, match=r"^owner .* is not a safe token: 1-200 letters"):
        patch_corefile(KIND_COREFILE, owner, "")


def test_blocks_must_not_carry_markers_nor_serve_a_zone_served_elsewhere() -> None:
    with pytest.raises(ValueError, match=r"^the blocks must not hold a marker line"):
        patch_corefile(KIND_COREFILE, OWNER, "# END ask-components other\n")
    hand_written = KIND_COREFILE + "shop.internal {\n    whoami\n}\n"
    blocks = server_blocks([LocalZone("shop.internal")], {})
    with pytest.raises(
        ValueError,
        match=r"^the Corefile already serves shop.internal:53 in another server block: CoreDNS "
        r"refuses a Corefile with two blocks for one zone and port$",
    ):
        patch_corefile(hand_written, OWNER, blocks)
    other = patch_corefile(KIND_COREFILE, "someone-else", blocks)
    with pytest.raises(ValueError, match=r"already serves shop\.internal:53"):
        patch_corefile(other, OWNER, blocks)


def test_owner_token_from_zone_and_component_name() -> None:
    assert owner_token("shop.internal", "shop-local-dns") == "shop.internal/shop-local-dns"
    assert owner_token("shop.internal", "my dns #1") == "shop.internal/my-dns-1"
    assert owner_token("shop.internal", "###") == "shop.internal/dns"


# The ConfigMap written back.


def test_the_configmap_written_back_keeps_identity_and_replaces_the_corefile() -> None:
    live = live_configmap()
    live["metadata"]["labels"] = {"k8s-app": "kube-dns"}
    live["data"]["extra"] = "kept"
    manifest = coredns_configmap(live, "new corefile\n")
    assert manifest == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "coredns",
            "namespace": "kube-system",
            "uid": "0b8f7d0e-3c52-4c0e-9d43-6a1f0e2b7c11",
            "resourceVersion": "231",
            "labels": {"k8s-app": "kube-dns"},
        },
        "data": {"Corefile": "new corefile\n", "extra": "kept"},
    }
    assert validate_manifest(manifest) == []
    assert live["data"]["Corefile"] == KIND_COREFILE  # the live object is not changed


def test_the_configmap_written_back_validates_with_every_optional_part() -> None:
    live = live_configmap()
    live["metadata"]["annotations"] = {"note": "x"}
    live["binaryData"] = {"blob": "AAEC"}
    live["immutable"] = False
    manifest = coredns_configmap(live, patch_corefile(KIND_COREFILE, OWNER, shop_blocks()))
    assert validate_manifest(manifest) == []
    assert (manifest["binaryData"], manifest["immutable"]) == ({"blob": "AAEC"}, False)
    assert manifest["metadata"]["annotations"] == {"note": "x"}


def test_only_a_named_configmap_is_written_back() -> None:
    with pytest.raises(
        ValueError, match=r"^expected a ConfigMap \(kind: ConfigMap, with metadata\)$"
    ):
        coredns_configmap({"kind": "Secret", "metadata": {"name": "x"}}, "")
    with pytest.raises(ValueError, match=r"^the ConfigMap has no metadata\.name$"):
        coredns_configmap({"kind": "ConfigMap", "metadata": {}}, "")
