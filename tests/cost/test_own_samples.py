"""The reader paths the real samples in ``../shared/fixtures`` cover (test_sources.py, skipped
in a plain clone), covered by the project's own samples too.

``fixtures/aws-*.json`` are a small AWS program (a bucket whose uploads a function handles) as
the Pulumi CLI writes it: ``pulumi preview --json`` on an empty stack, ``--show-sames`` previews of
an update and of a removal, and a ``pulumi stack export``. They carry the traps the real samples
show: ``__defaults`` lists in inputs, provider references ``<urn>::<id>``, ``detailedDiff: null``,
``created``/``modified``/``sourcePosition``, durations in nanoseconds, secrets and assets in
Pulumi's signature objects, and (in the export) an old copy marked ``delete: true``.
"""

from __future__ import annotations

import json

import pytest

from ask_components.cost.estimate import estimate
from ask_components.cost.sources import read_preview_json, read_state
from ask_components.preview.graph import SECRET_MASK
from tests.cost.conftest import FIXTURES, assert_nothing_priced, priced_diff

PREVIEWS = ["aws-preview-creates.json", "aws-preview-update.json", "aws-preview-deletes.json"]
FUNCTION = "aws:lambda/function:Function"


@pytest.mark.parametrize("name", PREVIEWS)
def test_previews_read_and_aws_is_not_supported(name: str) -> None:
    sides = read_preview_json(FIXTURES / name)
    assert_nothing_priced(sides)
    assert sides.config == {
        "aws:region": "us-west-2",
        "pulumi:tags": '{"pulumi:template":"aws-typescript"}',
    }
    assert (sides.before.project or sides.after.project, sides.after.stack) == (
        "bucket-app",
        "demo",
    )


def test_preview_sides() -> None:
    creates = read_preview_json(FIXTURES / "aws-preview-creates.json")
    assert (len(creates.before), len(creates.after)) == (0, 6)
    assert creates.change_summary == {"create": 6}
    deletes = read_preview_json(FIXTURES / "aws-preview-deletes.json")
    assert (len(deletes.before), len(deletes.after)) == (6, 2)
    assert [s.op for s in deletes.steps].count("delete") == 4


def test_update_diff_shows_the_update_and_no_cost_change() -> None:
    sides = read_preview_json(FIXTURES / "aws-preview-update.json")
    result = priced_diff(sides)
    changed = result.changed()
    assert [(r.name, r.type, r.op, r.change) for r in changed] == [
        ("onUpload", FUNCTION, "update", "changed")
    ]
    assert changed[0].delta == 0
    assert result.delta == 0
    assert sum(1 for r in result.resources if r.change == "unchanged") == 5
    update = next(s for s in sides.steps if s.op == "update")
    assert update.diff_reasons == ("timeout",)


def test_export() -> None:
    state = read_state(FIXTURES / "aws-export.json")
    assert len(state) == 6  # the old copy marked delete: true is left out
    assert (state.project, state.stack) == ("bucket-app", "demo")
    bucket = next(n for n in state if n.type == "aws:s3/bucketV2:BucketV2")
    assert "__defaults" not in bucket.inputs
    assert bucket.inputs["bucket"] == "uploads-4b1c2d3"
    assert bucket.provider is not None
    assert bucket.provider.endswith("::0f5b2a9e-7c1d-4d8e-9a34-5b2c6e1f7a10")
    function = next(n for n in state if n.type == FUNCTION)
    assert function.inputs["environment"] == SECRET_MASK
    assert function.secret_paths == ("environment",)
    assert function.inputs["timeout"] == 180
    assert function.dependencies == (
        "urn:pulumi:demo::bucket-app::aws:s3/bucketV2:BucketV2$aws:s3:BucketEventSubscription"
        "$aws:iam/role:Role::onUpload",
    )
    assert state.outputs == {"bucketName": "uploads-4b1c2d3"}
    result = estimate(state, region="eu-west-1")
    assert result.coverage.unsupported == 3  # bucket, role, function
    assert result.coverage.free == 3  # stack, provider, the BucketEventSubscription component
    assert "v1:abc:def" not in json.dumps(state.to_dict())
