"""The suggest / edit form has every field the CLI takes, checks them as typed, and escape
asks before throwing away what was typed (in every form that takes typing)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static, TextArea

from terragon_tui.backlog.listing import list_items, show_item
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.discard import DiscardPrompt
from terragon_tui.tui.forms import CompleteForm, IgnoreForm, ReasonForm
from terragon_tui.tui.item_form import ItemForm
from terragon_tui.tui.screens.backlog import BacklogScreen

from .pilots import settle


def error_of(form) -> str:
    return str(form.query_one("#error", Static).render())


async def type_into(pilot, form, name: str, text: str) -> None:
    """Focus a field as tab would and type, the way a person fills the form in."""
    field = form.query_one(f"#{name}")
    field.focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_the_readmes_cicd_example_is_made_from_the_tui_at_80x24(ws):
    app = TerragonApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#category", Select).value = "infrastructure"
        await type_into(pilot, form, "prefix", "CICD")
        form.query_one("#title", Input).value = "Activate GitHub Actions CI/CD pipeline"
        description = "Move workflow templates from docs/workflows/ to .github/workflows/"
        form.query_one("#description", TextArea).text = description
        for name, text in (("estimated_hours", "8"), ("impact", "10"), ("risk", "0.2")):
            form.query_one(f"#{name}", Input).value = ""
            await type_into(pilot, form, name, text)
        await type_into(pilot, form, "business_value", "13")
        form.query_one("#file_path", Input).value = ".github/workflows/ci.yml"
        await type_into(pilot, form, "line", "12")
        line = form.query_one("#line", Input)
        scroll = form.query_one(VerticalScroll)
        assert scroll.scroll_y > 0  # the form scrolls to the field being filled at 80x24
        assert scroll.region.contains_region(line.region)
        form.query_one("#is_performance").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BacklogScreen)
        assert app.screen.current().key == "CICD-001"
    item = show_item(ws, "CICD-001").ranked.item
    assert (item.title, item.description) == ("Activate GitHub Actions CI/CD pipeline", description)
    assert (item.category, item.estimated_hours, item.impact, item.risk) == (
        "infrastructure",
        8,
        10,
        0.2,
    )
    assert (item.business_value, item.file_path, item.line, item.is_performance) == (
        13,
        ".github/workflows/ci.yml",
        12,
        True,
    )
    assert item.time_criticality == 13  # left blank: derived from the impact, as the CLI does


async def test_fields_are_checked_as_typed_and_marked(app, filled_ws):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert error_of(form) == ""  # an untouched form says nothing is wrong
        form.query_one("#risk", Input).value = ""
        await type_into(pilot, form, "risk", "3")
        risk = form.query_one("#risk", Input)
        assert "risk" in error_of(form) and risk.has_class("-invalid")
        await type_into(pilot, form, "prefix", "C1")
        assert "ID prefix must be 2 to 10 letters" in error_of(form)
        await type_into(pilot, form, "line", "0")
        assert "line must be a whole number" in error_of(form)
        form.query_one("#line", Input).value = "7"
        await pilot.pause()
        assert error_of(form) == "" and not form.query_one("#line").has_class("-invalid")
        risk.value = "0.5"
        form.query_one("#prefix", Input).value = "CI"
        form.query_one("#title", Input).value = "Ok"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BacklogScreen)
    assert show_item(filled_ws, "CI-001").ranked.item.line == 7


async def test_the_edit_form_changes_wsjf_inputs_file_and_line(app, filled_ws):
    async with app.run_test(size=(80, 24)) as pilot:
        key = app.screen.current().key
        await pilot.press("e")
        form = app.screen
        assert not form.query("#prefix")  # an ID is never re-prefixed
        form.query_one("#time_criticality", Input).value = "20"
        form.query_one("#file_path", Input).value = "ci/pipeline.py"
        form.query_one("#line", Input).value = "40"
        await pilot.press("ctrl+s")
        await settle(pilot)
    item = show_item(filled_ws, key).ranked.item
    assert (item.time_criticality, item.file_path, item.line) == (20, "ci/pipeline.py", 40)
    assert item.edited_fields == ["file_path", "line", "time_criticality"]


async def test_escape_on_an_untouched_form_closes_at_once(app, filled_ws):
    async with app.run_test(size=(80, 24)) as pilot:
        for key, form_type in (("n", ItemForm), ("c", CompleteForm)):
            await pilot.press(key)
            assert isinstance(app.screen, form_type)
            await pilot.press("escape")
            assert isinstance(app.screen, BacklogScreen), key
        await pilot.press("i")  # prefilled, but not changed by the user
        assert isinstance(app.screen, IgnoreForm)
        await pilot.press("escape")
        assert isinstance(app.screen, BacklogScreen)


async def test_escape_on_a_changed_form_asks_before_discarding(app, filled_ws):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        form = app.screen
        await type_into(pilot, form, "title", "Half")
        await pilot.press("escape")
        assert isinstance(app.screen, DiscardPrompt)
        await pilot.press("n")  # no: back to the form, nothing lost
        assert app.screen is form
        assert form.query_one("#title", Input).value == "Half"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, BacklogScreen)

        await pilot.press("x", "d")
        assert isinstance(app.screen, ReasonForm)
        await pilot.press("escape")
        assert isinstance(app.screen, DiscardPrompt)
        await pilot.press("escape")  # escape on the question is "no"
        assert isinstance(app.screen, ReasonForm)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, BacklogScreen)

        await pilot.press("i")
        app.screen.query_one("#path", Input).value = "docs/**"
        await pilot.press("escape")
        assert isinstance(app.screen, DiscardPrompt)
        await pilot.press("y")
        assert isinstance(app.screen, BacklogScreen)
    assert len(list_items(filled_ws)) == 4  # nothing was saved
