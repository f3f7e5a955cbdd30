"""docs/cost-model.md lists the built-in prices exactly as the books hold them.

``UPDATE_GOLDEN=1 pytest tests/cost/test_docs.py`` rewrites the generated section.
"""

from __future__ import annotations

import os
import re

from ask_components.cost.catalog import SITES, builtin_price_book
from ask_components.cost.model import plain
from tests.cost.conftest import HERE

DOC = HERE.parents[1] / "docs" / "cost-model.md"
START, END = "<!-- prices:start -->", "<!-- prices:end -->"


def price_tables() -> str:
    """The Markdown tables of both built-in books."""
    out: list[str] = []
    for site in SITES:
        book = builtin_price_book(site)
        out += [
            "",
            f"#### {site} site ({book.currency})",
            "",
            "| Key | Unit | Where | Price | Source | Date shown |",
            "|---|---|---|---:|---|---|",
        ]
        for key, item in book.prices.items():
            for where, entry in [("default", item.default), *item.regions.items()]:
                if entry.price is None:
                    price = f"**not found** ({entry.note})"
                else:
                    price = plain(entry.price) + (f" ({entry.note})" if entry.note else "")
                out.append(
                    f"| `{key}` | {item.unit} | {where} | {price} | "
                    f"[{entry.source_key or 'link'}]({entry.source}) | "
                    f"{entry.retrieved or '—'} |"
                )
        groups = "; ".join(f"`@{g}` = {', '.join(r)}" for g, r in book.region_groups.items())
        out += ["", f"Region groups: {groups}"]
    return "\n".join(out) + "\n"


def test_price_tables_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    expected = f"{START}\n{price_tables()}\n{END}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        DOC.write_text(pattern.sub(lambda _: expected, text), encoding="utf-8")
        text = DOC.read_text(encoding="utf-8")
    assert expected in text, "run UPDATE_GOLDEN=1 pytest tests/cost/test_docs.py"


def test_every_usage_key_is_documented() -> None:
    from ask_components.cost.resources import ALL_USAGE_KEYS

    text = DOC.read_text(encoding="utf-8")
    for key in ALL_USAGE_KEYS:
        assert f"| `{key}` |" in text, key
