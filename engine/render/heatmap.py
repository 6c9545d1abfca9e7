"""Heatmap pictures of a variation matrix, as SVG (written directly) and PNG (Pillow).

Two pictures: rulesets × rulesets coloured by pairwise agreement, and the most disputed
concerns × rulesets coloured by the typical canonical outcome. Both put the rulesets in the
clustering order, so councils that answer alike sit next to each other. The layout (cells,
colours, labels) is computed once here as a value; the SVG and PNG writers only draw it,
so the two files always show the same thing. Every cell also carries its value as text,
so the picture does not depend on telling colours apart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from engine.compare.variation import VariationMatrix
from engine.model.outcome import ORDER, Outcome

OUTCOME_COLOURS: dict[Outcome, str] = {
    Outcome.universal: "#ffffcc", Outcome.early_help_single_agency: "#fed976",
    Outcome.early_help_multi_agency: "#feb24c", Outcome.child_in_need: "#fd8d3c",
    Outcome.child_protection: "#e31a1c", Outcome.immediate_protection: "#800026",
}
OUTCOME_CODES: dict[Outcome, str] = {
    Outcome.universal: "U", Outcome.early_help_single_agency: "EH1", Outcome.early_help_multi_agency: "EH2",
    Outcome.child_in_need: "CIN", Outcome.child_protection: "CP", Outcome.immediate_protection: "IP",
}
CELL, CHAR, FONT = 46, 7, 12


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    fill: str
    ink: str
    text: str
    title: str


@dataclass(frozen=True)
class Heatmap:
    title: str
    description: str
    rows: list[str]
    cols: list[str]
    cells: list[Cell]
    legend: list[tuple[str, str]]

    @property
    def left(self) -> int:
        return 16 + CHAR * max((len(r) for r in self.rows), default=0)

    @property
    def top(self) -> int:
        return 40 + CHAR * max((len(c) for c in self.cols), default=0)

    @property
    def width(self) -> int:
        return max(self.left + CELL * len(self.cols) + 20, 16 + CHAR * len(self.title), 480)

    @property
    def height(self) -> int:
        return self.top + CELL * len(self.rows) + 30 + 20 * len(self.legend)


def _blue(x: float) -> tuple[str, str]:
    """Light (0) to dark blue (1), with ink that stays readable on it."""
    lo, hi = (247, 251, 255), (8, 48, 107)
    rgb = tuple(round(a + (b - a) * max(0.0, min(1.0, x))) for a, b in zip(lo, hi, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb), "#ffffff" if x > 0.55 else "#0b0c0c"


SPARSE_MARK = " (sparse, left out)"
SPARSE_INCLUDED = " (sparse)"


def labels(m: VariationMatrix) -> list[str]:
    """Ruleset labels, in ``keys`` order, marking rulesets below the stated coverage."""
    return [n + ((SPARSE_INCLUDED if m.counted[j] else SPARSE_MARK) if m.sparse[j] else "")
            for j, n in enumerate(m.names)]


def agreement_heatmap(m: VariationMatrix) -> Heatmap:
    marked = labels(m)
    names = [marked[i] for i in m.order]
    lowest = min((x for row in m.agreement for x in row), default=0.0)
    floor = min(int(lowest * 10) / 10, 0.9)  # colour scale from a round value below the lowest agreement

    def scaled(x: float) -> float:
        return (x - floor) / (1 - floor)

    cells = []
    for r, i in enumerate(m.order):
        for c, j in enumerate(m.order):
            fill, ink = _blue(scaled(m.agreement[i][j]))
            cells.append(Cell(r, c, fill, ink, f"{round(100 * m.agreement[i][j])}",
                              f"{m.names[i]} and {m.names[j]}: same outcome for "
                              f"{100 * m.agreement[i][j]:.1f}% of {m.scenarios} scenarios"))
    legend = [(_blue(scaled(x))[0], f"{round(100 * x)}% of scenarios get the same canonical outcome")
              for x in (floor, (floor + 1) / 2, 1.0)]
    kappa = "not defined" if m.kappa is None else f"{m.kappa:.3f}"
    alpha = "not defined" if m.alpha is None else f"{m.alpha:.3f}"
    sparse_note = (" Rulesets marked sparse encode no local indicators (or fewer than the stated coverage); "
                   "those left out are not counted in kappa and alpha." if any(m.sparse) else "")
    return Heatmap(
        title=f"Pairwise agreement over {m.scenarios} scenarios (Fleiss' kappa {kappa}, ordinal alpha {alpha})",
        description="Share of scenarios (percent) for which two rulesets suggest the same canonical outcome. "
        "Rulesets are ordered by clustering, so similar councils sit together." + sparse_note,
        rows=names, cols=names, cells=cells, legend=legend)


def concern_heatmap(m: VariationMatrix, top: int = 25) -> Heatmap:
    disputed = [d for d in m.disputed if d.disagreeing][:top] or m.disputed[:top]
    cells = []
    for r, d in enumerate(disputed):
        for c, j in enumerate(m.order):
            o = ORDER[d.example_outcomes[j]]
            facts = ", ".join(f"{k}={v}" for k, v in d.example_facts.items())
            cells.append(Cell(r, c, OUTCOME_COLOURS[o], "#ffffff" if o.rank >= 4 else "#0b0c0c", OUTCOME_CODES[o],
                              f"{d.label}, scenario {d.example} ({facts}), in {m.names[j]}: {o.label}"))
    return Heatmap(
        title=f"Outcomes for the {len(disputed)} most disputed concerns",
        description="For each concern (row), its most disputed scenario, and the canonical outcome each ruleset "
        "(column) suggests for it. Concerns with most disagreement first; scenario ids in the row labels.",
        rows=[f"{d.label} ({d.example})" for d in disputed], cols=[labels(m)[j] for j in m.order], cells=cells,
        legend=[(OUTCOME_COLOURS[o], f"{OUTCOME_CODES[o]}: {o.label}") for o in ORDER])


def to_svg(h: Heatmap) -> str:
    e = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{h.width}" height="{h.height}" '
           f'viewBox="0 0 {h.width} {h.height}" role="img" aria-labelledby="t d" '
           f'font-family="Arial, Helvetica, sans-serif" font-size="{FONT}">',
           f'<title id="t">{e(h.title)}</title><desc id="d">{e(h.description)}</desc>',
           f'<rect width="{h.width}" height="{h.height}" fill="#ffffff"/>',
           f'<text x="8" y="20" font-size="{FONT + 3}" font-weight="bold">{e(h.title)}</text>']
    for r, label in enumerate(h.rows):
        y = h.top + r * CELL + CELL // 2 + FONT // 2 - 1
        out.append(f'<text x="{h.left - 8}" y="{y}" text-anchor="end">{e(label)}</text>')
    for c, label in enumerate(h.cols):
        x = h.left + c * CELL + CELL // 2 + FONT // 2 - 1
        out.append(f'<text transform="translate({x},{h.top - 8}) rotate(-90)">{e(label)}</text>')
    for cell in h.cells:
        x, y = h.left + cell.col * CELL, h.top + cell.row * CELL
        out.append(f'<g><title>{e(cell.title)}</title><rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                   f'fill="{cell.fill}" stroke="#ffffff"/><text x="{x + CELL // 2}" y="{y + CELL // 2 + 4}" '
                   f'text-anchor="middle" fill="{cell.ink}">{e(cell.text)}</text></g>')
    y0 = h.top + CELL * len(h.rows) + 20
    for k, (fill, label) in enumerate(h.legend):
        y = y0 + 20 * k
        out.append(f'<rect x="8" y="{y}" width="14" height="14" fill="{fill}" stroke="#505a5f"/>'
                   f'<text x="28" y="{y + 11}">{e(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_png(h: Heatmap, path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (h.width, h.height), "#ffffff")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=FONT)
    bold = ImageFont.load_default(size=FONT + 3)
    draw.text((8, 8), h.title, fill="#0b0c0c", font=bold)
    for r, label in enumerate(h.rows):
        y = h.top + r * CELL + CELL // 2
        draw.text((h.left - 8, y), label, fill="#0b0c0c", font=font, anchor="rm")
    for c, label in enumerate(h.cols):
        box = font.getbbox(label)
        tile = Image.new("RGBA", (int(box[2]) + 4, FONT + 6), (255, 255, 255, 0))
        ImageDraw.Draw(tile).text((2, 2), label, fill="#0b0c0c", font=font)
        tile = tile.rotate(90, expand=True)
        img.paste(tile, (h.left + c * CELL + CELL // 2 - tile.width // 2, h.top - 8 - tile.height), tile)
    for cell in h.cells:
        x, y = h.left + cell.col * CELL, h.top + cell.row * CELL
        draw.rectangle((x, y, x + CELL - 1, y + CELL - 1), fill=cell.fill, outline="#ffffff")
        draw.text((x + CELL // 2, y + CELL // 2), cell.text, fill=cell.ink, font=font, anchor="mm")
    y0 = h.top + CELL * len(h.rows) + 20
    for k, (fill, label) in enumerate(h.legend):
        y = y0 + 20 * k
        draw.rectangle((8, y, 22, y + 14), fill=fill, outline="#505a5f")
        draw.text((28, y + 7), label, fill="#0b0c0c", font=font, anchor="lm")
    img.save(path, format="PNG", optimize=True)


def write_pictures(m: VariationMatrix, out_dir: Path) -> list[Path]:
    """agreement.svg/.png and concerns.svg/.png in ``out_dir``; returns the paths written."""
    written = []
    for name, h in (("agreement", agreement_heatmap(m)), ("concerns", concern_heatmap(m))):
        svg, png = out_dir / f"{name}.svg", out_dir / f"{name}.png"
        svg.write_text(to_svg(h), encoding="utf-8")
        write_png(h, png)
        written += [svg, png]
    return written
