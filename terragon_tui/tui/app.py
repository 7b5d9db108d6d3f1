"""The terragon TUI: the ranked backlog first, with help, palette, themes and remappable keys."""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ..backlog.user_config import UserConfig
from ..backlog.workspace import Workspace
from ..core.errors import TerragonError
from ..core.text import printable
from .discard import DiscardPrompt
from .forms import FormScreen
from .help import HelpScreen
from .host import TerragonHost
from .scan import start_scan_helpers
from .screens.backlog import BacklogScreen
from .screens.change import ApplyPreview, BranchDiffScreen
from .screens.dashboard import DashboardScreen
from .screens.detail import DetailScreen
from .screens.history import HistoryScreen
from .screens.occurrences import OccurrencesScreen
from .screens.repositories import RepositoriesScreen
from .screens.roadmap import RoadmapScreen
from .widgets.occurrence_list import OccurrenceList
from .widgets.ranked_table import RankedTable
from .widgets.weights_panel import UnsavedWeightsPrompt, WeightsPanel


def settle_memory() -> None:
    """Leave what the process holds before the app starts (its modules, classes and tables,
    which live as long as it does) out of the garbage collector's scans.

    Without this a full collection during the first paint walks every object that importing
    Textual, SQLAlchemy and numpy made: on the 2-core development machine that was 180-320 ms
    of a large backlog's first paint. Call it once per process, just before the app runs.
    """
    gc.freeze()


