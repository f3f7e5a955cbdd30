"""``askc diagram``: golden Mermaid text per stack, its structure, highlights, SVG and HTML."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ask_components.cli import app
from ask_components.diagram import platform_diagram, render_mermaid, render_mermaid_with_changes
from ask_components.diagram.mermaid import escape
from ask_components.diagram.svg import render_html, render_svg
from ask_components.preview.engine import run_preview
from tests.diagram.mermaid_check import check

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parent / "golden"
CHROMIUM = Path("/usr/bin/chromium")
UPDATE = os.environ.get("ASKC_UPDATE_GOLDEN") == "1"
"""Set ASKC_UPDATE_GOLDEN=1 to rewrite the golden files (then review their diff)."""

runner = CliRunner()


@pytest.fixture(scope="module")
def graphs() -> dict[str, object]:
    return {stack: run_preview(ROOT, stack) for stack in ("prod", "dev", "local")}


@pytest.mark.parametrize("stack", ["prod", "dev", "local"])
def test_mermaid_matches_the_golden_file(stack: str) -> None:
    result = runner.invoke(app, ["diagram", "--stack", stack, "-C", str(ROOT)])
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"{stack}.mmd"
    if UPDATE:
        golden.write_text(result.stdout)
    assert result.stdout == golden.read_text()
    check(result.stdout)


def test_prod_has_a_box_per_zone_nat_the_cluster_the_alb_and_each_app() -> None:
    shape = check((GOLDEN / "prod.mmd").read_text())
    zones = [g for g in shape["groups"] if g.startswith("zone_")]
    assert zones == ["zone_cn_hangzhou_i", "zone_cn_hangzhou_j", "zone_cn_hangzhou_k"]
    nodes = shape["nodes"]
    assert [n for n in nodes if n.startswith("nat_")] == [
        "nat_cn_hangzhou_i",
        "nat_cn_hangzhou_j",
        "nat_cn_hangzhou_k",
    ]
    assert "control_plane_shop_ask_cluster" in nodes
    assert "cluster_shop_ask_cluster" in shape["groups"]
    assert [n for n in nodes if n.startswith("alb_")] == ["alb_shop_alb"]
    assert [n for n in nodes if n.startswith("workload_")] == [
        "workload_web",
        "workload_nightly_report",
        "workload_thumbnail_backfill",
        "workload_daily_sales",
        "workload_gitlab_ci",
    ]
    assert "alb_shop_alb->workload_web" in shape["edges"]
    assert "record_web->alb_shop_alb" in shape["edges"]


def test_dev_draws_the_apps_clb_and_no_alb() -> None:
    text = (GOLDEN / "dev.mmd").read_text()
    assert 'clb_web["CLB for web<br/>intranet<br/>' in text
    assert "alb_" not in text
    assert "clb_web --> workload_web" in text


def test_workloads_show_their_billed_spec_and_monthly_cost() -> None:
    text = (GOLDEN / "prod.mmd").read_text()
    assert (
        'workload_web("web<br/>2 replicas (HPA 2-10, CronHPA), ECI 1-2Gi (fallback 2-4Gi)<br/>321.98 CNY/month + usage")'
        in text
    )


def test_changed_resources_are_highlighted(graphs: dict[str, object]) -> None:
    graph = graphs["prod"]
    cluster = next(n.urn for n in graph if n.type.endswith("ManagedKubernetes"))  # type: ignore[attr-defined]
    nat = next(n.urn for n in graph if n.name == "shop-network-nat-cn-hangzhou-j")  # type: ignore[attr-defined]
    text = render_mermaid_with_changes(graph, [cluster, nat])  # type: ignore[arg-type]
    check(text)
    assert text.endswith(
        "  classDef changed fill:#fde68a,stroke:#b45309,stroke-width:3px,color:#111827\n"
        "  class nat_cn_hangzhou_j,control_plane_shop_ask_cluster changed\n"
    )
    assert "classDef changed" not in render_mermaid_with_changes(graph, [])  # type: ignore[arg-type]


def test_labels_are_escaped_and_ids_are_safe() -> None:
    assert escape('say "hi" <b> #1') == "say #quot;hi#quot; #lt;b#gt; #35;1"
    for stack in ("prod", "dev", "local"):
        for line in (GOLDEN / f"{stack}.mmd").read_text().splitlines():
            assert re.fullmatch(r"[^\"]*(\"[^\"]*\"[^\"]*)*", line), line


@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_svg_and_html_are_self_contained(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"prod.{fmt}"
    result = runner.invoke(
        app, ["diagram", "--stack", "prod", "-C", str(ROOT), "-f", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert "<svg" in text
    assert "</svg>" in text
    # Nothing is loaded at view time: no script, no external link or stylesheet.
    assert "<script" not in text
    assert re.findall(r"(?:href|src)=\"(?!#)", text) == []
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text
    # One box per diagram box: Internet, VPC, Zones, 3 zones with 9 vSwitch/NAT/EIP boxes, the
    # ALB, the cluster and its control plane, 5 workload kinds with 5 workloads, the private
    # zone with its zone box and 2 records.
    assert text.count("<rect id=") == 32
    assert not list(tmp_path.glob("*.part"))


def test_out_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["diagram", "--stack", "dev", "-C", str(ROOT), "--out", str(tmp_path / "no" / "x.svg")]
    )
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: --out {tmp_path / 'no' / 'x.svg'}: folder {tmp_path / 'no'} does not exist\n"
    )


def _screenshot(page: Path, shot: Path, profile: Path) -> None:
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--window-size=1400,1000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium is not installed (apt-get install -y chromium); see README",
)
@pytest.mark.parametrize("fmt", ["svg", "html"])
def test_chromium_draws_the_diagram(fmt: str, tmp_path: Path, graphs: dict[str, object]) -> None:
    from PIL import Image, ImageStat

    graph = graphs["prod"]
    cluster = next(n.urn for n in graph if n.type.endswith("ManagedKubernetes"))  # type: ignore[attr-defined]
    diagram = platform_diagram(graph, region="cn-hangzhou")  # type: ignore[arg-type]
    page = tmp_path / f"prod.{fmt}"
    page.write_text(
        render_svg(diagram, [cluster]) if fmt == "svg" else render_html(diagram, [cluster])
    )
    shot = tmp_path / "shot.png"
    _screenshot(page, shot, tmp_path / "profile")
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1000)
    stat = ImageStat.Stat(image)
    # Not blank: the pixels vary (a white page has variance 0 in every channel) ...
    assert min(stat.var) > 100
    # ... and the highlighted control plane's amber fill (#fde68a) is on screen.
    assert (253, 230, 138) in {colour for _, colour in image.getcolors(1_000_000) or []}


def test_a_graph_without_network_still_draws(graphs: dict[str, object]) -> None:
    from ask_components.preview.graph import ResourceGraph

    graph = graphs["dev"]
    apps = ResourceGraph(
        "p",
        "s",
        tuple(n for n in graph if not n.type.startswith("alicloud:")),  # type: ignore[attr-defined]
    )
    shape = check(render_mermaid(platform_diagram(apps)))
    # An intranet CLB: nothing comes from the Internet, so no Internet box.
    assert shape["nodes"] == ["clb_web", "workload_web", "workload_nightly_report"]
    assert shape["groups"] == ["workloads", "workloads_apps", "workloads_cronjobs"]
