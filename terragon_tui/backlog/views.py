"""Saved views: named filters (and a sort) in the user's config, `[views.NAME]`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..config.keys import VIEW_NAME
from ..core.errors import ConfigError, UsageError
from ..core.vocabulary import check_sort
from .filters import ItemFilter


@dataclass(frozen=True)
class View:
    """A named filter, and optionally the sort it shows the items in (`-KEY` reversed)."""

    name: str
    filters: ItemFilter = field(default_factory=ItemFilter)
    sort: str | None = None

    @property
    def sort_order(self) -> tuple[str, bool] | None:
        """The sort key and whether it is reversed, if the view has a sort."""
        return check_sort(self.sort) if self.sort else None

    def describe(self) -> str:
        """The view's filters and sort in one short line."""
        sort = f"sort={self.sort}" if self.sort else ""
        return "  ".join(part for part in (self.filters.describe(), sort) if part) or "everything"


def pick_view(views: Mapping[str, View], name: str, path: Path | None) -> View:
    """The view called `name`, or a UsageError naming the ones `path` defines."""
    if name in views:
        return views[name]
    if not views:
        raise UsageError(f"no view {name!r}: {path} has no [views.NAME] table")
    raise UsageError(f"no view {name!r} in {path}; views: {', '.join(sorted(views))}")


def save_view(path: Path, view: View) -> None:
    """Write `view` as `[views.NAME]` in the user's config at `path` (replacing one of that
    name), keeping the rest of the file as it was written, atomically."""
    import tomlkit

    from ..config.files import editable_document, write_atomically

    if not VIEW_NAME.fullmatch(view.name):
        raise UsageError(f"a view name is letters, digits, - and _; got {view.name!r}")
    document = editable_document(path, "the view")
    views = document.get("views")
    if views is None:
        views = tomlkit.table(is_super_table=True)
        document["views"] = views
    elif not isinstance(views, dict):
        raise ConfigError(f"{path}: views must be a table, so the view was not saved")
    entries = tomlkit.table()
    for key, value in view.filters.as_dict().items():
        entries[key] = value
    if view.sort:
        entries["sort"] = view.sort
    views[view.name] = entries
    write_atomically(path, tomlkit.dumps(document))
