"""The suggest / edit form: every field `terragon suggest` and `terragon edit` take."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ..backlog.fields import LINE_MAX, check_fields
from ..backlog.items import check_prefix
from ..core.errors import UsageError
from ..core.text import printable
from ..core.vocabulary import CATEGORIES, PRIORITIES, STATUSES
from ..store.rows import ItemFields
from .forms import FormScreen, field_value

#: (field, label, kind) of the suggest / edit form, in order. "derived" numbers left blank
#: on a suggestion come from the impact and category, as `terragon suggest` does.
ITEM_FORM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("category", "Category", "category"),
    ("prefix", "ID prefix", "prefix"),
    ("title", "Title", "text"),
    ("description", "Description", "area"),
    ("business_value_text", "Business value", "text"),
    ("priority", "Priority", "priority"),
    ("status", "Status", "status"),
    ("estimated_hours", "Estimated hours", "number"),
    ("impact", "Impact (1-10)", "number"),
    ("confidence", "Confidence (1-10)", "number"),
    ("ease", "Ease (1-10)", "number"),
    ("risk", "Risk (0-1)", "number"),
    ("business_value", "WSJF value (1-20)", "derived"),
    ("time_criticality", "Time critical (1-20)", "derived"),
    ("risk_reduction", "Risk reduction (1-20)", "derived"),
    ("security_severity", "Severity (0-10)", "derived"),
    ("file_path", "File", "text"),
    ("line", "Line", "line"),
    ("is_security", "Security boost", "flag"),
    ("is_compliance", "Compliance boost", "flag"),
    ("is_performance", "Performance boost", "flag"),
)
KINDS = {name: kind for name, _label, kind in ITEM_FORM_FIELDS}
_SUGGEST_DEFAULTS = {
    "category": "feature",
    "estimated_hours": 1.0,
    "impact": 5.0,
    "confidence": 7.0,
    "ease": 5.0,
    "risk": 0.3,
}
_FLAG_CHOICES = [("yes", "yes"), ("no", "no")]


def _line(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise UsageError(f"line must be a whole number from 1 to {LINE_MAX}, got {raw!r}") from None


@dataclass(frozen=True)
class ItemEntry:
    """What the suggest / edit form gives: each field to set, by name, checked as `terragon
    suggest` and `terragon edit` check them; a suggestion's always name its category and
    title, an edit's only what changed."""

    fields: Mapping[str, Any]


