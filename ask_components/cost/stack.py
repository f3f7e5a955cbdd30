"""Where the cost commands get their resource sets and settings from a Pulumi project.

- the stack's region and pricing site (``alicloud:region``, ``ask:pricing: {site: ...}``);
- an offline preview of the working tree (:func:`ask_components.preview.run_preview`);
- an offline preview of the project at another git ref, in a temporary ``git worktree`` that is
  removed afterwards, even on error. That preview runs in a child Python process with the
  worktree first on ``PYTHONPATH``, so the old ref runs with its own ``ask_components`` code.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, cast

from ask_components.cost.catalog import SITES, Site
from ask_components.errors import ConfigError, ConfigProblem, InputError
from ask_components.preview.graph import ResourceGraph
from ask_components.preview.graph_file import graph_from_dict

PRICING_KEY: Final = "ask:pricing"
REGION_KEY: Final = "alicloud:region"
GIT_TIMEOUT_SECONDS: Final = 120
SKIPPED_PATHS: Final = (".venv", "venv", "node_modules", ".tox")
"""Tracked folders not checked out for a baseline preview (environments, not project code)."""
PREVIEW_TIMEOUT_SECONDS: Final = 600


@dataclass(frozen=True)
class PricingSettings:
    """The pricing settings a stack's config gives (each None when it does not say).

    Attributes:
        region: ``alicloud:region``.
        site: ``ask:pricing.site``.
    """

    region: str | None = None
    site: Site | None = None


def pricing_settings(config: Mapping[str, Any]) -> PricingSettings:
    """Read ``alicloud:region`` and ``ask:pricing`` from a stack config (key to value).

    ``ask:pricing`` may be a mapping or its JSON text (as ``pulumi preview --json`` shows config).

    Raises:
        ConfigError: ``ask:pricing`` is not ``{site: china|international}``.
    """
    region = config.get(REGION_KEY)
    raw = config.get(PRICING_KEY)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise ConfigError([ConfigProblem(PRICING_KEY, "is not valid JSON")]) from None
    site: Site | None = None
    if raw is not None:
        if not isinstance(raw, Mapping):
            raise ConfigError(
                [ConfigProblem(PRICING_KEY, f"must be a mapping, got {type(raw).__name__}")]
            )
        problems = [
            ConfigProblem(f"{PRICING_KEY}.{key}", "unknown key (allowed: site)")
            for key in raw
            if key != "site"
        ]
        value = raw.get("site")
        if value is not None and value not in SITES:
            problems.append(
                ConfigProblem(
                    f"{PRICING_KEY}.site", f"{value!r} is not allowed: use {' or '.join(SITES)}"
                )
            )
        if problems:
            raise ConfigError(problems)
        site = cast(Site | None, value)
    return PricingSettings(region if isinstance(region, str) and region else None, site)


def stack_settings(project_dir: Path, stack: str) -> PricingSettings:
    """The pricing settings of a stack of the project in ``project_dir``.

    Raises:
        InputError: no Pulumi project there, or no config file for the stack.
        ConfigError: ``ask:pricing`` is malformed.
    """
    from ask_components.preview.project import load_project, read_stack_config

    config, _ = read_stack_config(load_project(project_dir), stack)
    return pricing_settings(config)


def stack_config_dir(project_dir: Path) -> Path:
    """The project's stack config folder (``stackConfigDir``), or ``stacks/`` without a project."""
    from ask_components.preview.project import load_project

    try:
        return load_project(project_dir).stack_config_dir
    except InputError:
        return project_dir / "stacks"


def offline_preview(project_dir: Path, stack: str) -> ResourceGraph:
    """The working tree's offline preview of a stack (raises ConfigError on bad config)."""
    from ask_components.preview.engine import run_preview

    return run_preview(project_dir, stack)


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise InputError("--baseline-ref needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {' '.join(args)} took longer than {GIT_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        raise InputError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.stdout}")
    return done.stdout.strip()


PreviewRunner = Callable[[Path, str], ResourceGraph]
"""Runs the offline preview of (project folder, stack) in a checkout; injectable for tests."""


