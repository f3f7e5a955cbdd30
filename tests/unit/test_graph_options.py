"""Resource options on graph nodes: what each registration asked of the engine, by Pulumi's names."""

from __future__ import annotations

import json

import pulumi
import pulumi_kubernetes as k8s
import pytest

from ask_components.preview.graph_file import graph_from_dict
from tests.conftest import RunProgram

CM = "kubernetes:core/v1:ConfigMap"


def _config_map(name: str, opts: pulumi.ResourceOptions | None = None) -> k8s.core.v1.ConfigMap:
    return k8s.core.v1.ConfigMap(name, data={"a": "b"}, opts=opts)


def test_a_plain_resource_has_an_empty_options_object(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(lambda: _config_map("plain"))
    (node,) = graph.of_type(CM)
    assert node.options == {}
    assert node.to_dict()["options"] == {}


def test_every_option_is_recorded_with_pulumis_name(pulumi_run: RunProgram) -> None:
    def program() -> None:
        first = _config_map("first")
        _config_map(
            "second",
            pulumi.ResourceOptions(
                protect=True,
                ignore_changes=["data", "metadata.labels"],
                delete_before_replace=True,
                replace_on_changes=["data.a"],
                retain_on_delete=True,
                additional_secret_outputs=["binaryData"],
                custom_timeouts=pulumi.CustomTimeouts(create="10m", delete="1h"),
                depends_on=[first],
                aliases=[pulumi.Alias(name="old-second")],
            ),
        )

    graph = pulumi_run(program)
    nodes = {node.name: node for node in graph.of_type(CM)}
    options = dict(nodes["second"].options)
    first_urn = nodes["first"].urn
    assert options == {
        "protect": True,
        "ignoreChanges": ["data", "metadata.labels"],
        "deleteBeforeReplace": True,
        "replaceOnChanges": ["data.a"],
        "retainOnDelete": True,
        "aliases": ["urn:pulumi:dev::ask-platform::kubernetes:core/v1:ConfigMap::old-second"],
        "additionalSecretOutputs": ["binaryData"],
        "customTimeouts": {"create": "10m", "delete": "1h"},
        "dependsOn": [first_urn],
    }


def test_an_alias_under_a_parent_gets_the_parents_qualified_type(pulumi_run: RunProgram) -> None:
    class Box(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("test:index:Box", name)
            _config_map(
                f"{name}-cm",
                pulumi.ResourceOptions(
                    parent=self, aliases=[pulumi.Alias(name="renamed", type_="test:index:Old")]
                ),
            )
            _config_map(
                f"{name}-top",
                pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(parent=None)]),
            )

    graph = pulumi_run(lambda: Box("box"))
    nodes = {node.name: node for node in graph.of_type(CM)}
    assert nodes["box-cm"].options["aliases"][0] == (
        "urn:pulumi:dev::ask-platform::test:index:Box$test:index:Old::renamed"
    )
    # noParent: the resource used to sit at the top of the stack.
    assert nodes["box-top"].options["aliases"][0] == (
        "urn:pulumi:dev::ask-platform::kubernetes:core/v1:ConfigMap::box-top"
    )


def test_input_dependencies_are_not_explicit_depends_on(pulumi_run: RunProgram) -> None:
    def program() -> None:
        first = _config_map("first")
        k8s.core.v1.ConfigMap("second", data={"a": first.id})

    graph = pulumi_run(program)
    nodes = {node.name: node for node in graph.of_type(CM)}
    assert nodes["first"].urn in nodes["second"].dependencies
    assert "dependsOn" not in nodes["second"].options


def test_options_survive_the_graph_json(pulumi_run: RunProgram) -> None:
    graph = pulumi_run(lambda: _config_map("kept", pulumi.ResourceOptions(protect=True)))
    again = graph_from_dict(json.loads(graph.to_json()))
    (node,) = again.of_type(CM)
    assert node.options == {"protect": True}


def test_the_tree_marks_protected_and_ignore_changes_resources(pulumi_run: RunProgram) -> None:
    from rich.console import Console

    from ask_components.preview.render import render_tree

    def program() -> None:
        _config_map("guarded", pulumi.ResourceOptions(protect=True, delete_before_replace=True))
        _config_map("loose", pulumi.ResourceOptions(ignore_changes=["data"]))
        _config_map("plain")

    graph = pulumi_run(program, resolve_outputs=False)
    console = Console(width=200, record=True, color_system=None)
    console.print(render_tree(graph))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert lines[2:5] == [
        "    ├── guarded  kubernetes:core/v1:ConfigMap  [protected]",
        "    ├── loose  kubernetes:core/v1:ConfigMap  [ignores changes to data]",
        "    └── plain  kubernetes:core/v1:ConfigMap",
    ]


def test_a_baseline_graph_from_another_askc_may_carry_keys_this_one_does_not_write(
    pulumi_run: RunProgram,
) -> None:
    graph = pulumi_run(lambda: _config_map("kept", pulumi.ResourceOptions(protect=True)))
    document = {**json.loads(graph.to_json()), "plan": {"written by": "a newer askc"}}
    with pytest.raises(ValueError, match=r"^unknown top-level key\(s\) plan$"):
        graph_from_dict(document)
    again = graph_from_dict(document, other_keys=True)
    assert [(n.name, n.options) for n in again.of_type(CM)] == [("kept", {"protect": True})]
