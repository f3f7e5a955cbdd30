"""resolve_version: the full ACK version a cluster is created with, kept at, or upgraded to."""

from __future__ import annotations

import pytest

from ask_components.cluster.versions import (
    OFFLINE_VERSIONS,
    AckVersion,
    ResolvedVersion,
    VersionError,
    minor_of,
    parse_version,
    resolve_version,
)

OFFERED = (
    "1.33.1-aliyun.1",
    "1.33.3-aliyun.1",
    "1.34.2-aliyun.1",
    "1.35.1-aliyun.1",
    "1.35.2-aliyun.1",
    "not-a-version",  # ignored, as the API may list other shapes
)


def test_versions_sort_as_ack_orders_them() -> None:
    assert parse_version("1.33.10-aliyun.1") > parse_version("1.33.9-aliyun.2")
    assert parse_version("1.33.3-aliyun.2") > parse_version("1.33.3-aliyun.1")
    assert parse_version("1.35.1-aliyun.1") == AckVersion(1, 35, 1, 1)
    assert str(parse_version("1.35.1-aliyun.1")) == "1.35.1-aliyun.1"
    assert minor_of("1.33") == (1, 33)
    assert minor_of("1.33.3-aliyun.1") == (1, 33)


@pytest.mark.parametrize("text", ["1.33", "1.33.3", "v1.33.3-aliyun.1", "1.33.3-aliyunedge.1", ""])
def test_only_full_ack_versions_parse(text: str) -> None:
    with pytest.raises(VersionError) as err:
        parse_version(text)
    assert str(err.value) == f"{text!r} is not an ACK version like 1.33.3-aliyun.1"


@pytest.mark.parametrize(
    ("requested", "deployed", "expected"),
    [
        # A new cluster: the newest patch of the minor, or the pin as is.
        ("1.33", None, ResolvedVersion("1.33.3-aliyun.1", "newest 1.33 patch offered by ACK")),
        (
            "1.33.1-aliyun.1",
            None,
            ResolvedVersion("1.33.1-aliyun.1", "pinned in the stack file"),
        ),
        (None, None, ResolvedVersion("1.35.2-aliyun.1", "newest version offered by ACK")),
        # Deployed on the minor: its own version, whatever ACK offers now (ACK may have patched
        # it, or a newer patch may be out): no change in the next preview.
        (
            "1.33",
            "1.33.1-aliyun.1",
            ResolvedVersion("1.33.1-aliyun.1", "the version the deployed cluster runs"),
        ),
        (
            "1.33",
            "1.33.4-aliyun.1",
            ResolvedVersion("1.33.4-aliyun.1", "the version the deployed cluster runs"),
        ),
        (
            None,
            "1.34.2-aliyun.1",
            ResolvedVersion("1.34.2-aliyun.1", "the version the deployed cluster runs"),
        ),
        # A pin below what runs (ACK patched past it): keep what runs, never downgrade a patch.
        (
            "1.33.1-aliyun.1",
            "1.33.3-aliyun.1",
            ResolvedVersion("1.33.3-aliyun.1", "the version the deployed cluster runs"),
        ),
        # A pin above what runs, in the minor: a patch upgrade.
        (
            "1.33.3-aliyun.1",
            "1.33.1-aliyun.1",
            ResolvedVersion(
                "1.33.3-aliyun.1",
                "in-place upgrade from 1.33.1-aliyun.1 to the newest 1.33 patch offered by ACK",
                upgrade_from="1.33.1-aliyun.1",
            ),
        ),
        # The next minor: an in-place upgrade to its newest patch.
        (
            "1.34",
            "1.33.3-aliyun.1",
            ResolvedVersion(
                "1.34.2-aliyun.1",
                "in-place upgrade from 1.33.3-aliyun.1 to the newest 1.34 patch offered by ACK",
                upgrade_from="1.33.3-aliyun.1",
            ),
        ),
    ],
)
def test_resolution(requested: str | None, deployed: str | None, expected: ResolvedVersion) -> None:
    assert resolve_version(requested, OFFERED, deployed=deployed) == expected


@pytest.mark.parametrize(
    ("requested", "deployed", "message"),
    [
        ("1.32", None, "1.32 is not offered by ACK (offered minor versions: 1.33, 1.34, 1.35)"),
        (
            "1.33.2-aliyun.1",
            None,
            "1.33.2-aliyun.1 is not offered by ACK (offered 1.33 versions: 1.33.1-aliyun.1, 1.33.3-aliyun.1)",
        ),
        (
            "1.35",
            "1.33.3-aliyun.1",
            "the cluster runs 1.33.3-aliyun.1; ACK upgrades one minor version at a time: upgrade to 1.34 first",
        ),
        (
            "1.33",
            "1.34.2-aliyun.1",
            "the cluster runs 1.34.2-aliyun.1; ACK cannot downgrade it to 1.33 (keep 1.34 or newer)",
        ),
        (
            "1.36",
            "1.35.2-aliyun.1",
            "1.36 is not offered by ACK (offered minor versions: 1.33, 1.34, 1.35)",
        ),
    ],
)
def test_refusals(requested: str, deployed: str | None, message: str) -> None:
    with pytest.raises(VersionError) as err:
        resolve_version(requested, OFFERED, deployed=deployed)
    assert str(err.value) == message


def test_nothing_offered() -> None:
    with pytest.raises(VersionError) as err:
        resolve_version(None, [], offered_by="ACK (Acs clusters)")
    assert str(err.value) == "ACK (Acs clusters) offers no Kubernetes version for this cluster"


def test_a_skipped_minor_that_ack_never_offered_is_not_required() -> None:
    """ACK has skipped minors before (1.24, 1.26, 1.28): the next offered minor is the step."""
    resolved = resolve_version(
        "1.35", ("1.33.3-aliyun.1", "1.35.2-aliyun.1"), deployed="1.33.3-aliyun.1"
    )
    assert resolved.version == "1.35.2-aliyun.1"
    assert resolved.upgrade_from == "1.33.3-aliyun.1"


def test_the_offline_table_is_sorted_full_versions() -> None:
    parsed = [parse_version(version) for version in OFFLINE_VERSIONS]
    assert parsed == sorted(parsed)
    assert {version.minor_version for version in parsed} == {"1.30", "1.33", "1.35", "1.36"}
