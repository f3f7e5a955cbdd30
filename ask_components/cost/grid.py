"""A plain text grid for the cost tables: the layout of a borderless ``rich.table.Table``
(columns two spaces apart, a bold header, bold cells where asked), built as one ``Text``.

Why not ``rich.table.Table``: it measures and wraps every cell as its own renderable, which
took 7 s for the 60,000 rows of a 10,000-resource diff (benchmarks/cost_scale.py), seven times
the estimate itself. The grid computes each column's width once and pads strings; a row wider
than the terminal wraps instead of folding its name column.
"""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

Justify = Literal["left", "right"]
Cell = str | Text
"""A cell: plain text, or a ``Text`` whose style (``bold``) covers the whole cell."""

GAP = "  "
"""Between two columns, as a borderless rich table pads them (one space each side)."""


class TextGrid:
    """Rows of cells under headers; renders as one :class:`rich.text.Text`."""

    def __init__(self) -> None:
        self.headers: list[str] = []
        self.justify: list[Justify] = []
        self.rows: list[tuple[tuple[str, str], ...]] = []

    def add_column(self, header: str, justify: Justify = "left") -> None:
        """A column with its header and justification."""
        self.headers.append(header)
        self.justify.append(justify)

    def add_row(self, *cells: Cell) -> None:
        """A row, one cell per column (a ``Text`` cell keeps its style)."""
        self.rows.append(
            tuple((c.plain, str(c.style or "")) if isinstance(c, Text) else (c, "") for c in cells)
        )

    def add_section(self) -> None:
        """A section break: invisible without borders, as in a borderless rich table."""

    def to_text(self) -> Text:
        """The grid as one ``Text``: padded lines, bold header, styled cells."""
        all_rows = [tuple((h, "bold") for h in self.headers), *self.rows]
        widths = [0] * len(self.headers)
        for row in all_rows:
            for position, (text, _) in enumerate(row):
                size = cell_len(text)
                if size > widths[position]:
                    widths[position] = size
        lines: list[str] = []
        spans: list[tuple[int, int, str]] = []
        offset = 0
        last = len(widths) - 1
        for row in all_rows:
            parts: list[str] = []
            column = 0
            for position, (text, style) in enumerate(row):
                pad = " " * (widths[position] - cell_len(text))
                cell = text + pad if self.justify[position] == "left" else pad + text
                if style:
                    start = offset + column + (len(pad) if self.justify[position] == "right" else 0)
                    spans.append((start, start + len(text), style))
                parts.append(cell)
                column += len(cell) + (len(GAP) if position < last else 0)
            line = GAP.join(parts).rstrip()
            lines.append(line)
            offset += len(line) + 1
        result = Text("\n".join(lines), no_wrap=True, overflow="ignore")
        for start, end, style in spans:
            result.stylize(style, start, end)
        return result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.to_text()
