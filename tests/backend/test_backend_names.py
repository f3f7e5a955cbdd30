"""Pure rules: names, endpoints, the login URL, credentials, stack paths, lifecycle views."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ask_components.backend import BackendTarget, credentials_from_env
from ask_components.backend.names import (
    addressing_style_for,
    normalize_endpoint,
    validate_bucket_name,
    validate_region,
)
from ask_components.backend.settings import LIFECYCLE_RULE_ID, managed_rule, view_lifecycle
from ask_components.backend.stacks import StackRef, split_stack_name
from ask_components.errors import BackendError, InputError

OSS_BUCKET = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")


@pytest.mark.parametrize("name", ["abc", "my-state-1", "0-0", "a" * 63, "pulumi-state-cn-hangzhou"])
def test_valid_bucket_names(name: str) -> None:
    assert validate_bucket_name(name) == name


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("ab", "must be 3-63 characters long (is 2)"),
        ("a" * 64, "must be 3-63 characters long (is 64)"),
        ("MyState", "must be lowercase"),
        ("my_state", "may contain only lowercase letters, digits and hyphens"),
        ("my.state", "may contain only lowercase letters, digits and hyphens"),
        ("-state", "must start and end with a letter or a digit"),
        ("state-", "must start and end with a letter or a digit"),
    ],
)
def test_invalid_bucket_names(name: str, problem: str) -> None:
    with pytest.raises(InputError) as error:
        validate_bucket_name(name)
    assert str(error.value).startswith(f"invalid bucket name {name!r}: ")
    assert problem in str(error.value)


@given(st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=0, max_size=70))
def test_bucket_names_are_accepted_exactly_when_they_follow_the_oss_rules(name: str) -> None:
    expected = OSS_BUCKET.fullmatch(name) is not None
    try:
        validate_bucket_name(name)
    except InputError:
        assert not expected
    else:
        assert expected


@pytest.mark.parametrize(
    "region", ["cn-hangzhou", "ap-southeast-1", "cn-shanghai-finance-1", "eu-central-1"]
)
def test_valid_regions(region: str) -> None:
    assert validate_region(region) == region


@pytest.mark.parametrize(
    ("region", "problem"),
    [
        ("oss-cn-hangzhou", "without the 'oss-' prefix (--region cn-hangzhou)"),
        ("Hangzhou", "expected an Alibaba Cloud region id"),
        ("cn_hangzhou", "expected an Alibaba Cloud region id"),
        ("", "expected an Alibaba Cloud region id"),
    ],
)
def test_invalid_regions(region: str, problem: str) -> None:
    with pytest.raises(InputError, match=re.escape(problem)):
        validate_region(region)


@pytest.mark.parametrize(
    ("endpoint", "normalized", "style"),
    [
        ("oss-cn-hangzhou.aliyuncs.com", "https://oss-cn-hangzhou.aliyuncs.com", "virtual"),
        (
            "https://oss-cn-hangzhou-internal.aliyuncs.com/",
            "https://oss-cn-hangzhou-internal.aliyuncs.com",
            "virtual",
        ),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000", "path"),
        ("http://[::1]:9000", "http://[::1]:9000", "path"),
        ("http://localhost:9000", "http://localhost:9000", "path"),
        ("https://minio.example.com", "https://minio.example.com", "virtual"),
    ],
)
def test_endpoints(endpoint: str, normalized: str, style: str) -> None:
    assert normalize_endpoint(endpoint) == normalized
    assert addressing_style_for(normalized) == style


@pytest.mark.parametrize(
    "endpoint",
    ["ftp://host", "https://", "https://host/path", "https://u:p@host", "http://h:99999"],
)
def test_bad_endpoints(endpoint: str) -> None:
    with pytest.raises(InputError, match="invalid endpoint"):
        normalize_endpoint(endpoint)


def test_default_target_is_the_public_oss_endpoint_with_virtual_hosting() -> None:
    target = BackendTarget.create("team-state", "cn-hangzhou")
    assert target.endpoint == "https://oss-cn-hangzhou.aliyuncs.com"
    assert target.addressing_style == "virtual"
    assert target.pulumi_login_command() == (
        "pulumi login 's3://team-state?endpoint=oss-cn-hangzhou.aliyuncs.com&region=cn-hangzhou'"
    )
    assert target.bootstrap_command() == (
        "askc backend bootstrap --bucket team-state --region cn-hangzhou"
    )


def test_internal_endpoint_is_repeated_in_commands() -> None:
    target = BackendTarget.create(
        "team-state", "cn-hangzhou", "oss-cn-hangzhou-internal.aliyuncs.com"
    )
    assert target.pulumi_login_url() == (
        "s3://team-state?endpoint=oss-cn-hangzhou-internal.aliyuncs.com&region=cn-hangzhou"
    )
    assert target.askc_args().endswith("--endpoint https://oss-cn-hangzhou-internal.aliyuncs.com")


@pytest.mark.parametrize(
    ("env", "source"),
    [
        (
            {
                "ALIBABA_CLOUD_ACCESS_KEY_ID": "a",
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "b",
                "OSS_ACCESS_KEY_ID": "c",
                "OSS_ACCESS_KEY_SECRET": "d",
            },
            ("a", "b", None, "ALIBABA_CLOUD_ACCESS_KEY_ID"),
        ),
        (
            {"OSS_ACCESS_KEY_ID": "c", "OSS_ACCESS_KEY_SECRET": "d", "OSS_SESSION_TOKEN": "t"},
            ("c", "d", "t", "OSS_ACCESS_KEY_ID"),
        ),
        (
            # A half-set Alibaba pair never borrows the OSS secret.
            {
                "ALIBABA_CLOUD_ACCESS_KEY_ID": "a",
                "OSS_ACCESS_KEY_ID": "c",
                "OSS_ACCESS_KEY_SECRET": "d",
            },
            ("c", "d", None, "OSS_ACCESS_KEY_ID"),
        ),
    ],
)
def test_credentials_from_env(
    env: dict[str, str], source: tuple[str, str, str | None, str]
) -> None:
    credentials = credentials_from_env(env)
    assert (
        credentials.access_key_id,
        credentials.access_key_secret,
        credentials.security_token,
        credentials.id_variable,
    ) == source


def test_no_credentials_names_every_variable() -> None:
    with pytest.raises(BackendError) as error:
        credentials_from_env({"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"})
    message = str(error.value)
    for name in (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "OSS_ACCESS_KEY_ID",
    ):
        assert name in message
    assert error.value.exit_code == 2


@pytest.mark.parametrize(
    ("stack", "project", "expected"),
    [
        ("dev", None, (None, "dev")),
        ("shop/dev", None, ("shop", "dev")),
        ("organization/shop/dev", None, ("shop", "dev")),
        ("organization/dev", None, (None, "dev")),
        ("dev", "shop", ("shop", "dev")),
        ("shop/dev", "shop", ("shop", "dev")),
    ],
)
def test_split_stack_name(
    stack: str, project: str | None, expected: tuple[str | None, str]
) -> None:
    assert split_stack_name(stack, project) == expected


@pytest.mark.parametrize(
    ("stack", "project", "message"),
    [
        ("a/b/c/d", None, "invalid --stack"),
        ("shop/", None, "invalid --stack"),
        ("shop/dev", "other", "--project 'other' disagrees"),
        ("de v", None, "invalid stack name 'de v'"),
    ],
)
def test_bad_stack_names(stack: str, project: str | None, message: str) -> None:
    with pytest.raises(InputError, match=message):
        split_stack_name(stack, project)


def test_stack_paths_for_both_layouts() -> None:
    new = StackRef("shop", "dev", ".pulumi/stacks/shop/dev.json")
    assert new.lock_prefixes() == (
        ".pulumi/locks/organization/shop/dev/",
        ".pulumi/locks/shop/dev/",
        ".pulumi/locks/dev/",
    )
    assert new.backup_key("20260101T000000000000Z") == (
        ".pulumi/backups/shop/dev/dev.20260101T000000000000Z.before-restore.json"
    )
    old = StackRef(None, "dev", ".pulumi/stacks/dev.json.gz")
    assert old.lock_prefixes() == (".pulumi/locks/dev/",)
    assert old.backup_key("X") == ".pulumi/backups/dev/dev.X.before-restore.json.gz"


def test_lifecycle_view() -> None:
    rules = [
        managed_rule(90),
        {
            "ID": "short",
            "Status": "Enabled",
            "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 10},
        },
        {
            "ID": "logs",
            "Status": "Enabled",
            "Filter": {"Prefix": "logs/"},
            "Expiration": {"Days": 1},
        },
        {"ID": "off", "Status": "Disabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}},
        {
            "ID": "tagged",
            "Status": "Enabled",
            "Filter": {"Tag": {"Key": "k", "Value": "v"}},
            "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}],
        },
        {
            "ID": "history",
            "Status": "Enabled",
            "Prefix": ".pulumi/history/",
            "Expiration": {"Days": 5},
        },
    ]
    view = view_lifecycle(rules)
    assert view.managed is not None
    assert view.managed["ID"] == LIFECYCLE_RULE_ID
    assert [r["ID"] for r in view.protecting] == [LIFECYCLE_RULE_ID, "short"]
    assert view.retention_days == 10
    assert [rule_id for rule_id, _ in view.dangerous] == ["tagged", "history"]
