"""Hostile item text in the TUI: shown literally on every screen, never a raw control character."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from terragon_tui.backlog.items import complete_item
from terragon_tui.backlog.listing import show_item
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.item_form import ItemForm

from ..conftest import suggest
from ..hostile import shows_no_control
from .pilots import settle, wait_for

HOSTILE = (
    "[bold red]x[/] [link=http://evil]y[/link] \x1b[31mred "
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1b]52;c;cHduZWQ=\x07 "
    "a\rb\bc\x00\x7f\x9b2J gpj.\u202eexe \u2067r\u2069 0\u200b1\u200d2\ufeff3 漢字 👩\u200d💻"
)
#: How every screen shows the bidi and zero-width characters of HOSTILE.
BIDI_SHOWN = ("gpj.\\u202eexe", "\\u2067r\\u2069", "0\\u200b1\\u200d2\\ufeff3", "漢字")
#: What the store keeps: NUL, which PostgreSQL cannot hold, becomes U+FFFD on every store.
STORED = HOSTILE.replace("\x00", "\ufffd")


def screen_text(app) -> str:
    """What the terminal would receive for the current screen, as text, with every segment."""
    strips = app.screen._compositor.render_strips()
    raw = "".join(segment.text for strip in strips for segment in strip)
    shows_no_control(raw, "the terminal")
    links = [s.style.link for strip in strips for s in strip if s.style and s.style.link]
    assert links == [], f"text became a hyperlink: {links}"
    return "\n".join(strip.text for strip in strips)


def hostile_backlog(ws) -> None:
    suggest(
        ws,
        "Open " + HOSTILE,
        description=HOSTILE + "\nsecond line",
        business_value_text="Worth " + HOSTILE,
        file_path="src/" + HOSTILE,
        line=3,
        impact=9,
    )
    suggest(ws, "Done " + HOSTILE, "testing")
    complete_item(ws, "TEST-001", hours=1, impact="Notes " + HOSTILE)


async def test_table_and_detail_show_hostile_text_literally(ws):
    hostile_backlog(ws)
    app = TerragonApp(ws)
    async with app.run_test(size=(220, 60)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Open [bold red]x[/] [link=http://evil]" in text  # the table row and the detail
        assert "Worth [bold red]x[/]" in text and "src/[bold red]x[/]" in text
        assert "\\x1b]52;c;cHduZWQ=\\x07" in text
        assert all(word in text for word in BIDI_SHOWN), text
        assert "second line" in text
        await pilot.press("t", "G")  # the done item, with its impact notes
        await settle(pilot)
        text = screen_text(app)
        assert "Notes [bold red]x[/]" in text
        assert all(word in text for word in BIDI_SHOWN), text


async def test_history_and_dashboard_show_hostile_text_literally(ws):
    hostile_backlog(ws)
    app = TerragonApp(ws)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert "Notes [bold red]x[/]" in screen_text(app)
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Open [bold red]x[/]" in screen_text(app)


async def test_forms_show_hostile_text_escaped_and_leave_it_alone_unless_edited(ws):
    hostile_backlog(ws)
    app = TerragonApp(ws)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("c")  # the complete form's heading names the item
        await pilot.pause()
        assert "Complete FEAT-001: Open [bold red]x[/]" in screen_text(app)
        await pilot.press("escape", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        screen_text(app)
        assert form.query_one("#title", Input).value.startswith("Open [bold red]x[/] ")
        assert "\\x1b[31mred" in form.query_one("#description", TextArea).text
        form.query_one("#impact", Input).value = "4"
        await pilot.press("ctrl+s")
        await settle(pilot)
    item = show_item(ws, "FEAT-001").ranked.item
    assert item.edited_fields == ["impact"]  # the escaped text shown was not saved back
    assert item.description == STORED + "\nsecond line"


async def test_notifications_escape_what_they_echo(ws):
    app = TerragonApp(ws)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        app.notify("scan failed: " + HOSTILE, title="\x1b]0;title\x07", markup=False)
        assert await wait_for(pilot, lambda: "scan failed: [bold red]x[/]" in screen_text(app))
        text = screen_text(app)
        assert "\\x1b]0;title\\x07" in text
