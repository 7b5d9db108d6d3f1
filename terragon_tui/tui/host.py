"""The app as its screens see it: the workspace, the user's config, how scans run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from datetime import datetime

    from ..backlog.user_config import UserConfig
    from ..backlog.workspace import Workspace


class TerragonHost(App[None]):
    """What screens read and change on the app they run in.

    `TerragonApp` is one; it imports the screens, so they name this base instead and type
    `self.app` with `textual.getters.app(TerragonHost)`.
    """

    ws: Workspace
    user: UserConfig
    #: Processes a scan analyses with (None: one per core).
    scan_workers: int | None
    #: Whether a repository never scanned starts a full scan when its backlog opens.
    first_scan: bool
    #: A fixed clock for reproducible screens; None means the real time.
    now: datetime | None

    def switch_repository(self, ws: Workspace) -> None:
        """Work on another repository of the same store: its backlog replaces the current one."""
        raise NotImplementedError
