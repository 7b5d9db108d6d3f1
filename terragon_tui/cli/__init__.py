"""The command line: one module per command group, registered by `app`; `main` runs it."""

from .app import app, main

__all__ = ["app", "main"]
