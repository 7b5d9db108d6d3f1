"""Item text with markup, escape sequences and control characters prints literally, harmlessly."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ..hostile import shows_no_control

#: Rich markup, a colour, an OSC 8 hyperlink, an OSC 52 clipboard write, bare controls,
#: bidi overrides, isolates and marks, zero-width characters, and text that must stay as it is.
HOSTILE = (
    "[bold red]x[/] [link=http://evil]y[/link] \x1b[31mred\x1b[0m "
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1b]52;c;cHduZWQ=\x07 "
    "a\rb\bc\x00\x01\x1f\x7f \x9b2J <img src=x onerror=alert(1)> "
    "gpj.\u202eexe \u2067r\u2069 \u202a\u202b\u202c\u202d\u061c\u200e\u200f "
    "0\u200b1\u200c2\u200d3\u2060w\ufeffb café 漢字 👩\u200d💻"
)
#: How every display shows the bidi and zero-width characters of HOSTILE.
BIDI_SHOWN = (
    "gpj.\\u202eexe \\u2067r\\u2069 \\u202a\\u202b\\u202c\\u202d\\u061c\\u200e\\u200f "
    "0\\u200b1\\u200c2\\u200d3\\u2060w\\ufeffb café 漢字 👩\u200d💻"
)
#: What the store keeps: NUL, which PostgreSQL cannot hold, becomes U+FFFD on every store.
STORED = HOSTILE.replace("\x00", "\ufffd")


def strings(data: object) -> list[str]:
    """Every string inside decoded JSON."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


@pytest.fixture
def hostile(cli, ws):
    """An open item, a done one and a deferred one, every text field hostile."""
    from terragon_tui.backlog.items import complete_item, defer_item

    from ..conftest import suggest

    suggest(
        ws,
        "Open " + HOSTILE,
        description=HOSTILE + "\nsecond line",
        business_value_text=HOSTILE,
        file_path="src/" + HOSTILE,
        line=3,
        impact=9,
    )
    suggest(ws, "Done " + HOSTILE, "testing")
    complete_item(ws, "TEST-001", hours=2, impact=HOSTILE)
    suggest(ws, '=HYPERLINK("http://x")', "documentation")
    defer_item(ws, "DOCS-001", reason=HOSTILE)
    return cli


TABLES = [
    ("list",),
    ("list", "--all"),
    ("list", "-s", "bold red"),
    ("next",),
    ("show", "FEAT-001"),
    ("show", "TEST-001"),
    ("show", "DOCS-001"),
    ("report", "value"),
]


def test_tables_show_hostile_text_literally(hostile):
    for args in TABLES:
        result = hostile(*args)
        assert result.code == 0, (args, result.err)
        shows_no_control(result.out + result.err)
        assert "[bold red]x[/] [link=http://evil]y[/link]" in result.out, args  # not markup
        assert "\\x1b[31mred" in result.out, args  # the escape is visible, not obeyed
        for word in BIDI_SHOWN.split():  # a table may wrap the title between words
            assert word in result.out, (args, word)


def test_show_prints_every_field_and_the_impact_notes_escaped(hostile):
    out = hostile("show", "FEAT-001").out
    assert "src/[bold red]x[/]" in out  # the location
    assert "\\x1b]52;c;cHduZWQ=\\x07" in out
    assert "\\x9b2J" in out and "\ufffd\\x01" in out  # NUL is stored as U+FFFD
    assert "second line" in out
    done = hostile("show", "TEST-001").out
    assert "Impact notes" in done and "\\x1b]8;;http://evil" in done


def test_messages_that_echo_a_title_escape_it(cli):
    result = cli("suggest", "-c", "feature", "-t", HOSTILE)
    assert result.code == 0
    shows_no_control(result.out)
    assert "Added FEAT-001: [bold red]x[/]" in result.out
    result = cli("undo")
    shows_no_control(result.out)
    assert "[link=http://evil]" in result.out


JSON = [
    ("list", "--all", "--json"),
    ("next", "--json"),
    ("show", "FEAT-001", "--json"),
    ("export", "backlog", "--format", "json"),
    ("report", "value", "--json"),
]


def test_json_escapes_every_control_character_and_keeps_the_text(hostile):
    for args in JSON:
        result = hostile(*args)
        assert result.code == 0, (args, result.err)
        shows_no_control(result.out)
        assert "\\u001b]52;c;cHduZWQ=\\u0007" in result.out, args
        assert "\\u009b2J" in result.out, args  # C1 too, which json.dumps leaves raw
        assert BIDI_SHOWN in result.out, args  # and bidi and zero-width ones: JSON's escapes
        assert any(STORED in text for text in strings(json.loads(result.out))), args


def test_markdown_export_escapes_markup_links_and_controls(hostile):
    result = hostile("export", "backlog")
    assert result.code == 0
    shows_no_control(result.out)
    assert "[link=http://evil]" not in result.out and "](http" not in result.out
    assert "\\[bold red\\]x\\[/\\]" in result.out
    assert "\\\\x1b\\[31mred" in result.out
    assert BIDI_SHOWN.replace("\\", "\\\\") in result.out


def test_csv_export_escapes_controls_and_defuses_formulas(hostile):
    result = hostile("export", "backlog", "--format", "csv")
    assert result.code == 0
    shows_no_control(result.out)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.out))}
    assert rows["FEAT-001"]["title"].startswith("Open [bold red]x[/]")
    assert "\\x1b]52;c;cHduZWQ=\\x07" in rows["FEAT-001"]["title"]
    assert BIDI_SHOWN in rows["FEAT-001"]["title"]
    assert rows["FEAT-001"]["description"].endswith("\nsecond line")  # newlines survive, quoted
    assert rows["DOCS-001"]["title"] == '\'=HYPERLINK("http://x")'


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(ws):
    from terragon_tui.reports.backlog import export_backlog

    from ..conftest import suggest

    cells = {
        "=1+2": "'=1+2",
        "+1": "'+1",
        "-1": "'-1",
        "@SUM(A1)": "'@SUM(A1)",
        "\t=1": "'\t=1",
        "\r=1": "\\x0d=1",
        "plain =1": "plain =1",
    }
    for cell in cells:
        suggest(ws, "x", file_path=cell)
    rows = csv.DictReader(io.StringIO(export_backlog(ws, "csv")))
    assert sorted(row["file"] for row in rows) == sorted(cells.values())


def test_html_report_escapes_everything(hostile, tmp_path):
    target = tmp_path / "report.html"
    result = hostile("report", "stakeholder", "-o", str(target))
    assert result.code == 0, result.err
    html = target.read_text()
    shows_no_control(html)
    assert "<img" not in html.lower() and "&lt;img src=x" in html
    assert 'href="http://evil' not in html and "href='http://evil" not in html
    assert "[bold red]x[/]" in html and "\\x1b[31mred" in html
    assert BIDI_SHOWN in html
