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
from rich.segment import Segment
from rich.style import Style
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

    def _widths(self) -> list[int]:
        widths = [cell_len(h) for h in self.headers]
        for row in self.rows:
            for position, (text, _) in enumerate(row):
                size = cell_len(text)
                if size > widths[position]:
                    widths[position] = size
        return widths

    def lines(self) -> list[list[tuple[str, str]]]:
        """Each line (header first) as (text, style) pieces, padded, trailing spaces dropped."""
        widths = self._widths()
        last = len(widths) - 1
        out: list[list[tuple[str, str]]] = []
        for row in [tuple((h, "bold") for h in self.headers), *self.rows]:
            pieces: list[tuple[str, str]] = []
            for position, (text, style) in enumerate(row):
                pad = " " * (widths[position] - cell_len(text))
                gap = GAP if position < last else ""
                if self.justify[position] == "left":
                    pieces += [(text, style), (pad + gap, "")]
                else:
                    pieces += [(pad, ""), (text, style), (gap, "")]
            while pieces and not pieces[-1][0].strip():
                pieces.pop()
            if pieces:
                text, style = pieces[-1]
                pieces[-1] = (text.rstrip(), style)
            merged: list[tuple[str, str]] = []
            for text, style in pieces:
                if not text:
                    continue
                if merged and merged[-1][1] == style:
                    merged[-1] = (merged[-1][0] + text, style)
                else:
                    merged.append((text, style))
            out.append(merged)
        return out

    def to_text(self) -> Text:
        """The grid as one ``Text`` (for tests and for embedding)."""
        result = Text()
        for number, line in enumerate(self.lines()):
            if number:
                result.append("\n")
            for text, style in line:
                result.append(text, style=style or None)
        return result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Segments, not a Text: a Text of 60,000 lines is split and re-measured line by line.
        styles = {"": None, "bold": Style(bold=True)}
        for line in self.lines():
            for text, style in line:
                yield Segment(text, styles[style] if style in styles else Style.parse(style))
            yield Segment.line()
