"""The stakeholder report as a PDF (fpdf2, pure Python), charts drawn as vector bars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import __version__
from ..core.text import printable
from .backlog import BOOST_LABELS, WEIGHT_LABELS
from .stakeholder import StakeholderReport, count, delivery_rows
from .value_render import hours, ratio_text

if TYPE_CHECKING:
    from fpdf import FPDF

#: The PDF core fonts cover Latin-1 only; common typography is mapped, the rest shown as "?".
_LATIN1 = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "…": "...",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "→": "->",
        "•": "-",
        "≤": "<=",
        "≥": ">=",
        "\u00a0": " ",
    }
)
INK = (31, 41, 51)
MUTED = (107, 119, 133)
BAR = (59, 111, 182)
RULE = (217, 222, 228)


def pdf_text(text: object) -> str:
    """Untrusted text made safe for a PDF line: controls shown, one line, Latin-1 only."""
    line = printable(str(text), single_line=True).translate(_LATIN1)
    return line.encode("latin-1", "replace").decode("latin-1")


class _Writer:
    """A thin layer over FPDF for headings, paragraphs, tables and bar charts."""

    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        self.pdf: FPDF = FPDF(format="A4")
        self.pdf.set_title(pdf_text(title))
        self.pdf.set_creator(f"terragon {__version__}")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_margins(15, 15, 15)
        self.pdf.add_page()

    @property
    def width(self) -> float:
        return self.pdf.epw

    def heading(self, text: str, size: int = 13) -> None:
        from fpdf.enums import XPos, YPos

        if self.pdf.get_y() > self.pdf.h - 45:  # keep a heading with what follows it
            self.pdf.add_page()
        self.pdf.ln(3)
        self.pdf.set_font("Helvetica", "B", size)
        self.pdf.set_text_color(*INK)
        self.pdf.cell(0, size * 0.55, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def para(self, text: str, *, bold: bool = False, muted: bool = False, size: int = 10) -> None:
        from fpdf.enums import XPos, YPos

        self.pdf.set_font("Helvetica", "B" if bold else "", size)
        self.pdf.set_text_color(*(MUTED if muted else INK))
        self.pdf.multi_cell(0, size * 0.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        numeric: frozenset[int] = frozenset(),
    ) -> None:
        self.pdf.set_font("Helvetica", "", 9)
        self.pdf.set_text_color(*INK)
        aligns = tuple("RIGHT" if i in numeric else "LEFT" for i in range(len(headers)))
        with self.pdf.table(
            col_widths=tuple(widths),
            text_align=aligns,
            line_height=5,
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
        ) as table:
            table.row([pdf_text(h) for h in headers])
            for row in rows:
                table.row([pdf_text(cell) for cell in row])
        self.pdf.ln(2)

    def bars(self, rows: Sequence[tuple[str, float]], *, label_width: float = 45) -> None:
        """Horizontal bars with their labels and values."""
        top = max((v for _, v in rows), default=0.0) or 1.0
        span = self.width - label_width - 18
        self.pdf.set_font("Helvetica", "", 8)
        for label, value in rows:
            y = self.pdf.get_y()
            self.pdf.set_text_color(*INK)
            self.pdf.set_xy(self.pdf.l_margin, y)
            self.pdf.cell(label_width - 2, 5, pdf_text(label)[:28], align="R")
            self.pdf.set_fill_color(*BAR)
            width = max(0.0, value) / top * span
            if width > 0:
                self.pdf.rect(self.pdf.l_margin + label_width, y + 0.8, width, 3.4, style="F")
            self.pdf.set_text_color(*MUTED)
            self.pdf.set_xy(self.pdf.l_margin + label_width + width + 1, y)
            self.pdf.cell(16, 5, f"{value:.1f}".removesuffix(".0"))
            self.pdf.set_y(y + 5)
        self.pdf.ln(2)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _front(w: _Writer, r: StakeholderReport) -> None:
    w.para(f"Generated {r.generated_at:%Y-%m-%d %H:%M} UTC by terragon {__version__}", muted=True)
    w.heading("Repository health")
    value = r.value.totals()
    w.para(f"Maturity: {r.health}")
    w.para(f"Open backlog: {len(r.open)} items, {hours(r.open_hours)} hours estimated")
    w.para(
        f"Delivered since {r.value.periods[0].period.label}: {value.completed} items, "
        f"value {value.score:.1f}, {hours(value.actual_hours)} h spent"
    )
    w.heading("Next best value item")
    best = r.next
    if best is None:
        w.para("The backlog has no open items.")
    else:
        item = best.item
        w.para(f"[{item.key}] {item.title}", bold=True, size=11)
        w.para(
            f"{item.category}, {item.priority} priority, {hours(item.estimated_hours)} h "
            f"estimated, impact {item.impact:g}/10, risk {item.risk:g} ({best.lane}), "
            f"score {best.score:.1f}",
            muted=True,
        )
        if item.description:
            w.para(item.description)
    w.heading("Top 10 value-ranked items")
    if r.top:
        rows = [
            (
                str(e.rank),
                e.item.key,
                e.item.title,
                f"{e.score:.1f}",
                e.item.category,
                hours(e.item.estimated_hours),
            )
            for e in r.top
        ]
        w.table(
            ("#", "ID", "Title", "Score", "Category", "Est. h"),
            rows,
            (8, 26, 78, 15, 38, 15),
            frozenset({0, 3, 5}),
        )
    else:
        w.para("No open items.")


def _value(w: _Writer, r: StakeholderReport) -> None:
    w.heading(f"Value delivered per {r.value.kind}")
    rows = [
        (
            p.period.label,
            str(p.completed),
            f"{p.score:.1f}",
            hours(p.actual_hours),
            hours(p.estimated_hours),
            ratio_text(p.ratio),
        )
        for p in r.value.periods
    ]
    w.table(
        ("Period", "Done", "Value", "Actual h", "Est. h", "Act./est."),
        rows,
        (40, 20, 25, 25, 25, 25),
        frozenset({1, 2, 3, 4, 5}),
    )
    w.heading("Value per week", size=11)
    weekly = r.value_per_week()
    if any(v for _, v in weekly):
        w.bars(weekly, label_width=25)
    else:
        w.para("Nothing was completed in the last weeks.", muted=True)
    w.heading("Category distribution (open items)", size=11)
    if r.categories():
        w.bars(r.categories())
    else:
        w.para("No open items.", muted=True)


def _rest(w: _Writer, r: StakeholderReport) -> None:
    w.heading("Roadmap")
    rows = r.roadmap_rows()
    if r.roadmap is not None and rows:
        cap = r.roadmap.capacity
        w.para(
            f"At {cap.hours_per_week:g} hours a week ({cap.origin}): {r.roadmap.hours:g} hours "
            f"of open work in {r.roadmap.span}.",
            muted=True,
        )
        w.table(("Phase", "Weeks", "Items", "Hours", "Value"), rows, (40, 20, 80, 20, 20),
                frozenset({3, 4}))  # fmt: skip
    else:
        w.para("No open items to plan.", muted=True)
    w.heading("Delivery (from git)")
    metrics = delivery_rows(r.delivery)
    if metrics:
        w.table(("Metric", "Value"), metrics, (90, 90), frozenset({1}))
    for note in r.delivery.notes():
        w.para(note, muted=True)
    w.heading("Risks")
    security = r.security_open()
    w.para(f"Open security items: {len(security)}", bold=True)
    for e in security[:5]:
        w.para(f"- [{e.item.key}] {e.item.title} ({e.score:.1f})")
    w.para(
        f"Manual review needed (risk > 0.6): {count(r.lanes()['manual-review'], 'item')}", bold=True
    )
    w.para("Oldest open items:", bold=True)
    for e in r.oldest():
        w.para(f"- [{e.item.key}] {e.item.title} ({r.age_days(e)} days)")
    if not r.open:
        w.para("None.", muted=True)
    w.heading("Weights in force")
    w.para(f"From {r.settings.origin}.", muted=True)
    weights = [
        (WEIGHT_LABELS[n], f"{s:.0%}") for n, s in r.settings.weights.normalised().as_dict().items()
    ]
    weights += [(BOOST_LABELS[n], f"x{f:g}") for n, f in r.settings.boosts.as_dict().items()]
    w.table(("Component or boost", "Weight"), weights, (120, 60), frozenset({1}))


def stakeholder_pdf(r: StakeholderReport) -> bytes:
    """The report as PDF bytes; text outside Latin-1 shows as `?` (core fonts)."""
    writer = _Writer(f"Stakeholder report: {r.repository}")
    writer.pdf.set_creation_date(r.generated_at)  # the same store gives the same file
    writer.heading(f"Stakeholder report: {r.repository}", size=18)
    _front(writer, r)
    _value(writer, r)
    _rest(writer, r)
    return writer.output()
