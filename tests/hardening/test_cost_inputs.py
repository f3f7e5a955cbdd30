"""Cost inputs that used to crash ``askc cost`` or price the wrong thing (issue #16): each is an
exit 2 with the exact reason, and the values at the limits still price."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from tests.conftest import PROJECT_ROOT
from tests.cost.conftest import FIXTURES

runner = CliRunner()

PREVIEW = json.loads((FIXTURES / "preview-prod.json").read_text())
CHECKPOINT = json.loads((FIXTURES / "checkpoint-prod.json").read_text())


def _askc(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _step(document: dict[str, Any], name: str) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in document["steps"] if s["urn"].endswith(f"::{name}"))
    return step


def _deployment(document: dict[str, Any]) -> dict[str, Any]:
    inputs: dict[str, Any] = _step(document, "web")["newState"]["inputs"]
    return inputs


def _nest(levels: int) -> Any:
    value: Any = {}
    for _ in range(levels):
        value = {"a": value}
    return value


Change = Callable[[dict[str, Any]], Any]


def _preview(tmp_path: Path, change: Change, raw: str | None = None) -> Path:
    document = copy.deepcopy(PREVIEW)
    change(document)
    path = tmp_path / "preview.json"
    text = json.dumps(document)
    path.write_text(text if raw is None else text.replace('"@@"', raw))
    return path


def _set_replicas(value: Any) -> Change:
    return lambda d: _deployment(d)["spec"].__setitem__("replicas", value)


WEB = "web (kubernetes:apps/v1:Deployment)"


@pytest.mark.parametrize(
    ("change", "raw", "message"),
    [
        (lambda d: _step(d, "web").__setitem__("diffReasons", 5), None, "steps[2]: `diffReasons` must be a list, got int"),
        (lambda d: _step(d, "web")["newState"].__setitem__("dependencies", 5), None, "steps[2].newState: `dependencies` must be a list, got int"),
        (lambda d: d.__setitem__("steps", {}), None, "`steps` must be a list, got dict"),
        (lambda d: _deployment(d).__setitem__("deep", _nest(900)), None, "nested more than 100 levels deep"),
        (lambda d: _step(d, "web")["newState"].__setitem__("inputs", {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "x"}), None, "steps[2].newState: `inputs` must be an object of inputs, got one wire value"),
    ],
)  # fmt: skip
def test_malformed_preview_json(
    tmp_path: Path, change: Change, raw: str | None, message: str
) -> None:
    path = _preview(tmp_path, change, raw)
    assert _askc("cost", "--preview-json", str(path)) == (
        2,
        "",
        f"Error: preview JSON {path}: {message}\n",
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("NaN", "is not valid JSON: NaN is not a JSON number"),
        ("Infinity", "is not valid JSON: Infinity is not a JSON number"),
        ("-Infinity", "is not valid JSON: -Infinity is not a JSON number"),
        ("9" * 5000, "holds a number of more than 4300 digits"),
    ],
)
def test_numbers_json_has_not(tmp_path: Path, raw: str, message: str) -> None:
    path = _preview(tmp_path, _set_replicas("@@"), raw)
    assert _askc("cost", "--preview-json", str(path)) == (2, "", f"Error: preview JSON {path} {message}\n")  # fmt: skip


@pytest.mark.parametrize(
    ("value", "shown"),
    [("abc", '"abc"'), (True, "true"), (-3, "-3"), (2.5, "2.5"), (2**31, "2147483648"), ("1e30", '"1e30"')],
)  # fmt: skip
def test_replicas_no_manifest_can_hold(tmp_path: Path, value: Any, shown: str) -> None:
    path = _preview(tmp_path, _set_replicas(value))
    # Negative replicas used to give a negative cost that passed --fail-above 0.
    for command in (["cost"], ["cost", "diff", "--fail-above", "0"]):
        assert _askc(*command, "--preview-json", str(path)) == (
            2,
            "",
            f"Error: {WEB}: spec.replicas is {shown}, not a whole number from 0 to 2147483647\n",
        )


def test_replicas_at_the_limits_price(tmp_path: Path) -> None:
    for value, vcpu_hours in ((0, "0"), (2**31 - 1, str((2**31 - 1) * 730))):
        path = _preview(tmp_path, _set_replicas(value))
        code, out, err = _askc("cost", "--preview-json", str(path), "-f", "json")
        assert (code, err) == (0, "")
        web = next(r for r in json.loads(out)["resources"] if r["name"] == "web")
        assert web["lines"][0]["monthlyQuantity"] == vcpu_hours


def _limits(cpu: Any, memory: Any = "1Gi") -> Change:
    def change(document: dict[str, Any]) -> None:
        container = _deployment(document)["spec"]["template"]["spec"]["containers"][0]
        container["resources"] = {"limits": {"cpu": cpu, "memory": memory}}

    return change


def _annotation(value: str) -> Change:
    def change(document: dict[str, Any]) -> None:
        template = _deployment(document)["spec"]["template"]
        template["metadata"] = {"annotations": {"k8s.aliyun.com/eci-extra-ephemeral-storage": value}}  # fmt: skip

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_limits("-4"), 'containers[0].resources.limits.cpu "-4" must not be negative (expected e.g. "500m", "1.5", "2")'),
        (_limits("1", "lots"), 'containers[0].resources.limits.memory "lots" is not a Kubernetes quantity (expected e.g. "512Mi", "4Gi", "1G", "1073741824")'),
        (_annotation("1000000000000Gi"), 'k8s.aliyun.com/eci-extra-ephemeral-storage "1000000000000Gi" is too large for a Kubernetes quantity (at most 9223372036854775807 base units)'),
        (_annotation("40000Gi"), 'k8s.aliyun.com/eci-extra-ephemeral-storage "40000Gi" is more than 32738 GiB (one cloud disk of 32768 GiB, 30 of them free)'),
        (lambda d: _step(d, "alb")["newState"]["inputs"].__setitem__("loadBalancerBillingConfig", "PayAsYouGo"), 'loadBalancerBillingConfig is "PayAsYouGo", not an object like {"payType": "PayAsYouGo"}'),
    ],
)  # fmt: skip
def test_manifest_values_the_api_would_refuse(tmp_path: Path, change: Change, message: str) -> None:
    path = _preview(tmp_path, change)
    code, out, err = _askc("cost", "--preview-json", str(path))
    resource = "alb (alicloud:alb/loadBalancer:LoadBalancer)" if "billing" in message.lower() else WEB  # fmt: skip
    assert (code, out, err) == (2, "", f"Error: {resource}: {message}\n")


def test_extra_storage_at_the_limit_is_priced(tmp_path: Path) -> None:
    path = _preview(tmp_path, _annotation("32738Gi"))
    code, out, _ = _askc("cost", "--preview-json", str(path), "-f", "json")
    web = next(r for r in json.loads(out)["resources"] if r["name"] == "web")
    storage = [line for line in web["lines"] if line["name"].startswith("Extra ephemeral storage")]
    assert (code, storage[0]["monthlyQuantity"]) == (0, str(32738 * 4 * 730))


def _state(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({**CHECKPOINT, "version": [3]}, "deployment version [3] is not supported (expected 3 or 4)"),
        ({**CHECKPOINT, "version": True}, "deployment version True is not supported (expected 3 or 4)"),
        ({"version": 3, "deployment": []}, "the deployment must be an object, got list"),
        ({"version": 3, "deployment": {"manifest": {}, "resources": {}}}, "`resources` must be a list, got dict"),
        ({"version": 3, "checkpoint": {"latest": []}}, "the deployment must be an object, got list"),
    ],
)  # fmt: skip
def test_malformed_states(tmp_path: Path, document: Any, message: str) -> None:
    path = _state(tmp_path, document)
    assert _askc("cost", "--state", str(path)) == (2, "", f"Error: state {path}: {message}\n")


def test_an_empty_state_is_still_an_empty_state(tmp_path: Path) -> None:
    for document in ({"version": 3, "deployment": {"manifest": {}}}, {"version": 3, "checkpoint": {"stack": "dev"}}):  # fmt: skip
        code, out, _ = _askc("cost", "--state", str(_state(tmp_path, document)), "--region", "cn-hangzhou", "-f", "json")  # fmt: skip
        assert (code, json.loads(out)["resources"]) == (0, [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "cn-hangzou"], "--region: 'cn-hangzou' is not a known Alibaba Cloud region (did you mean cn-hangzhou?)"),
        (["--region", "../../etc"], "--region: '../../etc' is not a known Alibaba Cloud region"),
    ],
)  # fmt: skip
def test_unknown_regions(args: list[str], message: str) -> None:
    assert _askc("cost", "-C", str(PROJECT_ROOT), *args) == (2, "", f"Error: {message}\n")


def test_a_preview_whose_config_region_is_not_a_region(tmp_path: Path) -> None:
    path = _preview(tmp_path, lambda d: d["config"].__setitem__("alicloud:region", "5"))
    assert _askc("cost", "--preview-json", str(path), "-C", str(tmp_path)) == (
        2,
        "",
        "Error: the region to price in (alicloud:region): '5' is not a known Alibaba Cloud region\n",
    )


def test_a_preview_whose_stack_is_a_path_reads_no_usage_file_outside_stacks(tmp_path: Path) -> None:
    def change(document: dict[str, Any]) -> None:
        text = json.dumps(document).replace("urn:pulumi:prod::", "urn:pulumi:x/../../evil::")
        document.clear()
        document.update(json.loads(text))
        document["config"].pop("alicloud:region")

    path = _preview(tmp_path, change)
    (tmp_path / "evil.yaml").write_text("resource_usage: {web: {average_replicas: 100}}\n")
    assert _askc(
        "cost", "--preview-json", str(path), "--region", "cn-hangzhou", "-C", str(tmp_path)
    ) == (
        2,
        "",
        "Error: stack 'x/../../evil' is not a stack name: 1-100 letters, digits, '-', '_' or '.' "
        "(the stack file is <stackConfigDir>/Pulumi.<stack>.yaml)\n",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("resource_usage: {web: {average_replicas: '1e9999999999'}}", 'resource_usage["web"].average_replicas: must be at most 2147483647, got \'1e9999999999\''),
        ("resource_usage: {web: {average_replicas: '1e999999'}}", 'resource_usage["web"].average_replicas: must be at most 2147483647, got \'1e999999\''),
        ("resource_usage: {alb: {monthly_lcu_hours: '1e999999'}}", 'resource_usage["alb"].monthly_lcu_hours: must be at most 1000000000000, got \'1e999999\''),
        ("resource_type_default_usage: {'kubernetes:batch/v1:CronJob': {run_seconds: 2678401}}", 'resource_type_default_usage["kubernetes:batch/v1:CronJob"].run_seconds: must be at most 2678400, got 2678401'),
        ("resource_usage: {web: {monthly_runs: 2678401}}", 'resource_usage["web"].monthly_runs: must be at most 2678400, got 2678401'),
        ("resource_usage: {web: {average_replicas: " + "9" * 5000 + "}}", "holds a number of more than 4300 digits"),
    ],
)  # fmt: skip
def test_usage_values_are_bounded_and_refused_fast(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "usage.yaml"
    path.write_text(text + "\n")
    started = time.monotonic()
    code, out, err = _askc("cost", "--state", str(FIXTURES / "checkpoint-prod.json"), "--usage-file", str(path))  # fmt: skip
    assert time.monotonic() - started < 30  # the '1e9999999999' usage ran a minute and 19 GB
    assert (code, out, err) == (2, "", f"Error: usage file {path}: {message}\n")


def test_usage_values_at_the_limits_are_read(tmp_path: Path) -> None:
    path = tmp_path / "usage.yaml"
    path.write_text(
        "resource_usage:\n"
        "  web: {average_replicas: 2147483647}\n"
        "  alb: {monthly_lcu_hours: 1000000000000}\n"
    )
    code, _, err = _askc("cost", "--state", str(FIXTURES / "checkpoint-prod.json"), "--usage-file", str(path))  # fmt: skip
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("price", "problem"),
    [("'1e999999'", "price must be at most 1000000, got 1E+999999"), ("1000001", "price must be at most 1000000, got 1000001")],
)  # fmt: skip
def test_price_book_prices_are_bounded(tmp_path: Path, price: str, problem: str) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(
        "site: international\nprices:\n  alb.lcu:\n    default: {price: "
        + price
        + ", source: 'https://example.com/c', retrieved: '2026-11-01'}\n"
    )
    code, out, err = _askc("cost", "--state", str(FIXTURES / "checkpoint-prod.json"), "--price-book", str(path), "--site", "international")  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        f"Error: price book {path}: invalid price book (1 problem(s)):\n"
        f"  - prices['alb.lcu'].default: {problem}\n"
    )


@pytest.mark.parametrize(
    ("what", "write", "message"),
    [
        ("checkpoint", lambda p: p.write_text('{"version": 3, "checkpoint": {"n": ' + "9" * 5000 + "}}"), "is not a Pulumi checkpoint: it holds a number of more than 4300 digits"),
        ("graph", lambda p: p.write_text('{"resources": ' + "9" * 5000 + "}"), "holds a number of more than 4300 digits"),
    ],
)  # fmt: skip
def test_integers_too_long_to_read(tmp_path: Path, what: str, write: Any, message: str) -> None:
    from ask_components.backend.checkpoint import decode_checkpoint
    from ask_components.errors import InputError
    from ask_components.preview.graph_file import read_graph_json

    path = tmp_path / f"{what}.json"
    write(path)

    def read() -> object:
        if what == "checkpoint":
            return decode_checkpoint(path.read_bytes(), str(path))
        return read_graph_json(path)

    with pytest.raises(InputError) as error:
        read()
    label = str(path) if what == "checkpoint" else f"graph file {path}"
    assert str(error.value) == f"{label} {message}"


def test_a_stack_file_with_an_integer_too_long_to_read(project_copy: Path) -> None:
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text() + "  ask:big: " + "9" * 5000 + "\n")
    assert _askc("preview", "--stack", "dev", "-C", str(project_copy)) == (
        2,
        "",
        f"Error: stack file {stack} holds a number of more than 4300 digits\n",
    )
