"""How fast is the offline preview, and what do the components cost over the raw SDK?

Run: ``make bench`` (or ``.venv/bin/python benchmarks/preview_scale.py``).

Every number is measured in this run and printed as a ratio against a baseline measured in the
same run, because these machines are noisy and absolute times drift:

- platform at 1, 3 and 5 zones: ``run_preview`` of the real program vs a raw-SDK program that
  registers the same number of resources directly under plain ``pulumi.runtime`` mocks
  (the ratio is the component overhead), and the time per resource;
- ``import ask_components`` in a fresh interpreter vs ``import json`` (target: at most 0.5 s);
- workloads at scale (``python benchmarks/preview_scale.py workloads`` runs only this part):
  generated stacks of 10, 100, 200 and 1,000 autoscaled apps (each a Deployment, Service, HPA,
  CronHPA, PodDisruptionBudget and a secret-env Secret). Each preview runs in a fresh process and
  is timed whole (interpreter start, imports, config, program, graph); the baseline is another
  fresh process in which the raw Pulumi SDK registers the same resources, with the same inputs,
  under the stock ``pulumi.runtime`` mocks (flat: no components, parents or dependencies), after
  importing the same provider SDKs. Targets: the 200-app preview takes at most 1.5x the raw SDK,
  and the time per resource (program run only, imports excluded) stays flat from 10 to 1,000.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
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


APP_COUNTS = (10, 100, 200, 1000)
TARGET_APPS = 200
TARGET_RATIO = 1.5

# Run in a fresh interpreter with this checkout first on sys.path (not an installed copy).
_PREVIEW_CHILD = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
import pulumi, pulumi_alicloud, pulumi_kubernetes
import ask_components.platform, ask_components.targets.alicloud, ask_components.workloads.build
from ask_components.preview.engine import run_preview
imported = time.perf_counter()
graph = run_preview({project!r}, "bench")
done = time.perf_counter()
if {replay!r}:
    records = [
        {{"type": n.type, "name": n.name, "custom": n.custom, "inputs": n.inputs}}
        for n in graph if n.type != "pulumi:pulumi:Stack"
    ]
    with open({replay!r}, "w") as out:
        json.dump(records, out)
result = {{"imports": imported - start, "run": done - imported, "resources": len(graph) - 1}}
print(json.dumps(result))
"""

# Time per resource, in one interpreter: a 1-app stack first (the first use of every resource
# class, untimed), then the best of ``repeat`` runs of the 0-app platform and of the N-app stack;
# the difference over the extra resources is the time per workload resource.
_MARGINAL_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from ask_components.preview.engine import run_preview
run_preview({warmup!r}, "bench")


def best(project):
    times, size = [], 0
    for _ in range({repeat}):
        start = time.perf_counter()
        size = len(run_preview(project, "bench"))
        times.append(time.perf_counter() - start)
    return min(times), size


base, base_size = best({base!r})
run, size = best({project!r})
print(json.dumps({{"marginal": (run - base) / (size - base_size)}}))
"""

_RAW_CHILD = """
import json, re, sys, time
start = time.perf_counter()
import pulumi, pulumi_alicloud, pulumi_kubernetes as k8s
from pulumi.runtime import mocks
from pulumi.runtime.stack import wait_for_rpcs
from pulumi.runtime.sync_await import _sync_await
with open({replay!r}) as source:
    records = json.load(source)
TYPED = {typed!r}


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return "", dict(args.inputs)

    def call(self, args):
        return {{}}


def snake(key):
    return re.sub(r"(?<!^)([A-Z])", r"_\\1", key).lower()


def kubernetes_class(type_token):
    # kubernetes:apps/v1:Deployment -> pulumi_kubernetes.apps.v1.Deployment; None for CRDs.
    _, group_version, kind = type_token.split(":")
    group, version = group_version.split("/")
    module = getattr(k8s, group.split(".")[0], None)
    return getattr(getattr(module, version, None), kind, None)


mocks.set_mocks(Mocks(), "bench", "bench", preview=True)
imported = time.perf_counter()
for record in records:
    kind, name, inputs = record["type"], record["name"], record["inputs"]
    if TYPED and kind == "pulumi:providers:kubernetes":
        k8s.Provider(name, kubeconfig="apiVersion: v1")
    elif kind.startswith("pulumi:providers:"):
        pulumi.ProviderResource(kind.split(":")[-1], name, inputs)
    elif TYPED and kind.startswith("kubernetes:") and record["custom"]:
        cls = kubernetes_class(kind)
        arguments = {{snake(key): value for key, value in inputs.items()}}
        (cls or k8s.apiextensions.CustomResource)(name, **arguments)
    elif record["custom"]:
        pulumi.CustomResource(kind, name, inputs)
    else:
        pulumi.ComponentResource(kind, name)
