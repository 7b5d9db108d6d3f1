"""Modal forms: complete an item, suggest or edit one, give a reason to defer or reject."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from ..backlog.fields import check_fields
from ..core.errors import UsageError
from ..core.text import printable
from ..store.rows import ItemFields
from .discard import DiscardPrompt

#: What a form gives once submitted: each form's own dataclass.
ResultT = TypeVar("ResultT")

FORM_CSS = """
FormScreen { align: center middle; }
FormScreen > VerticalScroll {
    width: 84; max-width: 100%; height: auto; max-height: 100%;
    border: thick $accent; background: $surface; padding: 0 1;
}
FormScreen .title { text-style: bold; margin-bottom: 1; }
FormScreen Grid { grid-size: 2; grid-columns: 22 1fr; grid-rows: auto; height: auto; }
FormScreen Grid > Label { padding: 1 0 0 0; }
FormScreen TextArea { height: 5; }
FormScreen .error { color: $error; height: auto; }
FormScreen .error:disabled { display: none; }
FormScreen Horizontal { height: auto; align: right middle; margin-top: 1; }
FormScreen Button { margin-left: 1; }
"""


def field_value(widget: Widget) -> object:
    """What a form's field holds: a text area's text, an input's, select's or checkbox's value."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select | Checkbox):
        return widget.value
    raise TypeError(f"{type(widget).__name__} is not a form field")


class FormScreen(ModalScreen[ResultT | None]):
    """A modal form: fields, inline errors, ctrl+s or Enter on the button submits.

    Submitting reads the raw `values`, validates them with `check` (a UsageError is shown
    in the form) and dismisses the form with what `result` makes of them.
    """

    DEFAULT_CSS = FORM_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.submit"),
    ]
    heading = "Form"

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.heading, classes="title", markup=False)
            with Grid():
                yield from self.fields()
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="submit", variant="primary")

    #: Whether escape asks before throwing away values the user changed.
    ask_before_discard: ClassVar[bool] = True

    def on_mount(self) -> None:
        fields = self.query_one(Grid).query("Input, Select, TextArea, Checkbox")
        if fields:
            fields.first().focus()
        self.initial_state = self.state()

    def state(self) -> tuple[tuple[str | None, object], ...]:
        """What every field holds now, to tell a changed form from an untouched one."""
        return tuple(
            (widget.id, field_value(widget))
            for widget in self.query_one(Grid).query("Input, Select, TextArea, Checkbox")
        )

    def fields(self) -> ComposeResult:
        """The label/widget pairs of the form."""
        yield from ()

    def values(self) -> dict[str, Any]:
        """The raw values entered, by item field name."""
        return {}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        """Validate; raise UsageError with a message the form shows."""
        return check_fields(values)

    def result(self, checked: dict[str, Any]) -> ResultT:
        """What the form gives for the values `check` passed."""
        raise NotImplementedError

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        error = self.query_one("#error", Static)
        try:
            result = self.result(self.check(self.values()))
        except UsageError as exc:
            error.update(str(exc))
            return
        error.update("")
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Close without saving; first ask, if any value was changed."""
        if not self.ask_before_discard or self.state() == self.initial_state:
            self.dismiss(None)
            return

        def chosen(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardPrompt(), chosen)


@dataclass(frozen=True)
class CompletionEntry:
    """What the complete form gives: the actual hours, the impact notes, the outcome."""

    hours: float
    impact: str
    outcome: str


class CompleteForm(FormScreen[CompletionEntry]):
    """Complete an item: actual hours, impact notes, outcome."""

    def __init__(self, item: ItemFields) -> None:
        super().__init__()
        self.item = item
        self.heading = printable(f"Complete {item.key}: {item.title}", single_line=True)

    def fields(self) -> ComposeResult:
        yield Label("Actual hours")
        yield Input(f"{self.item.estimated_hours:g}", id="hours", type="number")
        yield Label("Impact notes")
        yield TextArea(id="impact")
        yield Label("Outcome")
        yield Select(
            [(o, o) for o in ("success", "partial", "failed")],
            value="success",
            allow_blank=False,
            id="outcome",
        )

    def values(self) -> dict[str, Any]:
        return {
            "hours": self.query_one("#hours", Input).value,
            "impact": self.query_one("#impact", TextArea).text,
            "outcome": self.query_one("#outcome", Select).value,
        }

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not str(values["hours"]).strip():
            raise UsageError("actual hours are required")
        hours = check_fields({"estimated_hours": values["hours"]})["estimated_hours"]
        return {**values, "hours": hours}

    def result(self, checked: dict[str, Any]) -> CompletionEntry:
        return CompletionEntry(checked["hours"], checked["impact"], str(checked["outcome"]))


@dataclass(frozen=True)
class ReasonEntry:
    """What the reason form gives: why the items are deferred or rejected."""

    reason: str


class ReasonForm(FormScreen[ReasonEntry]):
    """Ask why an item (or every marked item, given `keys`) is deferred or rejected."""

    def __init__(
        self,
        verb: str,
        item: ItemFields | None = None,
        *,
        keys: Sequence[str] = (),
        left_out: int = 0,
    ) -> None:
        super().__init__()
        self.verb = verb
        if item is not None:
            heading = f"{verb.capitalize()} {item.key}: {item.title}"
        else:
            shown = ", ".join(keys[:5]) + (", …" if len(keys) > 5 else "")
            heading = f"{verb.capitalize()} {len(keys)} marked items, one reason for all: {shown}"
            if left_out:
                heading += f" ({left_out} marked but not open: left out)"
        self.heading = printable(heading, single_line=True)

    def fields(self) -> ComposeResult:
        yield Label("Reason")
        yield Input(id="reason", placeholder="why?")

    def values(self) -> dict[str, Any]:
        return {"reason": self.query_one("#reason", Input).value}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["reason"].strip():
            raise UsageError(f"give a reason to {self.verb}")
        return values

    def result(self, checked: dict[str, Any]) -> ReasonEntry:
        return ReasonEntry(checked["reason"])


@dataclass(frozen=True)
class IgnoreEntry:
    """What the ignore form gives: the rule (None: the whole path), the path glob it is
    ignored under (None: everywhere), and why."""

    rule: str | None
    path: str | None
    reason: str


class IgnoreForm(FormScreen[IgnoreEntry]):
    """Ignore a rule (under a path glob, or everywhere), or a path, in the repository's config."""

    heading = "Ignore at the source: written to the repository's config, shared through git"

    def __init__(self, item: ItemFields) -> None:
        super().__init__()
        folder = (item.file_path or "").rpartition("/")[0]
        self.initial = {"rule": item.rule or "", "path": f"{folder}/**" if folder else ""}

    def fields(self) -> ComposeResult:
        yield Label("Rule (blank: ignore the whole path)")
        yield Input(self.initial["rule"], id="rule", placeholder="B311, F401, hotspot...")
        yield Label("Only under this path glob (blank: everywhere)")
        yield Input(self.initial["path"], id="path", placeholder="tests/**")
        yield Label("Reason")
        yield Input(id="reason", placeholder="why?")

    def values(self) -> dict[str, Any]:
        return {
            name: self.query_one(f"#{name}", Input).value for name in ("rule", "path", "reason")
        }

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["rule"].strip() and not values["path"].strip():
            raise UsageError("give a rule, a path glob, or both")
        if not values["reason"].strip():
            raise UsageError("give a reason to ignore it")
        return values

    def result(self, checked: dict[str, Any]) -> IgnoreEntry:
        return IgnoreEntry(
            checked["rule"].strip() or None, checked["path"].strip() or None, checked["reason"]
        )
