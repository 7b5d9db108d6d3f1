"""From an item to a change in the TUI: `a` previews an item's mechanical fix and applies it
on confirm; `D` shows what the current branch changes since its base."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ...core.errors import TerragonError
from ...core.text import printable
from ..reads import ReadDone, failure
from ..widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from ...backlog.apply.fix import ApplyResult
    from ...backlog.workspace import Workspace

_STYLES = {"+": "green", "-": "red", "@": "cyan"}


def diff_text(diff: str) -> Text:
    """A unified diff as coloured lines; its text (from the repository) shown as is."""
    shown = Text()
    for line in diff.splitlines():
        style = "bold" if line.startswith(("+++", "---")) else _STYLES.get(line[:1], "")
        shown.append(printable(line, single_line=True) + "\n", style=style)
    return shown


class ApplyPreview(ModalScreen[bool]):
    """The change `terragon apply --dry-run` would make, and the question whether to make it."""

    DEFAULT_CSS = """
    ApplyPreview { align: center middle; }
    ApplyPreview > Vertical {
        width: 90%; height: 90%; border: round $primary; background: $surface; padding: 0 1;
    }
    ApplyPreview #apply-diff { height: 1fr; }
    ApplyPreview #apply-ask { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Apply", id="apply.yes"),
        Binding("n,escape", "answer(False)", "Cancel", id="apply.no"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="apply.down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="apply.up"),
    ]

    def __init__(self, result: ApplyResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        r = self.result
        with Vertical() as box:
            box.border_title = printable(f"Apply {r.key}: {r.recipe}", single_line=True)
            yield Static(
                Text(printable(f"{r.summary}\nOn a new branch: {r.branch}", single_line=False)),
                id="apply-what",
            )
            with VerticalScroll(id="apply-diff"):
                yield Static(diff_text(r.diff) if r.diff.strip() else Text("(no change)"))
            yield Static(
                "y makes this commit on its own branch (your work tree stays as it is) · "
                "n or escape cancels",
                id="apply-ask",
            )
        yield Footer()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#apply-diff", VerticalScroll)
        (scroll.scroll_down if direction == "down" else scroll.scroll_up)(animate=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class DiffRead(ReadDone):
    """The branch diff, computed in a worker (it scans the base in a temporary worktree)."""


class BranchDiffScreen(Screen[None]):
    """What the current branch introduces, worsens and resolves since its base."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="branch_diff.back"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="branch_diff.down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="branch_diff.up"),
        Binding("ctrl+r", "refresh_diff", "Diff again", id="branch_diff.reload"),
    ]

    def __init__(self, ws: Workspace, base: str | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.base = base
        self.diff: Any = None
        self.reading: Any = None

    def compose(self) -> ComposeResult:
        yield ScreenTabs("branch diff", self.ws)
        with VerticalScroll(id="branch-diff-scroll"):
            yield Static(
                Text("Scanning the base in a temporary worktree…", style="dim"), id="branch-diff"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_diff()

    def action_refresh_diff(self) -> None:
        self.reading = self._read_diff()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#branch-diff-scroll", VerticalScroll)
        (scroll.scroll_down if direction == "down" else scroll.scroll_up)(animate=False)

    @work(thread=True, exclusive=True, group="branch-diff", exit_on_error=False)
    def _read_diff(self) -> None:
        from ...backlog.diffing import diff_branch

        worker = get_current_worker()
        try:
            diff = diff_branch(self.ws, self.base)
        except TerragonError as exc:
            self.post_message(DiffRead(worker, error=failure(exc)))
            return
        self.post_message(DiffRead(worker, diff))

    @on(DiffRead)
    def _diff_landed(self, event: DiffRead) -> None:
        if event.worker is not self.reading:
            return
        body = self.query_one("#branch-diff", Static)
        if event.error:
            body.update(Text(printable(f"No diff: {event.error}"), style="red"))
            self.notify(event.error, severity="error", markup=False)
            return
        from ...reports.diff_render import diff_tables

        self.diff = event.result
        body.update(Group(diff_tables(event.result)))
