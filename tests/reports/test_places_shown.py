"""How an item's places read in `show` and the TUI: file:line, the symbol, what was measured
there, each said once."""

from __future__ import annotations

from types import SimpleNamespace

from rich.console import Console

from terragon_tui.reports.terminal import occurrences_view, place_note


def _text(renderable) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_a_secrets_type_is_said_once_though_it_is_also_its_symbol():
    place = SimpleNamespace(
        path="tests/test_login.py",
        line=31,
        symbol="Secret Keyword:5f2a9c81d03b4e67",
        data={"type": "Secret Keyword"},
    )
    assert place_note(place.symbol, place.data) == ("Secret Keyword", "")
    lines = _text(occurrences_view([place])).splitlines()
    assert lines[-1].split() == ["tests/test_login.py:31", "Secret", "Keyword"]


def test_a_function_and_its_complexity_are_both_said():
    place = SimpleNamespace(
        path="app/core.py", line=12, symbol="parse", data={"cc": 31, "rank": "E"}
    )
    assert place_note(place.symbol, place.data) == ("parse", "CC 31 (rank E)")
    assert "app/core.py:12  parse  CC 31 (rank E)" in _text(occurrences_view([place]))
