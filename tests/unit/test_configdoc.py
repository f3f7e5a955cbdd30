"""docs/config-reference.md lists every config key the models accept."""

from __future__ import annotations

from ask_components import configdoc


def test_the_config_reference_is_up_to_date() -> None:
    document = configdoc.DOC_PATH.read_text(encoding="utf-8")
    assert document == configdoc.render(document), (
        "docs/config-reference.md is out of date: run `.venv/bin/python -m ask_components.configdoc`"
    )


def test_the_table_has_a_row_per_key() -> None:
    table = configdoc.reference_table()
    assert "| `ask:platform.network.zones` | list of str | required |" in table
    assert "| `ask:platform.cluster.edition` | `basic` \\| `pro` | `pro` |" in table
    assert "| `alicloud:region` | str | required |" in table
    assert "`ask:platform.stack`" not in table
