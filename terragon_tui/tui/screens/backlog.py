"""The backlog screen: the ranked table, the detail pane, the weights panel, and every action."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from sqlalchemy.exc import DBAPIError
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from ...backlog import items as service
from ...backlog import scoring_settings as weights_service
from ...backlog.filters import ItemFilter
from ...backlog.listing import load_item_places, load_rows
from ...backlog.occurrences import grouped_counts
from ...core.errors import TerragonError
from ...core.text import printable
from ...core.vocabulary import OPEN_STATUSES
from ...store.models import Item
from ...store.rows import ItemFields, ItemRow
from ..editor import file_command, run_editor
from ..filter_form import FilterEntry, FilterForm, ViewPicker
from ..forms import (
    CompleteForm,
    CompletionEntry,
    IgnoreEntry,
    IgnoreForm,
    ReasonEntry,
    ReasonForm,
)
from ..host import TerragonHost
from ..item_form import ItemEntry, ItemForm
from ..model import BacklogModel
from ..reads import (
    LOADING,
    BacklogRead,
    ExtrasRead,
    PlacesRead,
    RevisionRead,
    failure,
    read_extras,
)
from ..scan import ScanFailed, ScanFinished, ScanPicker, ScanProgress, ScanStatus
from ..widgets.detail import OCCURRENCES_SHOWN, DetailPane
from ..widgets.ranked_table import RankedTable, sort_title
from ..widgets.screen_tabs import ScreenTabs
from ..widgets.weights_panel import UnsavedWeightsPrompt, WeightsPanel
from .detail import DetailScreen
from .occurrences import OccurrencesScreen

if TYPE_CHECKING:
    from textual.worker import Worker

    from ...backlog.apply.fix import ApplyResult
    from ...backlog.decide import Decided
    from ...backlog.items import CompletionResult, UndoResult
    from ...backlog.weights_in_force import ScoringSettings
    from ...backlog.workspace import Workspace
    from ...scoring.weights import Boosts, Weights


#: What a backlog service run off the UI thread gives back.
R = TypeVar("R")

#: The screen's width classes: `-narrow` below 110 columns, `-wide` from there.
BREAKPOINTS: list[tuple[int, str]] = [(0, "-narrow"), (110, "-wide")]


class BacklogScreen(Screen[None]):
    """Ranked items, what each one is worth and why, and the keys to work through them."""

    app = getters.app(TerragonHost)
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    DEFAULT_CSS = """
    BacklogScreen #main { width: 1fr; }
    BacklogScreen #side { width: 56; }
    BacklogScreen.-narrow #side { display: none; }
    BacklogScreen.-narrow #side.-weights { display: block; width: 36; }
    BacklogScreen.-narrow #side.-weights DetailPane { display: none; }
    BacklogScreen #search { display: none; }
    BacklogScreen #search.-open { display: block; }
    BacklogScreen #status {
        height: auto; max-height: 2; padding: 0 1; background: $boost; color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # The footer shows the first five, then q and ?: all of them fit at 80 columns.
        # The other keys are on ? and in the command palette.
        Binding("enter,l", "detail", "Detail", id="backlog.detail"),
        Binding("c", "complete", "Complete", id="backlog.complete"),
        Binding("x", "reject", "Reject", id="backlog.reject"),
        Binding("slash", "search", "Search", id="backlog.search"),
        Binding("s", "scan", "Scan", id="backlog.scan"),
        Binding("f", "filter", "Filter", show=False, id="backlog.filter"),
        Binding("n", "suggest", "New", show=False, id="backlog.suggest"),
        Binding("e", "edit", "Edit", show=False, id="backlog.edit"),
        Binding("d", "defer", "Defer", show=False, id="backlog.defer"),
        Binding("u", "undo", "Undo", show=False, id="backlog.undo"),
        Binding("w", "weights", "Weights", show=False, id="backlog.weights"),
        Binding("space", "toggle_mark", "Mark / unmark", show=False, id="backlog.mark"),
        Binding("asterisk", "mark_shown", "Mark all shown", show=False, id="backlog.mark_shown"),
        Binding(
            "escape", "clear", "Clear marks / filter / cancel scan", show=False, id="backlog.clear"
        ),
        Binding("v", "view", "Views", show=False, id="backlog.view"),
        Binding("t", "toggle_closed", "Done items", show=False, id="backlog.toggle_closed"),
        Binding("greater_than_sign", "sort_next", "Sort", show=False, id="backlog.sort"),
        Binding("r", "sort_reverse", "Reverse sort", show=False, id="backlog.reverse"),
        Binding("o", "open_editor", "Open file", show=False, id="backlog.open"),
        Binding("i", "ignore", "Ignore at source", show=False, id="backlog.ignore"),
        Binding("a", "apply", "Apply the fix", show=False, id="backlog.apply"),
        Binding("D", "branch_diff", "Branch diff", show=False, id="backlog.branch_diff"),
        Binding("y", "copy_id", "Copy ID", show=False, id="backlog.copy_id"),
        Binding("Y", "copy_location", "Copy file:line", show=False, id="backlog.copy_location"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="backlog.reload"),
    ]

    #: The backlog keys the footer shows that give way while the weights panel has focus, so
    #: that at 80 columns its keys, ? and q fit; there they act on the panel or not at all.
    PANEL_HIDES: ClassVar[frozenset[str]] = frozenset(
        {"detail", "complete", "reject", "search", "scan"}
    )
    #: How often the screen asks the store whether another process changed the backlog (s).
    POLL_SECONDS: ClassVar[float] = 2.0
    #: After how long a write still waiting for the store is worth a word (s).
    SLOW_WRITE_SECONDS: ClassVar[float] = 1.0

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.model = BacklogModel()
        self.settings: ScoringSettings | None = None
        #: The weights, boosts and focus in force while they are not the saved ones.
        self.unsaved: tuple[Weights, Boosts, str | None] | None = None
        self.scan_cancel: threading.Event | None = None
        self.seen_revision = -1
        self.store_unreachable = False
        self.write_lock = asyncio.Lock()  # writes run one at a time, in the order asked
        # Reads run in workers; each of these is the one whose result the screen waits for.
        self.backlog_read: Worker[None] | None = None
        self.revision_read: Worker[None] | None = None
        self.extras_read: Worker[None] | None = None
        self.places_read: Worker[None] | None = None
        #: Whether `model.places` are those of the rows shown. They are read only when a path
        #: filter needs them: a store of 100,000 places paints its first frame without them.
        self.places_fresh = False
        #: What waits for the places to land (the filter form), by name: each at most once.
        self.after_places: dict[str, Callable[[], None]] = {}
        #: The highlighted item's detail extras once read: (its ID, them or None if gone).
        self.extras: tuple[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield ScreenTabs("backlog", self.ws)
        with Horizontal():
            with Vertical(id="main"):
                yield Input(
                    placeholder="search ID, title, description — enter to keep, escape to clear",
                    id="search",
                )
                yield Static("", id="status", markup=False)
                yield RankedTable(self.model, id="table")
            with Vertical(id="side"):
                yield WeightsPanel(id="weights")
                yield DetailPane(id="detail")
        yield ScanStatus(id="scan-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DetailPane).show(None, note=LOADING)
        self.reload(first_scan=self.app.first_scan)
        self.query_one(RankedTable).focus()
        self.set_interval(self.POLL_SECONDS, self.pick_up_changes)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Leave the backlog's footer keys out while the weights panel has focus."""
        return not (action in self.PANEL_HIDES and isinstance(self.focused, WeightsPanel))

    def never_scanned(self) -> bool:
        """Whether no scan of this repository was ever recorded."""
        with self.ws.reading() as session:
            return self.ws.repository(session).last_scan_at is None

    # --- data -------------------------------------------------------------------------

    @property
    def table(self) -> RankedTable:
        """The ranked table."""
        return self.query_one(RankedTable)

    def current(self) -> ItemRow | None:
        """The item under the cursor: a read-only row with Item's attribute names."""
        return self.model.item_at(self.table.cursor)

    def reload(self, keep_key: str | None = None, *, first_scan: bool = False) -> None:
        """Read the items and settings again in a worker; the rows shown stay until they land.

        `keep_key` is the row to highlight then (by default the one highlighted when they
        land); with `first_scan`, a repository never scanned starts a full scan once read.
        A newer reload supersedes one still under way.
        """
        self.backlog_read = self._read_backlog(keep_key or "", first_scan)
        self.update_status()

    @work(thread=True, exclusive=True, group="reads", exit_on_error=False)
    def _read_backlog(self, keep_key: str, first_scan: bool) -> None:
        worker = get_current_worker()
        try:
            # Read first: a change landing while the rows load is picked up by the next poll.
            revision = self.ws.revision()
            items, settings = load_rows(self.ws)
            with self.ws.reading() as session:
                counts = grouped_counts(session, self.ws.repo_id)
            unscanned = first_scan and self.never_scanned()
        except Exception as exc:
            self.post_message(BacklogRead(worker, error=failure(exc)))
            if not isinstance(exc, DBAPIError | TerragonError):
                raise
            return
        self.post_message(
            BacklogRead(worker, (revision, items, settings, unscanned, counts), "", keep_key)
        )

    @on(BacklogRead)
    def _backlog_landed(self, event: BacklogRead) -> None:
        if event.worker is not self.backlog_read:
            return  # a newer read is under way
        self.backlog_read = None
        if event.error:
            self.notify(f"Cannot read the store: {event.error}", severity="error", markup=False)
            self.update_status()
            if self.settings is None:
                self.query_one(DetailPane).show(None, note=f"Cannot read the store: {event.error}")
                waiting, self.after_places = list(self.after_places.values()), {}
                for then in waiting:  # no rows to read the places of: show what there is
                    then()
            return
        revision, items, settings, unscanned, counts = event.result
        self.seen_revision = revision
        self.revision_read = None  # a poll under way read the store before these rows
        self.settings = settings
        if self.unsaved is not None and self.unsaved[:2] == (settings.weights, settings.boosts):
            self.unsaved = None  # someone saved these very weights meanwhile
        weights, boosts = self.unsaved[:2] if self.unsaved else (settings.weights, settings.boosts)
        current = self.current()
        keep_key = event.keep_key or (current.key if current else None)
        self.extras = None  # the detail reads them again, as they are now
        # the places of the last read serve until this read's land (path filters only)
        self.model.load(
            items, weights, boosts, settings.security_from, places=self.model.places, counts=counts
        )
        self.table.refresh_rows(keep_key)  # posts Highlighted, which refreshes the detail
        self.update_status()
        self.places_fresh = False
        if self.model.filters.path or self.after_places:
            self.places_read = self._read_places()
        if unscanned:
            self.notify("First visit: scanning the repository in the background.")
            self.start_scan("full")

    def need_places(self, name: str = "", then: Callable[[], None] | None = None) -> None:
        """Read the paths of grouped items' places unless those of the rows shown are in
        hand; `then` (known by `name`, so a second press does not queue it twice) runs once
        they are, or once reading them failed."""
        if self.places_fresh:
            if then is not None:
                then()
            return
        if then is not None:
            self.after_places[name] = then
        if self.places_read is None and self.settings is not None:
            self.places_read = self._read_places()
        # before the first rows land, their landing starts the read

    @work(thread=True, exclusive=True, group="places", exit_on_error=False)
    def _read_places(self) -> None:
        worker = get_current_worker()
        try:
            places = load_item_places(self.ws)
        except (DBAPIError, TerragonError) as exc:
            self.post_message(PlacesRead(worker, error=failure(exc)))
            return
        self.post_message(PlacesRead(worker, places))

    @on(PlacesRead)
    def _places_landed(self, event: PlacesRead) -> None:
        if event.worker is not self.places_read:
            return  # a newer read is under way
        self.places_read = None
        waiting, self.after_places = list(self.after_places.values()), {}
        if event.error:
            self.notify(f"Cannot read the places: {event.error}", severity="error", markup=False)
        else:
            self.model.places, self.places_fresh = event.result, True
            if self.model.filters.path:  # a path filter now also sees every group's places
                self._refilter()
        for then in waiting:
            then()

    def action_apply(self) -> None:
        """Preview the highlighted item's mechanical fix (as `terragon apply --dry-run`) and
        make it on its own branch on confirm."""
        from ...backlog.apply.fix import apply_item
        from .change import ApplyPreview

        item = self.current()
        if item is None:
            self.notify("No item to apply.", severity="warning")
            return
        key = item.key

        def applied(result: ApplyResult) -> None:
            where = f"; pull request text in {result.pr_path}" if result.pr_path else ""
            self.notify(
                f"Applied {key} on branch {result.branch}{where}. Your work tree is unchanged.",
                markup=False,
            )
            self.reload(key)

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(lambda ws: apply_item(ws, key), then=applied)

        def previewed(result: ApplyResult) -> None:
            self.app.push_screen(ApplyPreview(result), answered)

        self.run_service(lambda ws: apply_item(ws, key, dry_run=True), then=previewed)

    def action_branch_diff(self) -> None:
        """What the current branch changes since its merge-base, as `terragon diff` says."""
        from .change import BranchDiffScreen

        self.app.push_screen(BranchDiffScreen(self.ws))

    def pick_up_changes(self) -> None:
        """Reload when another process (a scan from cron, a script's `complete`) wrote."""
        if self.busy() or (self.revision_read is not None and not self.revision_read.is_finished):
            return  # what is under way reloads at its end, with what others did
        self.revision_read = self._read_revision(own=False)

    def busy(self) -> bool:
        """Whether a scan, a write or a read of ours is under way (its end brings the rows)."""
        return (
            self.scan_cancel is not None
            or self.write_lock.locked()
            or self.backlog_read is not None
        )

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _read_revision(self, own: bool) -> None:
        worker = get_current_worker()
        try:
            revision = self.ws.revision()
        except (DBAPIError, TerragonError) as exc:
            self.post_message(RevisionRead(worker, error=failure(exc)))
            return
        self.post_message(RevisionRead(worker, (revision, own)))

    @on(RevisionRead)
    def _revision_landed(self, event: RevisionRead) -> None:
        if event.worker is not self.revision_read:
            return  # read before rows that landed since
        self.revision_read = None
        if event.error:
            if not self.store_unreachable:  # say it once, not every poll
                self.notify(f"Cannot read the store: {event.error}", severity="error", markup=False)
            self.store_unreachable = True
            return
        self.store_unreachable = False
        revision, own = event.result
        if own and revision == self.seen_revision + 1:
            self.seen_revision = revision  # our write alone
        elif revision != self.seen_revision and not self.busy():
            self.reload()
            self.notify("The backlog changed elsewhere; reloaded.", timeout=3)

    def saw_own_write(self) -> None:
        """Count a write of ours that did not reload, so the poll does not call it another's.

        Each write transaction adds one to the revision: one more than seen is ours alone;
        more means someone else wrote too, and the store is read again. The revision is
        read in a worker, and the poll waits for it.
        """
        self.revision_read = self._read_revision(own=True)

    def update_status(self) -> None:
        """The status line: counts, filters, sort and where the weights come from."""
        model, settings = self.model, self.settings
        if settings is None:  # nothing read yet
            self.query_one("#status", Static).update(
                LOADING if self.backlog_read is not None else "Nothing read: ctrl+r reads again."
            )
            return
        open_count = int((model.ranks > 0).sum()) if len(model.items) else 0
        parts = [f"{len(model)} shown · {open_count} open"]
        if model.marked:
            hidden = model.marked_hidden()
            parts.append(
                f"{len(model.marked)} marked"
                + (f" ({hidden} not shown)" if hidden else "")
                + ": x/d/e act on all, escape clears"
            )
        if model.filters.describe():
            parts.append(model.filters.describe())
        if model.sort_key != "score" or model.sort_reverse:
            parts.append(self.sort_description())
        if settings is not None:
            unsaved = self.unsaved is not None
            parts.append(
                f"weights: unsaved (from {settings.origin})"
                if unsaved
                else f"weights: {settings.origin}"
            )
        if self.backlog_read is not None:
            parts.append("reloading…")
        self.query_one("#status", Static).update("  ·  ".join(parts))

    def show_detail(self) -> None:
        """Refresh the detail pane for the item under the cursor; a worker reads the rest."""
        pane = self.query_one(DetailPane)
        item = self.current()
        if item is None:
            pane.show(**self.detail_of_current(), note=LOADING if self.settings is None else "")
            return
        pane.show(**self.detail_of_current())
        if self.extras is None or self.extras[0] != item.key:
            large = self.model.count_at(self.table.cursor) > OCCURRENCES_SHOWN
            self.extras_read = self._read_extras(
                item.key, item.id, item.status, OCCURRENCES_SHOWN if large else None
            )

    def detail_of_current(self) -> dict[str, Any]:
        """What the detail shows for the item under the cursor: `DetailPane.show`'s arguments.

        Until its extras (occurrences, completions) are read, the row the table holds and a
        note saying they are loading.
        """
        item = self.current()
        if item is None:
            if len(self.model.items) and self.model.filters.describe():
                return {"item": None, "hint": "No item matches the search and filters."}
            return {"item": None}
        read = self.extras is not None and self.extras[0] == item.key
        extras = self.extras[1] if self.extras is not None and read else None
        index = self.model.index_at(self.table.cursor)
        assert index is not None
        rank = int(self.model.ranks[index]) or None
        origin = self.settings.origin if self.settings else ""
        if self.unsaved is not None:
            origin = f"unsaved weights, from the {origin}"
        return {
            # the table's rows leave out the JSON columns; the pane shows the item's role
            "item": extras.item if extras is not None else _as_item(item),
            "rank": rank,
            "score": float(self.model.scores[index]),
            "weights": self.model.weights,
            "boosts": self.model.boosts,
            "security_from": self.model.security_from,
            "origin": origin,
            "completions": extras.completions if extras is not None else [],
            "occurrences": extras.occurrences if extras is not None else [],
            "occurrence_counts": extras.totals if extras is not None else None,
            "note": "" if read else f"occurrences and completions: {LOADING}",
        }

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _read_extras(self, key: str, item_id: int, status: str, preview: int | None) -> None:
        worker = get_current_worker()
        try:
            extras = read_extras(self.ws, item_id, status, preview)
        except (DBAPIError, TerragonError) as exc:
            self.post_message(ExtrasRead(worker, error=failure(exc), key=key))
            return
        self.post_message(ExtrasRead(worker, extras, key=key))

    @on(ExtrasRead)
    def _extras_landed(self, event: ExtrasRead) -> None:
        if event.worker is not self.extras_read:
            return  # the cursor moved on and a newer read is under way
        self.extras_read = None
        current = self.current()
        if current is None or current.key != event.key:
            return
        if event.error:
            self.query_one(DetailPane).show(
                **{**self.detail_of_current(), "note": f"Cannot read the store: {event.error}"}
            )
            return
        self.extras = (event.key, event.result)
        self.show_detail()
        for screen in self.app.screen_stack:
            if isinstance(screen, DetailScreen) and screen.key == event.key:
                screen.update(self.detail_of_current())

    @on(RankedTable.Highlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    @on(RankedTable.SortRequested)
    def _sort_clicked(self, event: RankedTable.SortRequested) -> None:
        self._sort(event.sort_key)

    # --- running services -----------------------------------------------------------------

    def run_service(self, action: Callable[[Workspace], R], *, then: Callable[[R], None]) -> None:
        """Run a backlog service on the screen's workspace off the UI thread; `then` gets its
        result on the UI thread.

        The store can keep a write waiting (another process's scan holds the lock, and the
        store layer retries for up to a minute), so the screen stays live meanwhile and says
        so. Writes run one at a time in the order asked, so `u` after `c` undoes that
        completion. A user error or a store that refuses becomes a visible message, not a
        crash, and `then` is not called.
        """
        self.run_worker(self._write(action, then), group="writes")

    async def _write(self, action: Callable[[Workspace], R], then: Callable[[R], None]) -> None:
        async with self.write_lock:
            slow = self.set_timer(
                self.SLOW_WRITE_SECONDS,
                lambda: self.notify("Saving… the store is busy; waiting for it.", timeout=3),
            )
            try:
                result = await asyncio.to_thread(action, self.ws)
            except TerragonError as exc:
                self.notify(str(exc), title="Not done", severity="error", markup=False)
                return
            except DBAPIError as exc:  # the store refused (read-only, disk full...): no change
                self.notify(
                    f"store error: {exc.orig}", title="Not done", severity="error", markup=False
                )
                return
            finally:
                slow.stop()
            if result is not None:
                then(result)

    async def writes_finished(self) -> None:
        """Wait until every write asked for so far has landed or failed."""
        async with self.write_lock:
            pass

    def _need_item(self) -> ItemRow | None:
        item = self.current()
        if item is None:
            self.notify("No item selected.", severity="warning")
        return item

    # --- actions --------------------------------------------------------------------------

    def action_complete(self) -> None:
        item = self._need_item()
        if item is None:
            return

        def completed(result: CompletionResult) -> None:
            self.notify(
                f"{item.key} done: value {result.completion.score:.1f} counted.", markup=False
            )
            self.reload()

        def done(entry: CompletionEntry | None) -> None:
            if entry is not None:
                self.run_service(
                    lambda ws: service.complete_item(
                        ws, item.key, hours=entry.hours, impact=entry.impact, outcome=entry.outcome
                    ),
                    then=completed,
                )

        self.app.push_screen(CompleteForm(item), done)

    def action_suggest(self) -> None:
        def added(created: Item) -> None:
            self.notify(f"Added {created.key}.", markup=False)
            self.reload(created.key)

        def done(entry: ItemEntry | None) -> None:
            if entry is None:
                return
            values = dict(entry.fields)
            category = values.pop("category")
            title = values.pop("title")
            self.run_service(
                lambda ws: service.suggest_item(ws, category=category, title=title, **values),
                then=added,
            )

        self.app.push_screen(ItemForm(), done)

    def action_edit(self) -> None:
        if self.model.marked:
            self._edit_marked()
            return
        item = self._need_item()
        if item is None:
            return

        def updated(_: object) -> None:
            self.notify(f"Updated {item.key}.", markup=False)
            self.reload(item.key)

        def done(entry: ItemEntry | None) -> None:
            if entry is not None and entry.fields:
                self.run_service(
                    lambda ws: service.edit_item(ws, item.key, **entry.fields), then=updated
                )

        self.app.push_screen(ItemForm(item), done)

    def _open_marked(self) -> tuple[list[str], int] | None:
        """The keys of the marked open items and how many marked ones are not open; None,
        with a warning, when none of them is open."""
        chosen = self.model.marked_items()
        keys = [item.key for item in chosen if item.status in OPEN_STATUSES]
        if not keys:
            self.notify(
                f"None of the {len(chosen)} marked items is open; escape clears the marks.",
                severity="warning",
            )
            return None
        return keys, len(chosen) - len(keys)

    def _bulk_done(self, done: str, left_out: int) -> Callable[[list[Item]], None]:
        """What follows a bulk action on marked items: unmark them, say what was `done`
        ("Updated", "Deferred") and what was left out, and reload."""

        def finished(items: list[Item]) -> None:
            self.model.unmark(item.key for item in items)
            shown = ", ".join(item.key for item in items[:5]) + (", …" if len(items) > 5 else "")
            skipped = (
                f"; left out {left_out} marked {'item' if left_out == 1 else 'items'} "
                "not open (still marked)"
                if left_out
                else ""
            )
            self.notify(
                f"{done} {len(items)} items ({shown}){skipped}. u undoes them all.", markup=False
            )
            self.reload()

        return finished

    def _edit_marked(self) -> None:
        """Give every marked open item the fields filled in one form, as one change."""
        marked = self._open_marked()
        if marked is None:
            return
        keys, left_out = marked
        updated = self._bulk_done("Updated", left_out)

        def done(entry: ItemEntry | None) -> None:
            if entry is not None and entry.fields:
                self.run_service(
                    lambda ws: service.edit_items(ws, keys, **entry.fields), then=updated
                )

        self.app.push_screen(ItemForm(keys=keys), done)

    def _close(self, verb: str, *, with_marks: bool = True) -> None:
        if with_marks and self.model.marked:
            self._close_marked(verb)
            return
        item = self._need_item()
        if item is None:
            return
        action = service.defer_item if verb == "defer" else service.reject_item

        def closed(_: object) -> None:
            self.notify(
                f"{item.key} {verb}red." if verb == "defer" else f"{item.key} rejected.",
                markup=False,
            )
            self.reload()

        def done(entry: ReasonEntry | None) -> None:
            if entry is not None:
                self.run_service(lambda ws: action(ws, item.key, reason=entry.reason), then=closed)

        self.app.push_screen(ReasonForm(verb, item), done)

    def _close_marked(self, verb: str) -> None:
        """Defer or reject every marked open item with one reason, as one change."""
        marked = self._open_marked()
        if marked is None:
            return
        keys, left_out = marked
        status = "deferred" if verb == "defer" else "rejected"
        closed = self._bulk_done(status.capitalize(), left_out)

        def done(entry: ReasonEntry | None) -> None:
            if entry is not None:
                self.run_service(
                    lambda ws: service.close_items(ws, keys, status, reason=entry.reason),
                    then=closed,
                )

        self.app.push_screen(ReasonForm(verb, keys=keys, left_out=left_out), done)

    # --- marks ----------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted row and move to the next, as file managers do."""
        if self._need_item() is None:
            return
        self.model.toggle_mark(self.table.cursor)
        self.table.cursor += 1
        self.table.refresh()
        self.update_status()

    def action_mark_shown(self) -> None:
        """Mark every row the search and filters show."""
        added = self.model.mark_shown()
        self.table.refresh()
        self.update_status()
        self.notify(f"Marked {added} more; {len(self.model.marked)} marked.", timeout=3)

    def clear_marks(self) -> None:
        """Unmark everything."""
        count = len(self.model.marked)
        self.model.clear_marks()
        self.table.refresh()
        self.update_status()
        self.notify(f"Cleared {count} marks.", timeout=3)

    def action_ignore(self) -> None:
        """Ignore the highlighted item's rule (or a path) in the repository's own config."""
        from ...backlog.decide import ignore

        item = self._need_item()
        if item is None:
            return

        def decided(result: Decided) -> None:
            closed = f"; rejected {len(result.closed)} open items" if result.closed else ""
            self.notify(
                f"Added {result.entry!r} to {result.setting} in {result.file}{closed}.",
                markup=False,
            )
            self.reload()

        def done(entry: IgnoreEntry | None) -> None:
            if entry is not None:
                self.run_service(
                    lambda ws: ignore(ws, rule=entry.rule, path=entry.path, reason=entry.reason),
                    then=decided,
                )

        self.app.push_screen(IgnoreForm(item), done)

    def action_defer(self) -> None:
        self._close("defer")

    def action_reject(self) -> None:
        self._close("reject")

    def action_undo(self) -> None:
        def undone(result: UndoResult) -> None:
            self.notify(f"{result.message}.", markup=False)
            self.reload(result.key)

        self.run_service(service.undo, then=undone)

    def action_reload(self) -> None:
        self.reload()

    def action_detail(self) -> None:
        """The highlighted item's detail on the whole screen; escape comes back to its row.

        At every width: below the side pane's breakpoint it is the only way to see the
        detail, and beside the pane it gives long descriptions and occurrences the room.
        A grouped item opens its occurrences instead, one a row.
        """
        item = self._need_item()
        if item is None:
            return
        count = self.model.count_at(self.table.cursor)
        if count:
            self.app.push_screen(OccurrencesScreen(self.ws, item, count), self._on_group)
        else:
            self.app.push_screen(DetailScreen(self.detail_of_current()))

    def _on_group(self, action: str | None) -> None:
        """Run what was asked for in a group's occurrence list (c, d, x) on the group alone,
        marks or not: that list was about this group."""
        if action == "complete":
            self.action_complete()
        elif action in ("defer", "reject"):
            self._close(action, with_marks=False)

    # --- weights ---------------------------------------------------------------------------

    def action_weights(self) -> None:
        if self.settings is None:
            self.notify("The weights are not read yet.", severity="warning")
            return
        panel = self.query_one(WeightsPanel)
        self.model.set_baseline()
        self.query_one("#side").add_class("-weights")
        self.table.keep_moves = True
        panel.show(
            self.model.weights or self.settings.weights,
            self.model.boosts or self.settings.boosts,
            self.unsaved[2] if self.unsaved else self.settings.focus,
        )

    @on(WeightsPanel.Changed)
    def _reweighted(self, event: WeightsPanel.Changed) -> None:
        current = self.current()
        keep = current.key if current else None
        assert self.settings is not None
        saved = (self.settings.weights, self.settings.boosts)
        changed = (event.weights, event.boosts) != saved
        self.unsaved = (event.weights, event.boosts, event.focus) if changed else None
        self.model.reweight(event.weights, event.boosts)
        self.table.refresh_rows(keep)
        self.update_status()

    @on(WeightsPanel.SaveRequested)
    def _save_requested(self) -> None:
        self.save_weights()

    def save_weights(self, *, close: bool = False) -> None:
        """Save the panel's weights as the repository's profile; then close the panel if asked."""
        panel = self.query_one(WeightsPanel)
        assert panel.weights is not None and panel.boosts is not None

        def saved(settings: ScoringSettings) -> None:
            self.settings = settings
            self.unsaved = None
            self.saw_own_write()
            self.notify("Weights saved as this repository's profile.")
            self.update_status()
            self.show_detail()
            if close:
                panel.close()

        weights, boosts, focus = panel.weights, panel.boosts, panel.focus_area
        self.run_service(
            lambda ws: weights_service.save_settings(ws, weights, boosts, focus), then=saved
        )

    @on(WeightsPanel.ResetRequested)
    def _reset_weights(self) -> None:

        def reset(settings: ScoringSettings) -> None:
            self.settings = settings
            self.unsaved = None
            self.saw_own_write()
            panel = self.query_one(WeightsPanel)
            panel.weights, panel.boosts, panel.focus_area = settings.weights, settings.boosts, None
            self._reweighted(WeightsPanel.Changed(settings.weights, settings.boosts, None))
            self.notify(f"Weights reset to the {settings.origin}.", markup=False)

        self.run_service(weights_service.reset_weights, then=reset)

    @on(WeightsPanel.CloseRequested)
    def _leave_weights(self) -> None:
        panel = self.query_one(WeightsPanel)
        if self.unsaved is None:
            panel.close()
            return
        assert self.settings is not None

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.save_weights(close=True)
            elif choice == "discard":
                self.discard_weights()
                panel.close()
            elif choice == "keep":
                panel.close()
                self.notify(
                    "Unsaved weights kept for this session; w then ctrl+s saves them.",
                    markup=False,
                )

        self.app.push_screen(UnsavedWeightsPrompt(self.settings.origin), chosen)

    def discard_weights(self) -> None:
        """Go back to the saved weights, forgetting the unsaved ones."""
        assert self.settings is not None
        current = self.current()
        settings, keep = self.settings, current.key if current else None
        self.unsaved = None
        self.model.reweight(settings.weights, settings.boosts)
        self.table.refresh_rows(keep)
        self.notify(f"Unsaved weights discarded: back to the {settings.origin}.", markup=False)

    @on(WeightsPanel.Closed)
    def _weights_closed(self) -> None:
        self.query_one("#side").remove_class("-weights")
        self.table.keep_moves = False
        self.table.focus()
        self.update_status()
        self.show_detail()

    # --- search, filters, sorting --------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-open")
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.model.filters.text = event.value
        self._refilter()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.table.focus()

    def action_clear(self) -> None:
        if self.model.marked:  # marks first: the cheapest thing to lose, the likeliest meant
            self.clear_marks()
            return
        if self.scan_cancel is not None:
            self.scan_cancel.set()
            self.notify("Cancelling the scan…")
            return
        search = self.query_one("#search", Input)
        search.value = ""
        search.remove_class("-open")
        self.model.filters.text = ""
        self.model.filters.set_items(ItemFilter())
        self._refilter()
        self.table.focus()

    def set_filter(self, **changes: Any) -> None:
        """Change filters (category, status, source, rule, path, role, show_closed) and
        refresh the table."""
        for name, value in changes.items():
            setattr(self.model.filters, name, value)
        self._refilter()

    def action_filter(self) -> None:
        """The filter form, once the places its path glob and counts look at are read."""
        self.need_places("filter", self._open_filter_form)

    def _open_filter_form(self) -> None:
        model = self.model

        def done(entry: FilterEntry | None) -> None:
            if entry is not None:
                self.set_filter(**vars(entry.filters))
                if entry.view:
                    self.save_view(entry.view, entry.filters)

        form = FilterForm(
            model.items, model.places, model.filters.items, show_closed=model.filters.show_closed
        )
        self.app.push_screen(form, done)

    def save_view(self, name: str, chosen: ItemFilter) -> None:
        """Save `chosen` (and the sort, if not by score) as `[views.NAME]` in the user config."""
        from dataclasses import replace

        from ...backlog.views import View, save_view

        user = self.app.user
        sort = None
        if (self.model.sort_key, self.model.sort_reverse) != ("score", False):
            sort = ("-" if self.model.sort_reverse else "") + self.model.sort_key
        view = View(name, chosen, sort)
        try:
            if user.path is None:
                raise TerragonError("no user config file to save the view in")
            save_view(user.path, view)
        except TerragonError as exc:
            self.notify(f"View not saved: {exc}", severity="error", markup=False)
            return
        self.app.user = replace(user, views={**user.views, name: view})
        self.notify(f"View {name} saved to {user.path}; v picks it.", markup=False)

    def action_view(self) -> None:
        views = self.app.user.views
        if not views:
            self.notify(
                "No saved views yet: f, choose filters, and give a name under Save as view.",
                markup=False,
            )
            return

        def done(name: str | None) -> None:
            if name is not None:
                self.apply_view(name)

        self.app.push_screen(ViewPicker(views), done)

    def apply_view(self, name: str) -> None:
        """Show the items of the saved view `name`, in its sort if it has one."""
        view = self.app.user.views[name]
        self.model.filters.set_items(view.filters)
        if view.sort_order is not None:
            self.model.sort_key, self.model.sort_reverse = view.sort_order
        self._refilter()
        self.notify(f"View {name}: {view.describe()}", markup=False, timeout=3)

    def action_toggle_closed(self) -> None:
        self.set_filter(show_closed=not self.model.filters.show_closed)

    def _refilter(self) -> None:
        if self.model.filters.path and not self.places_fresh:
            self.need_places()  # until they land, the glob sees each item's own file
        current = self.current()
        keep = current.key if current else None
        self.model.apply_view()
        self.table.refresh_rows(keep)
        self.update_status()

    def _sort(self, key: str) -> None:
        if key == self.model.sort_key:
            self.model.sort_reverse = not self.model.sort_reverse
        else:
            self.model.sort_key, self.model.sort_reverse = key, False
        self._refilter()

    def action_sort_next(self) -> None:
        """Sort by the next column the table shows at this width, and say which."""
        keys = [key for key, _header in self.table.sort_choices()]
        at = keys.index(self.model.sort_key) + 1 if self.model.sort_key in keys else 0
        self.model.sort_key = keys[at % len(keys)]
        self.model.sort_reverse = False
        self._refilter()
        self.notify(f"S{self.sort_description()[1:]}.", timeout=2, markup=False)

    def action_sort_reverse(self) -> None:
        self.model.sort_reverse = not self.model.sort_reverse
        self._refilter()
        self.notify(f"S{self.sort_description()[1:]}.", timeout=2, markup=False)

    def sort_description(self) -> str:
        """The sort as the header shows it: "sorted by Score ▼"."""
        arrow = "▲" if self.model.sort_reverse else "▼"
        return f"sorted by {sort_title(self.model.sort_key)} {arrow}"

    # --- scans ------------------------------------------------------------------------------

    def action_scan(self) -> None:
        if self.scan_cancel is not None:
            self.notify("A scan is already running; escape cancels it.", severity="warning")
            return

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self.start_scan(kind)

        self.app.push_screen(ScanPicker(), chosen)

    def start_scan(self, kind: str) -> None:
        """Run a scan of `kind` in a background worker; the table stays usable meanwhile."""
        if self.scan_cancel is not None:
            self.notify("A scan is already running; escape cancels it.", severity="warning")
            return
        self.scan_cancel = threading.Event()
        self.query_one(ScanStatus).start(kind)
        self._scan_worker(kind, self.scan_cancel)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _scan_worker(self, kind: str, cancel: threading.Event) -> None:
        from ...backlog.scanning import failure_reason, scan_workspace
        from ...discovery.runner import ScanCancelled

        def progress(phase: str, done: int, total: int) -> None:
            self.post_message(ScanProgress(phase, done, total))

        try:
            report = scan_workspace(
                self.ws, kind, progress=progress, cancel=cancel, workers=self.app.scan_workers
            )
        except ScanCancelled:
            self.post_message(ScanFailed("Scan cancelled; the backlog is unchanged.", True))
        except TerragonError as exc:
            self.post_message(ScanFailed(f"Scan failed: {exc}. The backlog is unchanged."))
        except Exception as exc:  # a bug must not leave the bar spinning forever
            self.post_message(
                ScanFailed(
                    f"Scan failed: {failure_reason(exc)}. The backlog is unchanged; "
                    "`TERRAGON_DEBUG=1 terragon scan` in a shell shows the traceback."
                )
            )
            raise
        else:
            self.post_message(ScanFinished(report))

    @on(ScanProgress)
    def _scan_progress(self, event: ScanProgress) -> None:
        self.query_one(ScanStatus).advance(event.phase, event.done, event.total)

    @on(ScanFinished)
    def _scan_finished(self, event: ScanFinished) -> None:
        self.scan_cancel = None
        self.query_one(ScanStatus).stop()
        outcome = event.report.outcome
        self.notify(
            f"{len(outcome.new)} new, {len(outcome.updated)} updated, "
            f"{len(outcome.resolved)} resolved.",
            title=f"{event.report.result.kind.capitalize()} scan done",
        )
        self.reload()

    @on(ScanFailed)
    def _scan_failed(self, event: ScanFailed) -> None:
        self.scan_cancel = None
        self.query_one(ScanStatus).stop()
        self.notify(event.message, severity="warning" if event.cancelled else "error", markup=False)

    # --- editor ----------------------------------------------------------------------------

    def action_copy_id(self) -> None:
        """Put the highlighted item's ID on the clipboard (OSC 52: most terminals take it)."""
        item = self._need_item()
        if item is not None:
            self.app.copy_to_clipboard(item.key)
            self.notify(f"Copied {item.key}.", markup=False)

    def action_copy_location(self) -> None:
        """Put the highlighted item's `file:line` on the clipboard, escaped as it is shown
        (a path from a scan never puts a control character into a paste)."""
        item = self._need_item()
        if item is None:
            return
        if not item.file_path:
            self.notify(f"{item.key} has no file.", severity="warning", markup=False)
            return
        where = printable(item.file_path) + (f":{item.line}" if item.line else "")
        self.app.copy_to_clipboard(where)
        self.notify(f"Copied {where}.", markup=False)

    def action_open_editor(self) -> None:
        item = self._need_item()
        if item is None:
            return
        try:
            command = editor_command(self.ws.root, item, os.environ)
        except TerragonError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        run_editor(self.app, command)


def _as_item(row: ItemRow) -> Item:
    """An Item from a table row (for the detail until the whole item is read)."""
    return row if isinstance(row, Item) else Item(**row._asdict())


def editor_command(root: Path, item: ItemFields, env: Mapping[str, str]) -> list[str]:
    """The command that opens an item's file at its line in $VISUAL or $EDITOR."""
    return file_command(root, item.key, item.file_path, item.line, env)
