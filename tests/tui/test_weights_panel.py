"""Live re-weighting: every key press re-ranks at once and shows how far items moved."""

from __future__ import annotations

from rich.console import Console
from textual.widgets import Static

from terragon_tui.backlog.scoring_settings import scoring_settings
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.widgets.detail import DetailPane
from terragon_tui.tui.widgets.ranked_table import COLUMNS, layout
from terragon_tui.tui.widgets.weights_panel import UnsavedWeightsPrompt, WeightsPanel

from ..conftest import suggest
from .pilots import said, settle, shown, wait_for


def keys(screen: BacklogScreen) -> list[str]:
    return [screen.model.item_at(i).key for i in range(len(screen.model))]


def status(screen: BacklogScreen) -> str:
    return str(screen.query_one("#status").render())


def breakdown_heading(screen: BacklogScreen) -> str:
    """The line of the detail pane that names the weights the breakdown uses."""
    body = screen.query_one(DetailPane).query_one("#detail-body", Static)
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(body.content)
    return next(line for line in console.export_text().splitlines() if "Score breakdown" in line)


def saved_profile(ws):
    with ws.session() as session:
        return scoring_settings(ws, session)


#: WSJF in the fixtures' repository's maturity default, and after two steps up.
DEFAULT_WSJF, RAISED_WSJF = 0.5, 0.6


async def raise_wsjf_and_leave(pilot) -> BacklogScreen:
    """Open the panel, raise WSJF two steps, press escape: the prompt is up."""
    screen = pilot.app.screen
    assert screen.settings.weights.wsjf == DEFAULT_WSJF
    await pilot.press("w", "l", "l", "escape")
    await pilot.pause()
    assert isinstance(pilot.app.screen, UnsavedWeightsPrompt)
    return screen


