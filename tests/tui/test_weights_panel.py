"""Live re-weighting: every key press re-ranks at once and shows how far items moved."""

from __future__ import annotations

from terragon_tui.backlog.weights import scoring_settings
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.widgets.weights_panel import WeightsPanel

from .pilots import said, settle


def keys(screen: BacklogScreen) -> list[str]:
    return [screen.model.item_at(i).key for i in range(len(screen.model))]


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
