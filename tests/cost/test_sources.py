"""Reading resource sets: pulumi preview --json, stack exports, DIY checkpoints, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from ask_components.cost import sources
from ask_components.cost.estimate import estimate
from ask_components.cost.sources import read_preview_json, read_state, region_of
from ask_components.errors import InputError
from ask_components.preview.graph import SECRET_MASK
from tests.cost.conftest import FIXTURES, assert_nothing_priced, priced_diff

SAMPLES = [
    "sample-preview-creates.json",
    "sample-preview-deletes.json",
    "sample-preview-update.json",
]


@pytest.mark.parametrize("name", SAMPLES)
def test_real_previews_read_and_aws_is_not_supported(shared_fixture: Any, name: str) -> None:
    sides = read_preview_json(shared_fixture(name))
    assert_nothing_priced(sides)
    assert sides.config == {"pulumi:tags": '{"pulumi:template":"aws-typescript"}'}
    assert (sides.before.project, sides.after.stack) == ("sample", "dev")


def test_real_preview_sides(shared_fixture: Any) -> None:
    creates = read_preview_json(shared_fixture("sample-preview-creates.json"))
    assert (len(creates.before), len(creates.after)) == (0, 16)
    deletes = read_preview_json(shared_fixture("sample-preview-deletes.json"))
    assert (len(deletes.before), len(deletes.after)) == (16, 2)


def test_real_update_diff_shows_the_update_and_no_cost_change(shared_fixture: Any) -> None:
    sides = read_preview_json(shared_fixture("sample-preview-update.json"))
    result = priced_diff(sides)
    changed = result.changed()
    assert [(r.name, r.type, r.op, r.change) for r in changed] == [
        ("docsHandler", "aws:lambda/function:Function", "update", "changed")
    ]
    assert changed[0].delta == 0
    assert result.delta == 0
    assert sum(1 for r in result.resources if r.change == "unchanged") == 15


def test_real_export(shared_fixture: Any) -> None:
    state = read_state(shared_fixture("sample-export.json"))
    assert len(state) == 17
    assert (state.project, state.stack) == ("sample", "dev")
    bucket = next(n for n in state if n.type == "aws:s3/bucket:Bucket")
    assert "__defaults" not in bucket.inputs
    assert bucket.provider is not None
    assert bucket.provider.endswith("::42a75fb0-5a64-436a-8a82-e3a2e388b650")
    result = estimate(state, region="eu-west-1")
    assert result.coverage.unsupported == 14
    assert result.coverage.free == 3  # stack, provider, the BucketEventSubscription component


def test_own_preview_fixture() -> None:
    sides = read_preview_json(FIXTURES / "preview-prod.json")
    assert sides.config["alicloud:region"] == "cn-hangzhou"
    assert [s.op for s in sides.steps] == ["same", "same", "update", "update", "create", "delete"]
    alb = next(n for n in sides.after if n.name == "alb")
    assert alb.inputs["loadBalancerEdition"] == "Standard"
    assert "__defaults" not in alb.inputs
    assert "__defaults" not in alb.inputs["loadBalancerBillingConfig"]
    assert alb.inputs["vpcId"] == "[unknown]"
    assert {n.name for n in sides.before} - {n.name for n in sides.after} == {"old-zone"}
    assert {n.name for n in sides.after} - {n.name for n in sides.before} == {"nat"}


def test_checkpoint_masks_secrets_and_skips_pending_deletes() -> None:
    state = read_state(FIXTURES / "checkpoint-prod.json")
    assert (state.project, state.stack) == ("ask-platform", "prod")
    provider = next(n for n in state if n.is_provider)
    assert provider.inputs["secretKey"] == SECRET_MASK
    assert provider.secret_paths == ("secretKey",)
    assert state.outputs == {"kubeconfig": SECRET_MASK, "vpcId": "vpc-1"}
    assert "replaced" not in {n.name for n in state}
    assert region_of(state) == "cn-hangzhou"
    assert "1b47061264138c4ac30d75fd1eb44270" not in json.dumps(state.to_dict())


def test_stack_export_version_4_and_bare_deployment(tmp_path: Path) -> None:
    checkpoint = json.loads((FIXTURES / "checkpoint-prod.json").read_text())
    latest = checkpoint["checkpoint"]["latest"]
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"version": 4, "features": ["hooks"], "deployment": latest}))
    assert len(read_state(export)) == 6
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(latest))
    assert len(read_state(bare)) == 6


def test_state_from_a_url_through_the_fetch_function() -> None:
    document = json.loads((FIXTURES / "checkpoint-prod.json").read_text())
    seen: list[str] = []

    def fetch(url: str) -> dict[str, Any]:
        seen.append(url)
        return document

    url = "s3://state/.pulumi/stacks/ask-platform/prod.json?endpoint=oss-cn-hangzhou.aliyuncs.com"
    assert len(read_state(url, fetch=fetch)) == 6
    assert seen == [url]


def test_preview_from_stdin() -> None:
    data = (FIXTURES / "preview-prod.json").read_bytes()
    sides = read_preview_json("-", stdin=io.BytesIO(data))
    assert sides.source == "stdin"
    assert len(sides.after) == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"steps": [',
            "is not valid JSON: Expecting value at line 1, column 12 (the file "
            "ends early: is it truncated?)",
        ),
        (b"\xff\xfe{}", "is not UTF-8 text (byte 0)"),
        (b"", "is empty"),
        (b"[1, 2]", "expected a JSON object at the top level, got list"),
        (b'{"version": 3, "deployment": {}}', "this is a state file"),
        (b'{"hello": 1}', "not `pulumi preview --json` output"),
        (b'{"steps": {"a": 1}}', "`steps` must be a list, got dict"),
        (b'{"steps": [{"op": "create"}]}', "steps[0]: a step needs a string `op` and `urn`"),
        (
            b'{"steps": [{"op": "create", "urn": "u", "newState": {"urn": "x"}}]}',
            "steps[0].newState: a resource without a string `urn` and `type`",
        ),
        (
            b'{"sequence": 0, "timestamp": 1}\n{"sequence": 1, "timestamp": 2}\n',
            "streamed engine events",
        ),
    ],
)
def test_bad_preview_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "preview.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_preview_json(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"steps": []}', "this is `pulumi preview --json` output, not a state"),
        (
            b'{"version": 9, "deployment": {"resources": []}}',
            "deployment version 9 is not supported",
        ),
        (b'{"something": 1}', "not a `pulumi stack export` file or a DIY-backend checkpoint"),
        (
            b'{"version": 3, "deployment": {"resources": [{"urn": "bad", "type": "t"}]}}',
            "resources[0]: not a Pulumi URN: 'bad'",
        ),
    ],
)
def test_bad_state_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_state(path)
    assert message in str(caught.value)


def test_missing_folder_and_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match=r"preview JSON .*nope.json does not exist"):
        read_preview_json(tmp_path / "nope.json")
    with pytest.raises(InputError, match="is a folder"):
        read_state(tmp_path)
    path = tmp_path / "big.json"
    path.write_text('{"steps": []}' + " " * 100)
    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 50)
    with pytest.raises(InputError, match=r"big.json is 113 bytes, larger than the limit of 50"):
        read_preview_json(path)
    with pytest.raises(InputError, match="stdin is larger than 50 bytes"):
        read_preview_json("-", stdin=io.BytesIO(b"x" * 60))


def test_s3_urls_use_the_backend_reader_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = pytest.importorskip("ask_components.backend.checkpoint")
    document = json.loads((FIXTURES / "checkpoint-prod.json").read_text())
    seen: list[str] = []
    monkeypatch.setattr(checkpoint, "read_checkpoint", lambda url: seen.append(url) or document)
    url = "s3://state/.pulumi/stacks/ask-platform/prod.json?region=cn-hangzhou&token=abc"
    assert len(read_state(url)) == 6
    assert seen == [url]
    document["checkpoint"] = "oops"
    with pytest.raises(InputError) as caught:
        read_state(url)
    assert (
        "s3://state/.pulumi/stacks/ask-platform/prod.json: `checkpoint` must be an object"
        in str(caught.value)
    )
    assert "token" not in str(caught.value)
