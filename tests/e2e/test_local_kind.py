"""End to end on a real kind cluster: ``pulumi up --stack local``, the app answers on its private
name inside the cluster, ``pulumi destroy`` puts CoreDNS back as it was.

Needs the Pulumi CLI, kind, kubectl and a running ``make kind-up`` cluster; skipped otherwise
(our build machines have none of them). Run it with ``.venv/bin/python -m pytest -m e2e``.
The stack runs in a copy of the project with its own file backend, so neither your Pulumi
login nor ``stacks/Pulumi.local.yaml`` is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.e2e

STACK = "local"
TOOLS = ("pulumi", "kind", "kubectl")


def _missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _local_config() -> dict[str, object]:
    document = yaml.safe_load((PROJECT_ROOT / "stacks" / f"Pulumi.{STACK}.yaml").read_text())
    config: dict[str, object] = document["config"]
    return config


def _context() -> str:
    local = _local_config().get("ask:local") or {}
    assert isinstance(local, dict)
    return str(local.get("kubeContext", "kind-ask"))


def _run(
    args: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


def _kubectl(*args: str, timeout: int = 120) -> str:
    return _run(["kubectl", "--context", _context(), *args], timeout=timeout).stdout


def _corefile() -> str:
    configmap = json.loads(
        _kubectl("-n", "kube-system", "get", "configmap", "coredns", "-o", "json")
    )
    return str(configmap["data"]["Corefile"])


def _in_cluster(script: str, name: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a throwaway busybox pod; its output and exit code."""
    return subprocess.run(
        [
            "kubectl", "--context", _context(), "run", name, "--rm", "-i", "--quiet",
            "--restart=Never", "--image=docker.io/library/busybox:1.37.0",
            "--", "sh", "-c", script,
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def _eventually(script: str, what: str, *, timeout: float = 240) -> str:
    """Retry ``script`` in the cluster until it exits 0 (CoreDNS reloads its Corefile within
    about a minute); its output."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        attempt += 1
        result = _in_cluster(script, f"e2e-probe-{attempt}")
        if result.returncode == 0:
            return result.stdout
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not succeed in {timeout:.0f} s:\n{result.stdout}")
        time.sleep(10)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    missing = _missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} on the PATH (see docs/local-target.md)")
    clusters = subprocess.run(["kind", "get", "clusters"], capture_output=True, text=True)
    if _context().removeprefix("kind-") not in clusters.stdout.split():
        pytest.skip(f"no kind cluster for context {_context()}: run `make kind-up` first")
    venv = PROJECT_ROOT / ".venv"
    if not venv.is_dir():
        pytest.skip("no .venv in the project: run `make setup` first")

    root = tmp_path_factory.mktemp("e2e")
    project = root / "project"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, project / name)
    shutil.copytree(PROJECT_ROOT / "stacks", project / "stacks")
    (project / ".venv").symlink_to(venv)
    backend = root / "state"
    backend.mkdir()
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": "e2e-only",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
    corefile_before = _corefile()
    _run(["pulumi", "stack", "init", STACK], cwd=project, env=env, timeout=120)
    try:
        _run(
            ["pulumi", "up", "--yes", "--skip-preview", "--stack", STACK],
            cwd=project, env=env, timeout=900,
        )  # fmt: skip
        yield project, corefile_before
    finally:
        _run(["pulumi", "destroy", "--yes", "--stack", STACK], cwd=project, env=env, timeout=900)
        _run(["pulumi", "stack", "rm", "--yes", STACK], cwd=project, env=env, timeout=120)
    # Destroy removed exactly the block it added: CoreDNS's Corefile is byte-for-byte as before.
    assert _corefile() == corefile_before


def test_the_app_runs_with_its_eci_spec(deployed: tuple[Path, str]) -> None:
    config = _local_config()
    platform = config["ask:platform"]
    assert isinstance(platform, dict)
    namespace = platform.get("workloadsNamespace", platform["name"])
    _kubectl("-n", str(namespace), "rollout", "status", "deployment/web", "--timeout=300s")
    deployment = json.loads(
        _kubectl("-n", str(namespace), "get", "deployment", "web", "-o", "json")
    )
    template = deployment["spec"]["template"]
    assert template["metadata"]["annotations"]["k8s.aliyun.com/eci-instance-spec"] == "0.5-1.0Gi"
    [container] = template["spec"]["containers"]
    assert container["resources"] == {
        "limits": {"cpu": "500m", "memory": "1Gi"},
        "requests": {"cpu": "500m", "memory": "1Gi"},
    }


def test_coredns_holds_the_zone_while_deployed(deployed: tuple[Path, str]) -> None:
    _, before = deployed
    after = _corefile()
    assert after.startswith(before.rstrip("\n"))
    assert "# BEGIN ask-components" in after


def test_the_private_name_resolves_and_serves_the_app(deployed: tuple[Path, str]) -> None:
    dns = _local_config()["ask:platform"]
    assert isinstance(dns, dict)
    zone = dns["dns"]["zone"]
    output = _eventually(f"wget -q -O - http://web.{zone}/", f"GET http://web.{zone}/")
    assert "Welcome to nginx" in output
    _eventually(f"! nslookup nothing-here.{zone}", f"NXDOMAIN for nothing-here.{zone}")
