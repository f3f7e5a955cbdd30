"""Stack config values that used to be accepted, crash or exit 1 (issue #16): each is now a
config error naming its path, and the values at the limits still pass."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from ask_components import configbase
from ask_components.cli import app
from ask_components.config import load_platform_config
from ask_components.configbase import ConfigModel
from ask_components.errors import ConfigError
from ask_components.regions import KNOWN_REGIONS
from tests.conftest import PROJECT_ROOT

runner = CliRunner()

DEV = yaml.safe_load((PROJECT_ROOT / "stacks" / "Pulumi.dev.yaml").read_text())["config"]


def _problems(change: Any) -> list[str]:
    """The problems of the dev stack's config after ``change(platform, config)``."""
    values = copy.deepcopy(DEV)
    change(values["ask:platform"], values)
    try:
        load_platform_config(values, stack="dev", check_secrets=False)
    except ConfigError as err:
        return [str(problem) for problem in err.problems]
    return []


def _app(platform: dict[str, Any]) -> dict[str, Any]:
    app_config: dict[str, Any] = platform["workloads"]["apps"][0]
    return app_config


APP = "ask:platform.workloads.apps[0]"
CRON = "ask:platform.workloads.cronJobs[0]"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p, c: _app(p).update(replicas=2**31), f"{APP}.replicas: 2147483648 is more than 2147483647, the most this value can be"),
        (lambda p, c: _app(p).update(replicas=1e30), f"{APP}.replicas: 1e+30 is more than 2147483647, the most this value can be"),
        (lambda p, c: _app(p).update(replicas=True), f"{APP}.replicas: true is not a whole number"),
        (lambda p, c: _app(p).update(replicas=-(2**31) - 1), f"{APP}.replicas: -2147483649 is less than -2147483648, the least this value can be"),
        (lambda p, c: _app(p).update(runAsUser=2**40), f"{APP}.runAsUser: 1099511627776 is more than 2147483647, the most this value can be"),
        (lambda p, c: _app(p).update(port=False), f"{APP}.port: false is not a whole number"),
        (lambda p, c: _app(p).update(eci={"ephemeralStorageGib": 10**12}), f"{APP}.eci.ephemeralStorageGib: 1000000000000 is more than 2147483647, the most this value can be"),
        (lambda p, c: _app(p).update(eci={"ephemeralStorageGib": 32739}), f"{APP}.eci.ephemeralStorageGib: must be a whole number of GiB from 1 to 32738 (one ESSD of 32768 GiB, 30 of them free), got 32739"),
        (lambda p, c: p["workloads"]["cronJobs"][0].update(timeZone=8), f"{CRON}.timeZone: 8 is not an IANA time zone name (expected e.g. Asia/Shanghai)"),
        (lambda p, c: p["workloads"]["cronJobs"][0].update(timeZone=["UTC"]), f"{CRON}.timeZone: ['UTC'] is not an IANA time zone name (expected e.g. Asia/Shanghai)"),
        (lambda p, c: p["cluster"].update(serviceCidr="192.168.0.0/25"), "ask:platform.cluster.serviceCidr: 192.168.0.0/25 has mask /25; ACK takes a Service CIDR of /16 to /24 (10.0.0.0/16-24, 172.16-31.0.0/16-24 or 192.168.0.0/16-24)"),
        (lambda p, c: p["cluster"].update(serviceCidr="10.0.0.0/12"), "ask:platform.cluster.serviceCidr: 10.0.0.0/12 has mask /12; ACK takes a Service CIDR of /16 to /24 (10.0.0.0/16-24, 172.16-31.0.0/16-24 or 192.168.0.0/16-24)"),
        (lambda p, c: c.update({"alicloud:region": "cn-hangzou"}) or p["network"].update(zones=["cn-hangzou-a"]), "alicloud:region: 'cn-hangzou' is not a known Alibaba Cloud region (did you mean cn-hangzhou?)"),
        (lambda p, c: c.update({"alicloud:region": "xx-nowhere-9"}), "alicloud:region: 'xx-nowhere-9' is not a known Alibaba Cloud region"),
    ],
)  # fmt: skip
def test_a_bad_value_is_one_problem_with_its_path(change: Any, expected: str) -> None:
    assert _problems(change) == [expected]


@pytest.mark.parametrize(
    "change",
    [
        lambda p, c: _app(p).update(replicas=2**31 - 1),
        lambda p, c: _app(p).update(runAsUser=2**31 - 1),
        lambda p, c: _app(p).update(eci={"ephemeralStorageGib": 32738}),
        lambda p, c: p["cluster"].update(serviceCidr="172.21.0.0/20"),
        lambda p, c: p["cluster"].update(serviceCidr="192.168.0.0/24"),
        lambda p, c: p["cluster"].update(serviceCidr="10.96.0.0/16"),
        lambda p, c: (
            c.update({"alicloud:region": "ap-southeast-1"})
            or p["network"].update(zones=["ap-southeast-1a", "ap-southeast-1b"])
        ),
    ],
)
def test_values_at_the_limits_pass(change: Any) -> None:
    assert _problems(change) == []


def _models(base: type[ConfigModel] = ConfigModel) -> list[type[ConfigModel]]:
    found = []
    for model in base.__subclasses__():
        found += [model, *_models(model)]
    return found


def test_every_whole_number_field_of_every_config_model_refuses_bools_and_huge_values() -> None:
    import ask_components.config  # noqa: F401 - imports every config model

    fields = [
        (model, name, info.alias or name)
        for model in _models()
        for name, info in model.model_fields.items()
        if configbase._is_whole_number_field(info.annotation)
    ]
    assert len(fields) >= 30  # replicas, ports, probes, Job settings, HPA, Spark...
    for model, name, alias in fields:
        for value, message in ((True, "true is not a whole number"), (2**31, "2147483648 is more")):
            with pytest.raises(ValidationError) as err:
                model.model_validate({alias: value})
            ours = [e["msg"] for e in err.value.errors() if e["loc"] == (alias,)]
            assert len(ours) == 1, (model.__name__, name, value)
            assert message in ours[0], (model.__name__, name, value, ours)


def test_the_known_regions_cover_the_shipped_stacks_and_price_books() -> None:
    from ask_components.cost.catalog import load_price_book

    for stack in ("dev", "prod", "local"):
        config = yaml.safe_load((PROJECT_ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())
        assert config["config"].get("alicloud:region", "cn-hangzhou") in KNOWN_REGIONS
    for site in ("china", "international"):
        book = load_price_book(site)
        named = {r for item in book.prices.values() for r in item.regions if not r.startswith("@")}
        assert named <= KNOWN_REGIONS, named - KNOWN_REGIONS


def test_cron_time_zone_8_exits_2_not_1(project_copy: Path) -> None:
    path = project_copy / "stacks" / "Pulumi.dev.yaml"
    path.write_text(path.read_text().replace("timeZone: Asia/Shanghai", "timeZone: 8"))
    result = runner.invoke(app, ["preview", "--stack", "dev", "-C", str(project_copy)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: invalid stack config (1 problem):\n"
        f"  - {CRON}.timeZone: 8 is not an IANA time zone name (expected e.g. Asia/Shanghai)\n"
    )
