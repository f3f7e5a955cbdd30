"""Project-level config (``Pulumi.yaml`` ``config:``), read with the Pulumi CLI's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from ask_components.errors import InputError
from ask_components.preview.engine import run_preview
from ask_components.preview.project import load_project, read_stack_config

PROJECT_HEAD = "name: ask-platform\nruntime: python\nstackConfigDir: stacks\n"


def _project(tmp_path: Path, config_block: str, stack_file: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(PROJECT_HEAD + config_block)
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "Pulumi.dev.yaml").write_text(stack_file)
    return tmp_path


def _read(root: Path) -> tuple[dict[str, object], list[str]]:
    return read_stack_config(load_project(root), "dev")


def test_project_values_fill_in_and_stack_values_win(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "config:\n"
        "  alicloud:region: cn-shanghai\n"  # shorthand of another namespace: a value
        "  ask:target: {value: alicloud}\n"
        "  logLevel: info\n"  # shorthand of the project's namespace: a default
        "  replicas: {type: integer, default: 2}\n",
        "config:\n  alicloud:region: cn-hangzhou\n  ask-platform:replicas: 3\n",
    )
    values, secrets = _read(root)
    assert values == {
        "alicloud:region": "cn-hangzhou",  # the stack file wins
        "ask-platform:replicas": "3",  # a scalar is the text written, as the CLI reads it
        "ask:target": "alicloud",
        "ask-platform:logLevel": "info",
    }
    assert secrets == []


def test_a_structured_value_is_written_as_value(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "config:\n  ask:local: {value: {kubeContext: kind-other}}\n",
        "config: {}\n",
    )
    values, _ = _read(root)
    assert values == {"ask:local": {"kubeContext": "kind-other"}}


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "config:\n  ask:local: {kubeContext: kind-x}\n",
            "config key 'ask:local' has 'kubeContext'; a project config entry takes type, "
            "description, items, default, value and secret (write a structured value as "
            "`value: {...}`)",
        ),
        (
            "config:\n  alicloud:region: {default: cn-hangzhou}\n",
            "config key 'alicloud:region' is not in the project's namespace (ask-platform) and "
            "cannot have a default: use `value`",
        ),
        (
            "config:\n  alicloud:region: {type: string, value: cn-hangzhou}\n",
            "config key 'alicloud:region' is not in the project's namespace (ask-platform) and "
            "cannot declare a type",
        ),
        (
            "config:\n  alicloud:region: {description: where}\n",
            "config key 'alicloud:region' must give a `value`",
        ),
        (
            "config:\n  size: {default: 1, value: 2}\n",
            "config key 'size' cannot have both a default and a value",
        ),
        (
            "config:\n  size: {type: number}\n",
            "config key 'size' has type 'number'; the types are string, integer, boolean, array, object",
        ),
        (
            "config:\n  zones: {type: array}\n",
            "config key 'zones' declares an array without `items` (its item type)",
        ),
        (
            "config:\n  size: {type: integer, default: big}\n",
            "the default of config key 'size' is not of type 'integer'",
        ),
        ("config: [a, b]\n", "`config` must be a mapping of config keys"),
    ],
)
def test_bad_project_config_is_refused(tmp_path: Path, block: str, message: str) -> None:
    root = _project(tmp_path, block, "config: {}\n")
    with pytest.raises(InputError) as err:
        load_project(root)
    assert str(err.value) == f"project file {root / 'Pulumi.yaml'}: {message}"


def test_a_required_key_without_default_must_be_set(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "config:\n  owner: {type: string}\n  team: {type: string}\n",
        "config: {}\n",
    )
    with pytest.raises(InputError) as err:
        _read(root)
    assert str(err.value) == (
        "stack 'dev' is missing config values ask-platform:owner, ask-platform:team, which "
        "Pulumi.yaml requires (no default): pulumi config set ask-platform:owner <value>"
    )


def test_declared_types_are_checked(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "config:\n  replicas: {type: integer}\n  zones: {type: array, items: {type: string}}\n",
        'config:\n  ask-platform:replicas: "4"\n  ask-platform:zones: [a, 5]\n',
    )
    with pytest.raises(InputError) as err:
        _read(root)
    # "4" passes as an integer (project.go accepts integer strings); the array holds a number.
    assert str(err.value) == (
        "stack 'dev': config key ask-platform:zones must be of type 'array', as Pulumi.yaml declares"
    )


def test_a_secret_key_must_be_set_as_a_secret(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "config:\n  ask:dbPassword: {value: x, secret: true}\n",
        "config:\n  ask:dbPassword: plain\n",
    )
    with pytest.raises(InputError) as err:
        _read(root)
    assert str(err.value) == (
        "stack 'dev': config key ask:dbPassword must be a secret, as Pulumi.yaml declares: "
        "pulumi config set --secret ask:dbPassword <value>"
    )


def test_the_old_config_spelling_of_stack_config_dir(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nconfig: cfg\n")
    project = load_project(tmp_path)
    assert project.stack_config_dir == tmp_path / "cfg"
    assert project.config == {}


def test_the_offline_preview_honours_project_config(project_copy: Path) -> None:
    """The region comes from Pulumi.yaml when the stack file leaves it out."""
    pulumi_yaml = project_copy / "Pulumi.yaml"
    pulumi_yaml.write_text(pulumi_yaml.read_text() + "config:\n  alicloud:region: cn-shanghai\n")
    stack = project_copy / "stacks" / "Pulumi.dev.yaml"
    text = stack.read_text().replace("  alicloud:region: cn-hangzhou\n", "")
    text = text.replace("cn-hangzhou-i", "cn-shanghai-e").replace("cn-hangzhou-j", "cn-shanghai-f")
    stack.write_text(text)
    graph = run_preview(project_copy, "dev")
    (provider,) = graph.of_type("pulumi:providers:alicloud")
    assert provider.inputs["region"] == "cn-shanghai"
