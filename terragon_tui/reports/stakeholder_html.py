"""The stakeholder report as one self-contained HTML file: inline CSS, SVG charts, no scripts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .. import __version__
from ..core.text import html_text as h
from .backlog import BOOST_LABELS, WEIGHT_LABELS
from .charts import bar_chart, column_chart
from .stakeholder import StakeholderReport, count, delivery_rows
from .value_render import hours, ratio_text

CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #1f2933; background: #f4f6f8;
       margin: 0; padding: 24px; }
main { max-width: 980px; margin: 0 auto; }
header { margin-bottom: 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 10px; color: #16324f; }
.meta { color: #6b7785; margin: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
section { background: #fff; border: 1px solid #d9dee4; border-radius: 8px; padding: 16px;
          margin-bottom: 16px; break-inside: avoid; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; }
.figures div { flex: 1 1 120px; background: #eef3f9; border-radius: 6px; padding: 8px 10px; }
.figures dt { color: #6b7785; font-size: 12px; }
.figures dd { margin: 0; font-size: 20px; font-weight: bold; }
.next { border-left: 4px solid #3b6fb6; }
.next .title { font-size: 17px; font-weight: bold; margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e4e8ec;
         vertical-align: top; }
th { font-size: 12px; color: #6b7785; font-weight: normal; text-transform: uppercase; }
td.num, th.num { text-align: right; white-space: nowrap; }
.key { font-family: Menlo, Consolas, monospace; white-space: nowrap; }
.note { color: #6b7785; }
ul { margin: 4px 0 8px; padding-left: 20px; }
footer { color: #6b7785; font-size: 12px; text-align: center; }
"""


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    """A table whose cells are already escaped HTML."""
    head = "".join(
        f"<th class='num'>{h(name)}</th>" if i in numeric else f"<th>{h(name)}</th>"
        for i, name in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{cell}</td>" if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figures(pairs: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f"<div><dt>{h(k)}</dt><dd>{h(v)}</dd></div>" for k, v in pairs)
    return f"<dl class='figures'>{cells}</dl>"


def _health(r: StakeholderReport) -> str:
    value = r.value.totals()
    return (
        "<section><h2>Repository health</h2>"
        + _figures(
            [
                ("Maturity", r.maturity),
                ("Open items", str(len(r.open))),
                ("Estimated hours open", hours(r.open_hours)),
                (f"Done since {r.value.periods[0].period.label}", str(value.completed)),
                ("Value delivered", f"{value.score:.1f}"),
            ]
        )
        + (
            "<p class='note'>Default profile: no scan has measured the repository yet.</p>"
            if r.maturity_score is None
            else ""
        )
        + "</section>"
    )


def _next(r: StakeholderReport) -> str:
    best = r.next
    if best is None:
        return "<section class='next'><h2>Next best value item</h2><p>No open items.</p></section>"
    item = best.item
    facts = (
        f"{h(item.category)} · {h(item.priority)} priority · {hours(item.estimated_hours)} h "
        f"estimated · impact {item.impact:g}/10 · risk {item.risk:g} ({h(best.lane)}) · "
        f"score {best.score:.1f}"
    )
    description = f"<p>{h(item.description)}</p>" if item.description else ""
    return (
        "<section class='next'><h2>Next best value item</h2>"
        f"<p class='title'><span class='key'>{h(item.key)}</span> {h(item.title)}</p>"
        f"<p class='note'>{facts}</p>{description}</section>"
    )


def _top(r: StakeholderReport) -> str:
    rows = [
        (
            str(e.rank),
            f"<span class='key'>{h(e.item.key)}</span>",
            h(e.item.title),
            f"{e.score:.1f}",
            h(e.item.category),
            hours(e.item.estimated_hours),
        )
        for e in r.top
    ]
    body = (
        _table(("Rank", "ID", "Title", "Score", "Category", "Est. h"), rows, {0, 3, 5})
        if rows
        else "<p>No open items.</p>"
    )
    return f"<section><h2>Top 10 value-ranked items</h2>{body}</section>"


def _value(r: StakeholderReport) -> str:
    rows = [
        (
            h(p.period.label),
            str(p.completed),
            f"{p.score:.1f}",
            hours(p.actual_hours),
            hours(p.estimated_hours),
            ratio_text(p.ratio),
        )
        for p in r.value.periods
    ]
    table = _table(
        ("Period", "Done", "Value", "Actual h", "Est. h", "Actual ÷ est."), rows, {1, 2, 3, 4, 5}
    )
    weekly = r.value_per_week()
    chart = (
        column_chart(weekly, "Composite score delivered per week")
        if any(v for _, v in weekly)
        else "<p class='note'>Nothing was completed in the last weeks.</p>"
    )
    categories = r.categories()
    distribution = (
        bar_chart(categories, "Open items by category")
        if categories
        else "<p class='note'>No open items.</p>"
    )
    return (
        f"<section><h2>Value delivered per {h(r.value.kind)}</h2>{table}</section>"
        "<div class='grid'>"
        f"<section><h2>Value per week</h2>{chart}</section>"
        f"<section><h2>Category distribution (open)</h2>{distribution}</section>"
        "</div>"
    )


def _roadmap(r: StakeholderReport) -> str:
    rows = [tuple(h(cell) for cell in row) for row in r.roadmap_rows()]
    if r.roadmap is None or not rows:
        return "<section><h2>Roadmap</h2><p class='note'>No open items to plan.</p></section>"
    cap = r.roadmap.capacity
    return (
        f"<section><h2>Roadmap</h2><p class='note'>At {cap.hours_per_week:g} hours a week "
        f"({h(cap.origin)}): {r.roadmap.hours:g} hours of open work in "
        f"{r.roadmap.span}.</p>"
        f"{_table(('Phase', 'Weeks', 'Items', 'Hours', 'Value'), rows, {3, 4})}</section>"
    )


def _delivery(r: StakeholderReport) -> str:
    rows = [(h(label), h(text)) for label, text in delivery_rows(r.delivery)]
    table = _table(("Metric", "Value"), rows, {1}) if rows else ""
    notes = "".join(f"<p class='note'>{h(note)}</p>" for note in r.delivery.notes())
    return f"<section><h2>Delivery (from git)</h2>{table}{notes}</section>"


def _item_list(entries: Iterable[str]) -> str:
    items = "".join(f"<li>{entry}</li>" for entry in entries)
    return f"<ul>{items}</ul>" if items else "<p class='note'>None.</p>"


def _risks(r: StakeholderReport) -> str:
    security = r.security_open()
    lanes = r.lanes()
    return (
        "<section><h2>Risks</h2><div class='grid'><div>"
        f"<p><strong>Open security items: {len(security)}</strong></p>"
        + _item_list(
            f"<span class='key'>{h(e.item.key)}</span> {h(e.item.title)} ({e.score:.1f})"
            for e in security[:5]
        )
        + "<p><strong>Manual review needed</strong> (risk &gt; 0.6): "
        f"{count(lanes['manual-review'], 'item')}</p></div>"
        "<div><p><strong>Oldest open items</strong></p>"
        + _item_list(
            f"<span class='key'>{h(e.item.key)}</span> {h(e.item.title)} ({r.age_days(e)} days)"
            for e in r.oldest()
        )
        + "</div></div></section>"
    )


def _weights(r: StakeholderReport) -> str:
    shares = r.settings.weights.normalised().as_dict()
    rows = [(h(WEIGHT_LABELS[n]), f"{s:.0%}") for n, s in shares.items()]
    rows += [(h(BOOST_LABELS[n]), f"×{f:g}") for n, f in r.settings.boosts.as_dict().items()]
    return (
        f"<section><h2>Weights in force</h2><p class='note'>From {h(r.settings.origin)}.</p>"
        f"{_table(('Component or boost', 'Weight'), rows, {1})}</section>"
    )


def stakeholder_html(r: StakeholderReport) -> str:
    """The whole report as one HTML document; every text from the repository is escaped."""
    title = f"Stakeholder report: {r.repository}"
    body = "".join(
        [
            _health(r),
            _next(r),
            _top(r),
            _value(r),
            _roadmap(r),
            _delivery(r),
            _risks(r),
            _weights(r),
        ]
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{h(title)}</title><style>{CSS}</style></head><body><main>"
        f"<header><h1>{h(title)}</h1><p class='meta'>Generated "
        f"{r.generated_at:%Y-%m-%d %H:%M} UTC by terragon {h(__version__)}</p></header>"
        f"{body}<footer>Scores are composite value scores (WSJF, technical debt, ICE, "
        "security, with boosts).</footer></main></body></html>\n"
    )
