"""Charts as SVG from pygal, rendered on the server: readable without JavaScript, each with its data table."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import pygal
from pygal.style import Style

from common import tabular

STYLE = Style(
    background="white", plot_background="white", foreground="#1b1f23", foreground_strong="#1b1f23",
    foreground_subtle="#4a5560", colors=("#0b5d4b", "#a23b00", "#123a66", "#6b4c9a", "#8a5a00"),
    font_family="DejaVu Sans, sans-serif", label_font_size=12, major_label_font_size=12, title_font_size=14,
)


@dataclass(frozen=True)
class Chart:
    slug: str
    titel: str
    kolom: str  # the header of the label column in its table and CSV
    reeks: list[tuple[str, int]]

    @property
    def totaal(self) -> int:
        return sum(n for _, n in self.reeks)

    def svg(self) -> bytes:
        horizontal = self.slug != "per-maand"
        chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
        chart = chart_class(style=STYLE, js=[], show_legend=False, width=720,
                            height=max(260, 28 * len(self.reeks) + 80) if horizontal else 320,
                            x_label_rotation=0 if horizontal else 45, print_values=horizontal,
                            disable_xml_declaration=True, title=None)
        labels = [label for label, _ in self.reeks]
        if horizontal:
            labels = labels[::-1]
            values = [n for _, n in self.reeks][::-1]
        else:
            values = [n for _, n in self.reeks]
        chart.x_labels = labels
        top = max(values or [0])
        step = max(1, -(-top // 8))  # whole numbers only: these are counts of signals
        chart.y_labels = list(range(0, top + step, step))
        chart.add(self.titel, values)
        # pygal ids each chart with a random uuid; one from its content makes the same report the same HTML (PDF cache)
        chart.uuid = hashlib.sha256(repr((self.slug, self.titel, self.reeks)).encode()).hexdigest()[:32]
        rendered = chart.render()
        return rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")

    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg()).decode("ascii")

    def csv(self) -> bytes:
        return tabular.build_csv([self.kolom, "Aantal"], self.reeks)