def preview_in_subprocess(project_dir: Path, stack: str, *, repo_root: Path) -> ResourceGraph:
    """Run ``askc preview --json`` of a checkout in a child process with its own code."""
    env = dict(os.environ)
    # The checkout first, so the old ref runs its own ask_components; inherited entries made
    # absolute, since the child runs in the checkout.
    inherited = [str(Path(p).resolve()) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(repo_root), *inherited])
    command = [
        sys.executable,
        "-m",
        "ask_components.cli",
        "preview",
        "--json",
        "--stack",
        stack,
        "--project-dir",
        str(project_dir),
    ]
    try:
        done = subprocess.run(
            command,
            cwd=repo_root,
            env=env,
            capture_output=True,
            text=True,
            timeout=PREVIEW_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            f"the baseline preview took longer than {PREVIEW_TIMEOUT_SECONDS} s"
        ) from None
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise InputError(
            f"the offline preview of the baseline failed (exit {done.returncode}):\n{tail}"
        )
    try:
        # The baseline's askc may be older or newer than this one: its extra keys are fine.
        return graph_from_dict(json.loads(done.stdout), other_keys=True)
    except ValueError as exc:  # json.JSONDecodeError is one
        raise InputError(f"the baseline preview printed no resource graph: {exc}") from None


@dataclass(frozen=True)
class RefPreviews:
    """Offline previews of a project at a git ref.

    Attributes:
        stacks: the stacks that have a stack file at the ref, sorted.
        graphs: stack name to its preview, for the stacks asked for that exist at the ref.
        settings: stack name to the pricing settings of its stack file at the ref (a stack the
            change removes is priced as its file said).
    """

    stacks: tuple[str, ...]
    graphs: Mapping[str, ResourceGraph]
    settings: Mapping[str, PricingSettings] = dataclasses.field(default_factory=dict)


def project_stacks(project_dir: Path) -> tuple[str, ...]:
    """The stacks with a ``Pulumi.<stack>.yaml`` in the project's stack config folder (none
    when there is no Pulumi project there)."""
    from ask_components.preview.project import load_project

    try:
        return tuple(sorted(load_project(project_dir).stacks()))
    except InputError:
        return ()


def previews_at_ref(
    project_dir: Path,
    stacks: Sequence[str] | None,
    ref: str,
    *,
    runner: PreviewRunner | None = None,
) -> RefPreviews:
    """The offline previews of ``stacks`` (every stack when None) as the project is at ``ref``.

    Checks ``ref`` out once in a temporary ``git worktree`` (detached), previews each stack that
    has a stack file there, and removes the worktree afterwards, also when a preview fails. A
    stack without a stack file at the ref has no graph (a stack the change adds).

    Args:
        project_dir: the project folder in the current checkout (may be a repo subfolder).
        stacks: the stacks to preview; None for every stack the ref has.
        ref: a commit, branch or tag (``origin/main``, ``HEAD~1``).
        runner: runs the preview in the checkout; by default a child process with its own code.

    Raises:
        InputError: not a git repository, unknown ref, or a preview at the ref failed.
    """
    project_dir = project_dir.resolve()
    root = Path(_git(["rev-parse", "--show-toplevel"], project_dir))
    relative = project_dir.relative_to(root.resolve())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], project_dir)
    tmp = Path(tempfile.mkdtemp(prefix="askc-baseline-"))
    checkout = tmp / "tree"
    try:
        # No full checkout: a repository that tracks a virtualenv holds tens of thousands of
        # files the preview never reads (this one's first commit tracks .venv/).
        _git(["worktree", "add", "--no-checkout", "--detach", str(checkout), commit], root)
        excluded = [f":(exclude){path}" for path in SKIPPED_PATHS]
        _git(["checkout", commit, "--", ".", *excluded], checkout)
        folder = checkout / relative
        there = project_stacks(folder)
        wanted = there if stacks is None else tuple(s for s in stacks if s in there)
        graphs: dict[str, ResourceGraph] = {}
        settings = {stack: stack_settings(folder, stack) for stack in wanted}
        for stack in wanted:
            if runner is None:
                graphs[stack] = preview_in_subprocess(folder, stack, repo_root=checkout)
            else:
                graphs[stack] = runner(folder, stack)
        return RefPreviews(there, graphs, settings)
    finally:
        # Twice --force: also removes a worktree left locked by an interrupted `worktree add`.
        subprocess.run(
            ["git", "worktree", "remove", "--force", "--force", str(checkout)],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
        )
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(
            ["git", "worktree", "prune"],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
        )


def preview_at_ref(
    project_dir: Path, stack: str, ref: str, *, runner: PreviewRunner | None = None
) -> ResourceGraph | None:
    """The offline preview of ``stack`` as the project is at git ``ref``; None when the stack
    has no stack file there (see :func:`previews_at_ref`)."""
    return previews_at_ref(project_dir, [stack], ref, runner=runner).graphs.get(stack)


def empty_graph(project: str, stack: str) -> ResourceGraph:
    """The resources of a stack that does not exist (on one side of a diff): none."""
    return ResourceGraph(project, stack, ())
