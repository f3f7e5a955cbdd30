"""Monthly cost of a resource graph, and of a change: price books, pricing modules, diffs.

See docs/cost-model.md for the formulas, the sources of every price and the usage file.
"""

from ask_components.cost.catalog import PriceBook, builtin_price_book, load_price_book
from ask_components.cost.diff import CostDiff, ResourceDiff, diff
from ask_components.cost.estimate import Coverage, Estimate, ResourceCost, estimate
from ask_components.cost.model import HOURS_PER_MONTH, CostLine
from ask_components.cost.render import render_json, render_markdown, render_table
from ask_components.cost.sources import PreviewSides, read_preview_json, read_state
from ask_components.cost.usage import Usage, load_usage, usage_template

__all__ = [
    "HOURS_PER_MONTH",
    "CostDiff",
    "CostLine",
    "Coverage",
    "Estimate",
    "PreviewSides",
    "PriceBook",
    "ResourceCost",
    "ResourceDiff",
    "Usage",
    "builtin_price_book",
    "diff",
    "estimate",
    "load_price_book",
    "load_usage",
    "read_preview_json",
    "read_state",
    "render_json",
    "render_markdown",
    "render_table",
    "usage_template",
]
