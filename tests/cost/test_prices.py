"""``askc cost prices fetch`` through Alibaba's ECI SDK against a fake endpoint on 127.0.0.1.

The answers are shaped as the DescribeContainerGroupPrice reference documents them
(https://help.aliyun.com/document_detail/479622.html and doc 146893: ``PriceInfo.Price`` with
``Currency``, ``OriginalPrice``, ``TradePrice``, ``DiscountPrice`` and
``DetailInfos.DetailInfo[{Resource, OriginalPrice, ...}]``; per-second amounts, e.g. 0.00012252 for
2 vCPU / 4 GiB in cn-hangzhou, with a CPU detail of 0.000098).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("alibabacloud_eci20180808")

from ask_components.cost.catalog import load_price_book
from tests.cost.conftest import JsonHandler, start_server
from tests.cost.test_cli import askc

SECRET = "fake-secret-never-printed"


def answer(total: str, cpu: str, memory: str | None, currency: str = "CNY") -> dict[str, Any]:
    details = [
        {
            "Resource": "CPU",
            "OriginalPrice": float(cpu),
            "DiscountPrice": 0,
            "TradePrice": float(cpu),
            "Rules": {"Rule": []},
        }
    ]
    if memory is not None:
        details.append(
            {
                "Resource": "Memory",
                "OriginalPrice": float(memory),
                "DiscountPrice": 0,
                "TradePrice": float(memory),
                "Rules": {"Rule": []},
            }
        )
    return {
        "RequestId": "7A872585-33C7-4D69-AB8E-412E81EBA387",
        "PriceInfo": {
            "SpotPrices": {"SpotPrice": []},
            "Price": {
                "Currency": currency,
                "DiscountPrice": 0,
                "TradePrice": float(total),
                "OriginalPrice": float(total),
                "DetailInfos": {"DetailInfo": details},
                "Rules": {"Rule": []},
            },
        },
    }


@dataclass
class FakeEci:
    general: tuple[int, dict[str, Any]] = (200, answer("0.00012252", "0.000098", "0.00002452"))
    economy: tuple[int, dict[str, Any]] = (200, answer("0.00007852", "0.000054", "0.00002452"))
    seen: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[FakeEci, str]]:
    api = FakeEci()

    class Handler(JsonHandler):
        def do_POST(self) -> None:
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            query.update(urllib.parse.parse_qsl(self.body().decode()))
            query.setdefault("Action", self.headers.get("x-acs-action", ""))
            query["Authorization"] = self.headers.get("Authorization", "")
            api.seen.append(query)
            economy = query.get("ComputeCategory") == "economy"
            self.answer(*(api.economy if economy else api.general))

        do_GET = do_POST

    server, url = start_server(Handler)
    # Credentials from the standard variables; no profile files, no ECS metadata lookups.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfakekeyid")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    yield api, url
    server.shutdown()
    server.server_close()


def fetch(url: str, out: Path, *extra: str) -> tuple[int, str, str]:
    return askc(
        "prices", "fetch", "--region", "cn-hangzhou", "--out", str(out), "--endpoint", url, *extra
    )


def test_fetch_writes_a_book_that_price_book_reads(
    fake: tuple[FakeEci, str], tmp_path: Path
) -> None:
    api, url = fake
    out = tmp_path / "prices.yaml"
    code, stdout, err = fetch(url, out)
    assert (code, err) == (0, "")
    assert (
        stdout
        == f"wrote {out}: eci.vcpu, eci.memory, eci.vcpu_economy for cn-hangzhou (china site, CNY)\n"
    )
    assert [
        (q["Action"], q["RegionId"], q["Cpu"], q["Memory"], q.get("ComputeCategory"))
        for q in api.seen
    ] == [
        ("DescribeContainerGroupPrice", "cn-hangzhou", "2.0", "4.0", None),
        ("DescribeContainerGroupPrice", "cn-hangzhou", "2.0", "4.0", "economy"),
    ]
    signed = api.seen[0].get("AccessKeyId") or api.seen[0]["Authorization"]
    assert "LTAIfakekeyid" in signed  # signed with the chain's key
    book = load_price_book("china", out)
    vcpu = book.price("eci.vcpu", "cn-hangzhou")
    # 0.000098 / 2 = 0.000049 per vCPU-second; 0.00002452 / 4 = 0.00000613 per GiB-second
    assert (vcpu.amount, vcpu.matched) == (Decimal("0.000049"), "cn-hangzhou")
    assert book.price("eci.memory", "cn-hangzhou").amount == Decimal("0.00000613")
    assert book.price("eci.vcpu_economy", "cn-hangzhou").amount == Decimal("0.000027")
    assert (
        vcpu.entry.source
        == "ECI DescribeContainerGroupPrice (2018-08-08): RegionId=cn-hangzhou, Cpu=2, Memory=4"
    )
    assert vcpu.entry.retrieved is not None
    assert len(vcpu.entry.retrieved) == 10
    assert SECRET not in out.read_text()


def test_memory_is_the_rest_when_the_answer_has_no_memory_detail(
    fake: tuple[FakeEci, str], tmp_path: Path
) -> None:
    api, url = fake
    api.general = (200, answer("0.00012252", "0.000098", None))
    out = tmp_path / "p.yaml"
    assert fetch(url, out)[0] == 0
    assert load_price_book("china", out).price("eci.memory", "cn-hangzhou").amount == Decimal(
        "0.00000613"
    )


@pytest.mark.parametrize(
    ("general", "message"),
    [
        (
            (
                403,
                {
                    "Code": "InvalidAccessKeyId.NotFound",
                    "Message": "Specified access key is not found.",
                    "RequestId": "r",
                },
            ),
            "ECI DescribeContainerGroupPrice (2018-08-08) refused the credentials (InvalidAccessKeyId.NotFound): Specified access key is not found.",
        ),
        (
            (
                400,
                {
                    "Code": "Throttling.User",
                    "Message": "Request was denied due to user flow control.",
                    "RequestId": "r",
                },
            ),
            "ECI DescribeContainerGroupPrice (2018-08-08) is throttling requests (Throttling.User); try again later",
        ),
        (
            (
                400,
                {
                    "Code": "InvalidRegionId",
                    "Message": "The specified region does not exist.",
                    "RequestId": "r",
                },
            ),
            "--region cn-hangzhou: ECI DescribeContainerGroupPrice (2018-08-08) does not know this region (InvalidRegionId)",
        ),
        (
            (200, {"RequestId": "r", "PriceInfo": {"Price": {}}}),
            "ECI DescribeContainerGroupPrice (2018-08-08) returned no price for RegionId=cn-hangzhou, Cpu=2, Memory=4 in cn-hangzhou",
        ),
        (
            (200, answer("0.00001", "0.00001", None, currency="USD")),
            "ECI DescribeContainerGroupPrice (2018-08-08) answers in USD: the account bills on the other site than --site china (CNY); pass the account's site",
        ),
    ],
)
def test_errors_exit_2_and_write_nothing(
    fake: tuple[FakeEci, str], tmp_path: Path, general: tuple[int, dict[str, Any]], message: str
) -> None:
    api, url = fake
    api.general = general
    out = tmp_path / "prices.yaml"
    out.write_text("# the previous book stays as it was\n")
    code, stdout, err = fetch(url, out)
    assert (code, stdout, err) == (2, "", f"Error: {message}\n")
    assert out.read_text() == "# the previous book stays as it was\n"
    assert [p.name for p in tmp_path.iterdir()] == ["prices.yaml"]  # no temporary file left
    assert SECRET not in err


def test_a_failure_of_the_second_request_writes_nothing(
    fake: tuple[FakeEci, str], tmp_path: Path
) -> None:
    api, url = fake
    api.economy = (
        200,
        {
            "RequestId": "r",
            "PriceInfo": {"Price": {"OriginalPrice": 0.0001, "DetailInfos": {"DetailInfo": []}}},
        },
    )
    out = tmp_path / "prices.yaml"
    code, _, err = fetch(url, out)
    assert code == 2
    assert (
        err
        == "Error: ECI DescribeContainerGroupPrice (2018-08-08) returned no CPU price detail for RegionId=cn-hangzhou, Cpu=2, Memory=4, ComputeCategory=economy in cn-hangzhou\n"
    )
    assert not out.exists()


def test_missing_credentials_exit_2(fake: tuple[FakeEci, str], tmp_path: Path) -> None:
    # A child process: the SDK's credential providers keep state inside a process.
    import os
    import subprocess
    import sys

    api, url = fake
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_ACCESS_KEY")}
    env.update(HOME=str(tmp_path), ALIBABA_CLOUD_ECS_METADATA_DISABLED="true")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ask_components.cli",
            "cost",
            "prices",
            "fetch",
            "--region",
            "cn-hangzhou",
            "--out",
            str(tmp_path / "p.yaml"),
            "--endpoint",
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(
        "Error: no Alibaba Cloud credentials found (set ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET, or a profile): unable to load credentials"
    )
    assert "Traceback" not in done.stderr
    assert api.seen == []
    assert not (tmp_path / "p.yaml").exists()