async def test_w_opens_the_panel_and_each_key_reranks(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        before = keys(screen)
        await pilot.press("w")
        panel = screen.query_one(WeightsPanel)
        assert panel.has_class("-open") and app.focused is panel
        await pilot.press("j")  # technical debt row
        for _ in range(16):  # debt 0.3 → 1.1: the refactoring (debt 100) passes the finding
            await pilot.press("l")
        after = keys(screen)
        assert after != before
        assert after.index("DEBT-001") < before.index("DEBT-001")
        moved = screen.model.cells(screen.model.position_of("DEBT-001"))[1]
        assert moved.startswith("▲")
        assert "unsaved" in str(screen.query_one("#status").render())


async def test_focus_area_cycles_and_save_persists(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("w", "f")
        panel = app.screen.query_one(WeightsPanel)
        assert panel.focus_area == "security"
        assert app.screen.model.weights.security == 0.6
        await pilot.press("ctrl+s")
        await settle(pilot)
    with filled_ws.session() as session:
        saved = scoring_settings(filled_ws, session)
    assert saved.focus == "security" and saved.weights.security == 0.6


async def test_weights_cannot_all_be_zero(app):
    from terragon_tui.scoring.weights import Weights

    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("w")
        panel = app.screen.query_one(WeightsPanel)
        panel.weights = Weights(wsjf=0.05, debt=0, ice=0, security=0.05)  # one step from zero
        await pilot.press("h")  # WSJF to zero: security still counts
        assert panel.weights.wsjf == 0
        await pilot.press("j", "j", "j", "h", "h")  # security, the last one above zero
        assert panel.weights == Weights(wsjf=0, debt=0, ice=0, security=0.05)
        assert said(app, "cannot all be zero")


async def test_reset_and_close(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("w", "l", "l", "R")
        await settle(pilot)
        panel = app.screen.query_one(WeightsPanel)
        assert panel.weights.wsjf == 0.5
        await pilot.press("escape")
        assert not panel.has_class("-open")
        assert isinstance(app.focused, type(app.screen.table))


async def test_leaving_without_changes_does_not_ask(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        await pilot.press("w", "escape")
        await pilot.pause()
        assert app.screen is screen and not screen.query_one(WeightsPanel).has_class("-open")


async def test_escape_in_the_prompt_goes_back_to_the_panel(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await raise_wsjf_and_leave(pilot)
        await pilot.press("escape")
        await pilot.pause()
        panel = screen.query_one(WeightsPanel)
        assert app.screen is screen and panel.has_class("-open") and app.focused is panel
        assert panel.weights.wsjf == RAISED_WSJF


async def test_save_on_leaving_saves_and_says_so(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await raise_wsjf_and_leave(pilot)
        assert "unsaved" in breakdown_heading(screen)
        await pilot.press("s")
        await settle(pilot)
        assert not screen.query_one(WeightsPanel).has_class("-open")
        assert status(screen).endswith("weights: saved profile")
        assert breakdown_heading(screen).strip() == "Score breakdown (saved profile)"
    assert saved_profile(filled_ws).weights.wsjf == RAISED_WSJF


async def test_discard_on_leaving_goes_back_to_the_saved_weights(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        before = keys(app.screen)
        screen = await raise_wsjf_and_leave(pilot)
        origin = screen.settings.origin
        await pilot.press("d")
        await pilot.pause()
        assert not screen.query_one(WeightsPanel).has_class("-open")
        assert screen.model.weights == screen.settings.weights and keys(screen) == before
        assert status(screen).endswith(f"weights: {origin}")
        assert breakdown_heading(screen).strip() == f"Score breakdown ({origin})"
        assert await wait_for(pilot, lambda: said(app, f"back to the {origin}"))
    assert saved_profile(filled_ws).origin == origin  # nothing saved


async def test_keep_leaves_the_weights_in_force_and_says_unsaved(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await raise_wsjf_and_leave(pilot)
        origin = screen.settings.origin
        await pilot.press("k")
        await pilot.pause()
        assert not screen.query_one(WeightsPanel).has_class("-open")
        assert app.focused is screen.table
        unsaved = f"weights: unsaved (from {origin})"
        assert screen.model.weights.wsjf == RAISED_WSJF and status(screen).endswith(unsaved)
        expected = f"Score breakdown (unsaved weights, from the {origin})"
        assert breakdown_heading(screen).strip() == expected
        await pilot.press("ctrl+r")  # a reload (a scan, another process) keeps them too
        await settle(pilot)
        assert screen.model.weights.wsjf == RAISED_WSJF and status(screen).endswith(unsaved)
        await pilot.press("w")  # the panel opens on them, and asks again on leaving
        assert screen.query_one(WeightsPanel).weights.wsjf == RAISED_WSJF
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedWeightsPrompt)
    assert saved_profile(filled_ws).origin == origin  # nothing saved


async def test_at_80x24_the_panel_keeps_score_and_move_visible(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", "j", *["l"] * 16)  # debt up: the refactoring climbs
        await pilot.pause()
        text = shown(app)
        header = next(line for line in text.splitlines() if line.lstrip().startswith("Rank"))
        assert "Move" in header and "Score" in header and "Technical debt" in text
        assert "▲" in text
        row = next(line for line in text.splitlines() if "DEBT-001" in line)
        assert f"{app.screen.model.scores[app.screen.model._index_of_key['DEBT-001']]:.1f}" in row


def test_the_title_gives_way_to_kept_columns():
    for width in (36, 43, 60):
        columns = layout(width, keep=frozenset({"Move"}))
        headers = [COLUMNS[index].header for index, _ in columns]
        assert {"Move", "Score", "Title"} <= set(headers)
        assert sum(w + 1 for _, w in columns) - 1 <= width


def test_the_help_screen_lists_the_prompt_keys(app):
    from terragon_tui.tui.help import keys_table

    console = Console(width=120, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(keys_table(app, app.binding_sources()))
    text = console.export_text()
    for binding_id in ("unsaved_weights.save", "unsaved_weights.discard", "unsaved_weights.keep"):
        assert binding_id in text
    assert "Keep for this session" in text


async def test_a_save_is_not_taken_for_a_change_made_elsewhere(app, filled_ws):
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        screen = app.screen
        await pilot.press("w", "l", "ctrl+s")
        await settle(pilot)
        screen.pick_up_changes()
        await settle(pilot)
        assert not said(app, "changed elsewhere")
        suggest(filled_ws, "Written by a script meanwhile", "documentation")
        screen.pick_up_changes()
        await settle(pilot)
        assert said(app, "changed elsewhere")