class TerragonApp(TerragonHost):
    """Triage a repository's value backlog in the terminal."""

    TITLE = "terragon"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("1", "show('backlog')", "Backlog", show=False, id="app.backlog"),
        Binding("2", "show('dashboard')", "Dashboard", show=False, id="app.dashboard"),
        Binding("3", "show('history')", "History", show=False, id="app.history"),
        Binding("4", "show('repositories')", "Repositories", show=False, id="app.repositories"),
        Binding("5", "show('roadmap')", "Roadmap", show=False, id="app.roadmap"),
    ]

    def __init__(
        self,
        ws: Workspace,
        user: UserConfig | None = None,
        *,
        scan_workers: int | None = None,
        first_scan: bool = False,
        now: datetime | None = None,
    ) -> None:
        super().__init__()
        if (scan_workers or os.cpu_count() or 1) > 1:
            # before Textual replaces sys.stderr with an object that has no descriptor
            start_scan_helpers()
        self.now = now  # a fixed clock for reproducible screens; None means the real time
        self.ws = ws
        self.scan_workers = scan_workers
        self.first_scan = first_scan
        self.user = user or UserConfig()
        self.sub_title = ws.root.name

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification; its text (often naming a file) cannot drive the terminal."""
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def on_mount(self) -> None:
        if self.user.theme:
            if self.user.theme in self.available_themes:
                self.theme = self.user.theme
            else:
                self.notify(
                    f"Unknown theme {self.user.theme!r} in {self.user.path}.",
                    severity="warning",
                    markup=False,
                )
        if self.user.keymap:
            self.set_keymap(self.user.keymap)
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.push_screen(BacklogScreen(self.ws))

    def _save_theme(self, theme: Any) -> None:
        """Keep a theme picked in the palette for next time, in the user's config."""
        if self.user.path is None or theme.name == self.user.theme:
            return
        from ..backlog.user_config import save_user_setting

        try:
            save_user_setting(self.user.path, "theme", theme.name)
        except TerragonError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.user = dataclasses.replace(self.user, theme=theme.name)
        self.notify(f"Theme {theme.name} saved to {self.user.path}.", markup=False)

    def on_unmount(self) -> None:
        self.ws.close()

    async def action_quit(self) -> None:
        """Quit, but only once every write asked for has landed: no completion is cut off."""
        writing = [
            screen
            for screen in self.screen_stack
            if isinstance(screen, BacklogScreen) and screen.write_lock.locked()
        ]
        if not writing:
            self.exit()
            return
        self.notify("Saving… quitting when the store has it.")

        async def quit_when_saved() -> None:
            for screen in writing:
                await screen.writes_finished()
            self.exit()

        self.run_worker(quit_when_saved(), group="quit", exclusive=True)

    def binding_sources(self) -> list[tuple[str, list[BindingType]]]:
        """Every group of key bindings, for the help screen."""
        return [
            ("Everywhere", list(self.BINDINGS)),
            ("Backlog", list(BacklogScreen.BINDINGS)),
            ("Table", list(RankedTable.BINDINGS)),
            ("Item detail (enter)", list(DetailScreen.BINDINGS)),
            ("Occurrences of a grouped item (enter)", list(OccurrencesScreen.BINDINGS)),
            ("Occurrence list", list(OccurrenceList.BINDINGS)),
            ("Dashboard (2)", list(DashboardScreen.BINDINGS)),
            ("Repositories (4)", list(RepositoriesScreen.BINDINGS)),
            ("Roadmap (5)", list(RoadmapScreen.BINDINGS)),
            ("Applying a fix (a)", list(ApplyPreview.BINDINGS)),
            ("Branch diff (D)", list(BranchDiffScreen.BINDINGS)),
            ("Weights panel (w)", list(WeightsPanel.BINDINGS)),
            ("Leaving the panel with unsaved weights", list(UnsavedWeightsPrompt.BINDINGS)),
            ("Forms (c, n, e, d, x, i, f)", list(FormScreen.BINDINGS)),
            ("Escape on a changed form", list(DiscardPrompt.BINDINGS)),
        ]

    def action_show(self, name: str) -> None:
        """Go to a screen: backlog, dashboard, history, repositories or roadmap."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if name == "history":
            self.push_screen(HistoryScreen(self.ws))
        elif name == "dashboard":
            self.push_screen(DashboardScreen(self.ws, now=self.now))
        elif name == "repositories":
            self.push_screen(RepositoriesScreen(self.ws))
        elif name == "roadmap":
            self.push_screen(RoadmapScreen(self.ws, now=self.now))

    def switch_repository(self, ws: Workspace) -> None:
        """Work on another repository of the same store: its backlog replaces the current one.

        Not while a scan or a write of the current backlog is under way (it would land unseen),
        nor while weights that were never saved are in force (they would be lost unasked).
        """
        backlog = next(s for s in self.screen_stack if isinstance(s, BacklogScreen))
        if backlog.scan_cancel is not None or backlog.write_lock.locked():
            self.notify(
                f"Still scanning or saving in {self.ws.root.name}: try again once it is done.",
                severity="warning",
                markup=False,
            )
            return
        if backlog.unsaved is not None:
            self.notify(
                f"{self.ws.root.name} has unsaved weights: save or discard them (w) first.",
                severity="warning",
                markup=False,
            )
            return
        self.ws = ws
        self.sub_title = ws.root.name
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(BacklogScreen(ws))
        self.notify(f"Now working on {ws.root.name} ({ws.root}).", markup=False)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_sources()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, BacklogScreen):
            for binding in BacklogScreen.BINDINGS:
                assert isinstance(binding, Binding)
                yield SystemCommand(
                    binding.description,
                    f"{binding.description} ({binding.key.split(',')[0]})",
                    lambda action=binding.action: screen.run_action(action),
                )
        yield SystemCommand("Help", "Show every key (?)", self.action_help)
        yield SystemCommand(
            "History", "Completions and scans (3)", lambda: self.action_show("history")
        )
        yield SystemCommand(
            "Backlog", "The ranked backlog (1)", lambda: self.action_show("backlog")
        )
        yield SystemCommand(
            "Roadmap", "Open items in weeks and phases (5)", lambda: self.action_show("roadmap")
        )
        yield SystemCommand(
            "Repositories",
            "The store's repositories; work on another (4)",
            lambda: self.action_show("repositories"),
        )
