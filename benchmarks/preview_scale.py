"""How fast is the offline preview, and what do the components cost over the raw SDK?

Run: ``make bench`` (or ``.venv/bin/python benchmarks/preview_scale.py``).

Every number is measured in this run and printed as a ratio against a baseline measured in the
same run, because these machines are noisy and absolute times drift:

- platform at 1, 3 and 5 zones: ``run_preview`` of the real program vs a raw-SDK program that
  registers the same number of resources directly under plain ``pulumi.runtime`` mocks
  (the ratio is the component overhead), and the time per resource;
- ``import ask_components`` in a fresh interpreter vs ``import json`` (target: at most 0.5 s).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ask_components.preview.engine import run_preview, run_program  # noqa: E402

ZONES = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k", "cn-hangzhou-h", "cn-hangzhou-g"]
REPEAT = 5


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs (the least disturbed by the rest of the machine)."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def platform_config(zones: int) -> dict[str, Any]:
    return {
        "alicloud:region": "cn-hangzhou",
        "ask:target": "alicloud",
        "ask:platform": {
            "name": "bench",
            "network": {"cidr": "10.0.0.0/16", "zones": ZONES[:zones], "egress": "per-zone"},
            "cluster": {"edition": "pro", "version": "1.33"},
        },
    }


def raw_program(count: int) -> Callable[[], None]:
    """Register ``count`` plain resources directly, no components: the SDK's own cost."""

    def program() -> None:
        import pulumi_alicloud as alicloud

        for index in range(count):
            alicloud.vpc.Switch(f"vsw-{index}", vpc_id="vpc-1", cidr_block=f"10.{index}.0.0/24")

    return program


def main() -> None:
    print("offline preview of the platform (per-zone egress), best of", REPEAT)
    print(
        f"{'zones':>5} {'resources':>9} {'preview s':>10} {'raw SDK s':>10} {'ratio':>6}"
        f" {'ms/resource':>12}"
    )
    for zones in (1, 3, 5):
        overrides = platform_config(zones)
        elapsed, graph = best_of(
            REPEAT, lambda overrides=overrides: run_preview(ROOT, "dev", config_overrides=overrides)
        )
        count = sum(1 for node in graph if node.custom)
        raw, _ = best_of(REPEAT, lambda count=count: run_program(raw_program(count)))
        print(
            f"{zones:>5} {len(graph):>9} {elapsed:>10.3f} {raw:>10.3f} {elapsed / raw:>6.2f}"
            f" {1000 * elapsed / len(graph):>12.2f}"
        )

    def import_time(module: str) -> float:
        code = (
            f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        )
        samples = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                ).stdout
            )
            for _ in range(REPEAT)
        ]
        return statistics.median(samples)

    ours = import_time("ask_components")
    base = import_time("json")
    pulumi_import = import_time("pulumi")
    print()
    print(
        f"import ask_components: {ours:.3f} s (target <= 0.5 s); {ours / base:.0f}x import json,"
        f" {ours / pulumi_import:.2f}x import pulumi"
    )


if __name__ == "__main__":
    main()
