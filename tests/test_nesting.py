"""TOML and JSON nested too deep are refused as invalid, however deep, never a crash."""

from __future__ import annotations

import tomllib

import pytest

from terragon_tui.core.nesting import MAX_NESTING, json_loads, toml_loads


def nested_toml(depth: int) -> str:
    """`x` holding arrays `depth` levels deep (the document itself is the first level)."""
    inner = depth - 1
    return "x = " + "[" * inner + "]" * inner


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 400, 100_000])
def test_toml_nested_deeper_than_the_bound_is_a_decode_error(depth: int) -> None:
    with pytest.raises(tomllib.TOMLDecodeError, match=f"more than {MAX_NESTING} levels"):
        toml_loads(nested_toml(depth))


def test_toml_at_the_bound_is_read() -> None:
    data = toml_loads(nested_toml(MAX_NESTING))
    assert isinstance(data["x"], list)


def test_dotted_keys_nest_tables_too() -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        toml_loads(".".join(["a"] * 1_000) + " = 1\n")


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 100_000])
def test_json_nested_deeper_than_the_bound_is_a_value_error(depth: int) -> None:
    with pytest.raises(ValueError, match=f"more than {MAX_NESTING} levels"):
        json_loads("[" * depth + "]" * depth)


def test_json_at_the_bound_is_read() -> None:
    assert json_loads("[" * MAX_NESTING + "]" * MAX_NESTING) is not None