class ItemForm(FormScreen[ItemEntry]):
    """Suggest a new item, edit one (prefilled), or edit every marked item at once.

    Editing several (`keys`), every field starts blank and blank keeps each item's own
    value: only what the user fills in is changed, on all of them.
    """

    def __init__(self, item: ItemFields | None = None, *, keys: Sequence[str] = ()) -> None:
        super().__init__()
        self.item = item
        self.keys = tuple(keys)
        if self.keys:
            shown = ", ".join(self.keys[:5]) + (", …" if len(self.keys) > 5 else "")
            heading = f"Edit {len(self.keys)} marked items (blank keeps each one's value): {shown}"
        elif item is not None:
            heading = f"Edit {item.key}"
        else:
            heading = "Suggest a new item (blank WSJF inputs come from the impact)"
        self.heading = printable(heading, single_line=True)

    @property
    def names(self) -> list[str]:
        """The fields this form shows: a prefix only for a suggestion, a status only on edit."""
        leave_out = "status" if self.suggesting else "prefix"
        return [name for name, _label, _kind in ITEM_FORM_FIELDS if name != leave_out]

    @property
    def suggesting(self) -> bool:
        """Whether this form adds a new item."""
        return self.item is None and not self.keys

    def _initial(self, name: str) -> Any:
        if self.keys:
            return ""
        if self.item is not None:
            return getattr(self.item, name)
        return _SUGGEST_DEFAULTS.get(name, "")

    def _shown(self, name: str) -> str:
        """A text field's initial value as the form shows it: control characters as `\\xNN`."""
        return printable(str(self._initial(name) or ""), single_line=name != "description")

    def fields(self) -> ComposeResult:
        labels = {name: label for name, label, _kind in ITEM_FORM_FIELDS}
        for name in self.names:
            yield Label(labels[name])
            yield self._widget(name, KINDS[name], self._initial(name))

    def _widget(self, name: str, kind: str, value: Any) -> Widget:
        keep = "keep" if self.keys else None
        if kind in ("category", "priority", "status"):
            options = {"category": CATEGORIES, "priority": PRIORITIES, "status": STATUSES}[kind]
            prompt = keep or ("from impact" if kind == "priority" else "")
            return Select(
                [(o, o) for o in options],
                value=value or Select.NULL,
                prompt=prompt,
                allow_blank=bool(prompt),
                id=name,
            )
        if kind == "flag":
            if self.keys:
                return Select(_FLAG_CHOICES, prompt="keep", id=name)
            return Checkbox(value=bool(value), id=name)
        if kind == "area":
            return TextArea(self._shown(name), id=name)
        if kind in ("number", "derived"):
            placeholder = keep or ("from the impact" if kind == "derived" else "")
            shown = f"{value:g}" if isinstance(value, int | float) else ""
            return Input(shown, id=name, type="number", placeholder=placeholder)
        if kind == "line":
            shown = "" if value in ("", None) else str(value)
            return Input(shown, id=name, type="integer", placeholder=keep or "")
        placeholder = keep or ("the category's, or e.g. CICD" if kind == "prefix" else "")
        return Input(self._shown(name), id=name, placeholder=placeholder)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in self.names:
            widget = self.query_one(f"#{name}")
            if isinstance(widget, Select):
                if widget.value is not Select.NULL:
                    values[name] = widget.value
            else:
                values[name] = field_value(widget)
        return values

    def convert(self, name: str, raw: Any) -> tuple[bool, Any]:
        """(given, value) for what a field holds: whether it counts, and as what.

        Blank means: keep each item's value (editing several), no file or line (editing
        one), or what `terragon suggest` derives (a suggestion's prefix and WSJF inputs).
        Raises UsageError for what no field accepts.
        """
        kind = KINDS[name]
        if isinstance(raw, str) and not raw.strip() and kind != "area":
            if self.keys:
                return False, None
            if (kind == "derived" and self.suggesting) or kind == "prefix":
                return False, None
            if name in ("file_path", "line"):
                return not self.suggesting, None
            if kind in ("number", "derived"):
                raise UsageError(f"{name.replace('_', ' ')} is required")
        if kind == "area" and self.keys and not raw.strip():
            return False, None
        if kind == "flag" and isinstance(raw, str):
            return True, raw == "yes"
        if kind == "prefix":
            return True, check_prefix(raw)
        if kind == "line":
            return True, check_fields({"line": _line(raw)})["line"]
        if kind in ("text", "area") and self.item is not None and raw == self._shown(name):
            return False, None  # text left as shown is unchanged, though shown escaped
        if name == "file_path":
            raw = raw.strip()
        return True, check_fields({name: raw})[name]

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        checked: dict[str, Any] = {}
        for name, raw in values.items():
            if name in self.names:
                given, value = self.convert(name, raw)
                if given:
                    checked[name] = value
        if self.item is not None:  # only what changed counts as a person's edit
            checked = {k: v for k, v in checked.items() if getattr(self.item, k) != v}
        if self.keys and not checked:
            raise UsageError("fill in at least one field to change, or escape")
        return checked

    def result(self, checked: dict[str, Any]) -> ItemEntry:
        return ItemEntry(checked)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _check_inline(self, event: Input.Changed | Select.Changed | TextArea.Changed) -> None:
        """Say what is wrong with a field as it is typed, and mark it."""
        widget = event.control
        name = widget.id or ""
        if name not in KINDS or not self.is_mounted:
            return
        raw = widget.text if isinstance(widget, TextArea) else widget.value
        untouched = (name, raw) in getattr(self, "initial_state", ((name, raw),))
        error = ""
        if raw is not Select.NULL and not untouched:
            try:
                self.convert(name, raw)
            except UsageError as exc:
                error = str(exc)
        widget.set_class(bool(error), "-invalid")
        self.query_one("#error", Static).update(error)
