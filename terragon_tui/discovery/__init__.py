"""Value discovery: sources that turn a repository into findings, and the runner over them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .finding import Finding

if TYPE_CHECKING:
    from .cache import ScanCache
    from .runner import KINDS, ScanCancelled, ScanResult, scan
    from .scan_config import ScanConfig

__all__ = ["KINDS", "Finding", "ScanCache", "ScanCancelled", "ScanConfig", "ScanResult", "scan"]

_LAZY = {
    "KINDS": "runner",
    "ScanCancelled": "runner",
    "ScanResult": "runner",
    "scan": "runner",
    "ScanCache": "cache",
    "ScanConfig": "scan_config",
}


def __getattr__(name: str) -> Any:
    """Import the runner only when it is used: importing a Finding stays cheap."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