_sync_await(wait_for_rpcs())
done = time.perf_counter()
result = {{"imports": imported - start, "run": done - imported, "resources": len(records)}}
print(json.dumps(result))
"""


def workload_project(apps: int, directory: Path) -> Path:
    """A copy of this project with a stack ``bench`` of ``apps`` autoscaled apps."""
    import yaml

    directory.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, directory / name)
    (directory / "stacks").mkdir(exist_ok=True)
    app_list = [
        {
            "name": f"app-{index:04d}",
            "image": f"registry.cn-hangzhou.aliyuncs.com/shop/app-{index:04d}:1.0.0",
            "cpu": "1",
            "memory": "2Gi",
            "autoscale": {"min": 2, "max": 10},
            "timeZone": "Asia/Shanghai",
            "schedules": [
                {"name": "workday-up", "schedule": "0 0 8 * * 1-5", "targetSize": 4},
                {"name": "workday-down", "schedule": "0 0 20 * * 1-5", "targetSize": 2},
            ],
            "readiness": {"path": "/healthz"},
            "env": {"LOG_LEVEL": "info"},
            "secretEnv": {"DB_PASSWORD": "dbPassword"},
        }
        for index in range(apps)
    ]
    config = {
        "alicloud:region": "cn-hangzhou",
        "ask:target": "alicloud",
        "ask:platform": {
            "name": "bench",
            "network": {"cidr": "10.0.0.0/16", "zones": ZONES[:2], "egress": "single"},
            "cluster": {"edition": "pro", "version": "1.33"},
            "workloads": {"apps": app_list},
        },
        "ask:dbPassword": {"secure": "v1:YmVuY2g=:YmVuY2gtc2VjcmV0"},
    }
    (directory / "stacks" / "Pulumi.bench.yaml").write_text(yaml.safe_dump({"config": config}))
    return directory


def _child(code: str) -> tuple[float, dict[str, Any]]:
    """Run ``code`` in a fresh interpreter: its whole wall time and what it printed (JSON)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(proc.stdout.strip().splitlines()[-1])


def workloads_section() -> None:
    """Preview of 10 to 1,000 apps vs the raw SDK registering the same resources."""
    print(
        "workloads at scale: whole-process seconds of a fresh interpreter (best of 3; one run at"
        " 1,000 apps)"
    )
    print(
        "  raw SDK = the same resources, same inputs, stock mocks, flat; typed = through the"
        " provider SDK classes (Deployment, Service, ...), generic = pulumi.CustomResource"
    )
    print(
        f"{'apps':>5} {'resources':>9} {'preview':>8} {'raw typed':>10} {'ratio':>6}"
        f" {'raw generic':>12} {'ratio':>6} {'ms/resource':>12}"
    )
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="ask-bench-") as tmp:
        warmup = workload_project(1, Path(tmp) / "warmup")
        for apps in (0, *APP_COUNTS):
            project = workload_project(apps, Path(tmp) / f"apps-{apps}")
            replay = str(Path(tmp) / f"replay-{apps}.json")
            repeat = 1 if apps >= 1000 else 3
            preview_runs = [
                _child(
                    _PREVIEW_CHILD.format(
                        root=str(ROOT), project=str(project), replay=replay if i == 0 else ""
                    )
                )
                for i in range(repeat)
            ]
            # The time per resource comes from separate runs that first preview a 1-app stack
            # in the same process, so one-time costs (first use of each resource class) are
            # not spread over the resources of the small stacks.
            result = {
                "resources": preview_runs[0][1]["resources"],
                "preview": min(wall for wall, _ in preview_runs),
            }
            if apps:
                marginal = _MARGINAL_CHILD.format(
                    root=str(ROOT),
                    warmup=str(warmup),
                    base=str(Path(tmp) / "apps-0"),
                    project=str(project),
                    repeat=5 if apps <= 100 else repeat,
                )
                result["marginal"] = 1000 * _child(marginal)[1]["marginal"]
                for typed in (True, False):
                    code = _RAW_CHILD.format(replay=replay, typed=typed)
                    key = "typed" if typed else "generic"
                    result[key] = min(_child(code)[0] for _ in range(repeat))
            results[apps] = result
            if not apps:
                continue
            print(
                f"{apps:>5} {int(result['resources']):>9} {result['preview']:>8.2f}"
                f" {result['typed']:>10.2f} {result['preview'] / result['typed']:>6.2f}"
                f" {result['generic']:>12.2f} {result['preview'] / result['generic']:>6.2f}"
                f" {result['marginal']:>12.2f}"
            )
    target = results[TARGET_APPS]
    ratio = target["preview"] / target["typed"]
    verdict = "ok" if ratio <= TARGET_RATIO else "ABOVE TARGET"
    print(
        f"{TARGET_APPS} apps: preview / raw SDK (typed) = {ratio:.2f} (target <= {TARGET_RATIO}):"
        f" {verdict}; / raw SDK (generic) = {target['preview'] / target['generic']:.2f}"
    )
    low, high = min(APP_COUNTS), max(APP_COUNTS)
    flat = results[high]["marginal"] / results[low]["marginal"]
    print(
        f"ms per workload resource, {high} apps / {low} apps = {flat:.2f} (flat is 1.0;"
        " the run beyond a 0-app platform, after a warm-up run, imports excluded)"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["workloads"]:
        workloads_section()
    else:
        main()
        print()
        workloads_section()
