"""`terragon report stakeholder`: Markdown, one self-contained HTML file, and a PDF."""

from __future__ import annotations

import io
import sys
from html.parser import HTMLParser

import pytest

from terragon_tui.reports.charts import bar_chart, column_chart
from terragon_tui.reports.stakeholder import stakeholder_markdown, stakeholder_report
from terragon_tui.reports.stakeholder_html import stakeholder_html
from terragon_tui.reports.stakeholder_pdf import pdf_text, stakeholder_pdf

from ..conftest import suggest
from .history import HOSTILE, NOW, known_history

TOP_TITLE = "Rotate the leaked deploy key"


class Elements(HTMLParser):
    """Every start tag, attribute and text of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def report_ws(ws):
    known_history(ws)
    suggest(ws, TOP_TITLE, "security", estimated_hours=1, impact=10, security_severity=9)
    suggest(ws, HOSTILE, "security", estimated_hours=3)
    suggest(ws, "Émigré café naïve 😀 → done", "feature")
    return ws


@pytest.fixture
def report(report_ws):
    return stakeholder_report(report_ws, "month", now=NOW)


def test_the_report_holds_health_next_item_top_ten_value_and_risks(report):
    assert report.next is not None and report.next.item.title == TOP_TITLE
    assert len(report.top) == 5  # the open items: 2 from the history, 3 added here
    assert [p.period.label for p in report.value.periods] == ["2026-01", "2026-02", "2026-03"]
    assert report.value.totals().score == 60
    weekly = dict(report.value_per_week())
    assert len(weekly) == 12 and weekly["2026-W09"] == 30  # SEC-001 done on Feb 25
    security = [e.item.key for e in report.security_open()]
    assert security == ["SEC-003", "SEC-004", "SEC-002"]  # by score
    assert ("security", 3.0) in report.categories()
    assert report.health.startswith("Advanced (default profile")
    assert report.oldest()[0].item.key == "DOCS-001"  # created Feb 10
    assert report.age_days(report.oldest()[0]) == 36  # Feb 10 12:00 to Mar 18 12:00


def test_markdown_escapes_repository_text(report):
    text = stakeholder_markdown(report)
    assert f"**[SEC-003] {TOP_TITLE}**" in text
    assert "<script>" not in text and "\x1b" not in text
    assert "## Weights in force" in text and "WSJF (Weighted Shortest Job First): 50%" in text


def test_html_is_one_file_that_parses_and_runs_nothing_from_item_text(report):
    html = stakeholder_html(report)
    parser = Elements()
    parser.feed(html)
    parser.close()
    assert "script" not in parser.tags
    assert not any(name.startswith("on") for name, _ in parser.attrs)  # no event handlers
    assert not any(name in ("src", "href") for name, _ in parser.attrs)  # nothing external
    assert "<script" not in html.lower()
    text = "".join(parser.text)
    assert '<script>alert("pwned")</script>' in text  # shown as text, literally
    assert "\x1b" not in html and "\\x1b[31m" in text
    assert TOP_TITLE in text
    assert parser.tags.count("svg") == 2 and "style" in parser.tags


def test_pdf_text_reads_back(report):
    from pypdf import PdfReader

    data = stakeholder_pdf(report)
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert TOP_TITLE in text
    assert "Weights in force" in text and "Value per week" in text
    assert "Emigr" in text or "Émigré" in text  # Latin-1 kept; the emoji became "?"


def test_pdf_text_is_latin1_without_controls():
    assert pdf_text("a — b → c 😀\x1b[2J") == "a - b -> c ?\\x1b[2J"


def test_an_empty_store_makes_every_format(ws):
    report = stakeholder_report(ws, "week", now=NOW)
    assert report.next is None
    assert "The backlog has no open items." in stakeholder_markdown(report)
    assert "No open items." in stakeholder_html(report)
    assert stakeholder_pdf(report).startswith(b"%PDF")


def test_charts_escape_labels_and_scale_to_the_largest_value():
    svg = bar_chart([("<b>x</b>", 4.0), ("y", 2.0)], "t & <u>")
    assert "<b>" not in svg and "&lt;b&gt;x" in svg and "t &amp; &lt;u&gt;" in svg
    assert "width='272.0'" in svg and "width='136.0'" in svg  # 460-140-48 = 272 px for 4
    column = column_chart([("W1", 0.0), ("W2", 5.0)], "v")
    assert ">5</text>" in column  # the maximum is marked on the axis


def test_cli_writes_each_format(report_ws, cli, tmp_path):
    for name in ("r.md", "r.html", "r.pdf"):
        out = tmp_path / name
        result = cli("report", "stakeholder", "-o", str(out))
        assert result.code == 0, result.err
        assert out.stat().st_size > 500
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    result = cli("report", "stakeholder", "--format", "md")
    assert TOP_TITLE in result.out


def test_cli_will_not_print_a_pdf_on_a_terminal(cli, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    result = cli("report", "stakeholder", "--format", "pdf")
    assert result.code == 2 and "give -o FILE" in result.err


def test_the_same_store_gives_the_same_pdf(report_ws):
    first = stakeholder_pdf(stakeholder_report(report_ws, now=NOW))
    assert stakeholder_pdf(stakeholder_report(report_ws, now=NOW)) == first


def test_cli_bad_format_is_a_usage_error(cli):
    result = cli("report", "stakeholder", "--format", "docx")
    assert result.code == 2 and "unknown format" in result.err


def test_the_report_carries_the_roadmap_in_every_format(report):
    from pypdf import PdfReader

    assert report.roadmap is not None
    hours = sum(e.item.estimated_hours for e in report.open)
    assert report.roadmap.hours == pytest.approx(hours)
    first = report.roadmap_rows()[0]
    assert first[0].startswith("Phase 1 (") and first[2].startswith(report.open[0].item.key)
    text = stakeholder_markdown(report)
    assert "## Roadmap" in text and "| Phase | Weeks | Items | Hours | Value |" in text
    assert text.index("## Roadmap") < text.index("## Delivery (from git)")
    assert "<h2>Roadmap</h2>" in stakeholder_html(report)
    pdf = PdfReader(io.BytesIO(stakeholder_pdf(report)))
    assert "Roadmap" in "".join(page.extract_text() for page in pdf.pages)
